package org.chexaudit.core.explore;

import java.util.Locale;
import java.util.Random;

/**
 * Timings for PCA and t-SNE on generated, structured data; run by benchmarks/explore-benchmark.sh.
 *
 * <pre>
 *   ExploreBenchmark pca  ROWS DIMS THREADS   (PCA with fraction 0.99: covariance, fit, projection)
 *   ExploreBenchmark tsne ROWS DIMS THREADS   (t-SNE with sklearn defaults: kNN, P, 1000 iterations)
 * </pre>
 */
public final class ExploreBenchmark {
  private ExploreBenchmark() {}

  public static void main(String[] args) {
    String mode = args[0];
    int rows = Integer.parseInt(args[1]);
    int dims = Integer.parseInt(args[2]);
    int threads = Integer.parseInt(args[3]);
    if (mode.equals("pca")) {
      pca(rows, dims);
    } else if (mode.equals("tsne")) {
      tsne(rows, dims, threads);
    } else {
      throw new IllegalArgumentException("mode must be pca or tsne, got " + mode);
    }
  }

  /** Rows = latent factors with decaying scales times a fixed mixing, plus noise, offset 5. */
  private static float[][] structured(int rows, int dims, int latent, int clusters, long seed) {
    Random rng = new Random(seed);
    double[][] mix = new double[latent][dims];
    for (double[] m : mix) {
      for (int j = 0; j < dims; j++) {
        m[j] = rng.nextGaussian() / Math.sqrt(dims);
      }
    }
    double[][] centres = new double[clusters][latent];
    for (double[] c : centres) {
      for (int l = 0; l < latent; l++) {
        c[l] = 3 * rng.nextGaussian() / (1 + l / 4.0);
      }
    }
    float[][] x = new float[rows][dims];
    double[] z = new double[latent];
    for (int i = 0; i < rows; i++) {
      double[] c = centres[i % clusters];
      for (int l = 0; l < latent; l++) {
        z[l] = c[l] + rng.nextGaussian() / (1 + l / 16.0);
      }
      float[] row = x[i];
      for (int j = 0; j < dims; j++) {
        row[j] = (float) (5.0 + 0.01 * rng.nextGaussian());
      }
      for (int l = 0; l < latent; l++) {
        double zl = z[l];
        double[] m = mix[l];
        for (int j = 0; j < dims; j++) {
          row[j] += (float) (zl * m[j]);
        }
      }
    }
    return x;
  }

  private static void pca(int rows, int dims) {
    long g0 = System.nanoTime();
    float[][] x = structured(rows, dims, 256, 10, 1);
    System.out.printf(Locale.ROOT, "pca: generated %d x %d in %.1f s%n", rows, dims, secs(g0));
    long t0 = System.nanoTime();
    CovarianceAccumulator acc = new CovarianceAccumulator(dims);
    double[] row = new double[dims];
    for (float[] r : x) {
      for (int j = 0; j < dims; j++) {
        row[j] = r[j];
      }
      acc.add(row);
    }
    acc.flush();
    double tCov = secs(t0);
    long t1 = System.nanoTime();
    PcaModel model = PcaModel.fit(acc, 0.99);
    double tFit = secs(t1);
    long t2 = System.nanoTime();
    double check = 0;
    for (float[] r : x) {
      for (int j = 0; j < dims; j++) {
        row[j] = r[j];
      }
      check += model.project(row)[0];
    }
    double tProject = secs(t2);
    System.out.printf(Locale.ROOT,
        "pca: %d x %d -> k=%d (ratio1=%.4f); covariance %.1f s, eigen fit %.1f s, projection %.1f s,"
            + " total %.1f s (mean score1 %.2e)%n",
        rows, dims, model.numComponents(), model.explainedVarianceRatio()[0], tCov, tFit, tProject,
        tCov + tFit + tProject, check / rows);
  }

  private static void tsne(int rows, int dims, int threads) {
    float[][] f = structured(rows, dims, 64, 20, 2);
    double[][] x = new double[rows][dims];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < dims; j++) {
        x[i][j] = f[i][j];
      }
    }
    f = null;
    Tsne tsne = Tsne.create().withSeed(1).withThreads(threads);
    int k = Math.min(rows - 1, (int) (3.0 * tsne.perplexity() + 1));
    long t0 = System.nanoTime();
    NearestNeighbors.Result knn = NearestNeighbors.search(x, k, threads);
    double tKnn = secs(t0);
    long t1 = System.nanoTime();
    Affinities p = Affinities.joint(knn.neighbours(),
        Affinities.conditional(knn.squaredDistances(), tsne.perplexity()));
    double tP = secs(t1);
    long t2 = System.nanoTime();
    Tsne.Result result = tsne.optimise(p);
    double tOpt = secs(t2);
    Tsne.Checkpoint last = result.progress().get(result.progress().size() - 1);
    System.out.printf(Locale.ROOT,
        "tsne: %d x %d, %d threads: kNN(k=%d) %.1f s, affinities %.1f s, %d iterations %.1f s,"
            + " total %.1f s; KL at iteration %d = %.4f%n",
        rows, dims, threads, k, tKnn, tP, result.iterationsRun(), tOpt, tKnn + tP + tOpt,
        last.iteration(), last.klDivergence());
    for (Tsne.Checkpoint c : result.progress()) {
      System.out.printf(Locale.ROOT, "tsne:   iteration %4d KL %.4f%n", c.iteration(),
          c.klDivergence());
    }
  }

  private static double secs(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
