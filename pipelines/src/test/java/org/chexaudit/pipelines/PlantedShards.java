package org.chexaudit.pipelines;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.chexaudit.schemas.ImageExample;

/**
 * A preprocess-like output of test images: noise, plus a bright disc when the planted finding
 * (disease label {@link #PLANTED}, and sex_label 1) is present. Each split is written as two shards.
 */
final class PlantedShards {
  static final int PLANTED = 10;

  private PlantedShards() {}

  static void write(Path out, String split, int n, int size, long seed) throws IOException {
    write(out, split, n, size, size, seed);
  }

  /** {@code height x width} images, as preprocess --resize=shorter-side writes them. */
  static void write(Path out, String split, int n, int height, int width, long seed) throws IOException {
    write(out, split, n, height, width, 14, seed);
  }

  /** ... with {@code labelCount} disease labels (CheXclusion's union has 8). */
  static void write(Path out, String split, int n, int height, int width, int labelCount, long seed)
      throws IOException {
    Random rng = new Random(seed);
    List<ImageExample> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean finding = rng.nextBoolean();
      byte[] px = new byte[height * width];
      for (int p = 0; p < px.length; p++) {
        px[p] = (byte) rng.nextInt(160);
      }
      if (finding) {
        int cx = width / 4 + rng.nextInt(width / 2);
        int cy = height / 4 + rng.nextInt(height / 2);
        double r = Math.min(height, width) / 6.0;
        for (int y = 0; y < height; y++) {
          for (int x = 0; x < width; x++) {
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
              px[y * width + x] = (byte) 250;
            }
          }
        }
      }
      List<Float> labels = new ArrayList<>();
      for (int k = 0; k < labelCount; k++) {
        Float label = 0f;
        if (k == PLANTED) {
          label = finding ? 1f : rng.nextBoolean() ? 0f : -1f; // -1 (uncertain) counts as negative
        } else if (k == 0) {
          label = null; // blank counts as negative
        }
        labels.add(label);
      }
      int race = rng.nextInt(3);
      all.add(ImageExample.newBuilder().setId(String.format("%s%04d", split, i)).setPatientId("p" + i)
          .setSplit(split).setHeight(height).setWidth(width).setPixels(ByteBuffer.wrap(px)).setLabels(labels)
          .setSexLabel(finding ? 1 : 0).setRaceLabel(race)
          .setAttributes(Map.of("sex", finding ? "Female" : "Male", "race", race == 0 ? "White" : "Other")).build());
    }
    Path dir = out.resolve("images").resolve(split);
    Files.createDirectories(dir);
    for (int s = 0; s < 2; s++) {
      try (DataFileWriter<ImageExample> w = new DataFileWriter<>(new SpecificDatumWriter<>(ImageExample.class))) {
        w.create(ImageExample.getClassSchema(), dir.resolve("part-0000" + s + "-of-00002.avro").toFile());
        for (int i = s; i < all.size(); i += 2) {
          w.append(all.get(i));
        }
      }
    }
  }

  /** Mann-Whitney AUC of {@code scores} against {@code positive}. */
  static double auc(double[] scores, boolean[] positive) {
    double sum = 0;
    long pos = 0;
    long neg = 0;
    for (int i = 0; i < scores.length; i++) {
      if (positive[i]) {
        pos++;
        for (int j = 0; j < scores.length; j++) {
          if (!positive[j]) {
            sum += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
          }
        }
      } else {
        neg++;
      }
    }
    return sum / (pos * neg);
  }
}
