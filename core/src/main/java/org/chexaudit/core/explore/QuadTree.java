package org.chexaudit.core.explore;

import java.util.Arrays;

/**
 * A 2-D Barnes-Hut quadtree over a point set, as sklearn's {@code _QuadTree}: one point per leaf
 * (points within 1e-6 of a leaf's point count as duplicates of it), cells keep their point count
 * and centre of mass, and a cell is used as a summary when {@code maxWidth^2 / dist^2 < theta^2}.
 * Nodes live in flat arrays; the tree is rebuilt every iteration.
 */
final class QuadTree {
  private static final double DUPLICATE_EPSILON = 1e-6;

  private int nodeCount;
  private double[] minX;
  private double[] minY;
  private double[] maxX;
  private double[] maxY;
  private double[] sumX;
  private double[] sumY;
  private int[] count;
  /** First child index (children are contiguous, 4 of them), or -1 for a leaf. */
  private int[] firstChild;
  /** The point index held by a non-empty leaf. */
  private int[] leafPoint;
  /**
   * Per node, what {@link #repulsion} reads, side by side so one visit touches one cache line:
   * {@code [4c]} centre-of-mass x, {@code [4c+1]} y, {@code [4c+2]} squared width, {@code [4c+3]} point
   * count. Reading five separate arrays cost five cache misses per visited node.
   */
  private double[] summary;

