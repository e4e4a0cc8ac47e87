package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.Cli;
import org.chexaudit.pipelines.stage.StageOutput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.transforms.Create;
import org.chexaudit.pipelines.options.ChexclusionCohortOptions;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;
import org.chexaudit.core.chexclusion.AdapterResult;
import org.chexaudit.core.chexclusion.ChexclusionSplit;
import org.chexaudit.core.chexclusion.ChexpertAdapter;
import org.chexaudit.core.chexclusion.DatasetConfig;
import org.chexaudit.core.chexclusion.MimicAdapter;
import org.chexaudit.core.chexclusion.MultiSource;
import org.chexaudit.core.chexclusion.NihAdapter;
import org.chexaudit.core.io.CsvWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.chexaudit.pipelines.options.Dataset;
import org.chexaudit.pipelines.options.SeedOption;
import org.chexaudit.pipelines.stage.OptionsManifest;

/**
 * The {@code chexclusion-cohort} command: reads CheXpert, MIMIC-CXR or ChestX-ray14 files (or all
 * three) with CheXclusion's adapters, splits each dataset 80/10/10 by patient, and writes
 * {@code cohort/*.avro}, {@code dead_letters/*.avro}, {@code labels.txt}, {@code groups.csv} (id and
 * attributes, for {@code chexclusion-eval --groupsFile}) and {@code summary.json}
 * (counts per split, source and attribute value).
 */
