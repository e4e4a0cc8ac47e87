package org.chexaudit.transforms.resample;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.chexaudit.transforms.coders.JavaSerializationCoder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.core.explore.BalancedResampler;
import org.chexaudit.core.explore.PrevalenceTable;

/**
 * The race/prevalence/age-balanced resampling of the test set (chexpert.resample.ipynb, see
 * {@link BalancedResampler}). Output tuple: {@link #RESAMPLED}, {@code sizeFactor} times as many
 * records as the input, original records (ids unchanged) repeated as drawn; and
 * {@link #PREVALENCE}, the single race x disease prevalence table the notebook prints.
 *
 * <p>The draws are sequential (one seeded generator through three stages, each stage's weights summed in
 * row order), so the same seed gives the same draws only when one worker draws for the whole input: only
 * each record's {@link Stratum} (row index, id, race, disease, age) is gathered there, sorted by
 * {@code (row_index, id)} so that the draws do not depend on the order the runner delivers the records in
 * (CheXpert's test set: 38,240 strata, a few MB). The records themselves stay distributed and are joined
 * with how often each was drawn. Records without {@code race_label} or {@code age} fail the run with their id.
 */
public final class Resample extends PTransform<PCollection<CohortRecord>, PCollectionTuple> {
  public static final TupleTag<CohortRecord> RESAMPLED = new TupleTag<>("Resample.RESAMPLED") {};
  public static final TupleTag<PrevalenceTable> PREVALENCE = new TupleTag<>("Resample.PREVALENCE") {};

  private final BalancedResampler resampler;

  private Resample(BalancedResampler resampler) {
    this.resampler = resampler;
  }

  /** The notebook's settings: size factor 3, seed 42. */
  public static Resample create() {
    return new Resample(BalancedResampler.create());
  }

  public Resample withSizeFactor(int sizeFactor) {
    return new Resample(resampler.withSizeFactor(sizeFactor));
  }

  public Resample withSeed(long seed) {
    return new Resample(resampler.withSeed(seed));
  }

