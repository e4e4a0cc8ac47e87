package org.chexaudit.transforms.coders;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.chexaudit.core.stats.SubgroupKey;

/** Deterministic coder for {@link SubgroupKey}: label, grouping and group as UTF-8 strings. */
public final class SubgroupKeyCoder extends AtomicCoder<SubgroupKey> {
  private static final SubgroupKeyCoder INSTANCE = new SubgroupKeyCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();

  private SubgroupKeyCoder() {}

  public static SubgroupKeyCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(SubgroupKey value, OutputStream out) throws IOException {
    STRING.encode(value.label(), out);
    STRING.encode(value.grouping(), out);
    STRING.encode(value.group(), out);
  }

  @Override
  public SubgroupKey decode(InputStream in) throws IOException {
    return new SubgroupKey(STRING.decode(in), STRING.decode(in), STRING.decode(in));
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
