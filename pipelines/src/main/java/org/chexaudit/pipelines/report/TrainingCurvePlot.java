package org.chexaudit.pipelines.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** Draws a model's {@code training_log.csv} (train and validation loss per epoch) as a PNG. */
final class TrainingCurvePlot {
  private TrainingCurvePlot() {}

  /** PNG bytes, or null when the log has no epochs or lacks the loss columns. */
  static byte[] render(String title, Path trainingLog) throws IOException {
    List<String> lines = Files.readAllLines(trainingLog);
    if (lines.size() < 2) {
      return null;
    }
    List<String> header = List.of(lines.get(0).split(","));
    int epoch = header.indexOf("epoch");
    int train = header.indexOf("train_loss");
    int val = header.indexOf("val_loss");
    if (epoch < 0 || train < 0 || val < 0) {
      return null;
    }
    List<Double> x = new ArrayList<>();
    List<Double> t = new ArrayList<>();
    List<Double> v = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      x.add(Double.parseDouble(f[epoch]));
      t.add(Double.parseDouble(f[train]));
      v.add(Double.parseDouble(f[val]));
    }
    XYChart chart = new XYChartBuilder().width(600).height(380).title(title)
        .xAxisTitle("epoch").yAxisTitle("loss").build();
    chart.addSeries("train loss", x, t);
    chart.addSeries("validation loss", x, v);
    return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
  }
}
