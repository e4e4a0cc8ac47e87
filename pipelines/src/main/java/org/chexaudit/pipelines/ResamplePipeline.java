package org.chexaudit.pipelines;

import org.chexaudit.pipelines.stage.PipelineRuns;
import org.chexaudit.pipelines.cli.Cli;
import org.chexaudit.pipelines.stage.StageOutput;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.pipelines.options.ResampleOptions;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.TrustedSchemas;
import org.chexaudit.transforms.io.Resources;
import org.chexaudit.transforms.resample.Resample;
import org.chexaudit.core.cohort.CohortSpec;
import org.chexaudit.core.explore.PrevalenceTable;
import org.chexaudit.core.io.CsvWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.chexaudit.pipelines.stage.OptionsManifest;
import org.chexaudit.pipelines.options.SeedOption;

/**
 * The {@code resample} command (seeds-spec A4): the race-, prevalence- and age-balanced resampling of
 * one split of a cohort stage output, with the {@link Resample} transform. Writes
 * {@code cohort/*.avro} (the drawn {@link CohortRecord}s, original ids, duplicates kept, so the folder
 * is a cohort for {@code preprocess}), {@code chexpert.resample.<split>.csv} in the notebook layout,
 * {@code prevalence.csv} (disease prevalence per race before and after) and prints the prevalence
 * table as the notebook does.
 *
 * <p>CSV: the unnamed index column is the row's position in {@code chexpert.sample.<split>.csv} (the
 * notebook's index after its {@code read_csv}), {@code Unnamed: 0} its position in the full sample.
 * The notebook concatenates races and diseases in first-appearance order with rows in draw order;
 * here rows are ordered by race label, disease label and index so the file does not depend on the
 * runner.
 *
 * <p>Every path may be on any Beam file system, and no record passes through the client: positions are
 * ranked and the CSV written as sorted parts in the pipeline ({@link NotebookPositions},
 * {@link ResampleCsvParts}), then concatenated by streaming; the prevalence tables come from counts per
 * race and disease summed in the pipeline ({@link Prevalence}). The draw itself gathers one small
 * record (row index, id, race, disease, age) per record of the split on one worker (see {@link Resample}).
 */
public final class ResamplePipeline {
  private static final Logger LOG = LoggerFactory.getLogger(ResamplePipeline.class);
  static final String COMMAND = "resample";

  private ResamplePipeline() {}

  public static void main(String[] args) {
    Cli.run(COMMAND, args, ResampleOptions.class, ResamplePipeline::run);
  }

  /** Where the CSV's parts and the counts go while the pipeline runs; removed before commit. */
  static final String WORK_DIR = "_parts";

