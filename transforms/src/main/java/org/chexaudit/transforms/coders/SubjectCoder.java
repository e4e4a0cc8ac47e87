package org.chexaudit.transforms.coders;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.chexaudit.core.explore.Subject;

/** A deterministic coder of {@link Subject}; every field may be null. */
public final class SubjectCoder extends CustomCoder<Subject> {
  private static final long serialVersionUID = 1L;
  private static final SubjectCoder INSTANCE = new SubjectCoder();
  private static final Coder<String> STRING = NullableCoder.of(StringUtf8Coder.of());
  private static final Coder<Integer> INT = NullableCoder.of(VarIntCoder.of());

  private SubjectCoder() {}

  public static SubjectCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Subject s, OutputStream out) throws IOException {
    STRING.encode(s.race(), out);
    STRING.encode(s.sex(), out);
    INT.encode(s.age(), out);
    STRING.encode(s.disease(), out);
  }

  @Override
  public Subject decode(InputStream in) throws IOException {
    return new Subject(STRING.decode(in), STRING.decode(in), INT.decode(in), STRING.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
