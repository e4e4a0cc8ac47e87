"""The metrics command's work done with pandas + scikit-learn, for benchmarks/metrics-benchmark.sh.

  metrics_reference.py generate FILE ROWS LABELS   writes the benchmark CSV (seeded)
  metrics_reference.py audit FILE LABELS GROUPS     per label: the threshold at FPR closest to 0.2 on the
                                                    whole set's ROC; per label and group: AUC, TPR, FPR
"""
import sys

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score, roc_curve


def generate(path, rows, labels):
    rng = np.random.default_rng(7)
    cols = {"id": [f"img{i:07d}" for i in range(rows)], "patient": [f"p{i // 3:07d}" for i in range(rows)]}
    targets = {}
    for l in range(labels):
        t = (rng.random(rows) < 0.1 + 0.02 * l).astype(np.int8)
        s = np.clip(0.35 + 0.2 * t + 0.2 * rng.standard_normal(rows), 0, 1).astype(np.float32)
        cols[f"class_{l}"] = s
        targets[f"target_{l}"] = t
    cols.update(targets)
    cols["sex"] = rng.choice(["Female", "Male"], rows)
    cols["race"] = rng.choice(["White", "Asian", "Black", "Other", "Unknown"], rows)
    cols["age"] = rng.choice(["0-20", "20-40", "40-60", "60-80", "80-"], rows)
    # float32 scores written with their shortest repr, as predict writes its CSVs
    pd.DataFrame(cols).to_csv(path, index=False, float_format=None)


def audit(path, labels, groups):
    df = pd.read_csv(path)
    out = []
    for l in range(labels):
        y = df[f"target_{l}"].to_numpy()
        s = df[f"class_{l}"].to_numpy()
        fpr, tpr, thr = roc_curve(y, s)
        t = thr[np.argmin(np.abs(fpr - 0.2))]
        pred = s >= t
        out.append((l, "all", "all", roc_auc_score(y, s), pred[y == 1].mean(), pred[y == 0].mean()))
        for g in groups:
            for value, idx in df.groupby(g).indices.items():
                yy, ss, pp = y[idx], s[idx], pred[idx]
                auc = roc_auc_score(yy, ss) if 0 < yy.sum() < len(yy) else float("nan")
                out.append((l, g, value, auc, pp[yy == 1].mean(), pp[yy == 0].mean()))
    print(f"reference: {len(df)} rows, {len(out)} metric rows; AUC of label 0 on all rows {out[0][3]:.6f}")


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        audit(sys.argv[2], int(sys.argv[3]), sys.argv[4].split(","))
