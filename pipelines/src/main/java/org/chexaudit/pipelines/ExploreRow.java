package org.chexaudit.pipelines;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.chexaudit.transforms.coders.DoubleArrayCoder;

/**
 * One embedding of the explored split joined with its subject (race, sex, age, disease from the cohort)
 * and its disease model's No Finding and Pleural Effusion logits, with its PCA scores.
 */
record ExploreRow(String id, String race, String sex, Integer age, String disease, double logitNoFinding,
    double logitEffusion, double[] scores) {

  /** A fixed order that does not depend on how the runner delivered the rows. */
  static final Comparator<ExploreRow> ORDER = Comparator.comparing(ExploreRow::race)
      .thenComparing(ExploreRow::id)
      .thenComparing(ExploreRow::scores, Arrays::compare);

  double pca(int mode) {
    return scores[mode];
  }

  static Coder<ExploreRow> coder() {
    return new RowCoder();
  }

  private static final class RowCoder extends CustomCoder<ExploreRow> {
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<String> NULLABLE_STRING = NullableCoder.of(StringUtf8Coder.of());
    private static final Coder<Integer> NULLABLE_INT = NullableCoder.of(VarIntCoder.of());

    @Override
    public void encode(ExploreRow r, OutputStream out) throws IOException {
      STRING.encode(r.id(), out);
      STRING.encode(r.race(), out);
      NULLABLE_STRING.encode(r.sex(), out);
      NULLABLE_INT.encode(r.age(), out);
      STRING.encode(r.disease(), out);
      DoubleCoder.of().encode(r.logitNoFinding(), out);
      DoubleCoder.of().encode(r.logitEffusion(), out);
      DoubleArrayCoder.of().encode(r.scores(), out);
    }

    @Override
    public ExploreRow decode(InputStream in) throws IOException {
      return new ExploreRow(STRING.decode(in), STRING.decode(in), NULLABLE_STRING.decode(in),
          NULLABLE_INT.decode(in), STRING.decode(in), DoubleCoder.of().decode(in), DoubleCoder.of().decode(in),
          DoubleArrayCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
