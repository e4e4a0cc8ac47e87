package org.chexaudit.transforms.cohort;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.core.cohort.CohortSpec;
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

  /** The mapping as a rule of {@link FilterCohort}, to run in one step with the filters after it. */
  public FilterCohort.RecordRule asRule() {
    return new RaceRule(mapping);
  }

  @Override
  public Filtered expand(PCollection<CohortRecord> input) {
    return input.apply("MapRace", FilterCohort.of(asRule()));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("rules", mapping.rules().toString()));
  }

  /** Sets race and race label from the raw race, or filters the record out when no rule maps it. */
  static final class RaceRule implements FilterCohort.RecordRule {
    private final RaceMapping mapping;

    RaceRule(RaceMapping mapping) {
      this.mapping = mapping;
    }

    @Override
    public String name() {
      return RULE;
    }

    @Override
    public CohortRecord apply(CohortRecord r) {
      RaceMapping.Group g = mapping.map(r.getRaceRaw());
      if (g == null) {
        return null;
      }
      CohortRecord mapped = CohortRecords.shallowCopy(r);
      mapped.setRace(g.race());
      mapped.setRaceLabel(g.label());
      return mapped;
    }
  }
}
