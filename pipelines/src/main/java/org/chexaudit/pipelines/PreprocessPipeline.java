package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.Cli;
import org.chexaudit.pipelines.stage.StageOutput;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.chexaudit.transforms.io.Resources;
import org.chexaudit.transforms.io.ShardLayout;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.pipelines.options.PreprocessOptions;
import org.chexaudit.core.image.GreyDecoder;
import org.chexaudit.transforms.ml.TurboJpegDecoder;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;
import org.chexaudit.schemas.ImageExample;
import org.chexaudit.schemas.TrustedSchemas;
import org.chexaudit.transforms.coders.SpecificRecordCoder;
import org.chexaudit.transforms.image.DecodeAndResize;
import org.chexaudit.transforms.image.DecodeToShards;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.chexaudit.pipelines.stage.OptionsManifest;

/**
 * The {@code preprocess} command: chexploration's image pre-processing (seeds-spec A2). Reads a cohort
 * output's {@code cohort/*.avro}, keeps the records of the chosen splits, decodes and resizes each image
 * with {@link DecodeAndResize} straight into its split's sorted shards ({@link DecodeToShards}), and writes:
 *
 * <ul>
 *   <li>{@code images/<split>/part-*.avro}: {@link ImageExample}s, one folder per split;
 *   <li>{@code dead_letters/part-<split>-<shard>.avro}: images that could not be used, with path and reason,
 *       one file per shard that had any (none when every image was used);
 *   <li>{@code preproc_<N>x<N>/*.jpg} with {@code --writeJpegs};
 *   <li>{@code summary.json}: records read, selected, written per split, dead letters by reason,
 *       seconds and images/s (counted as Beam metrics).
 * </ul>
 *
 * <p>Every path is a Beam path ({@code /local}, {@code hdfs://}, {@code s3://}): the cohort, the images and
 * the output are read and written through Beam's file systems, on the workers.
 */
