package org.chexaudit.transforms.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chexaudit.schemas.IntervalMetric;
import org.chexaudit.schemas.MetricInterval;
import org.chexaudit.schemas.ReliabilityPoint;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.core.stats.AveragePrecision;
import org.chexaudit.core.stats.BinaryCurve;
import org.chexaudit.core.stats.Calibration;
import org.chexaudit.core.stats.ConfusionCounts;
import org.chexaudit.core.stats.RocCurve;
import org.chexaudit.core.stats.ScoreHistogram;
import org.chexaudit.core.stats.SubgroupKey;

/** Builds {@link SubgroupMetric} records from a subgroup's exact score histogram. */
final class MetricRecords {
  static final int MAX_ROC_POINTS = 256;

  private MetricRecords() {}

  static SubgroupMetric build(SubgroupKey key, ScoreHistogram h, double threshold, long minGroupSize,
      int calibrationBins, Map<IntervalMetric, MetricInterval> bounds) {
    long pos = h.totalPositives();
    long neg = h.totalNegatives();
    SubgroupMetric.Builder b = SubgroupMetric.newBuilder()
        .setLabel(key.label()).setAttribute(key.grouping()).setGroup(key.group())
        .setN(pos + neg).setPositives(pos).setNegatives(neg).setThreshold(threshold);
    if (!key.isWhole() && pos + neg < minGroupSize) {
      return b.setNote("insufficient data: n=" + (pos + neg) + " < minGroupSize=" + minGroupSize).build();
    }
    BinaryCurve curve = h.curve();
    ConfusionCounts c = ConfusionCounts.at(curve, threshold);
    b.setTruePositives(Math.round(c.tp())).setFalsePositives(Math.round(c.fp()))
        .setAuc(orNull(RocCurve.auc(curve))).setAuprc(orNull(AveragePrecision.of(curve))).setTpr(orNull(c.tpr())).setFpr(orNull(c.fpr()))
        .setPrecision(orNull(c.precision())).setYouden(orNull(c.youden()));
    List<String> notes = new ArrayList<>();
    if (pos == 0) notes.add("no positives: AUC and TPR undefined");
    if (neg == 0) notes.add("no negatives: AUC and FPR undefined");
    Calibration cal = h.calibration(calibrationBins);
    if (cal != null) {
      b.setEce(orNull(cal.expectedCalibrationError()));
      List<ReliabilityPoint> points = new ArrayList<>();
      for (Calibration.Point p : cal.points()) {
        points.add(new ReliabilityPoint(p.meanPredicted, p.fractionPositive, p.count));
      }
      b.setReliability(points);
    } else {
      notes.add("scores outside [0, 1]: no calibration");
    }
    if (pos > 0 && neg > 0) {
      RocCurve roc = RocCurve.of(curve, true);
      double[] fpr = roc.fpr();
      double[] tpr = roc.tpr();
      int step = Math.max(1, (int) Math.ceil(fpr.length / (double) MAX_ROC_POINTS));
      List<Double> f = new ArrayList<>();
      List<Double> t = new ArrayList<>();
      for (int i = 0; i < fpr.length; i += step) {
        f.add(fpr[i]);
        t.add(tpr[i]);
      }
      f.add(1.0);
      t.add(1.0);
      b.setRocFpr(f).setRocTpr(t);
    }
    if (bounds != null) {
      MetricInterval auc = bounds.get(IntervalMetric.AUC);
      MetricInterval tpr = bounds.get(IntervalMetric.TPR);
      MetricInterval fpr = bounds.get(IntervalMetric.FPR);
      if (auc != null) b.setAucLo(auc.getLower()).setAucHi(auc.getUpper());
      if (tpr != null) b.setTprLo(tpr.getLower()).setTprHi(tpr.getUpper());
      if (fpr != null) b.setFprLo(fpr.getLower()).setFprHi(fpr.getUpper());
    }
    return b.setNote(String.join("; ", notes)).build();
  }

  static Double orNull(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
