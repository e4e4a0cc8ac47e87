package org.chexaudit.pipelines.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.chexaudit.core.stats.RocCurve;
import org.chexaudit.pipelines.stage.AvroFiles;
import org.chexaudit.pipelines.stage.StageOutput;
import org.chexaudit.schemas.SubgroupMetric;

/**
 * A small run folder with known numbers, laid out as {@code audit} lays it out: a disease metrics stage
 * (labels named by {@code --labelNames}) with a planted TPR gap (Female below Male for Pleural Effusion,
 * score column class_10) and a negative control (Fracture, class_12, equal rates), race from the images
 * (AUC well above chance) and from frozen features (SPLIT, at chance), a KS table with one rejected test,
 * a training log, and the disease stage's {@code metrics.avro} with ROC points (for the ROC figures).
 */
final class ReportFixture {
  static final String HEADER =
      "label,attribute,group,n,positives,negatives,auc,threshold,tpr,fpr,auc_lo,auc_hi,tpr_lo,tpr_hi,fpr_lo,fpr_hi\n";

  private ReportFixture() {}

  static Path write(Path run) {
    try {
      StageOutput d = StageOutput.begin("metrics", run.resolve("metrics/disease"), false);
      AvroFiles.write(d.tmp().resolve("metrics.avro"), SubgroupMetric.class, rocRecords());
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

  /**
   * The disease stage's records with ROC points, as its pipeline writes them: 400 images, 200 per sex,
   * scores that separate Pleural Effusion better for Male than for Female; Fracture at chance.
   */
  static List<SubgroupMetric> rocRecords() {
    Random random = new Random(7);
    int n = 400;
    String[] sex = new String[n];
    int[][] y = new int[2][n];
    double[][] s = new double[2][n];
    for (int i = 0; i < n; i++) {
      sex[i] = i % 2 == 0 ? "Female" : "Male";
      y[0][i] = random.nextDouble() < 0.25 ? 1 : 0;
      y[1][i] = random.nextDouble() < 0.25 ? 1 : 0;
      s[0][i] = random.nextGaussian() * 0.2 + (y[0][i] == 1 ? (sex[i].equals("Male") ? 0.8 : 0.6) : 0.4);
      s[1][i] = random.nextDouble();
    }
    List<SubgroupMetric> out = new ArrayList<>();
    String[] labels = {"Pleural Effusion", "Fracture"};
    for (int l = 0; l < 2; l++) {
      for (String group : new String[] {"all", "Female", "Male"}) {
        int[] rows = java.util.stream.IntStream.range(0, n).filter(i -> group.equals("all") || sex[i].equals(group))
            .toArray();
        int[] yy = new int[rows.length];
        double[] ss = new double[rows.length];
        for (int k = 0; k < rows.length; k++) {
          yy[k] = y[l][rows[k]];
          ss[k] = s[l][rows[k]];
        }
        RocCurve roc = RocCurve.of(yy, ss);
        long positives = java.util.Arrays.stream(yy).sum();
        out.add(SubgroupMetric.newBuilder().setLabel(labels[l]).setAttribute(group.equals("all") ? "all" : "sex")
            .setGroup(group).setN(rows.length).setPositives(positives).setNegatives(rows.length - positives)
            .setAuc(roc.area()).setThreshold(0.4).setTpr(0.6).setFpr(0.2)
            .setRocFpr(java.util.Arrays.stream(roc.fpr()).boxed().toList())
            .setRocTpr(java.util.Arrays.stream(roc.tpr()).boxed().toList()).build());
      }
    }
    return out;
  }

  private static void png(Path file) throws IOException {
    BufferedImage img = new BufferedImage(60, 40, BufferedImage.TYPE_INT_RGB);
    img.getGraphics().fillRect(10, 10, 20, 20);
    ImageIO.write(img, "png", file.toFile());
  }
}
