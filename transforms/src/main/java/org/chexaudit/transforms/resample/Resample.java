package org.chexaudit.transforms.resample;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.coders.KvCoder;
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
 * <p>The whole cohort is gathered on one worker (a test set: 38,240 rows in CheXpert), sorted by
 * {@code (row_index, id)} so that the draws do not depend on the order the runner delivers the
 * records in. Records without {@code race_label} or {@code age} fail the run with their id.
 */
public final class Resample extends PTransform<PCollection<CohortRecord>, PCollectionTuple> {
  public static final TupleTag<CohortRecord> RESAMPLED = new TupleTag<>() {};
  public static final TupleTag<PrevalenceTable> PREVALENCE = new TupleTag<>() {};

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
    PCollectionTuple out = input
        .apply("GatherCohort", WithKeys.<Void, CohortRecord>of((Void) null))
        .setCoder(KvCoder.of(VoidCoder.of(), coder))
        .apply("OneGroup", GroupByKey.create())
        .apply("Resample", ParDo.of(new ResampleFn(resampler))
            .withOutputTags(RESAMPLED, TupleTagList.of(PREVALENCE)));
    out.get(RESAMPLED).setCoder(coder);
    out.get(PREVALENCE).setCoder(SerializableCoder.of(PrevalenceTable.class));
    return out;
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("sizeFactor", resampler.sizeFactor()))
        .add(DisplayData.item("seed", resampler.seed()));
  }

  private static final class ResampleFn
      extends DoFn<KV<Void, Iterable<CohortRecord>>, CohortRecord> {
    private final BalancedResampler resampler;

    ResampleFn(BalancedResampler resampler) {
      this.resampler = resampler;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<CohortRecord> rows = new ArrayList<>();
      c.element().getValue().forEach(rows::add);
      rows.sort(Comparator.comparingLong(CohortRecord::getRowIndex)
          .thenComparing(r -> r.getId().toString()));
      int n = rows.size();
      int[] race = new int[n];
      int[] disease = new int[n];
      int[] age = new int[n];
      Map<Integer, String> raceNames = new TreeMap<>();
      Map<Integer, String> diseaseNames = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        CohortRecord r = rows.get(i);
        if (r.getRaceLabel() == null) {
          throw new IllegalArgumentException("Resample: record " + r.getId() + " has no race_label");
        }
        if (r.getAge() == null) {
          throw new IllegalArgumentException("Resample: record " + r.getId() + " has no age");
        }
        race[i] = r.getRaceLabel();
        disease[i] = r.getDiseaseLabel();
        age[i] = r.getAge();
        raceNames.putIfAbsent(race[i], r.getRace() == null ? String.valueOf(race[i])
            : r.getRace().toString());
        diseaseNames.putIfAbsent(disease[i], r.getDisease().toString());
      }
      int[] drawn = resampler.resample(race, disease, age);
      for (int i : drawn) {
        c.output(rows.get(i));
      }
      c.output(PREVALENCE,
          BalancedResampler.prevalence(drawn, race, disease, raceNames, diseaseNames));
    }
  }
}