public final class PreprocessPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(PreprocessPipeline.class);
  static final String COMMAND = "preprocess";
  private static final String INPUT = "input";
  private static final String SELECTED = "selected";
  private static final String WRITTEN = "written/";
  private static final String DEAD = "dead/";
  /**
   * Pixels per image shard (64 Mi: 1,337 images at 224 px), so a shard is a file training can stream and a
   * unit of work one worker decodes in minutes at most.
   */
  static final long PIXELS_PER_SHARD = 64L << 20;
  /**
   * A split's least shard count by default (while its shards keep {@value #MIN_IMAGES_PER_SHARD} images or
   * more): a shard is decoded by one worker, so a split of 600 images still spreads over 32 of them.
   */
  static final int MIN_SHARDS = 32;
  static final int MIN_IMAGES_PER_SHARD = 16;

  private PreprocessPipeline() {}

  public static void main(String[] args) {
    Cli.run(COMMAND, args, PreprocessOptions.class, PreprocessPipeline::run);
  }

  /** Validates the options, runs the pipeline, then writes the summary and commits the output. */
  public static PipelineResult run(PreprocessOptions options) {
    TrustedSchemas.install();
    String cohortDir = Resources.path(Resources.dir(Resources.dir(options.getCohort()), "cohort"));
    String imageRoot = Resources.absolute(options.getImageRoot());
    List<String> splits = Cli.commaList(splits(options));
    validate(options, cohortDir, imageRoot, splits);
    int size = imageSize(options);

    StageOutput out = StageOutput.begin(COMMAND, Resources.absolute(options.getOutput()), options.getOverwrite())
        .withInput("cohort", cohortDir)
        .withInput("imageRoot", imageRoot);
    try {
      long start = System.nanoTime();
      Pipeline p = Pipeline.create(options);
      PCollection<CohortRecord> cohort =
          p.apply("ReadCohort", AvroIO.read(CohortRecord.class).from(Resources.matchSpec(cohortDir + "/*.avro")))
              // cheap to serialise: the Direct runner serialises every step's coders for each bundle
              .setCoder(SpecificRecordCoder.of(CohortRecord.class));
      PCollection<CohortRecord> selected = cohort.apply("SelectSplits", ParDo.of(new SelectSplitsFn(splits)));
      DecodeAndResize decode = DecodeAndResize.from(imageRoot).withSize(size).withDecoder(decoder(options));
      if (shorterSide(options)) {
        decode = decode.withShorterSide(size);
      }
      if (options.getWriteJpegs()) {
        decode = decode.withJpegOutput(Resources.path(out.dir()));
      }
      // shards that depend only on the images, not on the runner's bundles: training streams them in file order.
      // The records are dealt to their split's shards, and each shard's images decoded straight into its file.
      // each shard's dead letters written by its worker (usually none: no file)
      DecodeToShards.Result result = selected.apply("DecodeToShards",
          decode.toShards(layout(options, splits, size, out)).withDeadLetterFiles(out.prefix("dead_letters/part")));

      // counts travel as Beam metrics, not through a file gathered on one worker
      result.written().apply("CountWritten", ParDo.of(new AddFn(WRITTEN)));
      result.deadLetters().apply("CountDead", ParDo.of(new CountFn<>(d -> DEAD + reasonCategory(d))));

      PipelineResult run = p.run();
      run.waitUntilFinish();
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Object> summary = summary(counts(run), splits, seconds);
      Resources.writeString(out.file("summary.json"), JSON.writeValueAsString(summary));

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
   * Keeps the records of the chosen splits, counting the records read and kept: one step, which Flink chains to
   * the read (a second reader of the cohort, to count it, made the read a task of its own).
   */
  static final class SelectSplitsFn extends DoFn<CohortRecord, CohortRecord> {
    private final List<String> splits;
    private final Counter input = Metrics.counter(COMMAND, INPUT);
    private final Counter selected = Metrics.counter(COMMAND, SELECTED);

    SelectSplitsFn(List<String> splits) {
      this.splits = List.copyOf(splits);
    }

    @ProcessElement
    public void process(@Element CohortRecord r, OutputReceiver<CohortRecord> out) {
      input.inc();
      if (r.getSplit() != null && splits.contains(r.getSplit())) {
        selected.inc();
        out.output(r);
      }
    }
  }

  /** Adds one to the counter {@code name(element)} of namespace {@value #COMMAND} per element. */
  static final class CountFn<T> extends DoFn<T, Void> {
    private final SerializableFunction<T, String> name;

    CountFn(SerializableFunction<T, String> name) {
      this.name = name;
    }

    @ProcessElement
    public void process(@Element T element) {
      Metrics.counter(COMMAND, name.apply(element)).inc();
    }
  }

  /** Adds each value to the counter {@code prefix + key} of namespace {@value #COMMAND}. */
  static final class AddFn extends DoFn<KV<String, Long>, Void> {
    private final String prefix;

    AddFn(String prefix) {
      this.prefix = prefix;
    }

    @ProcessElement
    public void process(@Element KV<String, Long> e) {
      Metrics.counter(COMMAND, prefix + e.getKey()).inc(e.getValue());
    }
  }

  /**
   * The run's counters by name, summed over steps: committed values where the runner has them (Direct),
   * else attempted ones (Flink reports only those; a retried task's counts are its last attempt's).
   */
  static Map<String, Long> counts(PipelineResult run) {
    MetricQueryResults q = run.metrics().queryMetrics(
        MetricsFilter.builder().addNameFilter(MetricNameFilter.inNamespace(COMMAND)).build());
    Map<String, Long> out = new TreeMap<>();
    for (MetricResult<Long> c : q.getCounters()) {
      Long v = c.getCommittedOrNull();
      out.merge(c.getName().getName(), v != null ? v : c.getAttempted(), Long::sum);
    }
    return out;
  }

  /**
   * Each split's shards under {@code images/<split>/part}: {@code --imagesPerShard} images each, or by default
   * as many as hold {@link #PIXELS_PER_SHARD} pixels, and then at least {@value #MIN_SHARDS} shards of at least
   * {@value #MIN_IMAGES_PER_SHARD} images, since each shard is decoded by one worker.
   */
  static ShardLayout layout(PreprocessOptions o, List<String> splits, int size, StageOutput out) {
    Map<String, String> prefixes = new LinkedHashMap<>();
    for (String split : splits) {
      prefixes.put(split, out.prefix("images/" + split + "/part"));
    }
    if (o.getImagesPerShard() > 0) {
      return ShardLayout.of(prefixes, o.getImagesPerShard());
    }
    return ShardLayout.of(prefixes, Math.max(MIN_IMAGES_PER_SHARD, PIXELS_PER_SHARD / ((long) size * size)))
        .withAtLeast(MIN_SHARDS, MIN_IMAGES_PER_SHARD);
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

  static void validate(PreprocessOptions o, String cohortDir, String imageRoot, List<String> splits) {
    if (Resources.list(Resources.dir(cohortDir), "*.avro").isEmpty()) {
      throw new IllegalArgumentException("--cohort " + o.getCohort() + ": no .avro files in " + cohortDir
          + " (expected the cohort/ folder written by the cohort command)");
    }
    if (!Resources.hasFiles(Resources.dir(imageRoot))) {
      throw new IllegalArgumentException("--imageRoot " + o.getImageRoot() + ": no such folder (or no files in it)");
    }
    if (imageSize(o) < 1 || imageSize(o) > 4096) {
      throw new IllegalArgumentException("--imageSize must be in 1..4096, got " + o.getImageSize());
    }
    shorterSide(o);
    decoder(o);
    if (o.getImagesPerShard() < 0) {
      throw new IllegalArgumentException("--imagesPerShard must be >= 0 (0: automatic), got " + o.getImagesPerShard());
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
