package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.Cli;
import org.chexaudit.pipelines.stage.AvroFiles;
import org.chexaudit.pipelines.stage.StageOutput;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.pipelines.options.ResampleOptions;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.TrustedSchemas;
import org.chexaudit.transforms.resample.Resample;
import org.chexaudit.core.cohort.CohortSpec;
import org.chexaudit.core.cohort.NotebookCsv;
import org.chexaudit.core.explore.BalancedResampler;
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
 */
public final class ResamplePipeline {
  private static final Logger LOG = LoggerFactory.getLogger(ResamplePipeline.class);
  static final String COMMAND = "resample";

  private ResamplePipeline() {}

  public static void main(String[] args) {
    Cli.run(COMMAND, args, ResampleOptions.class, ResamplePipeline::run);
  }

  public static PipelineResult run(ResampleOptions options) {
    TrustedSchemas.install();
    if (options.getSizeFactor() < 1) {
      throw new IllegalArgumentException("--sizeFactor must be >= 1, got " + options.getSizeFactor());
    }
    String split = options.getSplit();
    Path cohortDir = Paths.get(options.getCohort()).resolve("cohort");
    List<CohortRecord> all = AvroFiles.readAll(cohortDir, CohortRecord.class, "--cohort " + options.getCohort());
    List<CohortRecord> input = CohortFiles.notebookOrder(all).stream()
        .filter(r -> split.equals(r.getSplit())).toList();
    if (input.isEmpty()) {
      throw new IllegalArgumentException("--cohort " + options.getCohort() + " has no records of split '" + split
          + "' (--split)");
    }

    StageOutput out = StageOutput.begin(COMMAND, Paths.get(options.getOutput()), options.getOverwrite())
        .withInput("cohort", cohortDir);
    try {
      long start = System.nanoTime();
      Path tmp = out.tmp();
      Pipeline p = Pipeline.create(options);
      PCollection<CohortRecord> records = p
          .apply("ReadCohort", AvroIO.read(CohortRecord.class).from(cohortDir.resolve("*.avro").toString()))
          .apply("Split_" + split, Filter.by((CohortRecord r) -> split.equals(r.getSplit())));
      records.apply("Resample", Resample.create().withSizeFactor(options.getSizeFactor()).withSeed(seed(options)))
          .get(Resample.RESAMPLED)
          .apply("WriteCohort", AvroIO.write(CohortRecord.class).to(tmp.resolve("cohort/part").toString())
              .withSuffix(".avro"));
      PipelineResult result;
      try {
        result = p.run();
        result.waitUntilFinish();
      } catch (Pipeline.PipelineExecutionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }

      List<CohortRecord> drawn = AvroFiles.readAll(tmp.resolve("cohort"), CohortRecord.class, "resampled cohort");
      PrevalenceTable before = prevalence(input);
      PrevalenceTable after = prevalence(drawn);
      writeCsv(tmp.resolve("chexpert.resample." + CohortFiles.splitFileName(split) + ".csv"),
          CohortFiles.specOf(Paths.get(options.getCohort())), CohortFiles.notebookOrder(all), input, drawn);
      writePrevalence(tmp.resolve("prevalence.csv"), before, after);
      System.out.print(after.format());

      Map<String, Object> opts = OptionsManifest.of(options, ResampleOptions.class);
      opts.put("seed", seed(options));
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.put("input_rows", input.size());
      counts.put("resampled_rows", drawn.size());
      counts.put("distinct_ids", drawn.stream().map(CohortRecord::getId).distinct().count());
      counts.put("by_race_before", countByRace(input));
      counts.put("by_race_after", countByRace(drawn));
      String done = out.commit(opts, counts);
      LOG.info(String.format("resample: %d %s rows -> %d rows in %.1f s -> %s", input.size(), split, drawn.size(),
          (System.nanoTime() - start) / 1e9, done));
      return result;
    } catch (RuntimeException e) {
      out.abort();
      throw e;
    }
  }

  /** Prevalence per race (races by ascending race label, as the notebook prints White, Asian, Black). */
  static PrevalenceTable prevalence(List<CohortRecord> records) {
    List<CohortRecord> sorted = new ArrayList<>(records);
    sorted.sort(Comparator.comparing(CohortRecord::getRaceLabel, Comparator.nullsLast(Comparator.naturalOrder())));
    int n = sorted.size();
    int[] rows = new int[n];
    int[] race = new int[n];
    int[] disease = new int[n];
    Map<Integer, String> raceNames = new TreeMap<>();
    Map<Integer, String> diseaseNames = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      CohortRecord r = sorted.get(i);
      if (r.getRaceLabel() == null) {
        throw new IllegalArgumentException("record " + r.getId() + " has no race_label");
      }
      rows[i] = i;
      race[i] = r.getRaceLabel();
      disease[i] = r.getDiseaseLabel();
      raceNames.putIfAbsent(race[i], r.getRace() == null ? String.valueOf(race[i]) : r.getRace());
      diseaseNames.putIfAbsent(disease[i], r.getDisease());
    }
    return BalancedResampler.prevalence(rows, race, disease, raceNames, diseaseNames);
  }

  private static void writeCsv(Path file, CohortSpec spec, List<CohortRecord> fullSample, List<CohortRecord> input,
      List<CohortRecord> drawn) {
    Map<String, Long> samplePosition = positions(fullSample);
    Map<String, Long> splitPosition = positions(input);
    List<CohortRecord> rows = new ArrayList<>(drawn);
    rows.sort(Comparator.comparing(CohortRecord::getRaceLabel)
        .thenComparing(CohortRecord::getDiseaseLabel)
        .thenComparing(r -> splitPosition.get(r.getId())));
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8); CsvWriter csv = new CsvWriter(w)) {
      csv.writeRow(NotebookCsv.header(spec));
      for (CohortRecord r : rows) {
        List<String> f = new ArrayList<>(NotebookCsv.row(r, samplePosition.get(r.getId())));
        f.set(0, Long.toString(splitPosition.get(r.getId())));
        csv.writeRow(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static Map<String, Long> positions(List<CohortRecord> ordered) {
    Map<String, Long> m = new HashMap<>();
    for (int i = 0; i < ordered.size(); i++) {
      m.putIfAbsent(ordered.get(i).getId(), (long) i);
    }
    return m;
  }

  private static void writePrevalence(Path file, PrevalenceTable before, PrevalenceTable after) {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8); CsvWriter csv = new CsvWriter(w)) {
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

  private static Map<String, Long> countByRace(List<CohortRecord> rows) {
    Map<String, Long> m = new TreeMap<>();
    for (CohortRecord r : rows) {
      m.merge(String.valueOf(r.getRace()), 1L, Long::sum);
    }
    return m;
  }

  /** {@code --seed}, or 42 without it. */
  static long seed(ResampleOptions options) {
    return SeedOption.seedOr(options, 42);
  }
}
