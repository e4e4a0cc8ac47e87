package org.chexaudit.transforms.chexclusion;

import static org.chexaudit.core.Checks.checkArgument;

import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.chexaudit.core.chexclusion.DisparityAttribute;
import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.transforms.coders.ScoredRowCoder;

/**
 * Blanks every attribute value that its {@link DisparityAttribute} calls missing (CheXclusion's {@code 0}
 * insurance, an empty cell, or values given by {@code --missingValues}), and trims the others, so the
 * subgroup transforms leave such a row out of that attribute's groups only, as the original does.
 * Row attributes are matched to {@code attributes} by position.
 */
public final class BlankMissingGroups extends PTransform<PCollection<ScoredRow>, PCollection<ScoredRow>> {
  private final List<DisparityAttribute> attributes;

  private BlankMissingGroups(List<DisparityAttribute> attributes) {
    this.attributes = attributes;
  }

  public static BlankMissingGroups of(List<DisparityAttribute> attributes) {
    checkArgument(attributes != null && !attributes.isEmpty(), "BlankMissingGroups: no attributes");
    return new BlankMissingGroups(List.copyOf(attributes));
  }

  @Override
  public PCollection<ScoredRow> expand(PCollection<ScoredRow> rows) {
    return rows.apply("Blank", ParDo.of(new BlankFn(attributes))).setCoder(ScoredRowCoder.of());
  }

  private static final class BlankFn extends DoFn<ScoredRow, ScoredRow> {
    private final List<DisparityAttribute> attributes;

    BlankFn(List<DisparityAttribute> attributes) {
      this.attributes = attributes;
    }

    @ProcessElement
    public void process(@Element ScoredRow r, OutputReceiver<ScoredRow> out) {
      double[] scores = new double[r.labelCount()];
      int[] targets = new int[r.labelCount()];
      for (int l = 0; l < scores.length; l++) {
        scores[l] = r.score(l);
        targets[l] = r.target(l);
      }
      String[] values = new String[attributes.size()];
      for (int a = 0; a < values.length; a++) {
        String v = r.attribute(a);
        values[a] = attributes.get(a).isMissing(v) ? "" : v.trim();
      }
      out.output(ScoredRow.ofTrusted(r.id(), r.patient(), scores, targets, values));
    }
  }
}
