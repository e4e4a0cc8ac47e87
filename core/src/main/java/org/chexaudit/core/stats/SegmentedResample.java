package org.chexaudit.core.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * {@link BlockDraws} on a whole sample held in memory: the stratified bootstrap the Beam
 * {@code Bootstrap} draws block by block, for one label whose rows lie in blocks of score segments
 * ({@link SegmentLayout#blockOf}). Blocks are in {@link SegmentLayout#BLOCK_ORDER}, rows of a block
 * ordered by (score, tie-break), strata by name. The same
 * seed gives the same weights as the distributed draw, so it is the reference the Beam transform is
 * tested against.
 */
public final class SegmentedResample implements ResampleScheme {
  private static final long serialVersionUID = 1L;
  private final int n;
  private final long[] blocks;
  /** Rows of stratum s in block b, in block order. */
  private final int[][][] rows;
  private final long[][] sizes;

  private SegmentedResample(int n, long[] blocks, int[][][] rows, long[][] sizes) {
    this.n = n;
    this.blocks = blocks;
    this.rows = rows;
    this.sizes = sizes;
  }

  /** Row i has class {@code strata[i]}, lies in block {@code block[i]}, and sorts by (score, tieBreak) in it. */
  public static SegmentedResample of(String[] strata, long[] block, double[] score, long[] tieBreak) {
    int n = strata.length;
    TreeSet<Long> blocks = new TreeSet<>(SegmentLayout.BLOCK_ORDER);
    for (long b : block) {
      blocks.add(b);
    }
    List<String> names = new ArrayList<>(new TreeSet<>(java.util.Arrays.asList(strata)));
    List<Long> blockList = new ArrayList<>(blocks);
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> score[i]).thenComparingLong(i -> tieBreak[i]));
    TreeMap<Long, List<List<Integer>>> byBlock = new TreeMap<>(SegmentLayout.BLOCK_ORDER);
    for (int i : order) {
      byBlock.computeIfAbsent(block[i], b -> {
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
    return new SegmentedResample(n, blockList.stream().mapToLong(Long::longValue).toArray(), rows, sizes);
  }

  @Override
  public int[] weights(long seed, int replicate) {
    int[][] counts = BlockDraws.allocate(seed, replicate, sizes);
    int[] w = new int[n];
    for (int b = 0; b < blocks.length; b++) {
      for (int s = 0; s < rows[b].length; s++) {
        BlockDraws.drawWithin(seed, replicate, blocks[b], s, rows[b][s], counts[s][b], w);
      }
    }
    return w;
  }

  @Override
  public int size() {
    return n;
  }
}
