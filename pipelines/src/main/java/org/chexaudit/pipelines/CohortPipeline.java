package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.Cli;
import org.chexaudit.pipelines.stage.StageOutput;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.pipelines.options.CohortOptions;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;
import org.chexaudit.schemas.PatientDemographics;
import org.chexaudit.schemas.TrustedSchemas;
import org.chexaudit.transforms.cohort.FilterCohort;
import org.chexaudit.transforms.cohort.JoinDemographics;
import org.chexaudit.transforms.cohort.JoinSplitFile;
import org.chexaudit.transforms.cohort.MapRace;
import org.chexaudit.transforms.cohort.PatientSplit;
import org.chexaudit.transforms.cohort.ReadChexpertCsv;
import org.chexaudit.transforms.cohort.ReadDemographicsXlsx;
import org.chexaudit.core.cohort.CohortSpec;
import org.chexaudit.transforms.cohort.Filtered;
import org.chexaudit.core.cohort.ImageRowParser;
import org.chexaudit.core.io.CsvReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.chexaudit.pipelines.options.SeedOption;
import org.chexaudit.pipelines.stage.OptionsManifest;

/**
 * The {@code cohort} command: builds chexploration's sample (seeds-spec A2) from an images CSV and a
 * demographics workbook. Join with the split file (when given) on row index, inner join with the
 * demographics on patient id, race mapping, ethnicity / view / projection filters, patient-level split
 * (when no split file), then writes:
 *
 * <ul>
 *   <li>{@code cohort/*.avro}: {@link CohortRecord}s; {@code dead_letters/*.avro}: {@link DeadLetter}s;
 *   <li>{@code chexpert.sample.csv}, {@code .train/.val/.test.csv} and subset files in the notebook's layout
 *       plus an {@code id} column;
 *   <li>{@code summary.json}: rows read, filtered per rule, dead letters, kept, counts by race, sex, split.
 * </ul>
 */