  /** {min x, min y, max x, max y} of the points {@code (y[2i], y[2i+1])}, i < n. */
  static double[] bounds(double[] y, int n) {
    double x0 = Double.POSITIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    double y1 = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      x0 = Math.min(x0, y[2 * i]);
      x1 = Math.max(x1, y[2 * i]);
      y0 = Math.min(y0, y[2 * i + 1]);
      y1 = Math.max(y1, y[2 * i + 1]);
    }
    return new double[] {x0, y0, x1, y1};
  }

  /** Builds the tree over points {@code (y[2i], y[2i+1])}. */
  QuadTree(double[] y, int n) {
    allocate(Math.max(16, 4 * n));
    double[] box = bounds(y, n);
    double x0 = box[0];
    double y0 = box[1];
    double x1 = box[2];
    double y1 = box[3];
    // sklearn widens the upper bounds so that every point falls strictly inside.
    x1 = Math.max(x1 * (1 + 1e-3 * Math.signum(x1)), x1 + 1e-3);
    y1 = Math.max(y1 * (1 + 1e-3 * Math.signum(y1)), y1 + 1e-3);
    newNode(x0, y0, x1, y1);
    for (int i = 0; i < n; i++) {
      insert(y, i);
    }
    summary = new double[4 * nodeCount];
    for (int c = 0; c < nodeCount; c++) {
      if (count[c] > 0) {
        summary[4 * c] = sumX[c] / count[c];
        summary[4 * c + 1] = sumY[c] / count[c];
      }
      double w = Math.max(maxX[c] - minX[c], maxY[c] - minY[c]);
      summary[4 * c + 2] = w * w;
      summary[4 * c + 3] = count[c];
    }
  }

  private void allocate(int capacity) {
    minX = new double[capacity];
    minY = new double[capacity];
    maxX = new double[capacity];
    maxY = new double[capacity];
    sumX = new double[capacity];
    sumY = new double[capacity];
    count = new int[capacity];
    firstChild = new int[capacity];
    leafPoint = new int[capacity];
  }

  private void grow() {
    int capacity = minX.length * 2;
    minX = Arrays.copyOf(minX, capacity);
    minY = Arrays.copyOf(minY, capacity);
    maxX = Arrays.copyOf(maxX, capacity);
    maxY = Arrays.copyOf(maxY, capacity);
    sumX = Arrays.copyOf(sumX, capacity);
    sumY = Arrays.copyOf(sumY, capacity);
    count = Arrays.copyOf(count, capacity);
    firstChild = Arrays.copyOf(firstChild, capacity);
    leafPoint = Arrays.copyOf(leafPoint, capacity);
  }

  private int newNode(double x0, double y0, double x1, double y1) {
    if (nodeCount == minX.length) {
      grow();
    }
    int c = nodeCount++;
    minX[c] = x0;
    minY[c] = y0;
    maxX[c] = x1;
    maxY[c] = y1;
    firstChild[c] = -1;
    leafPoint[c] = -1;
    return c;
  }

  private void insert(double[] y, int i) {
    double px = y[2 * i];
    double py = y[2 * i + 1];
    int c = 0;
    while (true) {
      if (firstChild[c] < 0) {
        if (count[c] == 0) {
          leafPoint[c] = i;
          addTo(c, px, py);
          return;
        }
        int q = leafPoint[c];
        double qx = y[2 * q];
        double qy = y[2 * q + 1];
        if (Math.abs(px - qx) <= DUPLICATE_EPSILON && Math.abs(py - qy) <= DUPLICATE_EPSILON) {
          addTo(c, px, py);
          return;
        }
        split(c, qx, qy);
      }
      addTo(c, px, py);
      c = childFor(c, px, py);
    }
  }

  /** Turns leaf c, holding count[c] copies of (qx, qy), into an internal node. */
  private void split(int c, double qx, double qy) {
    double cx = (minX[c] + maxX[c]) / 2;
    double cy = (minY[c] + maxY[c]) / 2;
    double x0 = minX[c];
    double y0 = minY[c];
    double x1 = maxX[c];
    double y1 = maxY[c];
    int first = newNode(x0, y0, cx, cy);
    newNode(cx, y0, x1, cy);
    newNode(x0, cy, cx, y1);
    newNode(cx, cy, x1, y1);
    firstChild[c] = first;
    int q = leafPoint[c];
    leafPoint[c] = -1;
    int child = childFor(c, qx, qy);
    leafPoint[child] = q;
    count[child] = count[c];
    sumX[child] = sumX[c];
    sumY[child] = sumY[c];
  }

  private int childFor(int c, double px, double py) {
    double cx = (minX[c] + maxX[c]) / 2;
    double cy = (minY[c] + maxY[c]) / 2;
    return firstChild[c] + (px >= cx ? 1 : 0) + (py >= cy ? 2 : 0);
  }

  private void addTo(int c, double px, double py) {
    count[c]++;
    sumX[c] += px;
    sumY[c] += py;
  }

  /**
   * Adds the repulsive force on point (px, py) to {@code force[0..1]} (unnormalised:
   * {@code sum q^2 (p - y)} with {@code q = 1/(1+d^2)}) and returns {@code sum q}, the point's
   * contribution to the normalisation Z. Leaves holding the point itself are skipped.
   */
  double repulsion(double px, double py, double thetaSquared, int[] stack, double[] force) {
    double sumQ = 0;
    double fx = 0;
    double fy = 0;
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
      int c = stack[--top];
      int at = 4 * c;
      double size = summary[at + 3];
      if (size == 0) {
        continue;
      }
      double dx = px - summary[at];
      double dy = py - summary[at + 1];
      double d2 = dx * dx + dy * dy;
      boolean leaf = firstChild[c] < 0;
      if (leaf && Math.abs(dx) <= DUPLICATE_EPSILON && Math.abs(dy) <= DUPLICATE_EPSILON) {
        continue;
      }
      if (leaf || summary[at + 2] / d2 < thetaSquared) {
        double q = 1.0 / (1.0 + d2);
        sumQ += size * q;
        double mult = size * q * q;
        fx += mult * dx;
        fy += mult * dy;
      } else {
        int f = firstChild[c];
        stack[top++] = f + 3;
        stack[top++] = f + 2;
        stack[top++] = f + 1;
        stack[top++] = f;
      }
    }
    force[0] += fx;
    force[1] += fy;
    return sumQ;
  }

  /** Deepest possible stack for {@link #repulsion}: 3 siblings waiting per level, plus one. */
  int stackSize() {
    return 3 * depthBound() + 4;
  }

  private int depthBound() {
    // Every split halves the cell; nodeCount bounds the depth trivially but loosely.
    int depth = 0;
    int c = 0;
    int[] depthOf = new int[nodeCount];
    for (c = 0; c < nodeCount; c++) {
      if (firstChild[c] >= 0) {
        for (int k = 0; k < 4; k++) {
          depthOf[firstChild[c] + k] = depthOf[c] + 1;
        }
      }
      depth = Math.max(depth, depthOf[c]);
    }
    return depth;
  }
}
