package org.chexaudit.core.explore;

/**
 * Upper triangle of {@code C^T C} for a column-major block, with 4x4 register tiles so that each
 * loaded value feeds four multiply-adds (the JIT does not vectorise a plain dot product).
 */
final class GramKernel {
  private GramKernel() {}

  /**
   * @param cols column-major block: column j occupies {@code cols[j*n .. j*n+n)}; columns
   *     {@code d..dp-1} are zero padding
   * @param n rows of the block
   * @param d real columns
   * @param dp padded columns, a multiple of 4
   * @param packedOut packed upper triangle of side {@code d}, overwritten
   */
  static void upperGram(double[] cols, int n, int d, int dp, double[] packedOut) {
    double[] tile = new double[16];
    for (int i0 = 0; i0 < dp; i0 += 4) {
      int a0 = i0 * n;
      int a1 = a0 + n;
      int a2 = a1 + n;
      int a3 = a2 + n;
      for (int j0 = i0; j0 < dp; j0 += 4) {
        int b0 = j0 * n;
        int b1 = b0 + n;
        int b2 = b1 + n;
        int b3 = b2 + n;
        double s00 = 0, s01 = 0, s02 = 0, s03 = 0;
        double s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        double s20 = 0, s21 = 0, s22 = 0, s23 = 0;
        double s30 = 0, s31 = 0, s32 = 0, s33 = 0;
        for (int r = 0; r < n; r++) {
          double x0 = cols[a0 + r];
          double x1 = cols[a1 + r];
          double x2 = cols[a2 + r];
          double x3 = cols[a3 + r];
          double y0 = cols[b0 + r];
          double y1 = cols[b1 + r];
          double y2 = cols[b2 + r];
          double y3 = cols[b3 + r];
          s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
          s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
          s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
          s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
        }
        tile[0] = s00; tile[1] = s01; tile[2] = s02; tile[3] = s03;
        tile[4] = s10; tile[5] = s11; tile[6] = s12; tile[7] = s13;
        tile[8] = s20; tile[9] = s21; tile[10] = s22; tile[11] = s23;
        tile[12] = s30; tile[13] = s31; tile[14] = s32; tile[15] = s33;
        for (int ti = 0; ti < 4; ti++) {
          int i = i0 + ti;
          if (i >= d) {
            break;
          }
          for (int tj = 0; tj < 4; tj++) {
            int j = j0 + tj;
            if (j >= i && j < d) {
              packedOut[CovarianceAccumulator.packedIndex(d, i, j)] = tile[ti * 4 + tj];
            }
          }
        }
      }
    }
  }
}
