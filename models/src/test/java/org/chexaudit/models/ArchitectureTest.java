package org.chexaudit.models;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private static long parameters(Architecture a, int classes) {
    try (NetworkGraph g = NetworkGraph.inference(new ModelSpec(a, 64, Task.DISEASE, classes), 1)) {
      return g.vars.parameterCount();
    }
  }

  @Test
  void denseNet121HasTorchvisionParameterCount() {
    // sum(p.numel() for p in torchvision.models.densenet121().parameters())
    assertThat(parameters(Architecture.DENSENET121, 1000), equalTo(7_978_856L));
  }

  @Test
  void resNet34HasTorchvisionParameterCount() {
    // sum(p.numel() for p in torchvision.models.resnet34().parameters())
    assertThat(parameters(Architecture.RESNET34, 1000), equalTo(21_797_672L));
  }

  @Test
  void denseNetUsesTorchvisionStateDictNames() {
    try (NetworkGraph g = NetworkGraph.inference(ModelSpec.of(Architecture.DENSENET121, 64, Task.DISEASE), 1)) {
      List<String> names = g.vars.specs().stream().map(VariableSpec::name).toList();
      assertThat(names, hasItems("features.conv0.weight", "features.norm0.running_var",
          "features.denseblock4.denselayer16.conv2.weight", "features.transition3.conv.weight",
          "features.norm5.bias", "classifier.weight", "classifier.bias"));
      assertThat(g.embeddings.shape().get(1), equalTo(1024L));
    }
  }

  @Test
  void resNetEmbeddingIs512AndMultitaskHasThreeHeads() {
    try (NetworkGraph g = NetworkGraph.inference(ModelSpec.of(Architecture.RESNET34, 64, Task.MULTITASK), 1)) {
      List<String> names = g.vars.specs().stream().map(VariableSpec::name).toList();
      assertThat(names, hasItems("layer2.0.downsample.0.weight", "layer4.2.bn2.running_mean",
          "fc_disease.weight", "fc_sex.bias", "fc_race.weight"));
      assertThat(g.embeddings.shape().get(1), equalTo(512L));
    }
  }
}
