package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.Cli;
import org.chexaudit.pipelines.stage.StageOutput;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.pipelines.options.PreprocessOptions;
import org.chexaudit.core.image.GreyDecoder;
import org.chexaudit.transforms.ml.TurboJpegDecoder;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;
import org.chexaudit.schemas.ImageExample;
import org.chexaudit.schemas.TrustedSchemas;
import org.chexaudit.transforms.coders.SpecificRecordCoder;
import org.chexaudit.transforms.image.DecodeAndResize;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.chexaudit.pipelines.stage.OptionsManifest;

/**
 * The {@code preprocess} command: chexploration's image pre-processing (seeds-spec A2). Reads a cohort
 * output's {@code cohort/*.avro}, keeps the records of the chosen splits, decodes and resizes each image
 * with {@link DecodeAndResize}, and writes:
 *
 * <ul>
 *   <li>{@code images/<split>/part-*.avro}: {@link ImageExample}s, one folder per split;
 *   <li>{@code dead_letters/*.avro}: images that could not be used, with path and reason;
 *   <li>{@code preproc_<N>x<N>/*.jpg} with {@code --writeJpegs};
 *   <li>{@code summary.json}: records read, selected, written per split, dead letters by reason,
 *       seconds and images/s.
 * </ul>
 */
public final class PreprocessPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(PreprocessPipeline.class);
  static final String COMMAND = "preprocess";
  private static final String INPUT = "input";
  private static final String SELECTED = "selected";
  private static final String WRITTEN = "written/";
  private static final String DEAD = "dead/";

  private PreprocessPipeline() {}

  public static void main(String[] args) {
    Cli.run(COMMAND, args, PreprocessOptions.class, PreprocessPipeline::run);
  }

  /** Validates the options, runs the pipeline, writes the summary, and moves the output into place. */
  public static PipelineResult run(PreprocessOptions options) {
    TrustedSchemas.install();
    Path cohortDir = Paths.get(options.getCohort()).resolve("cohort");
    List<String> splits = Cli.commaList(splits(options));
    validate(options, cohortDir, splits);
    int size = imageSize(options);

    StageOutput out = StageOutput.begin(COMMAND, Paths.get(options.getOutput()), options.getOverwrite())
        .withInput("cohort", cohortDir)
        .withInput("imageRoot", Paths.get(options.getImageRoot()));
    try {
      long start = System.nanoTime();
      Path tmp = out.tmp();
      Pipeline p = Pipeline.create(options);
      PCollection<CohortRecord> cohort =
          p.apply("ReadCohort", AvroIO.read(CohortRecord.class).from(cohortDir.resolve("*.avro").toString()))
              // cheap to serialise: the Direct runner serialises every step's coders for each bundle
              .setCoder(SpecificRecordCoder.of(CohortRecord.class));
      PCollection<CohortRecord> selected = cohort.apply("SelectSplits",
          Filter.by((CohortRecord r) -> r.getSplit() != null && splits.contains(r.getSplit())));
      DecodeAndResize decode = DecodeAndResize.from(options.getImageRoot()).withSize(size)
          .withSpreadBuckets(spreadBuckets(options)).withDecoder(decoder(options));
      if (shorterSide(options)) {
        decode = decode.withShorterSide(size);
      }
      if (options.getWriteJpegs()) {
        decode = decode.withJpegOutput(tmp.toString());
      }
      DecodeAndResize.Result result = selected.apply("DecodeAndResize", decode);

      for (String split : splits) {
        result.images()
            .apply("Only_" + split, Filter.by((ImageExample e) -> split.equals(e.getSplit())))
            .apply("Write_" + split, AvroIO.write(ImageExample.class)
                .to(tmp.resolve("images").resolve(split).resolve("part").toString()).withSuffix(".avro"));
      }
      result.deadLetters().apply("WriteDeadLetters",
          AvroIO.write(DeadLetter.class).to(tmp.resolve("dead_letters/part").toString()).withSuffix(".avro"));

      PCollection<String> keys = PCollectionList.of(List.of(
              cohort.apply("KeyInput", MapElements.into(TypeDescriptors.strings()).via(r -> INPUT)),
              selected.apply("KeySelected", MapElements.into(TypeDescriptors.strings()).via(r -> SELECTED)),
              result.images().apply("KeyWritten",
                  MapElements.into(TypeDescriptors.strings()).via(e -> WRITTEN + e.getSplit())),
              result.deadLetters().apply("KeyDead",
                  MapElements.into(TypeDescriptors.strings()).via(d -> DEAD + reasonCategory(d)))))
          .apply("AllKeys", Flatten.pCollections());
      keys.apply("Count", Count.perElement())
          .apply("OneGroup", WithKeys.of("summary"))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
          .apply("Gather", GroupByKey.create())
          .apply("WriteCounts", ParDo.of(new WriteCountsFn(tmp.resolve("counts.json").toString())));

      PipelineResult run = p.run();
      run.waitUntilFinish();
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Object> summary = summary(readCounts(tmp), splits, seconds);
      Files.delete(tmp.resolve("counts.json"));
      writeJson(tmp.resolve("summary.json"), summary);

      Map<String, Object> opts = OptionsManifest.of(options, PreprocessOptions.class);
      opts.put("imageSize", size);
      opts.put("splits", splits);
      String done = out.commit(opts, summary);
      LOG.info(String.format("preprocess: %s records read, %s selected, written %s, dead letters %s,"
              + " in %.1f s (%s images/s) -> %s",
          summary.get("input_records"), summary.get("selected"), summary.get("written"),
          summary.get("dead_letters"), seconds, summary.get("images_per_second"), done));
      return run;
    } catch (IOException e) {
      out.abort();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      out.abort();
      throw e;
    }
  }

  /**
   * The decode step's spread buckets: the option, or by default one per worker on the Direct runner (one
   * key per record elsewhere). The Direct runner pays a fixed cost per bundle in every step after the
   * spread, so one bucket per worker (dealt evenly) is the cheapest that keeps every worker busy: on 2,400
   * small images with 2 workers, 2 buckets took 23.5 s of CPU where 8 took 48.3 s.
   */
  static int spreadBuckets(PreprocessOptions o) {
    if (o.getSpreadBuckets() != 0) {
      return o.getSpreadBuckets();
    }
    return DirectRunner.class.equals(o.getRunner()) ? o.as(DirectOptions.class).getTargetParallelism() : 0;
  }

  /** The category of a dead letter's reason, e.g. "missing file" of "missing file: no such file". */
  static String reasonCategory(DeadLetter d) {
    String r = d.getReason();
    int colon = r.indexOf(':');
    return colon < 0 ? r : r.substring(0, colon);
  }

  static Map<String, Object> summary(Map<String, Long> counts, List<String> splits, double seconds) {
    Map<String, Long> written = new LinkedHashMap<>();
    for (String s : splits) {
      written.put(s, counts.getOrDefault(WRITTEN + s, 0L));
    }
    Map<String, Long> dead = new TreeMap<>();
    counts.forEach((k, v) -> {
      if (k.startsWith(DEAD)) {
        dead.put(k.substring(DEAD.length()), v);
      }
    });
    long selected = counts.getOrDefault(SELECTED, 0L);
    long images = written.values().stream().mapToLong(Long::longValue).sum();
    long deadTotal = dead.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("input_records", counts.getOrDefault(INPUT, 0L));
    s.put("selected", selected);
    s.put("written", written);
    s.put("dead_letters", dead);
    s.put("reconciles", selected == images + deadTotal);
    s.put("seconds", Math.round(seconds * 100) / 100.0);
    s.put("images_per_second", Math.round(selected / seconds * 10) / 10.0);
    return s;
  }

  static void validate(PreprocessOptions o, Path cohortDir, List<String> splits) {
    if (!Files.isDirectory(cohortDir)) {
      throw new IllegalArgumentException("--cohort " + o.getCohort() + ": no cohort/ folder inside (expected "
          + cohortDir + " written by the cohort command)");
    }
    try (Stream<Path> files = Files.list(cohortDir)) {
      if (files.noneMatch(f -> f.toString().endsWith(".avro"))) {
        throw new IllegalArgumentException("--cohort " + o.getCohort() + ": no .avro files in " + cohortDir);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("--cohort " + o.getCohort() + ": cannot list " + cohortDir, e);
    }
    if (!Files.isDirectory(Paths.get(o.getImageRoot()))) {
      throw new IllegalArgumentException("--imageRoot " + o.getImageRoot() + ": no such folder");
    }
    if (imageSize(o) < 1 || imageSize(o) > 4096) {
      throw new IllegalArgumentException("--imageSize must be in 1..4096, got " + o.getImageSize());
    }
    shorterSide(o);
    decoder(o);
    if (o.getSpreadBuckets() < 0) {
      throw new IllegalArgumentException("--spreadBuckets must be >= 0 (0: automatic), got " + o.getSpreadBuckets());
    }
    if (splits.isEmpty()) {
      throw new IllegalArgumentException("--splits must name at least one split, got '" + splits(o) + "'");
    }
    for (String s : splits) {
      if (!s.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException("--splits: '" + s + "' is not a usable folder name");
      }
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static void writeJson(Path file, Object value) throws IOException {
    JSON.writeValue(file.toFile(), value);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Long> readCounts(Path dir) throws IOException {
    Path f = dir.resolve("counts.json");
    if (!Files.isRegularFile(f)) {
      return Map.of();
    }
    Map<String, Long> out = new TreeMap<>();
    ((Map<String, Number>) JSON.readValue(f.toFile(), Map.class)).forEach((k, v) -> out.put(k, v.longValue()));
    return out;
  }

  /** Gathers the per-key counts on one worker and writes them for the driver's summary. */
  static final class WriteCountsFn extends DoFn<KV<String, Iterable<KV<String, Long>>>, Void> {
    private final String file;

    WriteCountsFn(String file) {
      this.file = file;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<KV<String, Long>>> all) throws IOException {
      Map<String, Long> counts = new TreeMap<>();
      all.getValue().forEach(kv -> counts.put(kv.getKey(), kv.getValue()));
      writeJson(Paths.get(file), counts);
    }
  }

  /** {@code --decoder}: the JDK's reader or libjpeg-turbo; fails naming the option otherwise. */
  static GreyDecoder.Factory decoder(PreprocessOptions o) {
    switch (o.getDecoder()) {
      case "jdk":
        return GreyDecoder.jdk();
      case "libjpeg-turbo":
        return TurboJpegDecoder.factory();
      default:
        throw new IllegalArgumentException("--decoder must be jdk or libjpeg-turbo, got '" + o.getDecoder() + "'");
    }
  }

  /** {@code --resize}: false for square, true for shorter-side; fails naming the option otherwise. */
  static boolean shorterSide(PreprocessOptions o) {
    switch (o.getResize()) {
      case "square":
        return false;
      case "shorter-side":
        return true;
      default:
        throw new IllegalArgumentException("--resize must be square or shorter-side, got '" + o.getResize() + "'");
    }
  }

  static int imageSize(PreprocessOptions o) {
    return o.getImageSize() == null ? DecodeAndResize.DEFAULT_SIZE : o.getImageSize();
  }

  static String splits(PreprocessOptions o) {
    return o.getSplits() == null ? "train,validate,test" : o.getSplits();
  }
}
