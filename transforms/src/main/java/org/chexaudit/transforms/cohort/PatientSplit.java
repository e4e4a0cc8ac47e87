package org.chexaudit.transforms.cohort;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.chexaudit.transforms.grouping.GroupInBundles;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.core.cohort.SplitAssignment;

/**
 * Assigns every record a split at patient level: no patient is in two splits. Default 60/10/30
 * {@code train/validate/test}, seeded; {@link #withStratifyBy} keeps each stratum's proportions
 * (e.g. race and sex; a patient's stratum is taken from their first image by row index). The
 * assignment itself is computed once from the set of patients (see {@link SplitAssignment}), so it
 * is identical on every runner and parallelism.
 */
public final class PatientSplit extends PTransform<PCollection<CohortRecord>, PCollection<CohortRecord>> {
  private final List<String> names;
  private final List<Double> fractions;
  private final long seed;
  private final List<String> stratifyBy;

  private PatientSplit(List<String> names, List<Double> fractions, long seed, List<String> stratifyBy) {
    this.names = List.copyOf(names);
    this.fractions = List.copyOf(fractions);
    this.seed = seed;
    this.stratifyBy = List.copyOf(stratifyBy);
  }

  /** chexploration's 60/10/30 train/validate/test split. */
  public static PatientSplit chexploration() {
    return of(List.of("train", "validate", "test"), List.of(0.6, 0.1, 0.3));
  }

  public static PatientSplit of(List<String> names, List<Double> fractions) {
    checkArgumentNotNull(names, "PatientSplit names can not be null");
    checkArgumentNotNull(fractions, "PatientSplit fractions can not be null");
    // validates names/fractions now rather than at run time
    SplitAssignment.assign(Map.of(), names, fractions, 0);
    return new PatientSplit(names, fractions, 2021, List.of());
  }

  public PatientSplit withSeed(long seed) {
    return new PatientSplit(names, fractions, seed, stratifyBy);
  }

  /** Attributes to stratify by: {@code race}, {@code sex}, or any key of the record's attributes. */
  public PatientSplit withStratifyBy(List<String> attributes) {
    checkArgumentNotNull(attributes, "PatientSplit stratifyBy can not be null");
    return new PatientSplit(names, fractions, seed, attributes);
  }

  @Override
  public PCollection<CohortRecord> expand(PCollection<CohortRecord> records) {
    PCollectionView<Map<String, String>> assignment = records.apply("Assignment", asView());
    return records
        .apply(
            "SetSplit",
            ParDo.of(
                    new DoFn<CohortRecord, CohortRecord>() {
                      // read once per instance: the Direct runner rebuilds a map view on every read
                      private transient Map<String, String> splits;

                      @ProcessElement
                      public void process(@Element CohortRecord r, ProcessContext c) {
                        if (splits == null) {
                          splits = c.sideInput(assignment); // batch, global window: one assignment
                        }
                        c.output(withSplit(r, splits));
                      }
                    })
                .withSideInputs(assignment))
        .setCoder(AvroCoder.specific(CohortRecord.class));
  }

  /**
   * The assignment alone, patient id to split, as a view: for a step that already waits on a view or a
   * grouping to set each record's split there ({@link #withSplit}), saving a pass over every record that the
   * Direct runner retries until the assignment is ready.
   */
  public PTransform<PCollection<CohortRecord>, PCollectionView<Map<String, String>>> asView() {
    return new AsView(this);
  }

  /** A copy of {@code r} with its patient's split from {@code splits}. */
  public static CohortRecord withSplit(CohortRecord r, Map<String, String> splits) {
    CohortRecord assigned = CohortRecords.shallowCopy(r);
    assigned.setSplit(splits.get(r.getPatientId()));
    return assigned;
  }

  private static final class AsView
      extends PTransform<PCollection<CohortRecord>, PCollectionView<Map<String, String>>> {
    private final PatientSplit split;

    AsView(PatientSplit split) {
      this.split = split;
    }

    @Override
    public PCollectionView<Map<String, String>> expand(PCollection<CohortRecord> records) {
      return split.assignmentView(records);
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      split.populateDisplayData(builder);
    }
  }

  private PCollectionView<Map<String, String>> assignmentView(PCollection<CohortRecord> records) {
    List<String> strat = stratifyBy;
    return records
            // gathered under one key, not grouped by patient (the Direct runner makes a bundle per key), and
            // not combined: a combine's accumulator of every patient is one record, too large for a
            // distributed runner's sort buffer at ten times CheXpert's size
            .apply("AllPatients", GroupInBundles.by((CohortRecord r) -> 0, VarIntCoder.of(),
                (CohortRecord r) -> KV.of(r.getPatientId(), KV.of(r.getRowIndex(), stratum(r, strat))),
                KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of()))))
            .apply("Assign", ParDo.of(new AssignFn(names, fractions, seed)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
            .apply("AsView", View.asMap());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("splits", names.toString()))
        .add(DisplayData.item("fractions", fractions.toString()))
        .add(DisplayData.item("seed", seed))
        .add(DisplayData.item("stratifyBy", stratifyBy.toString()));
  }

  static String stratum(CohortRecord r, List<String> attributes) {
    List<String> parts = new ArrayList<>();
    for (String a : attributes) {
      String v =
          switch (a) {
            case "race" -> r.getRace();
            case "sex" -> r.getSex();
            case "disease" -> r.getDisease();
            default -> r.getAttributes().get(a);
          };
      parts.add(v == null ? "" : v);
    }
    return String.join("|", parts);
  }

  /**
   * Takes each patient's stratum from their first image by row index, computes the assignment once, and
   * emits it patient by patient.
   */
  static final class AssignFn extends DoFn<KV<Integer, Iterable<KV<String, KV<Long, String>>>>, KV<String, String>> {
    private final List<String> names;
    private final List<Double> fractions;
    private final long seed;

    AssignFn(List<String> names, List<Double> fractions, long seed) {
      this.names = names;
      this.fractions = fractions;
      this.seed = seed;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<String, KV<Long, String>>>> all,
        OutputReceiver<KV<String, String>> out) {
      Map<String, KV<Long, String>> first = new HashMap<>();
      for (KV<String, KV<Long, String>> image : all.getValue()) {
        first.merge(image.getKey(), image.getValue(), AssignFn::earlier);
      }
      Map<String, String> stratumByPatient = new HashMap<>();
      first.forEach((patient, f) -> stratumByPatient.put(patient, f.getValue()));
      SplitAssignment.assign(stratumByPatient, names, fractions, seed).forEach((p, split) -> out.output(KV.of(p, split)));
    }

    private static KV<Long, String> earlier(KV<Long, String> a, KV<Long, String> b) {
      return b.getKey() < a.getKey() ? b : a;
    }
  }
}
