package org.chexaudit.core.stats;

import java.util.Arrays;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@link ClusterResample} (patients drawn with replacement, a patient's rows all taken with its
 * multiplicity) drawn in two steps, as {@link BlockDraws} draws rows, so that it can be drawn where the
 * patients lie: patients are split into blocks (the Beam {@code Bootstrap} puts a patient in a block by
 * a hash of its id); replicate r first allocates its P draws (P = distinct patients) to the blocks by
 * their patient counts ({@link BlockDraws#allocate}, one stratum, blocks in ascending id), then draws
 * each block's share uniformly among the block's patients sorted by id ({@link BlockDraws#drawWithin},
 * stratum 0). Given the counts per block the draws within a block are uniform, so the two steps are a
 * uniform draw of P patients with replacement in distribution; the draws themselves differ from
 * {@link ClusterResample}'s. The same seed gives the same weights as the distributed draw, so this is the
 * reference the Beam transform is tested against.
 */
public final class BlockClusterResample implements ResampleScheme {
  private static final long serialVersionUID = 1L;
  private final int n;
  /** Block ids, ascending. */
  private final long[] blocks;
  /** Patients per block, as {@link BlockDraws#allocate} takes them: one stratum. */
  private final long[][] sizes;
  /** Per row: its block's position in {@link #blocks} and its patient's position in that block's sorted ids. */
  private final int[] blockOfRow;
  private final int[] patientOfRow;

  private BlockClusterResample(int n, long[] blocks, long[][] sizes, int[] blockOfRow, int[] patientOfRow) {
    this.n = n;
    this.blocks = blocks;
    this.sizes = sizes;
    this.blockOfRow = blockOfRow;
    this.patientOfRow = patientOfRow;
  }

  /**
   * Row i belongs to patient {@code patients[i]}, whose block is {@code block[i]} (every row of a patient
   * must name the same block).
   */
  public static BlockClusterResample of(String[] patients, long[] block) {
    if (patients.length != block.length) {
      throw new IllegalArgumentException("BlockClusterResample: " + patients.length + " patient ids but "
          + block.length + " blocks");
    }
    TreeMap<Long, TreeSet<String>> byBlock = new TreeMap<>();
    TreeMap<String, Long> blockOfPatient = new TreeMap<>();
    for (int i = 0; i < patients.length; i++) {
      if (patients[i] == null) {
        throw new IllegalArgumentException("BlockClusterResample: patient id of row " + i + " is null");
      }
      Long before = blockOfPatient.putIfAbsent(patients[i], block[i]);
      if (before != null && before != block[i]) {
        throw new IllegalArgumentException("BlockClusterResample: patient " + patients[i] + " lies in blocks "
            + before + " and " + block[i]);
      }
      byBlock.computeIfAbsent(block[i], b -> new TreeSet<>()).add(patients[i]);
    }
    long[] blocks = byBlock.keySet().stream().mapToLong(Long::longValue).toArray();
    long[][] sizes = new long[1][blocks.length];
    String[][] sorted = new String[blocks.length][];
    for (int b = 0; b < blocks.length; b++) {
      sorted[b] = byBlock.get(blocks[b]).toArray(String[]::new);
      sizes[0][b] = sorted[b].length;
    }
    int[] blockOfRow = new int[patients.length];
    int[] patientOfRow = new int[patients.length];
    for (int i = 0; i < patients.length; i++) {
      blockOfRow[i] = Arrays.binarySearch(blocks, block[i]);
      patientOfRow[i] = Arrays.binarySearch(sorted[blockOfRow[i]], patients[i]);
    }
    return new BlockClusterResample(patients.length, blocks, sizes, blockOfRow, patientOfRow);
  }

  @Override
  public int[] weights(long seed, int replicate) {
    int[][] counts = BlockDraws.allocate(seed, replicate, sizes);
    int[][] drawn = new int[blocks.length][];
    for (int b = 0; b < blocks.length; b++) {
      drawn[b] = multiplicities(seed, replicate, blocks[b], (int) sizes[0][b], counts[0][b]);
    }
    int[] w = new int[n];
    for (int i = 0; i < n; i++) {
      w[i] = drawn[blockOfRow[i]][patientOfRow[i]];
    }
    return w;
  }

  /**
   * How often each of a block's {@code patients} (sorted by id) is drawn in replicate r, given that
   * {@code count} of the replicate's draws landed in the block: the one step both this class and the
   * distributed draw make.
   */
  public static int[] multiplicities(long seed, int replicate, long block, int patients, int count) {
    int[] m = new int[patients];
    int[] all = new int[patients];
    for (int k = 0; k < patients; k++) {
      all[k] = k;
    }
    BlockDraws.drawWithin(seed, replicate, block, 0, all, count, m);
    return m;
  }

  @Override
  public int size() {
    return n;
  }

  /** Distinct patients: the draws each replicate makes. */
  public long patients() {
    return Arrays.stream(sizes[0]).sum();
  }
}