public final class ChexclusionCohortPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(ChexclusionCohortPipeline.class);
  static final String COMMAND = "chexclusion-cohort";

  /** Seed of the 80/10/10 split without {@code --seed}. */
  static final long DEFAULT_SEED = 42;

  private ChexclusionCohortPipeline() {}

  public static void main(String[] args) {
    Cli.run(COMMAND, args, ChexclusionCohortOptions.class, ChexclusionCohortPipeline::run);
  }

  /** One dataset's records (split) and dead letters, with its label list. */
  private record Source(String name, List<String> labels, List<CohortRecord> records, List<DeadLetter> dead) {}

  public static PipelineResult run(ChexclusionCohortOptions options) {
    Dataset dataset = options.getDataset();
    long seed = SeedOption.seedOr(options, DEFAULT_SEED);
    DatasetConfig config = DatasetConfig.load();
    List<Source> sources = new ArrayList<>();
    StageOutput out = StageOutput.begin(COMMAND, Paths.get(options.getOutput()), options.getOverwrite());
    try {
      boolean all = dataset == Dataset.all;
      if (all || dataset == Dataset.cxp) {
        Path dir = Paths.get(required(options.getChexpertDir(), "--chexpertDir"));
        List<Path> csvs = List.of(dir.resolve("train.csv"), dir.resolve("valid.csv"));
        sources.add(source("CXP", config.labels("cxp"), ChexpertAdapter.create().read(csvs), seed));
        csvs.forEach(f -> out.withInput("chexpert/" + f.getFileName(), f));
      }
      if (all || dataset == Dataset.mimic) {
        Path labels = Paths.get(required(options.getMimicLabels(), "--mimicLabels"));
        Path meta = Paths.get(required(options.getMimicMetadata(), "--mimicMetadata"));
        sources.add(source("MIMIC", config.labels("mimic"), MimicAdapter.create().read(labels, meta), seed));
        out.withInput("mimicLabels", labels).withInput("mimicMetadata", meta);
      }
      if (all || dataset == Dataset.nih) {
        Path entry = Paths.get(required(options.getNihDataEntry(), "--nihDataEntry"));
        List<String> nihLabels = new ArrayList<>(config.labels("nih"));
        if (all) {
          nihLabels.add("No Finding"); // the union's labels include it; NIH writes it in Finding Labels
        }
        sources.add(source("NIH", nihLabels, NihAdapter.create().withLabels(nihLabels).read(entry), seed));
        out.withInput("nihDataEntry", entry);
      }
      List<String> labels;
      List<CohortRecord> records;
      if (all) {
        MultiSource union = MultiSource.chexclusion();
        sources.forEach(s -> union.add(s.name(), s.labels(), s.records()));
        labels = union.labels();
        records = union.records();
      } else {
        labels = sources.get(0).labels();
        records = sources.get(0).records();
      }
      List<DeadLetter> dead = new ArrayList<>();
      sources.forEach(s -> dead.addAll(s.dead()));

      Path tmp = out.tmp();
      Pipeline p = Pipeline.create(options);
      p.apply("Cohort", Create.of(records).withCoder(AvroCoder.of(CohortRecord.class)))
          .apply("WriteCohortAvro", AvroIO.write(CohortRecord.class).to(tmp.resolve("cohort/part").toString())
              .withSuffix(".avro"));
      p.apply("DeadLetters", Create.of(dead).withCoder(AvroCoder.of(DeadLetter.class)))
          .apply("WriteDeadLetters", AvroIO.write(DeadLetter.class).to(tmp.resolve("dead_letters/part").toString())
              .withSuffix(".avro"));
      PipelineResult result = p.run();
      result.waitUntilFinish();

      java.nio.file.Files.write(tmp.resolve("labels.txt"), labels);
      writeGroups(tmp.resolve("groups.csv"), records);
      Map<String, Object> summary = summary(records, dead.size());
      CohortFiles.writeJson(tmp.resolve("summary.json"), summary);
      Map<String, Object> opts = OptionsManifest.of(options, ChexclusionCohortOptions.class);
      opts.put("seed", seed);
      opts.put("splitFractions", config.splitFractions());
      opts.put("labels", labels);
      String done = out.commit(opts, Map.of("images", records.size(), "dead_letters", dead.size()));
      LOG.info(String.format("chexclusion-cohort: %s, %d images, %d dead letters, by split %s -> %s", dataset,
          records.size(), dead.size(), summary.get("by_split"), done));
      return result;
    } catch (IOException e) {
      out.abort();
      throw new UncheckedIOException("cannot write " + options.getOutput() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      out.abort();
      throw e;
    }
  }

  /** {@code groups.csv}: id and every attribute (blank when missing), the --groupsFile of chexclusion-eval. */
  private static void writeGroups(Path file, List<CohortRecord> records) throws IOException {
    java.util.SortedSet<String> keys = new java.util.TreeSet<>();
    records.forEach(r -> r.getAttributes().keySet().forEach(k -> keys.add(k.toString())));
    try (CsvWriter w = new CsvWriter(java.nio.file.Files.newBufferedWriter(file))) {
      List<String> header = new ArrayList<>(List.of("id"));
      header.addAll(keys);
      w.writeRow(header);
      for (CohortRecord r : records) {
        List<String> row = new ArrayList<>(List.of(r.getId().toString()));
        for (String k : keys) {
          Object v = r.getAttributes().get(k);
          row.add(v == null ? "" : v.toString());
        }
        w.writeRow(row);
      }
    }
  }

  private static Source source(String name, List<String> labels, AdapterResult read, long seed) {
    return new Source(name, labels, ChexclusionSplit.assign(read.records(), seed), read.deadLetters());
  }

  private static String required(String value, String option) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(option + " is required for this --dataset");
    }
    return value;
  }

  private static Map<String, Object> summary(List<CohortRecord> records, int dead) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("images", records.size());
    s.put("patients", records.stream().map(CohortRecord::getPatientId).distinct().count());
    s.put("dead_letters", dead);
    Map<String, Long> bySplit = new TreeMap<>();
    Map<String, Map<String, Long>> byAttribute = new TreeMap<>();
    for (CohortRecord r : records) {
      bySplit.merge(String.valueOf(r.getSplit()), 1L, Long::sum);
      r.getAttributes().forEach((k, v) ->
          byAttribute.computeIfAbsent(k.toString(), x -> new TreeMap<>()).merge(v.toString(), 1L, Long::sum));
    }
    s.put("by_split", bySplit);
    s.put("by_attribute", byAttribute);
    return s;
  }
}