  public static PipelineResult run(ResampleOptions options) {
    TrustedSchemas.install();
    if (options.getSizeFactor() < 1) {
      throw new IllegalArgumentException("--sizeFactor must be >= 1, got " + options.getSizeFactor());
    }
    String split = options.getSplit();
    String cohortStage = Resources.absolute(options.getCohort());
    ResourceId cohortDir = Resources.dir(Resources.dir(cohortStage), "cohort");
    if (Resources.list(cohortDir, "*.avro").isEmpty()) {
      throw new IllegalArgumentException("--cohort " + options.getCohort() + ": no cohort/*.avro files in "
          + Resources.path(cohortDir));
    }
    CohortSpec spec = CohortFiles.specOf(cohortStage);
    String csvName = "chexpert.resample." + CohortFiles.splitFileName(split) + ".csv";

    StageOutput out = StageOutput.begin(COMMAND, options.getOutput(), options.getOverwrite())
        .withInput("cohort", Resources.path(cohortDir));
    try {
      long start = System.nanoTime();
      ResourceId work = Resources.dir(out.dir(), WORK_DIR);
      Pipeline p = Pipeline.create(options);
      PCollection<CohortRecord> all = p.apply("ReadCohort",
          AvroIO.read(CohortRecord.class).from(Resources.matchSpec(Resources.path(cohortDir) + "/*.avro")));
      PCollection<CohortRecord> records = all
          .apply("Split_" + split, Filter.by((CohortRecord r) -> split.equals(r.getSplit())));
      PCollection<CohortRecord> drawn = records
          .apply("Resample", Resample.create().withSizeFactor(options.getSizeFactor()).withSeed(seed(options)))
          .get(Resample.RESAMPLED);
      drawn.apply("WriteCohort", AvroIO.write(CohortRecord.class).to(out.prefix("cohort/part")).withSuffix(".avro"));

      PCollection<KV<Long, KV<String, KV<Long, Long>>>> positions =
          all.apply("Positions", NotebookPositions.ofSplit(split));
      PCollection<KV<Long, CohortRecord>> drawnByRow = drawn
          .apply("DrawnByRowBucket", WithKeys.of((CohortRecord r) -> Resample.rowBucket(r.getRowIndex()))
              .withKeyType(TypeDescriptors.longs()))
          .setCoder(KvCoder.of(VarLongCoder.of(), AvroCoder.specific(CohortRecord.class)));
      PCollection<KV<List<String>, Long>> distinct = KeyedPCollectionTuple.of(POSITION, positions)
          .and(DRAWN, drawnByRow)
          .apply("JoinPositions", CoGroupByKey.create())
          .apply("CsvParts", ResampleCsvParts.to(Resources.path(Resources.dir(work, "csv")), csvName, POSITION, DRAWN));
      PCollection<KV<List<String>, Long>> strata = PCollectionList
          .of(records.apply("StrataBefore", MapElements.via(new StratumKey("before"))))
          .and(drawn.apply("StrataAfter", MapElements.via(new StratumKey("after"))))
          .apply("AllStrata", Flatten.pCollections())
          .setCoder(KvCoder.of(ListCoder.of(StringUtf8Coder.of()), VarLongCoder.of()));
      PCollectionList.of(strata).and(distinct)
          .apply("Counts", CohortCounts.writeTo(work));
      PipelineResult result = PipelineRuns.runToEnd(p);

      CohortCounts counts = CohortCounts.readFrom(work);
      PrevalenceTable before = Prevalence.table(counts, "before");
      if (before == null) {
        throw new IllegalArgumentException("--cohort " + options.getCohort() + " has no records of split '" + split
            + "' (--split)");
      }
      PrevalenceTable after = Prevalence.table(counts, "after");
      CohortFiles.concatenate(out.dir(), Resources.dir(work, "csv"), spec, List.of(csvName));
      writePrevalence(out.file("prevalence.csv"), before, after);
      Resources.deleteTree(work);
      System.out.print(after.format());

      Map<String, Object> opts = OptionsManifest.of(options, ResampleOptions.class);
      opts.put("seed", seed(options));
      long inputRows = Prevalence.rows(counts, "before");
      long drawnRows = Prevalence.rows(counts, "after");
      Map<String, Object> manifestCounts = new LinkedHashMap<>();
      manifestCounts.put("input_rows", inputRows);
      manifestCounts.put("resampled_rows", drawnRows);
      manifestCounts.put("distinct_ids", counts.get(ResampleCsvParts.DISTINCT));
      manifestCounts.put("by_race_before", Prevalence.byRace(counts, "before"));
      manifestCounts.put("by_race_after", Prevalence.byRace(counts, "after"));
      String done = out.commit(opts, manifestCounts);
      LOG.info(String.format("resample: %d %s rows -> %d rows in %.1f s -> %s", inputRows, split, drawnRows,
          (System.nanoTime() - start) / 1e9, done));
      return result;
    } catch (RuntimeException e) {
      out.abort();
      throw e;
    }
  }

  private static final TupleTag<KV<String, KV<Long, Long>>> POSITION = new TupleTag<>("ResamplePipeline.POSITION") {};
  private static final TupleTag<CohortRecord> DRAWN = new TupleTag<>("ResamplePipeline.DRAWN") {};

  /** A record's {@link Prevalence} key under {@code sample}, counted once. */
  private static final class StratumKey extends SimpleFunction<CohortRecord, KV<List<String>, Long>> {
    private final String sample;

    StratumKey(String sample) {
      this.sample = sample;
    }

    @Override
    public KV<List<String>, Long> apply(CohortRecord r) {
      return KV.of(Prevalence.key(sample, r), 1L);
    }
  }

  private static void writePrevalence(ResourceId file, PrevalenceTable before, PrevalenceTable after) {
    try (CsvWriter csv = new CsvWriter(new OutputStreamWriter(Resources.create(file), StandardCharsets.UTF_8))) {
      List<String> header = new ArrayList<>(List.of("sample", "race"));
      header.addAll(after.diseases());
      csv.writeRow(header);
      for (Map.Entry<String, PrevalenceTable> e : Map.of("before", before, "after", after).entrySet().stream()
          .sorted(Map.Entry.comparingByKey(Comparator.reverseOrder())).toList()) {
        PrevalenceTable t = e.getValue();
        for (String race : t.races()) {
          List<String> row = new ArrayList<>(List.of(e.getKey(), race));
          for (String d : after.diseases()) {
            row.add(t.diseases().contains(d) ? String.format(Locale.ROOT, "%s", t.fraction(race, d)) : "0.0");
          }
          csv.writeRow(row);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** {@code --seed}, or 42 without it. */
  static long seed(ResampleOptions options) {
    return SeedOption.seedOr(options, 42);
  }
}
