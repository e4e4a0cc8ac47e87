package org.chexaudit.models;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports torchvision state dicts with random weights and randomised BatchNorm statistics
 * (src/test/python/make_torch_reference.py) and checks that {@link Predictor} on the imported model dir
 * gives PyTorch's logits, probabilities and embeddings.
 */
class ModelImportTest {
  /** Absolute tolerance on logits, probabilities and embeddings. */
  static final double TOLERANCE = 1e-4;

  static final List<String> CHEXPERT = List.of("No Finding", "Enlarged Cardiomediastinum", "Cardiomegaly",
      "Lung Opacity", "Lung Lesion", "Edema", "Consolidation", "Pneumonia", "Atelectasis", "Pneumothorax",
      "Pleural Effusion", "Pleural Other", "Fracture", "Support Devices");

  @Test
  void denseNetWithChexpertHeadReproducesTorchvision(@TempDir Path tmp) throws Exception {
    TorchReference ref = TorchReference.load("densenet121_chexpert");
    ModelImport w = ModelImport.read(ref.writeStateDict(tmp.resolve("densenet.npz")));
    assertThat(w.architecture(), equalTo(Architecture.DENSENET121));
    assertThat(w.outputs(), equalTo(14));
    ModelSpec spec = w.spec(null, 64, InputRecipe.IMAGENET_CENTRE_CROP);
    w.write(spec, Map.of(Head.DISEASE, CHEXPERT), tmp.resolve("model"), 2);
    assertMatches(ref, tmp.resolve("model"), Head.DISEASE);
  }

  @Test
  void resNetWithThreeClassSoftmaxHeadReproducesTorchvision(@TempDir Path tmp) throws Exception {
    TorchReference ref = TorchReference.load("resnet34_race");
    ModelImport w = ModelImport.read(ref.writeStateDict(tmp.resolve("resnet.npz")));
    assertThat(w.architecture(), equalTo(Architecture.RESNET34));
    ModelSpec spec = w.spec(Task.RACE, 64, InputRecipe.RAW);
    w.write(spec, Map.of(), tmp.resolve("model"), 2);
    assertMatches(ref, tmp.resolve("model"), Head.RACE);
  }

  @Test
  void torchXrayVisionGreyStemAndScalingReproduceTorch(@TempDir Path tmp) throws Exception {
    TorchReference ref = TorchReference.load("densenet121_xrv");
    ModelImport w = ModelImport.read(ref.writeStateDict(tmp.resolve("xrv.npz")));
    assertThat(w.inputChannels(), equalTo(1));
    assertThat(w.outputs(), equalTo(18));
    w.write(w.spec(Task.DISEASE, 64, InputRecipe.TORCHXRAYVISION), Map.of(), tmp.resolve("model"), 2);
    assertMatches(ref, tmp.resolve("model"), Head.DISEASE);
  }

  private static void assertMatches(TorchReference ref, Path modelDir, Head head) throws Exception {
    try (Predictor p = Predictor.load(modelDir, 8, 2)) {
      Scores s = p.predict(ref.images);
      double dl = TorchReference.maxAbsDiff(s.logits(head), ref.logits);
      double dp = TorchReference.maxAbsDiff(s.probabilities(head), ref.probabilities);
      double de = TorchReference.maxAbsDiff(s.embeddings(), ref.embeddings);
      System.out.printf(Locale.ROOT, "%s vs torch: max |diff| logits %.2e, probabilities %.2e, embeddings %.2e%n",
          ref.name, dl, dp, de);
      assertThat(ref.name + " logits", dl, lessThan(TOLERANCE));
      assertThat(ref.name + " probabilities", dp, lessThan(TOLERANCE));
      assertThat(ref.name + " embeddings", de, lessThan(TOLERANCE));
    }
  }

