package org.chexaudit.transforms.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.chexaudit.schemas.IntervalMetric;
import org.chexaudit.schemas.MetricInterval;
import org.chexaudit.schemas.ReliabilityPoint;
import org.chexaudit.schemas.SubgroupMetric;
import org.chexaudit.core.stats.Calibration;
import org.chexaudit.core.stats.ConfusionCounts;
import org.chexaudit.core.stats.SegmentScan;
import org.chexaudit.core.stats.SegmentedCurve;
import org.chexaudit.core.stats.SubgroupKey;

/** Builds {@link SubgroupMetric} records from a subgroup's segmented curve figures and its counts at the threshold. */
final class MetricRecords {
  /** ROC points kept for plotting: every k-th point of sklearn's curve, then (1, 1). */
  static final int MAX_ROC_POINTS = 256;

  private MetricRecords() {}

  static SubgroupMetric build(SubgroupKey key, SegmentedCurve curve, SegmentScan.Result scan, long[] counts,
      double threshold, long minGroupSize, Map<IntervalMetric, MetricInterval> bounds) {
    long pos = curve.positives();
    long neg = curve.negatives();
    SubgroupMetric.Builder b = SubgroupMetric.newBuilder()
        .setLabel(key.label()).setAttribute(key.grouping()).setGroup(key.group())
        .setN(pos + neg).setPositives(pos).setNegatives(neg).setThreshold(threshold);
    if (!key.isWhole() && pos + neg < minGroupSize) {
      return b.setNote("insufficient data: n=" + (pos + neg) + " < minGroupSize=" + minGroupSize).build();
    }
    ConfusionCounts c = new ConfusionCounts(counts[0], counts[1], pos - counts[0], neg - counts[1]);
    b.setTruePositives(counts[0]).setFalsePositives(counts[1])
        .setAuc(orNull(curve.auc())).setAuprc(orNull(scan.averagePrecision())).setTpr(orNull(c.tpr()))
        .setFpr(orNull(c.fpr())).setPrecision(orNull(c.precision())).setYouden(orNull(c.youden()));
    List<String> notes = new ArrayList<>();
    if (pos == 0) notes.add("no positives: AUC and TPR undefined");
    if (neg == 0) notes.add("no negatives: AUC and FPR undefined");
    Calibration cal = curve.calibration();
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
      b.setRocFpr(Arrays.stream(scan.rocFpr()).boxed().toList()).setRocTpr(Arrays.stream(scan.rocTpr()).boxed().toList());
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
