package org.chexaudit.core.stats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The block-wise patient bootstrap is {@link ClusterResample} in distribution: every replicate draws as
 * many patients as there are, a patient's rows share its multiplicity, each patient is drawn with
 * probability 1/P per draw (so its multiplicity is Binomial(P, 1/P)), whatever the blocks.
 */
class BlockClusterResampleTest {
  /** 120 patients with 1 to 4 rows each (300 rows), in blocks of 10, 50 and 60 patients (ids 3, 8, 40). */
  private static final int PATIENTS = 120;

  private static String[] patients(int[] rowsOfPatient) {
    String[] out = new String[300];
    int i = 0;
    for (int p = 0; i < out.length; p++) {
      int rows = 1 + p % 4;
      for (int k = 0; k < rows && i < out.length; k++) {
        out[i++] = "p" + p;
        rowsOfPatient[p]++;
      }
    }
    return out;
  }

  private static long blockOf(String patient) {
    int p = Integer.parseInt(patient.substring(1));
    return p < 10 ? 3 : p < 60 ? 8 : 40;
  }

  @Test
  void drawsEveryPatientWithEqualProbabilityAndKeepsItsRowsTogether() {
    int[] rowsOfPatient = new int[PATIENTS];
    String[] patient = patients(rowsOfPatient);
    long[] block = new long[patient.length];
    for (int i = 0; i < block.length; i++) {
      block[i] = blockOf(patient[i]);
    }
    BlockClusterResample scheme = BlockClusterResample.of(patient, block);
    assertThat(scheme.patients(), is((long) PATIENTS));
    int replicates = 4000;
    double[] sum = new double[PATIENTS];
    long zeros = 0;
    double[] firstBlock = new double[replicates];
    for (int r = 1; r <= replicates; r++) {
      int[] w = scheme.weights(11, r);
      int[] multiplicity = new int[PATIENTS];
      java.util.Arrays.fill(multiplicity, -1);
      for (int i = 0; i < w.length; i++) {
        int p = Integer.parseInt(patient[i].substring(1));
        if (multiplicity[p] >= 0) {
          assertThat("rows of " + patient[i] + " share its multiplicity", w[i], is(multiplicity[p]));
        }
        multiplicity[p] = w[i];
      }
      int drawn = 0;
      for (int p = 0; p < PATIENTS; p++) {
        drawn += multiplicity[p];
        sum[p] += multiplicity[p];
        zeros += multiplicity[p] == 0 ? 1 : 0;
        if (p < 10) {
          firstBlock[r - 1] += multiplicity[p];
        }
      }
      assertThat("as many patients drawn as there are", drawn, is(PATIENTS));
    }
    for (int p = 0; p < PATIENTS; p++) {
      // mean of Binomial(120, 1/120) is 1, sd about 1/sqrt(4000) = 0.016: 5 sd
      assertThat("patient " + p + " mean multiplicity", sum[p] / replicates, closeTo(1.0, 0.08));
    }
    assertThat(zeros / (double) (PATIENTS * replicates), closeTo(Math.pow(1 - 1.0 / PATIENTS, PATIENTS), 0.005));
    // the first block's share of the 120 draws is Binomial(120, 10/120)
    double mean = java.util.Arrays.stream(firstBlock).average().orElseThrow();
    double var = java.util.Arrays.stream(firstBlock).map(t -> (t - mean) * (t - mean)).sum() / (replicates - 1);
    double expectedVar = PATIENTS * (10.0 / 120) * (110.0 / 120);
    assertThat(mean, closeTo(10, 0.2));
    assertThat(var, closeTo(expectedVar, 0.1 * expectedVar));
  }

  @Test
  void replicatesAreSeededAndDistinctAndIndependentOfRowOrder() {
    String[] patient = {"b", "a", "c", "a", "d", "b", "e"};
    long[] block = {1, 0, 1, 0, 0, 1, 0};
    BlockClusterResample scheme = BlockClusterResample.of(patient, block);
    assertThat(scheme.weights(3, 1), equalTo(scheme.weights(3, 1)));
    assertThat(scheme.weights(3, 1), not(equalTo(scheme.weights(3, 2))));
    assertThat(scheme.weights(3, 1), not(equalTo(scheme.weights(4, 1))));
    // the same rows in another order: each row keeps its patient's multiplicity
    int[] order = {6, 5, 4, 3, 2, 1, 0};
    String[] reversed = new String[patient.length];
    long[] reversedBlock = new long[patient.length];
    for (int i = 0; i < order.length; i++) {
      reversed[i] = patient[order[i]];
      reversedBlock[i] = block[order[i]];
    }
    int[] w = scheme.weights(3, 7);
    int[] v = BlockClusterResample.of(reversed, reversedBlock).weights(3, 7);
    for (int i = 0; i < order.length; i++) {
      assertThat(v[i], is(w[order[i]]));
    }
  }

  @Test
  void aPatientInTwoBlocksOrWithoutIdIsRefused() {
    IllegalArgumentException split = assertThrows(IllegalArgumentException.class,
        () -> BlockClusterResample.of(new String[] {"a", "a"}, new long[] {0, 1}));
    assertThat(split.getMessage(), containsString("patient a lies in blocks 0 and 1"));
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> BlockClusterResample.of(new String[] {"a", null}, new long[] {0, 0}));
    assertThat(missing.getMessage(), containsString("patient id of row 1 is null"));
  }
}
