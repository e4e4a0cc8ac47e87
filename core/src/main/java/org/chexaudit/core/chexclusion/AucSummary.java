package org.chexaudit.core.chexclusion;

import java.util.ArrayList;
import java.util.List;
import org.chexaudit.core.stats.RunAggregate;
import org.chexaudit.core.stats.SeedInterval;

/**
 * CheXclusion's AUC over runs ({@code Confidence.ipynb}, spec B7): per label, mean AUC and AUPRC
 * ± the {@link SeedInterval} half-width (by default the original's 1.96·sd/√runs); overall, the mean
 * over runs of each run's mean AUC ± the same half-width of the run means.
 */
public final class AucSummary {
  /** One label's mean and half-width over runs. */
  public record Row(String label, double auc, double aucCi, double auprc, double auprcCi) {}

  private final List<Row> rows;
  private final double meanAuc;
  private final double meanAucCi;

  private AucSummary(List<Row> rows, double meanAuc, double meanAucCi) {
    this.rows = rows;
    this.meanAuc = meanAuc;
    this.meanAucCi = meanAucCi;
  }

  public static AucSummary of(List<RunEvaluation> runs) {
    return of(runs, SeedInterval.NORMAL);
  }

  public static AucSummary of(List<RunEvaluation> runs, SeedInterval interval) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("AucSummary: no runs");
    }
    List<String> labels = runs.get(0).labels();
    List<Row> rows = new ArrayList<>();
    for (int l = 0; l < labels.size(); l++) {
      double[] auc = new double[runs.size()];
      double[] auprc = new double[runs.size()];
      for (int k = 0; k < runs.size(); k++) {
        auc[k] = runs.get(k).scores().get(l).auc();
        auprc[k] = runs.get(k).scores().get(l).auprc();
      }
      rows.add(new Row(labels.get(l), RunAggregate.mean(auc), interval.halfWidth(auc),
          RunAggregate.mean(auprc), interval.halfWidth(auprc)));
    }
    double[] runMeans = runs.stream().mapToDouble(RunEvaluation::meanAuc).toArray();
    return new AucSummary(List.copyOf(rows), RunAggregate.mean(runMeans), interval.halfWidth(runMeans));
  }

  public List<Row> rows() {
    return rows;
  }

  public double meanAuc() {
    return meanAuc;
  }

  /** NaN with a single run. */
  public double meanAucCi() {
    return meanAucCi;
  }
}
