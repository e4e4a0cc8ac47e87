package org.chexaudit.pipelines.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.chexaudit.pipelines.stage.StageOutput;

/**
 * A small run folder with known numbers, laid out as {@code audit} lays it out: a disease metrics stage
 * (labels named by {@code --labelNames}) with a planted TPR gap (Female below Male for Pleural Effusion,
 * score column class_10) and a negative control (Fracture, class_12, equal rates), race from the images
 * (AUC well above chance) and from frozen features (SPLIT, at chance), a KS table with one rejected test,
 * a training log, and the predictions and groups files the metrics manifest names (for the ROC figures).
 */
final class ReportFixture {
  static final String HEADER =
      "label,attribute,group,n,positives,negatives,auc,threshold,tpr,fpr,auc_lo,auc_hi,tpr_lo,tpr_hi,fpr_lo,fpr_hi\n";

  private ReportFixture() {}

  static Path write(Path run) {
    try {
      Path inputs = Files.createDirectories(run.resolve("predictions/disease"));
      Path predictions = inputs.resolve("predictions.test.csv");
      Path groups = inputs.resolve("groups.csv");
      writePredictions(predictions, groups);

      StageOutput d = StageOutput.begin("metrics", run.resolve("metrics/disease"), false)
          .withInput("predictions", predictions).withInput("groupsFile", groups);
      Files.writeString(d.tmp().resolve("metrics.csv"), HEADER
          + "Pleural Effusion,all,all,400,100,300,0.85,0.4,0.68,0.2,0.8,0.9,0.6,0.76,0.16,0.24\n"
          + "Pleural Effusion,sex,Female,180,40,140,0.8,0.4,0.5,0.2,0.72,0.88,0.35,0.65,0.14,0.27\n"
          + "Pleural Effusion,sex,Male,220,60,160,0.9,0.4,0.8,0.2,0.85,0.95,0.7,0.9,0.14,0.26\n"
          + "Fracture,all,all,400,100,300,0.51,0.4,0.6,0.2,0.45,0.57,0.5,0.7,0.16,0.24\n"
          + "Fracture,sex,Female,180,40,140,0.5,0.4,0.6,0.2,0.4,0.6,0.45,0.75,0.14,0.27\n"
          + "Fracture,sex,Male,220,60,160,0.52,0.4,0.6,0.2,0.44,0.6,0.47,0.72,0.14,0.26\n");
      Files.writeString(d.tmp().resolve("disparity.csv"), "label,attribute,group,tpr,tpr_gap,share_of_positives\n"
          + "Pleural Effusion,sex,Female,0.5,-0.15,0.4\nPleural Effusion,sex,Male,0.8,0.15,0.6\n"
          + "Fracture,sex,Female,0.6,0.0,0.4\nFracture,sex,Male,0.6,0.0,0.6\n");
      Files.writeString(d.tmp().resolve("calibration.csv"), "label,attribute,group,ece,mean_predicted,fraction_positive,count\n"
          + "Pleural Effusion,sex,Female,0.05,0.2,0.15,90\nPleural Effusion,sex,Female,0.05,0.6,0.55,90\n"
          + "Pleural Effusion,sex,Male,0.04,0.25,0.22,110\nPleural Effusion,sex,Male,0.04,0.7,0.66,110\n");
      png(d.tmp().resolve("roc_class_10.png"));
      d.commit(Map.of("scoreColumns", "class_10,class_12", "targetColumns", "target_10,target_12",
          "labelNames", "Pleural Effusion,Fracture", "groupColumns", List.of("sex"), "thresholdRule", "fpr:0.2"),
          Map.of("rows", 400));

      metrics(run, "metrics/race", "0.95,0.4,0.9,0.1,0.93,0.97", "0.9,0.4,0.8,0.1,0.86,0.94");
      metrics(run, "metrics/race-split", "0.52,0.4,0.3,0.2,0.47,0.57", "0.49,0.4,0.3,0.2,0.44,0.55");

      StageOutput e = StageOutput.begin("explore", run.resolve("explore"), false);
      Files.writeString(e.tmp().resolve("ks_tests.csv"), "feature,comparison,n1,n2,D,p,p_adjusted,rejected\n"
          + "PCA Mode 1,Black vs White,100,100,0.21,0.0001,0.003,true\n"
          + "PCA Mode 2,Female vs Male,100,100,0.05,0.8,1.0,false\n");
      png(e.tmp().resolve("pca-mode-1+2-race.png"));
      e.commit(Map.of(), Map.of("ks_tests", 2));

      StageOutput m = StageOutput.begin("train", run.resolve("models/disease"), false);
      Files.writeString(m.tmp().resolve("training_log.csv"),
          "epoch,train_loss,val_loss,seconds,images_per_s\n1,0.7,0.72,1,10\n2,0.5,0.6,1,10\n3,0.4,0.58,1,10\n");
      m.commit(Map.of(), Map.of());
      return run;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static void metrics(Path run, String name, String white, String black) throws IOException {
    StageOutput s = StageOutput.begin("metrics", run.resolve(name), false);
    Files.writeString(s.tmp().resolve("metrics.csv"), HEADER
        + "class_0,all,all,400,300,100," + white + ",0.85,0.95,0.05,0.15\n"
        + "class_2,all,all,400,50,350," + black + ",0.7,0.9,0.05,0.15\n");
    s.commit(Map.of("thresholdRule", "youden"), Map.of("rows", 400));
  }

  /** 400 images, 200 per sex, scores that separate class_10 better for Male than for Female. */
  private static void writePredictions(Path predictions, Path groups) throws IOException {
    Random random = new Random(7);
    StringBuilder p = new StringBuilder("id,class_10,class_12,target_10,target_12\n");
    StringBuilder g = new StringBuilder("id,sex\n");
    for (int i = 0; i < 400; i++) {
      String sex = i % 2 == 0 ? "Female" : "Male";
      int y10 = random.nextDouble() < 0.25 ? 1 : 0;
      int y12 = random.nextDouble() < 0.25 ? 1 : 0;
      double s10 = random.nextGaussian() * 0.2 + (y10 == 1 ? (sex.equals("Male") ? 0.8 : 0.6) : 0.4);
      double s12 = random.nextDouble();
      p.append("img").append(i).append(',').append(s10).append(',').append(s12).append(',').append(y10).append(',')
          .append(y12).append('\n');
      g.append("img").append(i).append(',').append(sex).append('\n');
    }
    Files.writeString(predictions, p);
    Files.writeString(groups, g);
  }

  private static void png(Path file) throws IOException {
    BufferedImage img = new BufferedImage(60, 40, BufferedImage.TYPE_INT_RGB);
    img.getGraphics().fillRect(10, 10, 20, 20);
    ImageIO.write(img, "png", file.toFile());
  }
}
