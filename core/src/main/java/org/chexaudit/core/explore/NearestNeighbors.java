package org.chexaudit.core.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Exact Euclidean k-nearest neighbours by blocked brute force: squared distances come from
 * {@code |x|^2 + |y|^2 - 2 x.y} with register-tiled dot products, each query block is handled by
 * one thread, and the final k distances are recomputed directly for accuracy. Each query scans
 * the references in index order and keeps a strictly closer candidate only, so ties go to the
 * smaller index and the result does not depend on the thread count.
 */
public final class NearestNeighbors {
  private static final int QUERY_BLOCK = 64;
  private static final int REF_BLOCK = 512;

  /** neighbours[i][m] is the m-th nearest other point of i; squaredDistances alike. */
  public record Result(int[][] neighbours, double[][] squaredDistances) {}

  private NearestNeighbors() {}

  /** The k nearest other points of every row of {@code x} (rows of equal length). */
  public static Result search(double[][] x, int k, int threads) {
    int n = x.length;
    if (k < 1 || k >= n) {
      throw new IllegalArgumentException("k must be in [1, n-1] = [1, " + (n - 1) + "], got " + k);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    int d = x[0].length;
    double[] flat = new double[n * d];
    double[] norms = new double[n];
    for (int i = 0; i < n; i++) {
      if (x[i].length != d) {
        throw new IllegalArgumentException("row " + i + " has " + x[i].length + " values, expected " + d);
      }
      System.arraycopy(x[i], 0, flat, i * d, d);
      double s = 0;
      for (double v : x[i]) {
        s += v * v;
      }
      norms[i] = s;
    }
    int[][] nbr = new int[n][k];
    double[][] dist = new double[n][k];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int q0 = 0; q0 < n; q0 += QUERY_BLOCK) {
        int start = q0;
        int end = Math.min(n, q0 + QUERY_BLOCK);
        futures.add(pool.submit(() -> searchBlock(flat, norms, n, d, k, start, end, nbr, dist)));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("nearest-neighbour search interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("nearest-neighbour search failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return new Result(nbr, dist);
  }

  private static void searchBlock(double[] x, double[] norms, int n, int d, int k,
      int q0, int q1, int[][] nbr, double[][] dist) {
    int nq = q1 - q0;
    // Per-query max-heaps of (distance, index) of size k.
    double[][] heapD = new double[nq][k];
    int[][] heapI = new int[nq][k];
    int[] size = new int[nq];
    double[] dots = new double[nq * REF_BLOCK];
    for (int r0 = 0; r0 < n; r0 += REF_BLOCK) {
      int r1 = Math.min(n, r0 + REF_BLOCK);
      int nr = r1 - r0;
      dotBlock(x, d, q0, nq, r0, nr, dots);
      for (int a = 0; a < nq; a++) {
        int q = q0 + a;
        double[] hd = heapD[a];
        int[] hi = heapI[a];
        double nq2 = norms[q];
        for (int b = 0; b < nr; b++) {
          int r = r0 + b;
          if (r == q) {
            continue;
          }
          double d2 = nq2 + norms[r] - 2 * dots[a * REF_BLOCK + b];
          if (size[a] < k) {
            siftUp(hd, hi, size[a]++, d2, r);
          } else if (d2 < hd[0]) {
            replaceTop(hd, hi, k, d2, r);
          }
        }
      }
    }
    for (int a = 0; a < nq; a++) {
      int q = q0 + a;
      // Exact distances for the survivors, then sort by (distance, index).
      long[] order = new long[k];
      double[] exact = new double[k];
      for (int m = 0; m < k; m++) {
        int r = heapI[a][m];
        double s = 0;
        for (int j = 0; j < d; j++) {
          double diff = x[q * d + j] - x[r * d + j];
          s += diff * diff;
        }
        exact[m] = s;
      }
      Integer[] idx = new Integer[k];
      for (int m = 0; m < k; m++) {
        idx[m] = m;
      }
      int[] hi = heapI[a];
      java.util.Arrays.sort(idx, (u, v) -> exact[u] != exact[v]
          ? Double.compare(exact[u], exact[v]) : Integer.compare(hi[u], hi[v]));
      for (int m = 0; m < k; m++) {
        nbr[q][m] = hi[idx[m]];
        dist[q][m] = exact[idx[m]];
      }
    }
  }

  /** dots[a*REF_BLOCK + b] = x[q0+a] . x[r0+b], with 2x4 register tiles. */
  private static void dotBlock(double[] x, int d, int q0, int nq, int r0, int nr, double[] dots) {
    int a = 0;
    for (; a + 1 < nq; a += 2) {
      int p0 = (q0 + a) * d;
      int p1 = p0 + d;
      int b = 0;
      for (; b + 3 < nr; b += 4) {
        int y0 = (r0 + b) * d;
        int y1 = y0 + d;
        int y2 = y1 + d;
        int y3 = y2 + d;
        double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        for (int j = 0; j < d; j++) {
          double u0 = x[p0 + j];
          double u1 = x[p1 + j];
          double v0 = x[y0 + j];
          double v1 = x[y1 + j];
          double v2 = x[y2 + j];
          double v3 = x[y3 + j];
          s00 += u0 * v0; s01 += u0 * v1; s02 += u0 * v2; s03 += u0 * v3;
          s10 += u1 * v0; s11 += u1 * v1; s12 += u1 * v2; s13 += u1 * v3;
        }
        int o0 = a * REF_BLOCK + b;
        int o1 = o0 + REF_BLOCK;
        dots[o0] = s00; dots[o0 + 1] = s01; dots[o0 + 2] = s02; dots[o0 + 3] = s03;
        dots[o1] = s10; dots[o1 + 1] = s11; dots[o1 + 2] = s12; dots[o1 + 3] = s13;
      }
      for (; b < nr; b++) {
        dots[a * REF_BLOCK + b] = dot(x, p0, (r0 + b) * d, d);
        dots[(a + 1) * REF_BLOCK + b] = dot(x, p1, (r0 + b) * d, d);
      }
    }
    for (; a < nq; a++) {
      for (int b = 0; b < nr; b++) {
        dots[a * REF_BLOCK + b] = dot(x, (q0 + a) * d, (r0 + b) * d, d);
      }
    }
  }

  private static double dot(double[] x, int p, int q, int d) {
    double s = 0;
    for (int j = 0; j < d; j++) {
      s += x[p + j] * x[q + j];
    }
    return s;
  }

  private static boolean greater(double da, int ia, double db, int ib) {
    return da > db || (da == db && ia > ib);
  }

  private static void siftUp(double[] hd, int[] hi, int pos, double d2, int r) {
    while (pos > 0) {
      int parent = (pos - 1) >> 1;
      if (!greater(d2, r, hd[parent], hi[parent])) {
        break;
      }
      hd[pos] = hd[parent];
      hi[pos] = hi[parent];
      pos = parent;
    }
    hd[pos] = d2;
    hi[pos] = r;
  }

  private static void replaceTop(double[] hd, int[] hi, int k, double d2, int r) {
    int pos = 0;
    while (true) {
      int c = 2 * pos + 1;
      if (c >= k) {
        break;
      }
      if (c + 1 < k && greater(hd[c + 1], hi[c + 1], hd[c], hi[c])) {
        c++;
      }
      if (!greater(hd[c], hi[c], d2, r)) {
        break;
      }
      hd[pos] = hd[c];
      hi[pos] = hi[c];
      pos = c;
    }
    hd[pos] = d2;
    hi[pos] = r;
  }
}
