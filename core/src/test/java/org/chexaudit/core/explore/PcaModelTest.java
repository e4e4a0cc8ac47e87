package org.chexaudit.core.explore;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

public class PcaModelTest {
  /*
   * Reference values from sklearn 1.2.1 (/usr/bin/python3):
   *   rng = np.random.RandomState(7); n, d = 30, 6
   *   latent = rng.normal(size=(n, 3)) * np.array([5.0, 2.0, 1.0]); mix = rng.normal(size=(3, d))
   *   X = np.round(latent @ mix + 0.1 * rng.normal(size=(n, d)) + 10.0, 3)
   *   pca = PCA(n_components=0.99).fit(X)
   *   pca.explained_variance_ratio_, pca.explained_variance_, pca.n_components_
   *   np.abs(pca.transform(X)).sum(0), np.abs(pca.transform(X))[0], [7]
   *   PCA().fit(X).explained_variance_ratio_
   */
  public static final double[][] X = {
    {12.717, 14.816, 10.202, 9.812, 5.264, 9.241}, {7.43, 10.023, 10.518, 10.546, 9.93, 9.471},
    {2.426, 5.394, 11.759, 11.09, 14.481, 8.924}, {8.802, 11.228, 10.404, 10.489, 8.752, 9.301},
    {10.058, 11.627, 9.922, 10.011, 8.412, 9.491}, {8.373, 5.906, 9.699, 10.005, 14.06, 10.728},
    {4.375, 5.842, 11.803, 10.315, 14.042, 8.886}, {9.47, 6.742, 11.223, 9.221, 13.154, 10.157},
    {3.004, 7.986, 10.919, 11.715, 11.99, 8.904}, {8.488, 4.534, 9.267, 10.224, 15.229, 11.418},
    {12.057, 11.653, 8.427, 10.228, 8.282, 10.847}, {1.785, 9.166, 11.154, 12.179, 10.689, 8.267},
    {13.948, 5.957, 9.962, 8.192, 14.06, 11.523}, {12.689, 10.68, 9.332, 9.547, 9.426, 10.618},
    {7.595, 12.998, 9.444, 11.675, 6.76, 9.073}, {7.758, 1.337, 10.773, 9.142, 18.473, 11.009},
    {9.081, 7.319, 11.302, 9.385, 12.683, 9.815}, {11.095, 10.583, 10.098, 9.641, 9.433, 9.992},
    {7.617, 11.089, 9.502, 11.219, 8.951, 9.754}, {11.393, 9.788, 10.51, 9.223, 10.245, 9.902},
    {0.328, 5.654, 11.266, 11.944, 14.494, 8.67}, {12.621, 16.485, 9.84, 10.191, 3.616, 9.127},
    {1.848, 4.38, 10.773, 11.616, 15.481, 9.383}, {13.55, 8.96, 8.899, 9.054, 10.965, 11.384},
    {17.369, 10.742, 9.746, 7.843, 9.245, 11.183}, {11.203, 8.859, 10.268, 9.43, 11.015, 10.461},
    {1.837, 5.319, 11.495, 11.409, 14.607, 8.889}, {13.969, 15.22, 9.262, 9.723, 5.012, 10.01},
    {6.618, 8.7, 10.04, 10.893, 11.195, 9.353}, {20.557, 16.058, 9.276, 7.676, 3.989, 10.778}
  };
  public static final double[] RATIO = {0.7745409102959485, 0.21442965671923983, 0.010653135495896174};
  static final double[] VARIANCE = {41.757606147205244, 11.56048574392427, 0.5743394962836367};
  static final double[] ALL_RATIO = {
    0.7745409102959485, 0.21442965671923983, 0.010653135495896174,
    0.0002006113903088969, 0.00012092311037052988, 5.4762988236117974e-05
  };
  static final double[] ABS_SCORE_SUMS = {156.6833193988951, 83.9323658938317, 17.72030182404002};
  static final double[] ABS_SCORES_ROW0 = {8.258573654466714, 2.846558915059984, 0.7185593212306218};
  public static final double[] ABS_SCORES_ROW7 = {2.142521355911538, 2.800566106022859, 1.0258162458756972};

  @Test
  void matchesSklearnExplainedVarianceAndK() {
    PcaModel model = PcaModel.fit(X, 0.99);
    assertThat(model.numComponents(), equalTo(3));
    for (int c = 0; c < 3; c++) {
      assertThat(model.explainedVarianceRatio()[c], closeTo(RATIO[c], 1e-12));
      assertThat(model.explainedVariance()[c], closeTo(VARIANCE[c], 1e-10));
    }
    for (int c = 0; c < ALL_RATIO.length; c++) {
      assertThat(model.allExplainedVarianceRatio()[c], closeTo(ALL_RATIO[c], 1e-12));
    }
  }

  @Test
  void scoresMatchSklearnUpToSign() {
    PcaModel model = PcaModel.fit(X, 0.99);
    double[] sums = new double[3];
    for (double[] row : X) {
      double[] s = model.project(row);
      for (int c = 0; c < 3; c++) {
        sums[c] += Math.abs(s[c]);
      }
    }
    for (int c = 0; c < 3; c++) {
      assertThat(sums[c], closeTo(ABS_SCORE_SUMS[c], 1e-9));
      assertThat(Math.abs(model.project(X[0])[c]), closeTo(ABS_SCORES_ROW0[c], 1e-10));
      assertThat(Math.abs(model.project(X[7])[c]), closeTo(ABS_SCORES_ROW7[c], 1e-10));
    }
  }

  @Test
  void largestLoadingOfEachComponentIsPositive() {
    PcaModel model = PcaModel.fit(X, 0.99);
    for (int c = 0; c < model.numComponents(); c++) {
      double[] v = model.component(c);
      double largest = 0;
      for (double x : v) {
        if (Math.abs(x) > Math.abs(largest)) {
          largest = x;
        }
      }
      assertThat(largest, greaterThan(0.0));
    }
  }

  @Test
  void keepsSmallestKWhoseCumulativeRatioExceedsFraction() {
    double[] ratio = {0.5, 0.3, 0.15, 0.05};
    assertThat(PcaModel.componentsFor(ratio, 0.5), equalTo(2)); // searchsorted side='right'
    assertThat(PcaModel.componentsFor(ratio, 0.49), equalTo(1));
    assertThat(PcaModel.componentsFor(ratio, 0.96), equalTo(4));
    assertThat(PcaModel.componentsFor(ratio, 0.999999), equalTo(4));
  }

  @Test
  void rejectsFractionOutsideOpenUnitInterval() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PcaModel.fit(X, 1.0));
    assertThat(e.getMessage(), containsString("varianceFraction"));
  }

  @Test
  void rejectsRowOfWrongLength() {
    PcaModel model = PcaModel.fit(X, 0.99);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> model.project(new double[5]));
    assertThat(e.getMessage(), containsString("fitted on 6"));
  }
}
