package org.chexaudit.core.explore;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TsneTest {
  /** {@code perCluster} points around each of {@code clusters} centres 10 apart in 10-D. */
  private static double[][] clusters(int clusters, int perCluster, long seed, int[] labels) {
    Random rng = new Random(seed);
    double[][] centres = new double[clusters][10];
    for (double[] c : centres) {
      for (int j = 0; j < 10; j++) {
        c[j] = 10 * rng.nextGaussian();
      }
    }
    double[][] x = new double[clusters * perCluster][10];
    for (int i = 0; i < x.length; i++) {
      labels[i] = i % clusters;
      for (int j = 0; j < 10; j++) {
        x[i][j] = centres[labels[i]][j] + rng.nextGaussian();
      }
    }
    return x;
  }

  /** Leave-one-out 5-nearest-neighbour accuracy in the embedding. */
  private static double knnAccuracy(double[][] y, int[] labels, int clusters) {
    NearestNeighbors.Result knn = NearestNeighbors.search(y, 5, 1);
    int correct = 0;
    for (int i = 0; i < y.length; i++) {
      int[] votes = new int[clusters];
      for (int j : knn.neighbours()[i]) {
        votes[labels[j]]++;
      }
      int best = 0;
      for (int c = 1; c < clusters; c++) {
        if (votes[c] > votes[best]) {
          best = c;
        }
      }
      correct += best == labels[i] ? 1 : 0;
    }
    return correct / (double) y.length;
  }

  @Test
  void keepsWellSeparatedClustersApartAndLowersKl() {
    int[] labels = new int[400];
    double[][] x = clusters(4, 100, 5, labels);
    Tsne.Result result = Tsne.create().withSeed(42).fit(x);
    assertThat(result.embedding().length, equalTo(400));
    assertThat(knnAccuracy(result.embedding(), labels, 4), greaterThan(0.95));
    List<Tsne.Checkpoint> progress = result.progress();
    // Checks at iterations 49, 99, ..., 249 (exaggerated), then 299 ... 999.
    assertThat(progress.get(progress.size() - 1).iteration(), equalTo(999));
    double firstAfterExploration = progress.stream().filter(c -> c.iteration() == 299)
        .findFirst().orElseThrow().klDivergence();
    double last = progress.get(progress.size() - 1).klDivergence();
    assertThat(last, lessThan(firstAfterExploration));
    assertThat(last, greaterThan(0.0));
  }

  @Test
  void sameSeedGivesSameEmbeddingForAnyThreadCount() {
    // 2,500 points span three 1,024-point chunks, so two threads really split the work.
    int[] labels = new int[2500];
    double[][] x = clusters(5, 500, 9, labels);
    Tsne tsne = Tsne.create().withSeed(7).withIterations(60).withExplorationIterations(30)
        .withPerplexity(10);
    double[][] a = tsne.fit(x).embedding();
    double[][] b = tsne.withThreads(2).fit(x).embedding();
    double[][] c = tsne.withSeed(8).fit(x).embedding();
    assertThat(a, equalTo(b));
    assertThat(a[0][0] == c[0][0], equalTo(false));
  }

  @Test
  void rejectsPerplexityNotBelowRowCount() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Tsne.create().fit(new double[10][3]));
    assertThat(e.getMessage(), containsString("perplexity"));
  }
}
