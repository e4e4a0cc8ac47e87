package org.chexaudit.transforms;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.PatientDemographics;
import org.chexaudit.transforms.cohort.DeadLetters;
import org.chexaudit.transforms.cohort.Filtered;

/**
 * Inner join of images with the demographics sheet on patient id (the notebook's
 * {@code df_demo.merge(df_img, on="patient_id")}): each kept image gets the patient's raw race,
 * ethnicity and sheet row (the notebook's output order). Images of patients absent from the sheet are
 * filtered ({@value #NO_DEMOGRAPHICS}). A patient listed more than once with different race or
 * ethnicity is ambiguous: the sheet rows become dead letters and the patient's images are filtered
 * ({@value #CONFLICTING}); exact duplicate rows are merged.
 *
 * <pre>{@code
 * Filtered joined = images.apply("JoinDemographics", JoinDemographics.with(demographics));
 * }</pre>
 */
public final class JoinDemographics extends PTransform<PCollection<CohortRecord>, Filtered> {
  // Static so that the join schema does not capture this transform (and its PCollection fields).
  private static final TupleTag<CohortRecord> IMAGE_TAG = new TupleTag<>() {};
  private static final TupleTag<PatientDemographics> DEMO_TAG = new TupleTag<>() {};
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
    PCollection<KV<String, CohortRecord>> keyedImages =
        images
            .apply("KeyImages", WithKeys.<String, CohortRecord>of(CohortRecord::getPatientId)
                .withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), AvroCoder.of(CohortRecord.class)));
    PCollection<KV<String, PatientDemographics>> keyedDemo =
        demographics
            .apply("KeyPatients", WithKeys.<String, PatientDemographics>of(PatientDemographics::getPatientId)
                .withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), AvroCoder.of(PatientDemographics.class)));
    PCollectionTuple out =
        KeyedPCollectionTuple.of(IMAGE_TAG, keyedImages)
            .and(DEMO_TAG, keyedDemo)
            .apply("JoinOnPatient", CoGroupByKey.create())
            .apply(
                "Merge",
                ParDo.of(new MergeFn(IMAGE_TAG, DEMO_TAG))
                    .withOutputTags(Filtered.KEPT, TupleTagList.of(Filtered.REJECTED).and(Filtered.DEAD)));
    return Filtered.of(out);
  }

  static final class MergeFn extends DoFn<KV<String, CoGbkResult>, CohortRecord> {
    private final TupleTag<CohortRecord> imageTag;
    private final TupleTag<PatientDemographics> demoTag;

    MergeFn(TupleTag<CohortRecord> imageTag, TupleTag<PatientDemographics> demoTag) {
      this.imageTag = imageTag;
      this.demoTag = demoTag;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> e, MultiOutputReceiver out) {
      List<PatientDemographics> rows = new ArrayList<>();
      e.getValue().getAll(demoTag).forEach(rows::add);
      rows.sort(Comparator.comparingLong(PatientDemographics::getRow));
      Iterable<CohortRecord> images = e.getValue().getAll(imageTag);
      if (rows.isEmpty()) {
        images.forEach(i -> out.get(Filtered.REJECTED).output(KV.of(NO_DEMOGRAPHICS, i.getId())));
        return;
      }
      PatientDemographics first = rows.get(0);
      boolean conflicting =
          rows.stream()
              .anyMatch(
                  r -> !Objects.equals(r.getRaceRaw(), first.getRaceRaw())
                      || !Objects.equals(r.getEthnicity(), first.getEthnicity()));
      if (conflicting) {
        for (PatientDemographics r : rows) {
          out.get(Filtered.DEAD)
              .output(
                  DeadLetters.of(
                      STAGE, null, r.getRow() + 2, r.toString(),
                      "patient " + e.getKey() + " is listed " + rows.size()
                          + " times with different race or ethnicity"));
        }
        images.forEach(i -> out.get(Filtered.REJECTED).output(KV.of(CONFLICTING, i.getId())));
        return;
      }
      for (CohortRecord image : images) {
        out.get(Filtered.KEPT)
            .output(
                CohortRecord.newBuilder(image)
                    .setRaceRaw(first.getRaceRaw())
                    .setEthnicity(first.getEthnicity())
                    .setDemoRow(first.getRow())
                    .build());
      }
    }
  }
}
