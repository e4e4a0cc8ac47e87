package org.chexaudit.models;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightFilesTest {

  @Test
  void npzRoundTripsShapesAndValues(@TempDir Path tmp) throws Exception {
    Map<String, NamedArray> m = new LinkedHashMap<>();
    m.put("a.weight", new NamedArray("a.weight", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
    m.put("b", new NamedArray("b", new long[] {1}, new float[] {-7.5f}));
    m.put("scalar", new NamedArray("scalar", new long[0], new float[] {42f}));
    Npz.write(tmp.resolve("x.npz"), m);
    assertThat(Npz.read(tmp.resolve("x.npz")), equalTo(m));
  }

  @Test
  void layoutsConvertConvAndLinearBothWays() {
    VariableSpec conv = new VariableSpec("c", new long[] {4, 3, 2, 2}, VariableSpec.Layout.CONV,
        VariableSpec.Kind.PARAM, VariableSpec.Init.ZEROS, VariableSpec.BACKBONE);
    float[] torch = new float[48];
    for (int i = 0; i < torch.length; i++) {
      torch[i] = i;
    }
    float[] tf = Layouts.toTf(conv, torch);
    // torch [o=1, i=2, y=1, x=0] = ((1*3+2)*2+1)*2+0 = 22 sits at tf [y=1, x=0, i=2, o=1] = ((1*2+0)*3+2)*4+1 = 33
    assertThat(tf[33], equalTo(22f));
    assertArrayEquals(torch, Layouts.toTorch(conv, tf), 0f);
    VariableSpec lin = new VariableSpec("l", new long[] {2, 3}, VariableSpec.Layout.LINEAR,
        VariableSpec.Kind.PARAM, VariableSpec.Init.ZEROS, "classifier");
    assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, Layouts.toTf(lin, new float[] {0, 1, 2, 3, 4, 5}), 0f);
  }

  @Test
  void initWeightsMismatchNamesTensorAndBothShapes(@TempDir Path tmp) throws Exception {
    try (NetworkGraph g = NetworkGraph.inference(ModelSpec.of(Architecture.SMALL_CNN, 16, Task.DISEASE), 1)) {
      Map<String, NamedArray> weights = new LinkedHashMap<>(g.vars.initialValues(1, NetworkGraph::isModelState));
      weights.put("classifier.weight", new NamedArray("classifier.weight", new long[] {1000, 64}, new float[64000]));
      weights.put("features.norm0.num_batches_tracked", new NamedArray("features.norm0.num_batches_tracked", new long[0], new float[1]));
      Npz.write(tmp.resolve("ok.npz"), weights);
      assertThat(WeightFiles.backbone(tmp.resolve("ok.npz"), g.vars).size(), equalTo(15)); // 3 convs + 3 BN x 4

      weights.put("features.conv1.weight", new NamedArray("features.conv1.weight", new long[] {32, 16, 1, 1}, new float[512]));
      Npz.write(tmp.resolve("bad.npz"), weights);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> WeightFiles.backbone(tmp.resolve("bad.npz"), g.vars));
      assertThat(e.getMessage(), containsString("tensor features.conv1.weight has shape [32, 16, 1, 1] but the model expects [32, 16, 3, 3]"));

      weights.remove("features.conv1.weight");
      Npz.write(tmp.resolve("missing.npz"), weights);
      IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
          () -> WeightFiles.backbone(tmp.resolve("missing.npz"), g.vars));
      assertThat(m.getMessage(), containsString("tensor features.conv1.weight is missing"));
    }
  }
}
