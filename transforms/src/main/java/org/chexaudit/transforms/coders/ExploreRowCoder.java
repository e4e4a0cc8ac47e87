package org.chexaudit.transforms.coders;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.chexaudit.core.explore.ExploreRow;

/** A deterministic coder of {@link ExploreRow}; sex and age may be null. */
public final class ExploreRowCoder extends CustomCoder<ExploreRow> {
  private static final long serialVersionUID = 1L;
  private static final ExploreRowCoder INSTANCE = new ExploreRowCoder();
  private static final Coder<String> STRING = StringUtf8Coder.of();
  private static final Coder<String> NULLABLE_STRING = NullableCoder.of(StringUtf8Coder.of());
  private static final Coder<Integer> NULLABLE_INT = NullableCoder.of(VarIntCoder.of());

  private ExploreRowCoder() {}

  public static ExploreRowCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ExploreRow r, OutputStream out) throws IOException {
    STRING.encode(r.id(), out);
    STRING.encode(r.race(), out);
    NULLABLE_STRING.encode(r.sex(), out);
    NULLABLE_INT.encode(r.age(), out);
    STRING.encode(r.disease(), out);
    DoubleCoder.of().encode(r.logitNormal(), out);
    DoubleCoder.of().encode(r.logitPositive(), out);
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