  @Test
  void refusesAWrongShapeNamingTensorAndFile(@TempDir Path tmp) throws Exception {
    Map<String, NamedArray> sd = TorchReference.load("resnet34_race").stateDict();
    sd.put("layer2.0.bn1.running_var", new NamedArray("layer2.0.bn1.running_var", new long[] {64}, new float[64]));
    Path f = tmp.resolve("bad-shape.npz");
    Npz.write(f, sd);
    ModelImport w = ModelImport.read(f);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> w.write(w.spec(Task.RACE, 64, InputRecipe.RAW), Map.of(), tmp.resolve("model"), 1));
    assertThat(e.getMessage(), allOf(containsString(f.toString()),
        containsString("tensor layer2.0.bn1.running_var has shape [64] but the model expects [128]")));
  }

  @Test
  void refusesMissingAndForeignTensors(@TempDir Path tmp) throws Exception {
    Map<String, NamedArray> sd = TorchReference.load("resnet34_race").stateDict();
    sd.remove("layer4.2.bn2.running_mean");
    Path missing = tmp.resolve("missing.npz");
    Npz.write(missing, sd);
    ModelImport m = ModelImport.read(missing);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.write(m.spec(Task.RACE, 64, InputRecipe.RAW), Map.of(), tmp.resolve("a"), 1));
    assertThat(e.getMessage(), allOf(containsString(missing.toString()),
        containsString("tensor layer4.2.bn2.running_mean is missing")));

    sd = TorchReference.load("resnet34_race").stateDict();
    // A ResNet-50 bottleneck conv: not part of ResNet-34.
    sd.put("layer1.0.conv3.weight", new NamedArray("layer1.0.conv3.weight", new long[] {256, 64, 1, 1},
        new float[256 * 64]));
    Path foreign = tmp.resolve("foreign.npz");
    Npz.write(foreign, sd);
    ModelImport f = ModelImport.read(foreign);
    e = assertThrows(IllegalArgumentException.class,
        () -> f.write(f.spec(Task.RACE, 64, InputRecipe.RAW), Map.of(), tmp.resolve("b"), 1));
    assertThat(e.getMessage(), allOf(containsString(foreign.toString()),
        containsString("tensor layer1.0.conv3.weight [256, 64, 1, 1] is not part of this model")));
  }

  @Test
  void refusesAHeadThatDoesNotFitTheTaskOrTheLabels(@TempDir Path tmp) throws Exception {
    TorchReference ref = TorchReference.load("resnet34_race");
    Path f = ref.writeStateDict(tmp.resolve("resnet.npz"));
    ModelImport w = ModelImport.read(f);
    IllegalArgumentException task = assertThrows(IllegalArgumentException.class,
        () -> w.spec(Task.SEX, 64, InputRecipe.RAW));
    assertThat(task.getMessage(), containsString("tensor fc.weight has 3 outputs but a sex head has 2 classes"));
    IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
        () -> w.write(w.spec(Task.DISEASE, 64, InputRecipe.RAW), Map.of(Head.DISEASE, List.of("a", "b")),
            tmp.resolve("m"), 1));
    assertThat(labels.getMessage(), containsString("2 labels given for the disease head but fc.weight in " + f
        + " has 3 outputs"));

    Map<String, NamedArray> sd = ref.stateDict();
    sd.put("fc.weight", new NamedArray("fc.weight", new long[] {3, 256}, new float[768]));
    Path narrow = tmp.resolve("narrow.npz");
    Npz.write(narrow, sd);
    IllegalArgumentException head = assertThrows(IllegalArgumentException.class, () -> ModelImport.read(narrow));
    assertThat(head.getMessage(), allOf(containsString(narrow.toString()),
        containsString("tensor fc.weight has shape [3, 256] but a resnet34 head takes 512 features")));

    sd.remove("fc.weight");
    sd.remove("fc.bias");
    Path headless = tmp.resolve("headless.npz");
    Npz.write(headless, sd);
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> ModelImport.read(headless));
    assertThat(none.getMessage(), containsString("tensor fc.weight is missing: the file has no head to import"));
  }

  @Test
  void greyStemKernelGoesToChannelZero() {
    NamedArray grey = new NamedArray("features.conv0.weight", new long[] {2, 1, 1, 2}, new float[] {1, 2, 3, 4});
    NamedArray rgb = WeightFiles.greyToThreeChannels(grey);
    assertThat(rgb.shape(), equalTo(new long[] {2, 3, 1, 2}));
    assertThat(rgb.values(), equalTo(new float[] {1, 2, 0, 0, 0, 0, 3, 4, 0, 0, 0, 0}));
  }
}
