package org.chexaudit.transforms.explore;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.schemas.Prediction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class SelectLogitsTest {
  private static final List<String> LABELS = List.of("No Finding", "Edema", "Pleural Effusion");

  private static Prediction prediction(String id, String split, String task, Float... logits) {
    return Prediction.newBuilder().setId(id).setPatientId("p" + id).setSplit(split).setTask(task)
        .setProbabilities(List.of()).setLogits(List.of(logits)).setTargets(List.of()).setAttributes(Map.of()).build();
  }

  @Test
  void picksTheNamedLabelsLogitsOfOneSplitAndHead(TestPipeline p) {
    PCollection<String> out = p.apply(Create.of(
                prediction("a", "test", "disease", 1f, 2f, 3f),
                prediction("b", "validate", "disease", 4f, 5f, 6f),
                prediction("c", "test", "race", 7f, 8f, 9f))
            .withCoder(AvroCoder.of(Prediction.class)))
        .apply(SelectLogits.of(LABELS, List.of("Pleural Effusion", "No Finding")).withSplit("test"))
        .apply(MapElements.into(TypeDescriptors.strings()).via(kv -> kv.getKey() + Arrays.toString(kv.getValue())));
    PAssert.that(out).containsInAnyOrder("a[3.0, 1.0]");
    p.run();
  }

  @Test
  void anUnknownLabelIsRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SelectLogits.of(LABELS, List.of("Effusion")));
    assertThat(e.getMessage(), containsString("selected label 'Effusion' is not one of the labels"));
  }

  @Test
  void aHeadWithAnotherNumberOfOutputsFailsTheRun(TestPipeline p) {
    p.apply(Create.of(prediction("a", "test", "disease", 1f, 2f)).withCoder(AvroCoder.of(Prediction.class)))
        .apply(SelectLogits.of(LABELS, List.of("No Finding")));
    PipelineExecutionException e = assertThrows(PipelineExecutionException.class, p::run);
    assertThat(e.getCause().getMessage(), containsString("prediction a has 2 disease logits, but the configuration names 3"));
  }
}
