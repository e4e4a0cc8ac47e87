package org.chexaudit.models;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code training_log.csv}: one row per epoch with {@code epoch, train_loss, val_loss, seconds,
 * images_per_s}; a multitask model adds {@code train_loss_<head>, val_loss_<head>} per head (the
 * main columns are the disease head, the checkpoint monitor). With a learning-rate schedule
 * (CheXclusion) {@code seed, lr} follow, as the original's {@code log_train} (lr: the rate the epoch
 * was trained with). On resume, rows after the checkpoint's epoch are dropped so the log matches the
 * restored state.
 */
final class TrainingLog {
  private final Path file;
  private final List<Head> heads;
  private final boolean withLearningRate;

  private TrainingLog(Path file, List<Head> heads, boolean withLearningRate) {
    this.file = file;
    this.heads = heads;
    this.withLearningRate = withLearningRate;
  }

  static TrainingLog open(Path file, List<Head> heads, int lastEpoch, boolean withLearningRate) throws IOException {
    TrainingLog log = new TrainingLog(file, heads, withLearningRate);
    List<String> keep = new ArrayList<>();
    keep.add(log.header());
    if (Files.exists(file)) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String first = line.split(",", 2)[0];
        if (!first.isBlank() && Integer.parseInt(first) <= lastEpoch) {
          keep.add(line);
        }
      }
    }
    Files.write(file, keep, StandardCharsets.UTF_8);
    return log;
  }

  private String header() {
    StringBuilder h = new StringBuilder("epoch,train_loss,val_loss,seconds,images_per_s");
    if (heads.size() > 1) {
      for (Head head : heads) {
        h.append(",train_loss_").append(head.key()).append(",val_loss_").append(head.key());
      }
    }
    if (withLearningRate) {
      h.append(",seed,lr");
    }
    return h.toString();
  }

  void append(int epoch, Map<Head, Double> train, Map<Head, Double> val, double seconds, double imagesPerSecond,
      long seed, float learningRate) throws IOException {
    Head main = heads.get(0);
    StringBuilder row = new StringBuilder();
    row.append(epoch).append(',').append(num(train.get(main))).append(',').append(num(val.get(main)))
        .append(',').append(String.format(Locale.ROOT, "%.3f", seconds))
        .append(',').append(String.format(Locale.ROOT, "%.3f", imagesPerSecond));
    if (heads.size() > 1) {
      for (Head h : heads) {
        row.append(',').append(num(train.get(h))).append(',').append(num(val.get(h)));
      }
    }
    if (withLearningRate) {
      row.append(',').append(seed).append(',').append(learningRate);
    }
    row.append('\n');
    Files.writeString(file, row, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }
}
