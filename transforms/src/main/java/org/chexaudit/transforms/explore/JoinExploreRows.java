package org.chexaudit.transforms.explore;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.chexaudit.core.explore.ExploreRow;
import org.chexaudit.core.explore.Subject;
import org.chexaudit.transforms.coders.ExploreRowCoder;

/**
 * Joins each embedding's PCA scores ({@code KV(id, scores)}) with its id's two logits ({@code
 * KV(id, [normal, positive])}, from {@link SelectLogits}) and its subject, into {@link ExploreRow}s.
 *
 * <p>A broadcast join: logits and subjects (a few MB even for the full test set) go to every worker as
 * side inputs, so the scores are not grouped by id (the Direct runner makes a bundle per key). Every
 * embedding is kept, duplicates of an id too (the resampled set has them). An embedding without
 * logits or subject, or a subject without race, fails the run naming the id.
 */
public final class JoinExploreRows extends PTransform<PCollection<KV<String, double[]>>, PCollection<ExploreRow>> {
  private final PCollection<KV<String, double[]>> logits;
  private final PCollection<KV<String, Subject>> subjects;

  private JoinExploreRows(PCollection<KV<String, double[]>> logits, PCollection<KV<String, Subject>> subjects) {
    this.logits = logits;
    this.subjects = subjects;
  }

  public static JoinExploreRows with(PCollection<KV<String, double[]>> logits,
      PCollection<KV<String, Subject>> subjects) {
    if (logits == null || subjects == null) {
      throw new IllegalArgumentException("JoinExploreRows: logits and subjects can not be null");
    }
    return new JoinExploreRows(logits, subjects);
  }

  @Override
  public PCollection<ExploreRow> expand(PCollection<KV<String, double[]>> scores) {
    PCollectionView<Map<String, Iterable<double[]>>> logitsById = logits.apply("LogitsView", View.asMultimap());
    PCollectionView<Map<String, Iterable<Subject>>> subjectsById = subjects.apply("SubjectsView", View.asMultimap());
    return scores.apply("Join", ParDo.of(new JoinFn(logitsById, subjectsById)).withSideInputs(logitsById, subjectsById))
        .setCoder(ExploreRowCoder.of());
  }

  private static final class JoinFn extends DoFn<KV<String, double[]>, ExploreRow> {
    private final PCollectionView<Map<String, Iterable<double[]>>> logitsById;
    private final PCollectionView<Map<String, Iterable<Subject>>> subjectsById;
    /** The two maps, read once per instance: the Direct runner rebuilds a map view on every read. */
    private transient Map<String, Iterable<double[]>> logits;
    private transient Map<String, Iterable<Subject>> subjects;

    JoinFn(PCollectionView<Map<String, Iterable<double[]>>> logitsById,
        PCollectionView<Map<String, Iterable<Subject>>> subjectsById) {
      this.logitsById = logitsById;
      this.subjectsById = subjectsById;
    }

    @ProcessElement
    public void process(@Element KV<String, double[]> score, ProcessContext c) {
      if (logits == null) { // batch, global window: the same maps for every element
        logits = c.sideInput(logitsById);
        subjects = c.sideInput(subjectsById);
      }
      String id = score.getKey();
      double[] logit = null;
      // copies of an id share one logit pair, the smallest, so the choice does not depend on delivery order
      for (double[] l : logits.getOrDefault(id, List.of())) {
        if (logit == null || Arrays.compare(l, logit) < 0) {
          logit = l;
        }
      }
      if (logit == null) {
        throw new IllegalArgumentException("embedding " + id + " has no disease prediction of the split in --predictions");
      }
      Iterable<Subject> ofId = subjects.get(id);
      Subject subject = ofId == null ? null : ofId.iterator().next();
      if (subject == null) {
        throw new IllegalArgumentException("embedding " + id + " has no record in --cohort");
      }
      if (subject.race() == null) {
        throw new IllegalArgumentException("cohort record " + id + " has no race");
      }
      c.output(ExploreRow.of(id, subject, logit[0], logit[1], score.getValue()));
    }
  }
}