  @Override
  public PCollectionTuple expand(PCollection<CohortRecord> input) {
    AvroCoder<CohortRecord> coder = AvroCoder.of(CohortRecord.class);
    PCollection<KV<Long, CohortRecord>> byBucket = input
        .apply("ByRowBucket", WithKeys.of((CohortRecord r) -> rowBucket(r.getRowIndex()))
            .withKeyType(TypeDescriptors.longs()))
        .setCoder(KvCoder.of(VarLongCoder.of(), coder));
    PCollectionTuple drawn = input
        .apply("Strata", MapElements.into(TypeDescriptor.of(Stratum.class)).via(Stratum::of))
        .setCoder(JavaSerializationCoder.of(Stratum.class))
        .apply("GatherStrata", WithKeys.<Void, Stratum>of((Void) null))
        .setCoder(KvCoder.of(VoidCoder.of(), JavaSerializationCoder.of(Stratum.class)))
        .apply("OneGroup", GroupByKey.create())
        .apply("Draw", ParDo.of(new DrawFn(resampler)).withOutputTags(TIMES_DRAWN, TupleTagList.of(PREVALENCE)));
    PCollection<KV<Long, KV<String, Long>>> times = drawn.get(TIMES_DRAWN)
        .setCoder(KvCoder.of(VarLongCoder.of(), KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())));
    drawn.get(PREVALENCE).setCoder(JavaSerializationCoder.of(PrevalenceTable.class));
    // joined per bucket of row indices, not per record: few keys, so few bundles on the Direct runner
    PCollection<CohortRecord> resampled = KeyedPCollectionTuple.of(RECORD, byBucket).and(TIMES, times)
        .apply("JoinDraws", CoGroupByKey.create())
        .apply("Repeat", ParDo.of(new RepeatFn()))
        .setCoder(coder);
    return PCollectionTuple.of(RESAMPLED, resampled).and(PREVALENCE, drawn.get(PREVALENCE));
  }

  /** The key that names one input record: its row index and id. */
  public static String rowKey(CohortRecord r) {
    return r.getRowIndex() + "/" + r.getId();
  }

  /** Row indices per bucket when draws are joined back to the records. */
  public static final long ROW_BUCKET = 4096;

  /** The bucket of a row index: joins by bucket keep the number of keys small. */
  public static long rowBucket(long rowIndex) {
    return Math.floorDiv(rowIndex, ROW_BUCKET);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("sizeFactor", resampler.sizeFactor()))
        .add(DisplayData.item("seed", resampler.seed()));
  }

  private static final TupleTag<KV<Long, KV<String, Long>>> TIMES_DRAWN = new TupleTag<>("Resample.TIMES_DRAWN") {};
  private static final TupleTag<CohortRecord> RECORD = new TupleTag<>("Resample.RECORD") {};
  private static final TupleTag<KV<String, Long>> TIMES = new TupleTag<>("Resample.TIMES") {};

  /** What the draw needs of a record: its order, race, disease and age, and the names to print. */
  record Stratum(long rowIndex, String id, int race, int disease, int age, String raceName, String diseaseName)
      implements Serializable {
    static Stratum of(CohortRecord r) {
      if (r.getRaceLabel() == null) {
        throw new IllegalArgumentException("Resample: record " + r.getId() + " has no race_label");
      }
      if (r.getAge() == null) {
        throw new IllegalArgumentException("Resample: record " + r.getId() + " has no age");
      }
      return new Stratum(r.getRowIndex(), r.getId().toString(), r.getRaceLabel(), r.getDiseaseLabel(), r.getAge(),
          r.getRace() == null ? String.valueOf(r.getRaceLabel()) : r.getRace().toString(),
          r.getDisease().toString());
    }
  }

  /**
   * Draws on one worker from the strata of every record, sorted by {@code (row_index, id)} so that the draws
   * do not depend on the order the runner delivers them in; outputs how often each record was drawn.
   */
  private static final class DrawFn extends DoFn<KV<Void, Iterable<Stratum>>, KV<Long, KV<String, Long>>> {
    private final BalancedResampler resampler;

    DrawFn(BalancedResampler resampler) {
      this.resampler = resampler;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<Stratum> rows = new ArrayList<>();
      c.element().getValue().forEach(rows::add);
      rows.sort(Comparator.comparingLong(Stratum::rowIndex).thenComparing(Stratum::id));
      int n = rows.size();
      int[] race = new int[n];
      int[] disease = new int[n];
      int[] age = new int[n];
      Map<Integer, String> raceNames = new TreeMap<>();
      Map<Integer, String> diseaseNames = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        Stratum r = rows.get(i);
        race[i] = r.race();
        disease[i] = r.disease();
        age[i] = r.age();
        raceNames.putIfAbsent(race[i], r.raceName());
        diseaseNames.putIfAbsent(disease[i], r.diseaseName());
      }
      int[] drawn = resampler.resample(race, disease, age);
      long[] times = new long[n];
      for (int i : drawn) {
        times[i]++;
      }
      for (int i = 0; i < n; i++) {
        if (times[i] > 0) {
          Stratum r = rows.get(i);
          c.output(KV.of(rowBucket(r.rowIndex()), KV.of(r.rowIndex() + "/" + r.id(), times[i])));
        }
      }
      c.output(PREVALENCE, BalancedResampler.prevalence(drawn, race, disease, raceNames, diseaseNames));
    }
  }

  /** Outputs each record of a bucket as many times as it was drawn. */
  private static final class RepeatFn extends DoFn<KV<Long, CoGbkResult>, CohortRecord> {
    @ProcessElement
    public void process(ProcessContext c) {
      Map<String, Long> times = new java.util.HashMap<>();
      for (KV<String, Long> t : c.element().getValue().getAll(TIMES)) {
        times.merge(t.getKey(), t.getValue(), Long::sum);
      }
      if (times.isEmpty()) {
        return;
      }
      for (CohortRecord r : c.element().getValue().getAll(RECORD)) {
        long n = times.getOrDefault(rowKey(r), 0L);
        for (long k = 0; k < n; k++) {
          c.output(r);
        }
      }
    }
  }
}
