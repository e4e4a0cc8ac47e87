package org.chexaudit.transforms.cohort;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTagList;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.core.cohort.CohortSpec;
import org.chexaudit.transforms.cohort.Filtered;

/**
 * Keeps records whose field values are in allowed sets, rules applied in order; a record is counted
 * under the first rule it fails, so per-rule counts add up. chexploration's rules (after the race
 * mapping): ethnicity, then view, then projection (the last is implicit in its split file).
 *
 * <p>Any {@link RecordRule} can take part, also one that changes the records it keeps ({@link MapRace#asRule}):
 * rules run one after another in a single step, where a transform per rule is a step per rule for every
 * record (the Direct runner pays a fixed cost per record and step, issue 15).
 *
 * <pre>{@code
 * Filtered f = cohort.apply(FilterCohort.chexpert());
 * Filtered g = cohort.apply(FilterCohort.keeping("view", CohortRecord::getFrontalLateral, Set.of("Frontal")));
 * Filtered h = cohort.apply(FilterCohort.of(MapRace.chexpert().asRule()).then(FilterCohort.chexpert()));
 * }</pre>
 */
public final class FilterCohort extends PTransform<PCollection<CohortRecord>, Filtered> {

  /** A named step of the filtering: a record kept (itself or a changed copy, never modified in place), or not. */
  public interface RecordRule extends Serializable {
    String name();

    /** The record to keep, or null when the rule filters it out. */
    CohortRecord apply(CohortRecord r);
  }

  /** One named rule: keep records whose {@code field} value is in {@code allowed}. */
  public record Rule(String name, SerializableFunction<CohortRecord, String> field, Set<String> allowed)
      implements RecordRule {
    boolean keeps(CohortRecord r) {
      String v = field.apply(r);
      return v != null && allowed.contains(v);
    }

    @Override
    public CohortRecord apply(CohortRecord r) {
      return keeps(r) ? r : null;
    }
  }

  private final List<RecordRule> rules;

  private FilterCohort(List<RecordRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** Filters by {@code rule} alone. */
  public static FilterCohort of(RecordRule rule) {
    checkArgumentNotNull(rule, "FilterCohort rule can not be null");
    return new FilterCohort(List.of(rule));
  }

  /** These rules, then those of {@code more}. */
  public FilterCohort then(FilterCohort more) {
    List<RecordRule> all = new ArrayList<>(rules);
    all.addAll(more.rules);
    return new FilterCohort(all);
  }

  public static FilterCohort keeping(
      String name, SerializableFunction<CohortRecord, String> field, Set<String> allowed) {
    return new FilterCohort(List.of(new Rule(name, field, Set.copyOf(allowed))));
  }

  /** Adds a rule checked after the existing ones. */
  public FilterCohort and(String name, SerializableFunction<CohortRecord, String> field, Set<String> allowed) {
    List<RecordRule> more = new ArrayList<>(rules);
    more.add(new Rule(name, field, Set.copyOf(allowed)));
    return new FilterCohort(more);
  }

  /** Ethnicity, view and projection filters of chexploration (seeds-spec A2), from {@code spec}. */
  public static FilterCohort from(CohortSpec spec) {
    return keeping("ethnicity not in " + sorted(spec.keepEthnicities), CohortRecord::getEthnicity, spec.keepEthnicities)
        .and("view not in " + sorted(spec.keepViews), CohortRecord::getFrontalLateral, spec.keepViews)
        .and("projection not in " + sorted(spec.keepProjections), CohortRecord::getApPa, spec.keepProjections);
  }

  public static FilterCohort chexpert() {
    return from(CohortSpec.chexpert());
  }

  public List<String> ruleNames() {
    return rules.stream().map(RecordRule::name).toList();
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }

  @Override
  public Filtered expand(PCollection<CohortRecord> input) {
    return Filtered.of(
        input.apply(
            "ApplyRules",
            ParDo.of(new FilterFn(rules))
                .withOutputTags(Filtered.KEPT, TupleTagList.of(Filtered.REJECTED).and(Filtered.DEAD))));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("rules", String.join("; ", ruleNames())));
  }

  static final class FilterFn extends DoFn<CohortRecord, CohortRecord> {
    private final List<RecordRule> rules;

    FilterFn(List<RecordRule> rules) {
      this.rules = rules;
    }

    @ProcessElement
    public void process(@Element CohortRecord r, MultiOutputReceiver out) {
      CohortRecord kept = r;
      for (RecordRule rule : rules) {
        kept = rule.apply(kept);
        if (kept == null) {
          out.get(Filtered.REJECTED).output(KV.of(rule.name(), r.getId()));
          return;
        }
      }
      out.get(Filtered.KEPT).output(kept);
    }
  }

}
