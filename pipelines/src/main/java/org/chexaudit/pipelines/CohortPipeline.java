package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.Cli;
import org.chexaudit.pipelines.stage.StageOutput;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
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
import org.chexaudit.transforms.grouping.CountInBundles;
import org.chexaudit.transforms.io.Resources;
import org.chexaudit.core.cohort.ImageRowParser;
import org.chexaudit.core.io.CsvFile;
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
 *
 * <p>Every path may be on any Beam file system. No row passes through the client: the cohort's Avro parts and
 * the CSVs' sorted parts are written by {@link CohortParts}, the CSVs concatenated by streaming; the counts are summed in the
 * pipeline and read back as a small file.
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

  /** Where the parts of the notebook CSVs and the counts go while the pipeline runs; removed before commit. */
  static final String WORK_DIR = "_parts";

  /** Validates the inputs, runs the pipeline, and commits the output. */
  public static PipelineResult run(CohortOptions options) {
    TrustedSchemas.install();
    if (options.getDemoXlsx() == null) { // shared with audit, where it is optional, so not @Validation.Required
      throw new IllegalArgumentException("--demoXlsx is required");
    }
    CohortSpec spec = options.getCohortConfig() == null
        ? CohortSpec.chexpert()
        : CohortFiles.loadSpec(options.getCohortConfig());
    String trainCsv = Resources.absolute(options.getTrainCsv());
    String demoXlsx = Resources.absolute(options.getDemoXlsx());
    String splitCsv = options.getSplitCsv() == null ? null : Resources.absolute(options.getSplitCsv());
    validateInputs(trainCsv, demoXlsx, splitCsv, spec);
    List<CohortFiles.Subset> subsets = parseSubsets(options.getSubsets());
    List<Double> fractions = parseFractions(options.getSplitFractions());
    List<String> stratifyBy = Cli.commaList(options.getStratifyBy());

    StageOutput out = StageOutput.begin(COMMAND, options.getOutput(), options.getOverwrite())
        .withInput("trainCsv", trainCsv)
        .withInput("demoXlsx", demoXlsx);
    if (splitCsv != null) {
      out.withInput("splitCsv", splitCsv);
    }
    try {
      long start = System.nanoTime();
      Pipeline p = Pipeline.create(options);
      List<String> ruleOrder = new ArrayList<>();
      Map<String, Filtered> steps = new LinkedHashMap<>(); // by step name

      PCollectionTuple demo =
          p.apply("ReadDemographics", ReadDemographicsXlsx.from(demoXlsx).withSpec(spec));
      PCollection<PatientDemographics> patients = demo.get(ReadDemographicsXlsx.PATIENTS);
      PCollectionView<Map<String, Iterable<PatientDemographics>>> sheet =
          patients.apply("SheetView", JoinDemographics.sheetView());
      ReadChexpertCsv readCsv = ReadChexpertCsv.from(trainCsv).withSpec(spec);
      // On the Direct runner the images are parsed once the sheet is ready (records waiting for it in the join
      // would be gone over again and again while the workbook is read), and not reshuffled (its reshuffle costs
      // more per row than its second worker gains); a cluster parses while the sheet is read, and spreads.
      readCsv = DirectRunner.class.equals(options.getRunner())
          ? readCsv.withoutSpread().waitingFor(sheet)
          : readCsv.withSpreadBuckets(ReadChexpertCsv.DEFAULT_SPREAD_BUCKETS);
      Filtered read = p.apply("ReadImages", readCsv);
      steps.put("ReadImages", read);
      PCollection<CohortRecord> images = read.kept();
      if (splitCsv != null) {
        Filtered split = images.apply("JoinSplitFile", JoinSplitFile.from(splitCsv));
        ruleOrder.add(JoinSplitFile.NOT_IN_SPLIT);
        steps.put("JoinSplitFile", split);
        images = split.kept();
      }
      Filtered joined = images.apply("JoinDemographics", JoinDemographics.withSheet(sheet));
      ruleOrder.addAll(List.of(JoinDemographics.NO_DEMOGRAPHICS, JoinDemographics.CONFLICTING));
      // the race mapping and the filters in one step: a step each costs the Direct runner per record
      FilterCohort filters = FilterCohort.of(MapRace.with(spec.raceMapping).asRule()).then(FilterCohort.from(spec));
      Filtered filtered = joined.then("MapRaceAndFilter", filters);
      ruleOrder.addAll(filters.ruleNames());
      steps.put("JoinDemographics", joined);
      steps.put("MapRaceAndFilter", filtered);

      PCollection<CohortRecord> cohort = filtered.kept();

      // counted where they are made, in one step each: every step a record passes costs the Direct runner
      // a fixed amount per record (issue 15)
      List<PCollection<DeadLetter>> deadLists = new ArrayList<>();
      PCollectionList<KV<List<String>, Long>> partialCounts = PCollectionList.empty(p);
      for (Map.Entry<String, Filtered> step : steps.entrySet()) {
        deadLists.add(step.getValue().deadLetters());
        partialCounts = partialCounts.and(step.getValue().rejected().apply("Count" + step.getKey() + "Rejected",
            CountInBundles.by(countKey(CohortCounts.FILTERED, KV::getKey), COUNT_KEY_CODER)));
      }
      deadLists.add(demo.get(ReadDemographicsXlsx.DEAD));
      PCollection<DeadLetter> dead = PCollectionList.of(deadLists).apply("AllDeadLetters", Flatten.pCollections());

      dead.apply("WriteDeadLetters",
          AvroIO.write(DeadLetter.class).to(out.prefix("dead_letters/part")).withSuffix(".avro"));

      ResourceId work = Resources.dir(out.dir(), WORK_DIR);
      String avroPrefix = out.prefix("cohort/part");
      CohortParts parts = CohortParts.to(avroPrefix, Resources.path(Resources.dir(work, "csv")),
          options.getCsvPrefix(), spec, subsets);
      if (splitCsv == null) {
        // the split is set as the parts are written: a pass of its own waits for the whole assignment
        parts = parts.withSplits(cohort.apply("PatientSplit", PatientSplit.of(spec.splitNames, fractions)
            .withSeed(splitSeed(options)).withStratifyBy(stratifyBy).asView()));
      }
      partialCounts = partialCounts
          .and(cohort.apply("WriteCohortParts", parts))
          .and(dead.apply("CountDeadLetters",
              CountInBundles.by(countKey(CohortCounts.DEAD, DeadLetter::getStage), COUNT_KEY_CODER)))
          .and(read.kept().apply("CountParsed",
              CountInBundles.by(countKey(CohortCounts.PARSED, r -> null), COUNT_KEY_CODER)));
      partialCounts.apply("Counts", CohortCounts.writeTo(work));

      PipelineResult result = p.run();
      result.waitUntilFinish();

      CohortCounts counts = CohortCounts.readFrom(work);
      Map<String, Object> summary = CohortFiles.summary(counts, ruleOrder, ReadChexpertCsv.STAGE);
      if (((Number) summary.get("kept")).longValue() == 0) {
        CohortParts.writeEmptyAvro(avroPrefix);
      }
      List<String> splits = counts.under("by_split").keySet().stream().filter(x -> !x.equals("null")).toList();
      CohortFiles.concatenate(out.dir(), Resources.dir(work, "csv"), spec,
          CohortFiles.notebookFiles(options.getCsvPrefix(), splits, subsets));
      CohortFiles.writeJson(out.file("summary.json"), summary);
      Resources.deleteTree(work);

      Map<String, Object> opts = OptionsManifest.of(options, CohortOptions.class);
      opts.put("seed", splitCsv == null ? splitSeed(options) : null);
      Map<String, Object> manifestCounts = new LinkedHashMap<>();
      for (String k : List.of("image_rows", "kept", "patients", "dead_letters", "filtered", "by_split")) {
        manifestCounts.put(k, summary.get(k));
      }
      String done = out.commit(opts, manifestCounts);
      Map<?, ?> deadByStage = (Map<?, ?>) summary.get("dead_letters");
      long deadLetters = deadByStage.values().stream().mapToLong(n -> ((Number) n).longValue()).sum();
      LOG.info(String.format("cohort: %s rows read, %s kept (%s patients), %d dead letters%s, in %.1f s -> %s",
          summary.get("image_rows"), summary.get("kept"), summary.get("patients"), deadLetters,
          deadLetters == 0 ? "" : " " + deadByStage, (System.nanoTime() - start) / 1e9, done));
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

  /** Keys of {@link CohortCounts}: their coder. */
  private static final Coder<List<String>> COUNT_KEY_CODER = ListCoder.of(StringUtf8Coder.of());

  /** An element's {@link CohortCounts} key: {@code group}, then the name {@code name} gives it (none when null). */
  private static <T> SerializableFunction<T, List<String>> countKey(String group, SerializableFunction<T, String> name) {
    return element -> {
      String n = name.apply(element);
      return n == null ? List.of(group) : List.of(group, n);
    };
  }

  /** Fails before any work with one message naming the file and what is wrong with it. */
  static void validateInputs(String trainCsv, String demoXlsx, String splitCsv, CohortSpec spec) {
    Resources.requireFile("--trainCsv", trainCsv);
    Resources.requireFile("--demoXlsx", demoXlsx);
    if (splitCsv != null) {
      Resources.requireFile("--splitCsv", splitCsv);
    }
    try (CsvFile csv = CsvFile.open(Resources.csv(trainCsv))) {
      new ImageRowParser(spec, csv.header());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--trainCsv " + trainCsv + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("--trainCsv " + trainCsv + " cannot be read: " + e.getMessage(), e);
    }
    try {
      List<String> header = ReadDemographicsXlsx.readHeader(demoXlsx);
      List<String> missing = ReadDemographicsXlsx.missingColumns(spec, header);
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("--demoXlsx " + demoXlsx + ": first sheet lacks column(s) "
            + missing + "; its header is " + header);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("--demoXlsx " + demoXlsx + " cannot be read: " + e.getMessage(), e);
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

  /** {@code --seed}, or the original's 2021 (used only without {@code --splitCsv}). */
  static long splitSeed(CohortOptions options) {
    return SeedOption.seedOr(options, DEFAULT_SPLIT_SEED);
  }
}
