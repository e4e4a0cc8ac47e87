package org.chexaudit.transforms.cohort;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
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
 * <p>A broadcast join: the sheet (one row per patient, 65,401 for CheXpert, a few MB) is given to every
 * worker as a multimap side input, so the images are never grouped by patient. That keeps the images in
 * large bundles on every runner; a grouping join would give the Direct runner one bundle per patient.
 *
 * <pre>{@code
 * Filtered joined = images.apply("JoinDemographics", JoinDemographics.with(demographics));
 * }</pre>
 */
public final class JoinDemographics extends PTransform<PCollection<CohortRecord>, Filtered> {
  public static final String STAGE = "JoinDemographics";
  public static final String NO_DEMOGRAPHICS = "no demographics";
  public static final String CONFLICTING = "conflicting demographics";

  /** The sheet, or null when {@link #view} is given. */
  private final PCollection<PatientDemographics> demographics;
  /** The sheet as {@link #sheetView} makes it, or null. */
  private final PCollectionView<Map<String, Iterable<PatientDemographics>>> view;

  private JoinDemographics(PCollection<PatientDemographics> demographics,
      PCollectionView<Map<String, Iterable<PatientDemographics>>> view) {
    this.demographics = demographics;
    this.view = view;
  }

  public static JoinDemographics with(PCollection<PatientDemographics> demographics) {
    Objects.requireNonNull(demographics, "JoinDemographics needs the demographics collection");
    return new JoinDemographics(demographics, null);
  }

  /**
   * Joins with a sheet already made into a view by {@link #sheetView}: for a pipeline that also makes another
   * step wait for it (on the Direct runner, records waiting for a side input are gone over again and again
   * until it is ready, so it is cheaper to hold back the few inputs of their reader).
   */
  public static JoinDemographics withSheet(PCollectionView<Map<String, Iterable<PatientDemographics>>> view) {
    Objects.requireNonNull(view, "JoinDemographics needs the sheet view");
    return new JoinDemographics(null, view);
  }

  /** The sheet as the side input the join reads: the rows of each patient id. */
  public static PTransform<PCollection<PatientDemographics>, PCollectionView<Map<String, Iterable<PatientDemographics>>>>
      sheetView() {
    return new PTransform<>() {
      @Override
      public PCollectionView<Map<String, Iterable<PatientDemographics>>> expand(
          PCollection<PatientDemographics> demographics) {
        // a multimap side input reaches the workers as one small element per sheet row; a map combined into
        // one element would be a single record too large for a distributed runner at ten times CheXpert
        return demographics
            .apply("ByPatient", WithKeys.of((PatientDemographics d) -> d.getPatientId())
                .withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), AvroCoder.specific(PatientDemographics.class)))
            .apply("AsView", View.asMultimap());
      }
    };
  }

  @Override
  public Filtered expand(PCollection<CohortRecord> images) {
    PCollectionView<Map<String, Iterable<PatientDemographics>>> view =
        this.view != null ? this.view : demographics.apply("Sheet", sheetView());
    PCollection<DeadLetter> conflicts = images.getPipeline()
        .apply("Once", Create.of(0))
        .apply("Conflicts", ParDo.of(new ConflictsFn(view)).withSideInputs(view))
        .setCoder(AvroCoder.of(DeadLetter.class));
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

  /** The rows of {@code patient} in file order; empty when the file does not list it. */
  static List<PatientDemographics> rowsOf(Map<String, Iterable<PatientDemographics>> sheet, String patient) {
    return SortedValues.of(sheet, patient, Comparator.comparingLong(PatientDemographics::getRow));
  }

  /** One dead letter per sheet row of a patient listed with different race or ethnicity. */
  static final class ConflictsFn extends DoFn<Integer, DeadLetter> {
    private final PCollectionView<Map<String, Iterable<PatientDemographics>>> view;

    ConflictsFn(PCollectionView<Map<String, Iterable<PatientDemographics>>> view) {
      this.view = view;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      Map<String, Iterable<PatientDemographics>> sheet = c.sideInput(view);
      for (String patient : sheet.keySet()) {
        List<PatientDemographics> rows = rowsOf(sheet, patient);
        if (consistentFirst(rows) == null) {
          for (PatientDemographics r : rows) {
            c.output(DeadLetters.of(STAGE, null, r.getRow() + 2, r.toString(),
                "patient " + patient + " is listed " + rows.size() + " times with different race or ethnicity"));
          }
        }
      }
    }
  }

  static final class MergeFn extends DoFn<CohortRecord, CohortRecord> {
    private final PCollectionView<Map<String, Iterable<PatientDemographics>>> view;
    /** The sheet, read once per instance: the Direct runner rebuilds a map view on every read. */
    private transient Map<String, Iterable<PatientDemographics>> sheet;

    MergeFn(PCollectionView<Map<String, Iterable<PatientDemographics>>> view) {
      this.view = view;
    }

    @ProcessElement
    public void process(@Element CohortRecord image, MultiOutputReceiver out, ProcessContext c) {
      if (sheet == null) {
        sheet = c.sideInput(view); // batch, global window: the same sheet for every element
      }
      List<PatientDemographics> rows = rowsOf(sheet, image.getPatientId());
      if (rows.isEmpty()) {
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
