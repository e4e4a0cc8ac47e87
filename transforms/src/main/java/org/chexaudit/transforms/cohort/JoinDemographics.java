package org.chexaudit.transforms.cohort;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTagList;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;
import org.chexaudit.schemas.PatientDemographics;
import org.chexaudit.core.cohort.DeadLetters;
import org.chexaudit.transforms.cohort.Filtered;

/**
 * Inner join of images with the demographics sheet on patient id (the notebook's
 * {@code df_demo.merge(df_img, on="patient_id")}): each kept image gets the patient's raw race,
 * ethnicity and sheet row (the notebook's output order). Images of patients absent from the sheet are
 * filtered ({@value #NO_DEMOGRAPHICS}). A patient listed more than once with different race or
 * ethnicity is ambiguous: the sheet rows become dead letters and the patient's images are filtered
 * ({@value #CONFLICTING}); exact duplicate rows are merged.
 *
 * <p>A broadcast join: the sheet (one row per patient, 65,401 for CheXpert, a few MB) is combined into
 * one map and given to every worker as a side input, so the images are never grouped by patient. That
 * keeps the images in large bundles on every runner; a grouping join would give the Direct runner one
 * bundle per patient.
 *
 * <pre>{@code
 * Filtered joined = images.apply("JoinDemographics", JoinDemographics.with(demographics));
 * }</pre>
 */
public final class JoinDemographics extends PTransform<PCollection<CohortRecord>, Filtered> {
  public static final String STAGE = "JoinDemographics";
  public static final String NO_DEMOGRAPHICS = "no demographics";
  public static final String CONFLICTING = "conflicting demographics";

  private final PCollection<PatientDemographics> demographics;

  private JoinDemographics(PCollection<PatientDemographics> demographics) {
    this.demographics = demographics;
  }

  public static JoinDemographics with(PCollection<PatientDemographics> demographics) {
    Objects.requireNonNull(demographics, "JoinDemographics needs the demographics collection");
    return new JoinDemographics(demographics);
  }

  @Override
  public Filtered expand(PCollection<CohortRecord> images) {
    PCollection<Map<String, List<PatientDemographics>>> byPatient =
        demographics
            .apply("ByPatient", Combine.globally(new ByPatientFn()))
            .setCoder(MapCoder.of(StringUtf8Coder.of(), ListCoder.of(AvroCoder.specific(PatientDemographics.class))));
    PCollection<DeadLetter> conflicts =
        byPatient.apply("Conflicts", ParDo.of(new ConflictsFn())).setCoder(AvroCoder.of(DeadLetter.class));
    PCollectionView<Map<String, List<PatientDemographics>>> view = byPatient.apply("AsView", View.asSingleton());
    Filtered merged =
        Filtered.of(
            images.apply(
                "Merge",
                ParDo.of(new MergeFn(view))
                    .withSideInputs(view)
                    .withOutputTags(Filtered.KEPT, TupleTagList.of(Filtered.REJECTED).and(Filtered.DEAD))));
    return Filtered.of(
        merged.kept(),
        merged.rejected(),
        PCollectionList.of(merged.deadLetters()).and(conflicts).apply("AllDeadLetters", Flatten.pCollections()));
  }

  /** The patient's rows in sheet order, or null when the sheet lists them with different values. */
  static PatientDemographics consistentFirst(List<PatientDemographics> rows) {
    PatientDemographics first = rows.get(0);
    for (PatientDemographics r : rows) {
      if (!Objects.equals(r.getRaceRaw(), first.getRaceRaw())
          || !Objects.equals(r.getEthnicity(), first.getEthnicity())) {
        return null;
      }
    }
    return first;
  }

  /** Collects the sheet into patient -> rows (sorted by sheet row on output). */
  static final class ByPatientFn extends Combine.CombineFn<
      PatientDemographics, HashMap<String, List<PatientDemographics>>, Map<String, List<PatientDemographics>>> {
    @Override
    public HashMap<String, List<PatientDemographics>> createAccumulator() {
      return new HashMap<>();
    }

    @Override
    public HashMap<String, List<PatientDemographics>> addInput(
        HashMap<String, List<PatientDemographics>> acc, PatientDemographics row) {
      acc.computeIfAbsent(row.getPatientId(), k -> new ArrayList<>()).add(row);
      return acc;
    }

    @Override
    public HashMap<String, List<PatientDemographics>> mergeAccumulators(
        Iterable<HashMap<String, List<PatientDemographics>>> accs) {
      HashMap<String, List<PatientDemographics>> out = new HashMap<>();
      for (HashMap<String, List<PatientDemographics>> a : accs) {
        a.forEach((k, v) -> out.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
      }
      return out;
    }

    @Override
    public Map<String, List<PatientDemographics>> extractOutput(HashMap<String, List<PatientDemographics>> acc) {
      acc.values().forEach(rows -> rows.sort(Comparator.comparingLong(PatientDemographics::getRow)));
      return acc;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Coder<HashMap<String, List<PatientDemographics>>> getAccumulatorCoder(
        CoderRegistry registry, Coder<PatientDemographics> inputCoder) {
      return (Coder) MapCoder.of(StringUtf8Coder.of(), ListCoder.of(AvroCoder.specific(PatientDemographics.class)));
    }
  }

  /** One dead letter per sheet row of a patient listed with different race or ethnicity. */
  static final class ConflictsFn extends DoFn<Map<String, List<PatientDemographics>>, DeadLetter> {
    @ProcessElement
    public void process(@Element Map<String, List<PatientDemographics>> byPatient, OutputReceiver<DeadLetter> out) {
      byPatient.forEach((patient, rows) -> {
        if (consistentFirst(rows) == null) {
          for (PatientDemographics r : rows) {
            out.output(DeadLetters.of(STAGE, null, r.getRow() + 2, r.toString(),
                "patient " + patient + " is listed " + rows.size() + " times with different race or ethnicity"));
          }
        }
      });
    }
  }

  static final class MergeFn extends DoFn<CohortRecord, CohortRecord> {
    private final PCollectionView<Map<String, List<PatientDemographics>>> view;

    MergeFn(PCollectionView<Map<String, List<PatientDemographics>>> view) {
      this.view = view;
    }

    @ProcessElement
    public void process(@Element CohortRecord image, MultiOutputReceiver out, ProcessContext c) {
      List<PatientDemographics> rows = c.sideInput(view).get(image.getPatientId());
      if (rows == null) {
        out.get(Filtered.REJECTED).output(KV.of(NO_DEMOGRAPHICS, image.getId()));
        return;
      }
      PatientDemographics first = consistentFirst(rows);
      if (first == null) {
        out.get(Filtered.REJECTED).output(KV.of(CONFLICTING, image.getId()));
        return;
      }
      CohortRecord joined = CohortRecords.shallowCopy(image);
      joined.setRaceRaw(first.getRaceRaw());
      joined.setEthnicity(first.getEthnicity());
      joined.setDemoRow(first.getRow());
      out.get(Filtered.KEPT).output(joined);
    }
  }
}
