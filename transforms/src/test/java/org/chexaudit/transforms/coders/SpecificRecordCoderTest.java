package org.chexaudit.transforms.coders;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.SerializableUtils;
import org.chexaudit.schemas.ImageExample;
import org.junit.jupiter.api.Test;

class SpecificRecordCoderTest {
  private static ImageExample example() {
    return ImageExample.newBuilder().setId("p1_study1_view1_frontal").setPatientId("p1").setSplit("train")
        .setHeight(2).setWidth(2).setPixels(ByteBuffer.wrap(new byte[] {0, 1, (byte) 200, (byte) 255}))
        .setLabels(List.of(1f, 0f)).setSexLabel(1).setRaceLabel(2).setDiseaseLabel(0)
        .setAttributes(Map.of("sex", "Female")).build();
  }

  @Test
  void writesTheSameBytesAsAvroCoderAndReadsThemBack() throws Exception {
    SpecificRecordCoder<ImageExample> coder = SpecificRecordCoder.of(ImageExample.class);
    byte[] ours = CoderUtils.encodeToByteArray(coder, example());
    assertThat(ours, equalTo(CoderUtils.encodeToByteArray(AvroCoder.of(ImageExample.class), example())));
    assertThat(CoderUtils.decodeFromByteArray(coder, ours), equalTo(example()));
  }

  @Test
  void serialisesAsTheClassAloneAndStillWorksAfterwards() throws Exception {
    SpecificRecordCoder<ImageExample> coder = SpecificRecordCoder.of(ImageExample.class);
    byte[] serialised = SerializableUtils.serializeToByteArray(coder);
    assertThat(serialised.length, lessThan(SerializableUtils.serializeToByteArray(AvroCoder.of(ImageExample.class)).length / 2));
    @SuppressWarnings("unchecked")
    Coder<ImageExample> copy = (Coder<ImageExample>) SerializableUtils.deserializeFromByteArray(serialised, "coder");
    assertThat(copy, equalTo(coder));
    assertThat(CoderUtils.clone(copy, example()), equalTo(example()));
  }

  @Test
  void isNotDeterministic() {
    assertThrows(Coder.NonDeterministicException.class,
        () -> SpecificRecordCoder.of(ImageExample.class).verifyDeterministic());
  }
}
