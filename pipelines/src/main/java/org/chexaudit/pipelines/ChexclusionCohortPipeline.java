package org.chexaudit.pipelines;

import org.chexaudit.pipelines.stage.PipelineRuns;
import org.chexaudit.pipelines.cli.Cli;
import org.chexaudit.pipelines.stage.StageOutput;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.transforms.grouping.LiftedCount;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.pipelines.options.ChexclusionCohortOptions;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;
import org.chexaudit.schemas.TrustedSchemas;
import org.chexaudit.core.chexclusion.ChexpertAdapter;
import org.chexaudit.core.io.CsvSource;
import org.chexaudit.core.chexclusion.DatasetConfig;
import org.chexaudit.core.chexclusion.MimicAdapter;
import org.chexaudit.core.chexclusion.MultiSource;
import org.chexaudit.core.chexclusion.NihAdapter;
import org.chexaudit.transforms.cohort.PatientSplit;
import org.chexaudit.transforms.cohort.ReadChexclusionSource;
import org.chexaudit.transforms.cohort.ReadChexpertCsv;
import org.chexaudit.transforms.io.Resources;
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
 *
 * <p>Built from transforms: each dataset is read by its adapter row by row on a worker
 * ({@link ReadChexclusionSource}), split 80/10/10 by patient ({@link PatientSplit}), mapped into the union
 * per record for {@code --dataset=all}; {@code groups.csv} is written as sorted parts and concatenated by
 * streaming, the summary comes from counts summed in the pipeline. Every path may be on any Beam file
 * system; no record passes through the client.
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

  /** Where the parts of groups.csv and the counts go while the pipeline runs; removed before commit. */
  static final String WORK_DIR = "_parts";
  static final String GROUPS_CSV = "groups.csv";

  /** One dataset to read: its name (the {@code source} attribute), labels and reader. */
  private record Source(String name, List<String> labels, ReadChexclusionSource read) {}

  public static PipelineResult run(ChexclusionCohortOptions options) {
    TrustedSchemas.install();
    Dataset dataset = options.getDataset();
    long seed = SeedOption.seedOr(options, DEFAULT_SEED);
    DatasetConfig config = DatasetConfig.load();
    boolean all = dataset == Dataset.all;
    List<Source> sources = new ArrayList<>();
    Map<String, String> inputs = new LinkedHashMap<>();
    if (all || dataset == Dataset.cxp) {
      String dir = Resources.absolute(required(options.getChexpertDir(), "--chexpertDir"));
      List<String> csvs = new ArrayList<>();
      for (String name : List.of("train.csv", "valid.csv")) {
        String csv = Resources.path(Resources.file(Resources.dir(dir), name));
        csvs.add(csv);
        inputs.put("chexpert/" + name, csv);
      }
      ChexpertAdapter.create().check(csvs.stream().map(ChexclusionCohortPipeline::existing).toList());
      sources.add(new Source("CXP", config.labels("cxp"), ReadChexclusionSource.chexpert(csvs)));
    }
    if (all || dataset == Dataset.mimic) {
      String labels = Resources.absolute(required(options.getMimicLabels(), "--mimicLabels"));
      String meta = Resources.absolute(required(options.getMimicMetadata(), "--mimicMetadata"));
      MimicAdapter.create().check(existing(labels), existing(meta));
      inputs.put("mimicLabels", labels);
      inputs.put("mimicMetadata", meta);
      sources.add(new Source("MIMIC", config.labels("mimic"), ReadChexclusionSource.mimic(labels, meta)));
    }
    if (all || dataset == Dataset.nih) {
      String entry = Resources.absolute(required(options.getNihDataEntry(), "--nihDataEntry"));
      List<String> nihLabels = new ArrayList<>(config.labels("nih"));
      if (all) {
        nihLabels.add("No Finding"); // the union's labels include it; NIH writes it in Finding Labels
      }
      NihAdapter.create().check(existing(entry));
      inputs.put("nihDataEntry", entry);
      sources.add(new Source("NIH", nihLabels, ReadChexclusionSource.nih(entry, nihLabels)));
    }
    MultiSource union = MultiSource.chexclusion();
    List<String> labels = all ? union.labels() : sources.get(0).labels();

    StageOutput out = StageOutput.begin(COMMAND, options.getOutput(), options.getOverwrite());
    inputs.forEach(out::withInput);
    try {
      ResourceId work = Resources.dir(out.dir(), WORK_DIR);
      Pipeline p = Pipeline.create(options);
      // The Direct runner's reshuffle costs more per row than its second worker gains (issue 15).
      int spread = DirectRunner.class.equals(options.getRunner()) ? 0 : ReadChexpertCsv.DEFAULT_SPREAD_BUCKETS;
      List<PCollection<CohortRecord>> recordLists = new ArrayList<>();
      List<PCollection<DeadLetter>> deadLists = new ArrayList<>();
      for (Source s : sources) {
        PCollectionTuple read = p.apply("Read" + s.name(), s.read().withSpreadBuckets(spread));
        PCollection<CohortRecord> split = read.get(ReadChexclusionSource.RECORDS).apply("Split" + s.name(),
            PatientSplit.of(config.list("split.names"), config.splitFractions()).withSeed(seed));
        if (all) {
          split = split.apply("Union" + s.name(),
              ParDo.of(new ToUnionFn(s.name(), s.labels(), union.labels(), union.aliases())))
              .setCoder(AvroCoder.specific(CohortRecord.class));
        }
        recordLists.add(split);
        deadLists.add(read.get(ReadChexclusionSource.DEAD));
      }
      PCollection<CohortRecord> records = PCollectionList.of(recordLists).apply("AllRecords", Flatten.pCollections());
      PCollection<DeadLetter> dead = PCollectionList.of(deadLists).apply("AllDeadLetters", Flatten.pCollections());
      records.apply("WriteCohortAvro", AvroIO.write(CohortRecord.class).to(out.prefix("cohort/part"))
          .withSuffix(".avro"));
      dead.apply("WriteDeadLetters", AvroIO.write(DeadLetter.class).to(out.prefix("dead_letters/part"))
          .withSuffix(".avro"));
      records.apply("WriteGroupsParts", GroupsCsvParts.to(Resources.path(Resources.dir(work, "csv")), GROUPS_CSV,
          sources.stream().map(Source::name).toList()));

      PCollection<KV<List<String>, Long>> perRecord = records.apply("CountKeys",
          FlatMapElements.into(TypeDescriptors.kvs(TypeDescriptors.lists(TypeDescriptors.strings()),
              TypeDescriptors.longs())).via(ChexclusionCohortPipeline::countKeys));
      // distinct patients per hash bucket, summed: few keys (the Direct runner makes a bundle per key)
      PCollection<KV<List<String>, Long>> patients = records
          .apply("PatientIds", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.integers(),
              TypeDescriptors.strings())).via(r -> KV.of(Math.floorMod(r.getPatientId().hashCode(), PATIENT_BUCKETS),
                  r.getPatientId().toString())))
          .apply("PatientBuckets", GroupByKey.create())
          .apply("DistinctPatients", MapElements.into(TypeDescriptors.kvs(
              TypeDescriptors.lists(TypeDescriptors.strings()), TypeDescriptors.longs()))
              .via(kv -> KV.of(List.of("patients"), (long) new HashSet<>(toList(kv.getValue())).size())));
      PCollection<KV<List<String>, Long>> deadCount = dead
          .apply("CountDead", LiftedCount.globally())
          .apply("DeadKey", MapElements.via(new Keyed("dead_letters")));
      PCollectionList.of(perRecord).and(patients).and(deadCount)
          .apply("Counts", CohortCounts.writeTo(work));
      PipelineResult result = PipelineRuns.runToEnd(p);

      CohortCounts counts = CohortCounts.readFrom(work);
      Map<String, Object> summary = summary(counts);
      List<String> header = new ArrayList<>(List.of("id"));
      header.addAll(counts.under("by_attribute").keySet());
      CohortFiles.concatenate(out.dir(), Resources.dir(work, "csv"), header, List.of(GROUPS_CSV));
      Resources.writeString(out.file("labels.txt"), labels.stream().map(l -> l + "\n").collect(Collectors.joining()));
      CohortFiles.writeJson(out.file("summary.json"), summary);
      Resources.deleteTree(work);
      Map<String, Object> opts = OptionsManifest.of(options, ChexclusionCohortOptions.class);
      opts.put("seed", seed);
      opts.put("splitFractions", config.splitFractions());
      opts.put("labels", labels);
      Map<String, Object> manifestCounts = new LinkedHashMap<>();
      manifestCounts.put("images", summary.get("images"));
      manifestCounts.put("dead_letters", summary.get("dead_letters"));
      String done = out.commit(opts, manifestCounts);
      LOG.info(String.format("chexclusion-cohort: %s, %s images, %s dead letters, by split %s -> %s", dataset,
          summary.get("images"), summary.get("dead_letters"), summary.get("by_split"), done));
      return result;
    } catch (RuntimeException e) {
      out.abort();
      throw e;
    }
  }

  /** A file that must exist, as an adapter's source; fails naming it as the adapters do. */
  private static CsvSource existing(String path) {
    if (!Resources.exists(Resources.file(path))) {
      throw new IllegalArgumentException("file not found: " + path);
    }
    return Resources.csv(path);
  }

  /** A record's counts: one image, its split, each attribute value. */
  private static List<KV<List<String>, Long>> countKeys(CohortRecord r) {
    List<KV<List<String>, Long>> keys = new ArrayList<>();
    keys.add(KV.of(List.of("images"), 1L));
    keys.add(KV.of(List.of("by_split", String.valueOf(r.getSplit())), 1L));
    r.getAttributes().forEach((k, v) -> keys.add(KV.of(List.of("by_attribute", k.toString(), v.toString()), 1L)));
    return keys;
  }

  private static final int PATIENT_BUCKETS = 64;

  private static List<String> toList(Iterable<String> values) {
    List<String> out = new ArrayList<>();
    values.forEach(out::add);
    return out;
  }

  /** A count under one name. */
  private static final class Keyed extends SimpleFunction<Long, KV<List<String>, Long>> {
    private final String name;

    Keyed(String name) {
      this.name = name;
    }

    @Override
    public KV<List<String>, Long> apply(Long n) {
      return KV.of(List.of(name), n);
    }
  }

  /** One source's record as a record of CheXclusion's union (see {@link MultiSource}). */
  private static final class ToUnionFn extends DoFn<CohortRecord, CohortRecord> {
    private final String source;
    private final List<String> sourceLabels;
    private final List<String> unionLabels;
    private final Map<String, String> aliases;
    private transient MultiSource union;

    ToUnionFn(String source, List<String> sourceLabels, List<String> unionLabels, Map<String, String> aliases) {
      this.source = source;
      this.sourceLabels = List.copyOf(sourceLabels);
      this.unionLabels = List.copyOf(unionLabels);
      this.aliases = Map.copyOf(aliases);
    }

    @Setup
    public void setup() {
      union = MultiSource.of(unionLabels, aliases);
    }

    @ProcessElement
    public void process(@Element CohortRecord r, OutputReceiver<CohortRecord> out) {
      out.output(union.toUnion(source, sourceLabels, r));
    }
  }

  private static String required(String value, String option) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(option + " is required for this --dataset");
    }
    return value;
  }

  private static Map<String, Object> summary(CohortCounts counts) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("images", counts.get("images"));
    s.put("patients", counts.get("patients"));
    s.put("dead_letters", counts.get("dead_letters"));
    s.put("by_split", counts.under("by_split"));
    Map<String, Map<String, Long>> byAttribute = new TreeMap<>();
    for (String k : counts.under("by_attribute").keySet()) {
      byAttribute.put(k, counts.under("by_attribute", k));
    }
    s.put("by_attribute", byAttribute);
    return s;
  }
}
