package org.chexaudit.core.chexclusion;

import java.util.ArrayList;
import java.util.List;
import org.chexaudit.core.stats.RunAggregate;

/**
 * CheXclusion's AUC over runs ({@code Confidence.ipynb}, spec B7): per label, mean AUC and AUPRC
 * ± 1.96·sd/√k; overall, the mean over runs of each run's mean AUC ± 1.96·sd(run means)/√k.
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
      rows.add(new Row(labels.get(l), RunAggregate.mean(auc), RunAggregate.ciHalfWidth(auc),
          RunAggregate.mean(auprc), RunAggregate.ciHalfWidth(auprc)));
    }
    double[] runMeans = runs.stream().mapToDouble(RunEvaluation::meanAuc).toArray();
    return new AucSummary(List.copyOf(rows), RunAggregate.mean(runMeans), RunAggregate.ciHalfWidth(runMeans));
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
