package org.chexaudit.transforms.cohort;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTagList;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.core.cohort.CohortSpec;
import org.chexaudit.transforms.cohort.Filtered;
import org.chexaudit.core.cohort.RaceMapping;

/**
 * Sets {@code race} and {@code race_label} from the raw race string with a {@link RaceMapping}
 * (chexploration: substring Black, then White, then Asian); records that map to no group are filtered
 * out under the rule {@value #RULE}.
 */
public final class MapRace extends PTransform<PCollection<CohortRecord>, Filtered> {
  public static final String RULE = "race not mapped";

  private final RaceMapping mapping;

  private MapRace(RaceMapping mapping) {
    this.mapping = mapping;
  }

  /** chexploration's mapping, from datafiles/chexpert/race-mapping.csv. */
  public static MapRace chexpert() {
    return new MapRace(CohortSpec.chexpert().raceMapping);
  }

  public static MapRace with(RaceMapping mapping) {
    checkArgumentNotNull(mapping, "MapRace mapping can not be null");
    return new MapRace(mapping);
  }

  @Override
  public Filtered expand(PCollection<CohortRecord> input) {
    return Filtered.of(
        input.apply(
            "MapRace",
            ParDo.of(new MapFn(mapping))
                .withOutputTags(Filtered.KEPT, TupleTagList.of(Filtered.REJECTED).and(Filtered.DEAD))));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("rules", mapping.rules().toString()));
  }

  static final class MapFn extends DoFn<CohortRecord, CohortRecord> {
    private final RaceMapping mapping;

    MapFn(RaceMapping mapping) {
      this.mapping = mapping;
    }

    @ProcessElement
    public void process(@Element CohortRecord r, MultiOutputReceiver out) {
      RaceMapping.Group g = mapping.map(r.getRaceRaw());
      if (g == null) {
        out.get(Filtered.REJECTED).output(KV.of(RULE, r.getId()));
      } else {
        CohortRecord mapped = CohortRecords.shallowCopy(r);
        mapped.setRace(g.race());
        mapped.setRaceLabel(g.label());
        out.get(Filtered.KEPT).output(mapped);
      }
    }
  }
}
