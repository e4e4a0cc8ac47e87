package org.chexaudit.pipelines;

import org.chexaudit.pipelines.stage.StageOutput;

import org.chexaudit.pipelines.cli.ImportModelCommand;

import org.chexaudit.pipelines.PlantedShards;
import org.chexaudit.pipelines.PredictPipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.models.NamedArray;
import org.chexaudit.models.Npz;
import org.chexaudit.pipelines.options.ImportModelOptions;
import org.chexaudit.pipelines.options.PredictOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The import-model command on the ResNet-34 state dict of the models module's PyTorch reference (its BatchNorm
 * and head tensors as torch wrote them; conv weights zero here, since this test checks the command, and
 * models' ModelImportTest checks the numbers against torch): model dir, manifest, labels, refusals, --help,
 * and predict scoring the imported model.
 */
class ImportModelCommandTest {
  /** The models module's test resources; the reactor layout puts them beside this module. */
  private static final Path REFERENCE = Path.of("..", "models", "src", "test", "resources", "torch-reference");

  @TempDir Path tmp;

  private Map<String, NamedArray> resnetStateDict() throws Exception {
    Map<String, NamedArray> sd = Npz.read(REFERENCE.resolve("resnet34_race.tensors.npz"));
    for (String line : Files.readAllLines(REFERENCE.resolve("resnet34_race.generated.txt"))) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] parts = line.split(" ");
      long[] shape = Arrays.stream(parts[1].split(",")).mapToLong(Long::parseLong).toArray();
      sd.put(parts[0], new NamedArray(parts[0], shape, new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)]));
    }
    return sd;
  }

  private ImportModelOptions options(Path weights, Path out) {
    ImportModelOptions o = PipelineOptionsFactory.as(ImportModelOptions.class);
    o.setWeights(weights.toString());
    o.setOutput(out.toString());
    o.setImageSize(32);
    o.setInputRecipe("raw");
    o.setThreads(2);
    return o;
  }

  @Test
  void importsAThreeOutputResNetThatPredictScores() throws Exception {
    Path weights = tmp.resolve("resnet34.npz");
    Npz.write(weights, resnetStateDict());
    Path model = tmp.resolve("model");
    ImportModelOptions o = options(weights, model);
    o.setHeadLabels("effusion,edema,nodule");
    ImportModelCommand.run(o);

    Map<?, ?> manifest = StageOutput.readManifest(model);
    assertThat(manifest.get("stage"), equalTo("import-model"));
    assertThat(((Map<?, ?>) ((Map<?, ?>) manifest.get("inputs")).get("weights")).get("bytes"),
        equalTo((int) Files.size(weights)));
    Map<?, ?> meta = new ObjectMapper().readValue(model.resolve("model.json").toFile(), Map.class);
    assertThat(((Map<?, ?>) meta.get("spec")).get("architecture"), equalTo("resnet34"));
    assertThat(((Map<?, ?>) meta.get("labels")).get("disease"), equalTo(List.of("effusion", "edema", "nodule")));
    assertThat(Files.exists(model.resolve("saved_model/saved_model.pb")), equalTo(true));

    Path images = tmp.resolve("preprocess");
    PlantedShards.write(images, "test", 12, 32, 32, 3, 7); // predict wants as many labels as outputs
    PredictOptions p = PipelineOptionsFactory.as(PredictOptions.class);
    p.setModel(model.toString());
    p.setShards(images.toString());
    p.setSplits("test");
    p.setOutput(tmp.resolve("predict").toString());
    p.setThreads(2);
    PredictPipeline.run(p);
    List<String> rows = Files.readAllLines(tmp.resolve("predict/predictions.test.csv"));
    assertThat(rows.size(), equalTo(13));
    assertThat(rows.get(0), containsString("logit_2"));
  }

  @Test
  void refusesAFileThatDoesNotFitNamingTensorAndFile() throws Exception {
    Map<String, NamedArray> sd = resnetStateDict();
    sd.put("layer3.1.bn2.weight", new NamedArray("layer3.1.bn2.weight", new long[] {128}, new float[128]));
    Path bad = tmp.resolve("bad.npz");
    Npz.write(bad, sd);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImportModelCommand.run(options(bad, tmp.resolve("out"))));
    assertThat(e.getMessage(), allOf(containsString(bad.toString()),
        containsString("tensor layer3.1.bn2.weight has shape [128] but the model expects [256]")));
    assertThat(Files.exists(tmp.resolve("out")), equalTo(false));

    Path good = tmp.resolve("good.npz");
    Npz.write(good, resnetStateDict());
    ImportModelOptions wrongArch = options(good, tmp.resolve("out2"));
    wrongArch.setArchitecture("densenet121");
    assertThat(assertThrows(IllegalArgumentException.class, () -> ImportModelCommand.run(wrongArch)).getMessage(),
        containsString("--architecture=densenet121 but " + good + " holds a resnet34"));
    ImportModelOptions wrongLabels = options(good, tmp.resolve("out3"));
    wrongLabels.setHeadLabels("a,b");
    assertThat(assertThrows(IllegalArgumentException.class, () -> ImportModelCommand.run(wrongLabels)).getMessage(),
        containsString("--headLabels names 2 outputs but the disease head (fc.weight)"));
  }

  @Test
  void readsAndWritesFileUris() throws Exception {
    Path weights = tmp.resolve("uri.npz");
    Npz.write(weights, resnetStateDict());
    Path labels = tmp.resolve("labels.txt");
    Files.writeString(labels, "# three outputs\neffusion\nedema\nnodule\n");
    Path model = tmp.resolve("uri-model");
    ImportModelOptions o = options(weights, model);
    o.setWeights(weights.toUri().toString());
    o.setOutput(model.toUri().toString());
    o.setHeadLabels(labels.toUri().toString());
    ImportModelCommand.run(o);
    assertThat(StageOutput.isFinished(model.toString()), equalTo(true));
    Map<?, ?> meta = new ObjectMapper().readValue(model.resolve("model.json").toFile(), Map.class);
    assertThat(((Map<?, ?>) meta.get("labels")).get("disease"), equalTo(List.of("effusion", "edema", "nodule")));
    assertThat(((Map<?, ?>) meta.get("imported")).get("weights"), equalTo(weights.toString()));
    assertThat(Files.exists(model.resolve("saved_model/saved_model.pb")), equalTo(true));
  }

  @Test
  void helpListsTheOptions() {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      ImportModelCommand.main(new String[] {"--help"});
    } finally {
      System.setOut(old);
    }
    String help = buf.toString(StandardCharsets.UTF_8);
    for (String option : List.of("--weights", "--architecture", "--headLabels", "--task", "--inputRecipe", "--imageSize",
        "--output", "--overwrite")) {
      assertThat(help, containsString(option));
    }
  }
}
