package org.chexaudit.core.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * {@link BlockDraws} on a whole sample held in memory: the stratified bootstrap the Beam
 * {@code Bootstrap} draws block by block, for one label whose rows lie in score segments
 * ({@link ScoreSegments}). Rows of a block are ordered by (score, tie-break), strata by name. The same
 * seed gives the same weights as the distributed draw, so it is the reference the Beam transform is
 * tested against.
 */
public final class SegmentedResample implements ResampleScheme {
  private static final long serialVersionUID = 1L;
  private final int n;
  private final long[] segments;
  /** Rows of stratum s in block b, in block order. */
  private final int[][][] rows;
  private final long[][] sizes;

  private SegmentedResample(int n, long[] segments, int[][][] rows, long[][] sizes) {
    this.n = n;
    this.segments = segments;
    this.rows = rows;
    this.sizes = sizes;
  }

  /** Row i has class {@code strata[i]}, lies in segment {@code segment[i]}, and sorts by (score, tieBreak) in it. */
  public static SegmentedResample of(String[] strata, int[] segment, double[] score, long[] tieBreak) {
    int n = strata.length;
    TreeSet<Integer> blocks = new TreeSet<>();
    for (int s : segment) {
      blocks.add(s);
    }
    List<String> names = new ArrayList<>(new TreeSet<>(java.util.Arrays.asList(strata)));
    List<Integer> blockList = new ArrayList<>(blocks);
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    java.util.Arrays.sort(order, Comparator.comparingInt((Integer i) -> segment[i])
        .thenComparingDouble(i -> score[i]).thenComparingLong(i -> tieBreak[i]));
    TreeMap<Integer, List<List<Integer>>> byBlock = new TreeMap<>();
    for (int i : order) {
      byBlock.computeIfAbsent(segment[i], b -> {
        List<List<Integer>> l = new ArrayList<>();
        names.forEach(x -> l.add(new ArrayList<>()));
        return l;
      }).get(names.indexOf(strata[i])).add(i);
    }
    int[][][] rows = new int[blockList.size()][names.size()][];
    long[][] sizes = new long[names.size()][blockList.size()];
    for (int b = 0; b < blockList.size(); b++) {
      for (int s = 0; s < names.size(); s++) {
        rows[b][s] = byBlock.get(blockList.get(b)).get(s).stream().mapToInt(Integer::intValue).toArray();
        sizes[s][b] = rows[b][s].length;
      }
    }
    return new SegmentedResample(n, blockList.stream().mapToLong(Integer::longValue).toArray(), rows, sizes);
  }

  @Override
  public int[] weights(long seed, int replicate) {
    int[][] counts = BlockDraws.allocate(seed, replicate, sizes);
    int[] w = new int[n];
    for (int b = 0; b < segments.length; b++) {
      for (int s = 0; s < rows[b].length; s++) {
        BlockDraws.drawWithin(seed, replicate, segments[b], s, rows[b][s], counts[s][b], w);
      }
    }
    return w;
  }

  @Override
  public int size() {
    return n;
  }
}
