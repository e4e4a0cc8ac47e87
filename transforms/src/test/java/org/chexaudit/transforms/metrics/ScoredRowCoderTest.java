package org.chexaudit.transforms.metrics;

import org.chexaudit.core.stats.ScoredRow;
import org.chexaudit.core.stats.ScoredRowBatch;

import org.chexaudit.transforms.coders.ScoredRowCoder;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** The coder writes scores in one buffer; its bytes must stay those of the element-by-element format. */
class ScoredRowCoderTest {
  /** The original layout: id, nullable patient, count, (DoubleCoder score, target byte)*, attributes. */
  private static byte[] referenceEncoding(String id, String patient, double[] s, int[] t, String[] a)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    NullableCoder<String> nullable = NullableCoder.of(StringUtf8Coder.of());
    StringUtf8Coder.of().encode(id, out);
    nullable.encode(patient, out);
    VarIntCoder.of().encode(s.length, out);
    for (int i = 0; i < s.length; i++) {
      DoubleCoder.of().encode(s[i], out);
      out.write(t[i]);
    }
    VarIntCoder.of().encode(a.length, out);
    for (String v : a) {
      nullable.encode(v, out);
    }
    return out.toByteArray();
  }

  @Test
  void bytesMatchTheElementByElementFormatAndRoundTrip() throws IOException {
    double[] s = {0.0, -0.0, 0.123456789, 1.0, 7.25e300, -3.5e-300, Double.MIN_VALUE};
    int[] t = {0, 1, 1, 0, 1, 0, 1};
    String[] a = {"Female", null, "80-"};
    ScoredRow row = ScoredRow.of("r1", null, s, t, a);
    byte[] bytes = CoderUtils.encodeToByteArray(ScoredRowCoder.of(), row);
    assertThat(bytes, equalTo(referenceEncoding("r1", null, s, t, a)));
    ScoredRow back = CoderUtils.decodeFromByteArray(ScoredRowCoder.of(), bytes);
    assertThat(CoderUtils.encodeToByteArray(ScoredRowCoder.of(), back), equalTo(bytes));
    assertThat(back.target(4), equalTo(1));
    assertThat(Double.doubleToRawLongBits(back.score(1)), equalTo(Double.doubleToRawLongBits(-0.0)));
  }

  /** A batch through its coder, nested among other values (Beam's nested context): the same rows, bit for bit. */
  @Test
  void batchRoundTripsInsideAList() throws IOException {
    double[] s = {0.0, -0.0, 7.25e300, Double.MIN_VALUE};
    ScoredRowBatch.Builder b = ScoredRowBatch.builder(2, 1);
    for (int i = 0; i < s.length; i++) {
      b.add(ScoredRow.of("r" + i, i == 2 ? null : "p", new double[] {s[i], 1 - s[i]}, new int[] {i % 2, 1},
          new String[] {i == 1 ? null : "Female"}));
    }
    ScoredRowBatch batch = b.build();
    org.apache.beam.sdk.coders.ListCoder<ScoredRowBatch> list =
        org.apache.beam.sdk.coders.ListCoder.of(org.chexaudit.transforms.coders.ScoredRowBatchCoder.of());
    java.util.List<ScoredRowBatch> back =
        CoderUtils.decodeFromByteArray(list, CoderUtils.encodeToByteArray(list, java.util.List.of(batch, batch)));
    assertThat(back.size(), equalTo(2));
    for (ScoredRowBatch x : back) {
      for (int i = 0; i < s.length; i++) {
        assertThat(x.row(i), equalTo(batch.row(i)));
        assertThat(Double.doubleToRawLongBits(x.score(0, i)), equalTo(Double.doubleToRawLongBits(s[i])));
      }
    }
  }
}
