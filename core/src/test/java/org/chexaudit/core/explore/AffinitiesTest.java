package org.chexaudit.core.explore;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

class AffinitiesTest {
  /*
   * sklearn 1.2.1: rng = np.random.RandomState(3)
   *   d = np.round(rng.uniform(0.01, 6.0, size=(8, 5)), 3).astype(np.float32); d.sort(axis=1)
   *   sklearn.manifold._utils._binary_search_perplexity(d, 3.0, 0)   (rows 0, 1 and 5 below)
   */
  static final double[][] DIST = {
    {1.753000020980835, 3.069999933242798, 3.309000015258789, 4.251999855041504, 5.359000205993652},
    {0.3179999887943268, 0.7620000243186951, 1.2510000467300415, 2.6500000953674316, 5.379000186920166},
    {1.340000033378601, 1.8450000286102295, 2.3340001106262207, 4.684000015258789, 5.61899995803833}
  };
  static final double[][] EXPECTED = {
    {0.6214448730549085, 0.171139342737716, 0.13543014403834513, 0.053790515461936264, 0.018195124707094213},
    {0.5169654738054633, 0.295371419644924, 0.15945480092674288, 0.02733225506155414, 0.0008760505613157445},
    {0.508119863868228, 0.2964029599693473, 0.17587956008988426, 0.014319086507825138, 0.005278529564715184}
  };

  @Test
  void conditionalMatchesSklearnBinarySearch() {
    double[][] p = Affinities.conditional(DIST, 3.0);
    for (int i = 0; i < DIST.length; i++) {
      for (int m = 0; m < 5; m++) {
        assertThat(p[i][m], closeTo(EXPECTED[i][m], 1e-7));
      }
    }
  }

  @Test
  void jointIsSymmetricAndSumsToOne() {
    int[][] nbr = {{1, 2}, {0, 2}, {3, 0}, {2, 1}};
    double[][] cond = {{0.7, 0.3}, {0.6, 0.4}, {0.9, 0.1}, {0.5, 0.5}};
    Affinities p = Affinities.joint(nbr, cond);
    double[][] dense = new double[4][4];
    double total = 0;
    for (int i = 0; i < 4; i++) {
      for (int t = p.rowStart()[i]; t < p.rowStart()[i + 1]; t++) {
        dense[i][p.columns()[t]] = p.values()[t];
        total += p.values()[t];
      }
    }
    assertThat(total, closeTo(1.0, 1e-12));
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        assertThat(dense[i][j], equalTo(dense[j][i]));
      }
    }
    // (0,1): 0.7 + 0.6, summed over all 8 entries x2 = 8 in total.
    assertThat(dense[0][1], closeTo(1.3 / 8, 1e-12));
    assertThat(dense[1][3], closeTo(0.5 / 8, 1e-12));
  }
}