public final class CohortPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(CohortPipeline.class);
  static final String COMMAND = "cohort";

  /** Seed of the patient-level split without {@code --seed}: the original split's {@code np.random.seed(2021)}. */
  static final long DEFAULT_SPLIT_SEED = 2021;

  private CohortPipeline() {}

  public static void main(String[] args) {
    Cli.run(COMMAND, args, CohortOptions.class, CohortPipeline::run);
  }

  /** Validates the inputs, runs the pipeline, and moves the finished output into place. */
  public static PipelineResult run(CohortOptions options) {
    TrustedSchemas.install();
    CohortSpec spec = options.getCohortConfig() == null
        ? CohortSpec.chexpert()
        : CohortSpec.fromFile(Paths.get(options.getCohortConfig()));
    validateInputs(options, spec);
    List<CohortFiles.Subset> subsets = parseSubsets(options.getSubsets());
    List<Double> fractions = parseFractions(options.getSplitFractions());
    List<String> stratifyBy = Cli.commaList(options.getStratifyBy());

    StageOutput out = StageOutput.begin(COMMAND, Paths.get(options.getOutput()), options.getOverwrite())
        .withInput("trainCsv", Paths.get(options.getTrainCsv()))
        .withInput("demoXlsx", Paths.get(options.getDemoXlsx()));
    if (options.getSplitCsv() != null) {
      out.withInput("splitCsv", Paths.get(options.getSplitCsv()));
    }
    try {
      long start = System.nanoTime();
      Pipeline p = Pipeline.create(options);
      List<String> ruleOrder = new ArrayList<>();
      List<Filtered> steps = new ArrayList<>();

      ReadChexpertCsv readCsv = ReadChexpertCsv.from(options.getTrainCsv()).withSpec(spec);
      // The Direct runner's reshuffle costs more per row than its second worker gains (issue 15).
      readCsv = DirectRunner.class.equals(options.getRunner())
          ? readCsv.withoutSpread()
          : readCsv.withSpreadBuckets(ReadChexpertCsv.DEFAULT_SPREAD_BUCKETS);
      Filtered read = p.apply("ReadImages", readCsv);
      steps.add(read);
      PCollection<CohortRecord> images = read.kept();
      if (options.getSplitCsv() != null) {
        Filtered split = images.apply("JoinSplitFile", JoinSplitFile.from(options.getSplitCsv()));
        ruleOrder.add(JoinSplitFile.NOT_IN_SPLIT);
        steps.add(split);
        images = split.kept();
      }
      PCollectionTuple demo =
          p.apply("ReadDemographics", ReadDemographicsXlsx.from(options.getDemoXlsx()).withSpec(spec));
      PCollection<PatientDemographics> patients = demo.get(ReadDemographicsXlsx.PATIENTS);
      Filtered joined = images.apply("JoinDemographics", JoinDemographics.with(patients));
      ruleOrder.addAll(List.of(JoinDemographics.NO_DEMOGRAPHICS, JoinDemographics.CONFLICTING));
      Filtered raced = joined.then("MapRace", MapRace.with(spec.raceMapping));
      ruleOrder.add(MapRace.RULE);
      FilterCohort filters = FilterCohort.from(spec);
      Filtered filtered = raced.then("Filter", filters);
      ruleOrder.addAll(filters.ruleNames());
      steps.addAll(List.of(joined, raced, filtered));

      PCollection<CohortRecord> cohort = filtered.kept();
      if (options.getSplitCsv() == null) {
        cohort = cohort.apply("PatientSplit",
            PatientSplit.of(spec.splitNames, fractions).withSeed(splitSeed(options)).withStratifyBy(stratifyBy));
      }

      List<PCollection<DeadLetter>> deadLists = new ArrayList<>();
      List<PCollection<KV<String, String>>> rejectedLists = new ArrayList<>();
      for (Filtered f : steps) {
        deadLists.add(f.deadLetters());
        rejectedLists.add(f.rejected());
      }
      deadLists.add(demo.get(ReadDemographicsXlsx.DEAD));
      PCollection<DeadLetter> dead = PCollectionList.of(deadLists).apply("AllDeadLetters", Flatten.pCollections());
      PCollection<KV<String, String>> rejected =
          PCollectionList.of(rejectedLists).apply("AllRejected", Flatten.pCollections());

      Path tmp = out.tmp();
      cohort.apply("WriteCohortAvro",
          AvroIO.write(CohortRecord.class).to(tmp.resolve("cohort/part").toString()).withSuffix(".avro"));
      dead.apply("WriteDeadLetters",
          AvroIO.write(DeadLetter.class).to(tmp.resolve("dead_letters/part").toString()).withSuffix(".avro"));

      PCollectionView<Map<String, Long>> filteredCounts =
          rejected.apply("RuleOf", Keys.create()).apply("CountFiltered", Count.perElement())
              .apply("FilteredView", View.asMap());
      PCollectionView<Map<String, Long>> deadCounts =
          dead.apply("StageOf", MapElements.into(TypeDescriptors.strings()).via(DeadLetter::getStage))
              .apply("CountDead", Count.perElement())
              .apply("DeadView", View.asMap());
      PCollectionView<Long> parsedCount =
          read.kept().apply("CountParsed", Count.globally()).apply("ParsedView", View.asSingleton());
      cohort
          .apply("OneGroup", WithKeys.of("cohort"))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), AvroCoder.specific(CohortRecord.class)))
          .apply("GatherCohort", GroupByKey.create())
          .apply("WriteCsvAndSummary",
              ParDo.of(new WriteFilesFn(tmp.toString(), options.getCsvPrefix(), spec, subsets, ruleOrder,
                      filteredCounts, deadCounts, parsedCount))
                  .withSideInputs(filteredCounts, deadCounts, parsedCount));

      PipelineResult result = p.run();
      result.waitUntilFinish();
      Map<String, Object> summary = readSummary(tmp);
      Map<String, Object> opts = OptionsManifest.of(options, CohortOptions.class);
      opts.put("seed", options.getSplitCsv() == null ? splitSeed(options) : null);
      Map<String, Object> counts = new LinkedHashMap<>();
      for (String k : List.of("image_rows", "kept", "patients", "dead_letters", "filtered", "by_split")) {
        counts.put(k, summary.get(k));
      }
      String done = out.commit(opts, counts);
      LOG.info(String.format("cohort: %s rows read, %s kept (%s patients), %s dead letters, in %.1f s -> %s",
          summary.get("image_rows"), summary.get("kept"), summary.get("patients"),
          summary.get("dead_letters"), (System.nanoTime() - start) / 1e9, done));
      LOG.info("cohort: filtered " + summary.get("filtered"));
      LOG.info("cohort: by split " + summary.get("by_split") + ", by race " + summary.get("by_race"));
      if (!Boolean.TRUE.equals(summary.get("reconciles"))) {
        throw new IllegalStateException("cohort counts do not reconcile: " + summary);
      }
      return result;
    } catch (RuntimeException e) {
      out.abort();
      throw e;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readSummary(Path dir) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .readValue(dir.resolve("summary.json").toFile(), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException("the cohort pipeline finished without writing summary.json", e);
    }
  }

  /** Fails before any work with one message naming the file and what is wrong with it. */
  static void validateInputs(CohortOptions o, CohortSpec spec) {
    requireFile("--trainCsv", o.getTrainCsv());
    requireFile("--demoXlsx", o.getDemoXlsx());
    if (o.getSplitCsv() != null) {
      requireFile("--splitCsv", o.getSplitCsv());
    }
    // Lenient decoding: a non-UTF-8 byte in a row near the top is that row's dead letter, not a failure.
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (CsvReader csv = new CsvReader(new BufferedReader(
        new InputStreamReader(Files.newInputStream(Paths.get(o.getTrainCsv())), decoder)))) {
      CsvReader.Record header = csv.next();
      if (header == null) {
        throw new IllegalArgumentException("--trainCsv " + o.getTrainCsv() + " is empty");
      }
      new ImageRowParser(spec, header.fields());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--trainCsv " + o.getTrainCsv() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("--trainCsv " + o.getTrainCsv() + " cannot be read: " + e.getMessage(), e);
    }
    try {
      List<String> header = ReadDemographicsXlsx.readHeader(new File(o.getDemoXlsx()));
      List<String> missing = ReadDemographicsXlsx.missingColumns(spec, header);
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("--demoXlsx " + o.getDemoXlsx() + ": first sheet lacks column(s) "
            + missing + "; its header is " + header);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("--demoXlsx " + o.getDemoXlsx() + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static void requireFile(String option, String path) {
    if (!Files.isRegularFile(Paths.get(path))) {
      throw new IllegalArgumentException(option + " " + path + ": no such file");
    }
    if (!Files.isReadable(Paths.get(path))) {
      throw new IllegalArgumentException(option + " " + path + ": not readable");
    }
  }


  static List<CohortFiles.Subset> parseSubsets(String s) {
    return Cli.commaList(s).stream().map(CohortFiles.Subset::parse).toList();
  }

  static List<Double> parseFractions(String s) {
    try {
      return Cli.commaList(s).stream().map(Double::parseDouble).toList();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--splitFractions '" + s + "' must be numbers like 0.6,0.1,0.3");
    }
  }

  /** Gathers the cohort on one worker and writes the CSVs and the summary. */
  static final class WriteFilesFn extends DoFn<KV<String, Iterable<CohortRecord>>, Void> {
    private final String dir;
    private final String prefix;
    private final CohortSpec spec;
    private final List<CohortFiles.Subset> subsets;
    private final List<String> ruleOrder;
    private final PCollectionView<Map<String, Long>> filtered;
    private final PCollectionView<Map<String, Long>> dead;
    private final PCollectionView<Long> parsed;

    WriteFilesFn(String dir, String prefix, CohortSpec spec, List<CohortFiles.Subset> subsets,
        List<String> ruleOrder, PCollectionView<Map<String, Long>> filtered,
        PCollectionView<Map<String, Long>> dead, PCollectionView<Long> parsed) {
      this.dir = dir;
      this.prefix = prefix;
      this.spec = spec;
      this.subsets = subsets;
      this.ruleOrder = List.copyOf(ruleOrder);
      this.filtered = filtered;
      this.dead = dead;
      this.parsed = parsed;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<CohortRecord>> all, ProcessContext c) throws IOException {
      List<CohortRecord> ordered = CohortFiles.notebookOrder(all.getValue());
      Path d = Paths.get(dir);
      CohortFiles.writeCsvs(d, prefix, spec, ordered, subsets);
      CohortFiles.writeJson(d.resolve("summary.json"),
          CohortFiles.summary(c.sideInput(parsed), ruleOrder, c.sideInput(filtered), c.sideInput(dead),
              ReadChexpertCsv.STAGE, ordered));
    }
  }

  /** {@code --seed}, or the original's 2021 (used only without {@code --splitCsv}). */
  static long splitSeed(CohortOptions options) {
    return SeedOption.seedOr(options, DEFAULT_SPLIT_SEED);
  }
}
