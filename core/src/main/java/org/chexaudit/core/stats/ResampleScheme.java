package org.chexaudit.core.stats;

import java.io.Serializable;

/**
 * How a bootstrap replicate resamples a sample of n rows: as multiplicities (row i appears
 * {@code weights[i]} times), so replicates need no copy of the data.
 */
public interface ResampleScheme extends Serializable {

  /** Multiplicity of each row in replicate {@code replicate} (>= 1) for {@code seed}. */
  int[] weights(long seed, int replicate);

  /** Number of rows of the original sample. */
  int size();
}
