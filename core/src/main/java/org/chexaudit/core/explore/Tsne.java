package org.chexaudit.core.explore;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Barnes-Hut t-SNE to 2 dimensions with the defaults and optimiser of
 * {@code sklearn.manifold.TSNE(init='random', learning_rate='auto', method='barnes_hut')}
 * (sklearn 1.2): {@code 3*perplexity} exact nearest neighbours, per-point perplexity calibration,
 * symmetrised P; 250 iterations with P exaggerated 12x and momentum 0.5, then momentum 0.8 up to
 * 1000 iterations (gains and update restart between the phases); gains +0.2 / x0.8 clipped at
 * 0.01; learning rate {@code max(N / exaggeration / 4, 50)}; a progress check every 50
 * iterations that stops after 300 iterations without progress or when the gradient norm is at
 * most 1e-7; initial positions N(0, 1e-4^2).
 *
 * <p>Deterministic: points are processed in fixed chunks whose partial sums are added in chunk
 * order, so a seed gives the same embedding for any thread count.
 */
public final class Tsne implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int CHUNK = 1024;
  private static final int CHECK_EVERY = 50;
  private static final double MIN_GAIN = 0.01;
  private static final double FLOAT32_TINY = 1.1754943508222875e-38;

  /** KL divergence measured at an iteration (0-based; exaggerated P during exploration). */
  public record Checkpoint(int iteration, double klDivergence) {}

  /** The embedding (n rows of 2) and the KL divergence at each progress check. */
  public record Result(double[][] embedding, List<Checkpoint> progress, int iterationsRun) {}

  private final double perplexity;
  private final double earlyExaggeration;
  private final int iterations;
  private final int explorationIterations;
  private final double angle;
  private final double learningRate;
  private final long seed;
  private final int threads;

  private Tsne(double perplexity, double earlyExaggeration, int iterations,
      int explorationIterations, double angle, double learningRate, long seed, int threads) {
    this.perplexity = perplexity;
    this.earlyExaggeration = earlyExaggeration;
    this.iterations = iterations;
    this.explorationIterations = explorationIterations;
    this.angle = angle;
    this.learningRate = learningRate;
    this.seed = seed;
    this.threads = threads;
  }

  /** sklearn's defaults, seed 0, one thread. */
  public static Tsne create() {
    return new Tsne(30.0, 12.0, 1000, 250, 0.5, Double.NaN, 0L, 1);
  }

  public Tsne withPerplexity(double value) {
    check(value > 0, "perplexity", value);
    return new Tsne(value, earlyExaggeration, iterations, explorationIterations, angle,
        learningRate, seed, threads);
  }

  public Tsne withEarlyExaggeration(double value) {
    check(value >= 1, "earlyExaggeration", value);
    return new Tsne(perplexity, value, iterations, explorationIterations, angle, learningRate,
        seed, threads);
  }

  /** Total iterations including the exploration phase (sklearn {@code n_iter}). */
  public Tsne withIterations(int value) {
    check(value >= 1, "iterations", value);
    return new Tsne(perplexity, earlyExaggeration, value, explorationIterations, angle,
        learningRate, seed, threads);
  }

  public Tsne withExplorationIterations(int value) {
    check(value >= 0, "explorationIterations", value);
    return new Tsne(perplexity, earlyExaggeration, iterations, value, angle, learningRate, seed,
        threads);
  }

  public Tsne withAngle(double value) {
    check(value >= 0 && value <= 1, "angle", value);
    return new Tsne(perplexity, earlyExaggeration, iterations, explorationIterations, value,
        learningRate, seed, threads);
  }

  /** A fixed learning rate; the default (NaN) is sklearn's 'auto'. */
  public Tsne withLearningRate(double value) {
    check(value > 0 || Double.isNaN(value), "learningRate", value);
    return new Tsne(perplexity, earlyExaggeration, iterations, explorationIterations, angle,
        value, seed, threads);
  }

  public Tsne withSeed(long value) {
    return new Tsne(perplexity, earlyExaggeration, iterations, explorationIterations, angle,
        learningRate, value, threads);
  }

  public Tsne withThreads(int value) {
    check(value >= 1, "threads", value);
    return new Tsne(perplexity, earlyExaggeration, iterations, explorationIterations, angle,
        learningRate, seed, value);
  }

  private static void check(boolean ok, String field, double value) {
    if (!ok) {
      throw new IllegalArgumentException("Tsne: invalid " + field + ": " + value);
    }
  }

  public double perplexity() {
    return perplexity;
  }

  public long seed() {
    return seed;
  }

  /** Embeds the rows of {@code x} (equal lengths, at least 2 rows) in 2-D. */
  public Result fit(double[][] x) {
    int n = x.length;
    if (n < 2) {
      throw new IllegalArgumentException("Tsne needs at least 2 rows, got " + n);
    }
    if (perplexity >= n) {
      throw new IllegalArgumentException(
          "Tsne: perplexity " + perplexity + " must be less than the number of rows " + n);
    }
    int k = Math.min(n - 1, (int) (3.0 * perplexity + 1));
    NearestNeighbors.Result knn = NearestNeighbors.search(x, k, threads);
    double[][] conditional = Affinities.conditional(knn.squaredDistances(), perplexity);
    Affinities p = Affinities.joint(knn.neighbours(), conditional);
    return optimise(p);
  }

  /** Runs the gradient descent on precomputed joint probabilities. */
  public Result optimise(Affinities p) {
    int n = p.size();
    double rate = Double.isNaN(learningRate)
        ? Math.max(n / earlyExaggeration / 4.0, 50.0) : learningRate;
    Random rng = new Random(seed);
    double[] y = new double[2 * n];
    for (int t = 0; t < y.length; t++) {
      y[t] = 1e-4 * rng.nextGaussian();
    }
    List<Checkpoint> progress = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      Gradient gradient = new Gradient(p, n, pool);
      int explore = Math.min(explorationIterations, iterations);
      int last = descend(gradient, y, 0, explore, 0.5, earlyExaggeration, rate, explore, progress);
      int run = last + 1;
      if (iterations > explore) {
        last = descend(gradient, y, explore, iterations, 0.8, 1.0, rate, 300, progress);
        run = last + 1;
      }
      double[][] embedding = new double[n][2];
      for (int i = 0; i < n; i++) {
        embedding[i][0] = y[2 * i];
        embedding[i][1] = y[2 * i + 1];
      }
      return new Result(embedding, List.copyOf(progress), run);
    } finally {
      pool.shutdownNow();
    }
  }

  /** sklearn's {@code _gradient_descent}; returns the last iteration run. */
  private int descend(Gradient gradient, double[] y, int from, int to, double momentum,
      double exaggeration, double rate, int withoutProgress, List<Checkpoint> progress) {
    double[] update = new double[y.length];
    double[] gains = new double[y.length];
    Arrays.fill(gains, 1.0);
    double[] grad = new double[y.length];
    double bestError = Double.MAX_VALUE;
    int bestIter = from;
    int i = from;
    for (; i < to; i++) {
      boolean check = (i + 1) % CHECK_EVERY == 0;
      boolean computeError = check || i == to - 1;
      double error = gradient.compute(y, exaggeration, computeError, angle * angle, grad);
      double norm = 0;
      for (int t = 0; t < y.length; t++) {
        if (update[t] * grad[t] < 0.0) {
          gains[t] += 0.2;
        } else {
          gains[t] *= 0.8;
        }
        if (gains[t] < MIN_GAIN) {
          gains[t] = MIN_GAIN;
        }
        grad[t] *= gains[t];
        update[t] = momentum * update[t] - rate * grad[t];
        y[t] += update[t];
        norm += grad[t] * grad[t];
      }
      if (computeError) {
        progress.add(new Checkpoint(i, error));
      }
      if (check) {
        if (error < bestError) {
          bestError = error;
          bestIter = i;
        } else if (i - bestIter > withoutProgress) {
          break;
        }
        if (Math.sqrt(norm) <= 1e-7) {
          break;
        }
      }
    }
    return Math.min(i, to - 1);
  }

  /** The Barnes-Hut KL gradient, computed over fixed chunks of points. */
  private static final class Gradient {
    private final Affinities p;
    private final int n;
    private final ExecutorService pool;
    private final int chunks;
    private final double[] negative;
    private final double[] chunkSumQ;
    private final double[] chunkError;
    private final double[] pointSumQ;
    private final long[] keyed;

    Gradient(Affinities p, int n, ExecutorService pool) {
      this.p = p;
      this.n = n;
      this.pool = pool;
      this.chunks = (n + CHUNK - 1) / CHUNK;
      this.negative = new double[2 * n];
      this.chunkSumQ = new double[chunks];
      this.chunkError = new double[chunks];
      this.pointSumQ = new double[n];
      this.keyed = new long[n];
    }

    /** Fills {@code grad} and returns the KL divergence (NaN unless computeError). */
    double compute(double[] y, double exaggeration, boolean computeError, double thetaSquared,
        double[] grad) {
      QuadTree tree = new QuadTree(y, n);
      int stackSize = tree.stackSize();
      int[] order = spatialOrder(y);
      // Points are visited in space-filling-curve order, so consecutive walks of the tree touch the
      // same nodes (cache hits); each point's force and q-sum do not depend on the visiting order, and
      // the q-sums are added up below in index order, so the result is that of index order.
      forEachChunk(c -> {
        int[] stack = new int[stackSize];
        double[] force = new double[2];
        for (int at = c * CHUNK, end = Math.min(n, at + CHUNK); at < end; at++) {
          int i = order[at];
          force[0] = 0;
          force[1] = 0;
          pointSumQ[i] = tree.repulsion(y[2 * i], y[2 * i + 1], thetaSquared, stack, force);
          negative[2 * i] = force[0];
          negative[2 * i + 1] = force[1];
        }
      });
      for (int c = 0; c < chunks; c++) {
        double s = 0;
        for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
          s += pointSumQ[i];
        }
        chunkSumQ[c] = s;
      }
      double sumQ = 0;
      for (double s : chunkSumQ) {
        sumQ += s;
      }
      double z = sumQ;
      int[] rowStart = p.rowStart();
      int[] cols = p.columns();
      double[] vals = p.values();
      forEachChunk(c -> {
        double error = 0;
        for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
          double yx = y[2 * i];
          double yy = y[2 * i + 1];
          double fx = 0;
          double fy = 0;
          for (int t = rowStart[i]; t < rowStart[i + 1]; t++) {
            int j = cols[t];
            double pij = vals[t] * exaggeration;
            double dx = yx - y[2 * j];
            double dy = yy - y[2 * j + 1];
            double q = 1.0 / (1.0 + dx * dx + dy * dy);
            double w = pij * q;
            fx += w * dx;
            fy += w * dy;
            if (computeError) {
              error += pij * Math.log(Math.max(pij, FLOAT32_TINY) / Math.max(q / z, FLOAT32_TINY));
            }
          }
          grad[2 * i] = 4.0 * (fx - negative[2 * i] / z);
          grad[2 * i + 1] = 4.0 * (fy - negative[2 * i + 1] / z);
        }
        chunkError[c] = error;
      });
      if (!computeError) {
        return Double.NaN;
      }
      double error = 0;
      for (double e : chunkError) {
        error += e;
      }
      return error;
    }

    /** Point indices sorted by the Morton (Z-order) code of their position on a 2^16 grid. */
    private int[] spatialOrder(double[] y) {
      double[] box = QuadTree.bounds(y, n);
      double x0 = box[0];
      double y0 = box[1];
      double x1 = box[2];
      double y1 = box[3];
      double sx = x1 > x0 ? 65535 / (x1 - x0) : 0;
      double sy = y1 > y0 ? 65535 / (y1 - y0) : 0;
      for (int i = 0; i < n; i++) {
        long code = interleave((int) ((y[2 * i] - x0) * sx)) | interleave((int) ((y[2 * i + 1] - y0) * sy)) << 1;
        keyed[i] = code << 32 | i;
      }
      Arrays.sort(keyed);
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = (int) keyed[i];
      }
      return order;
    }

    /** The 16 low bits of v spread to the even bit positions. */
    private static long interleave(int v) {
      long x = v & 0xffffL;
      x = (x | (x << 8)) & 0x00ff00ffL;
      x = (x | (x << 4)) & 0x0f0f0f0fL;
      x = (x | (x << 2)) & 0x33333333L;
      x = (x | (x << 1)) & 0x55555555L;
      return x;
    }

    private void forEachChunk(IntConsumer body) {
      List<Callable<Void>> tasks = new ArrayList<>(chunks);
      for (int c = 0; c < chunks; c++) {
        int chunk = c;
        tasks.add(() -> {
          body.accept(chunk);
          return null;
        });
      }
      try {
        for (Future<Void> f : pool.invokeAll(tasks)) {
          f.get();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("t-SNE interrupted", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("t-SNE gradient failed", e.getCause());
      }
    }
  }
}
