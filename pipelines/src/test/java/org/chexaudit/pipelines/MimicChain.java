package org.chexaudit.pipelines;

import static org.chexaudit.pipelines.ChexclusionEndToEndTest.options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.chexaudit.pipelines.options.ChexclusionCohortOptions;
import org.chexaudit.pipelines.options.ChexclusionEvalOptions;
import org.chexaudit.pipelines.options.PredictOptions;
import org.chexaudit.pipelines.options.PreprocessOptions;
import org.chexaudit.pipelines.options.TrainOptions;

/**
 * The CheXclusion chain after {@code synth --format=mimic} has written {@code dir/data}: chexclusion-cohort
 * ({@code dir/cohort}), preprocess with the shorter side to {@code imageSize} ({@code dir/pre}), train with
 * CheXclusion's protocol, one small-CNN model per seed ({@code dir/model/seed<N>}), predict
 * ({@code dir/predict/seed<N>}) and chexclusion-eval over the seeds ({@code dir/eval}).
 */
final class MimicChain {
  private MimicChain() {}

  /**
   * @param threads TensorFlow threads of train and predict (0: all cores)
   * @param trainArgs further train options, e.g. {@code --epochs=2}
   * @return the chexclusion-eval output folder
   */
  static Path run(Path dir, int imageSize, List<String> seeds, int threads, String... trainArgs) throws Exception {
    Path data = dir.resolve("data");
    Path cohort = dir.resolve("cohort");
    ChexclusionCohortPipeline.run(options(ChexclusionCohortOptions.class, "--dataset=mimic",
        "--mimicLabels=" + data.resolve("mimic-cxr-2.0.0-chexpert.csv"),
        "--mimicMetadata=" + data.resolve("mimic-cxr-metadata-detail.csv"), "--output=" + cohort));
    Path pre = dir.resolve("pre");
    PreprocessPipeline.run(options(PreprocessOptions.class, "--cohort=" + cohort, "--imageRoot=" + data,
        "--resize=shorter-side", "--imageSize=" + imageSize, "--splits=train,validate,test", "--output=" + pre));
    List<String> train = new ArrayList<>(List.of("--shards=" + pre, "--protocol=chexclusion", "--dataset=mimic",
        "--arch=smallcnn", "--seeds=" + String.join(",", seeds), "--threads=" + threads,
        "--output=" + dir.resolve("model")));
    train.addAll(List.of(trainArgs));
    TrainPipeline.run(options(TrainOptions.class, train.toArray(String[]::new)));
    Path predict = dir.resolve("predict");
    PredictPipeline.run(options(PredictOptions.class, "--model=" + dir.resolve("model"), "--shards=" + pre,
        "--splits=validate,test", "--threads=" + threads, "--output=" + predict));
    List<String> labels = Files.readAllLines(cohort.resolve("labels.txt"));
    String scores = IntStream.range(0, labels.size()).mapToObj(i -> "class_" + i).collect(Collectors.joining(","));
    String targets = IntStream.range(0, labels.size()).mapToObj(i -> "target_" + i).collect(Collectors.joining(","));
    Path eval = dir.resolve("eval");
    ChexclusionPipeline.run(options(ChexclusionEvalOptions.class,
        "--runs=" + seeds.stream().map(s -> predict.resolve("seed" + s).toString()).collect(Collectors.joining(",")),
        "--runNames=" + String.join(",", seeds), "--scoreColumns=" + scores, "--targetColumns=" + targets,
        "--labels=" + String.join(",", labels), "--groupColumns=sex,age,race,insurance",
        "--missingValues=0|UNKNOWN|UNABLE TO OBTAIN", "--groupsFile=" + cohort.resolve("groups.csv"),
        "--output=" + eval));
    return eval;
  }
}
