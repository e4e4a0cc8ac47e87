"""Expected values for the issue-14 fidelity tests, computed with the originals' logic.

Run with Debian's python3 (numpy 1.24, pandas 1.5, scikit-learn 1.2, scipy 1.10):
    /usr/bin/python3 benchmarks/reference/metrics_fidelity.py
The printed numbers are committed as constants in
core/src/test/java/org/chexaudit/core/stats/FidelityReferenceTest.java and
transforms/src/test/java/org/chexaudit/transforms/metrics/GapRuleAndScopeTest.java.
"""
import numpy as np
import pandas as pd
from scipy import stats
from sklearn.metrics import roc_curve

np.set_printoptions(precision=17)

# 1. results_split_sex.py: Youden point on each race group's own ROC (seeds-spec A7.3, E2 data).
y = np.array([0,0,1,1,0,1,0,0,1,0,1,0,0,1,0,0,0,1,0,0])
s = np.array([0.10,0.40,0.35,0.80,0.20,0.90,0.30,0.60,0.70,0.05,0.55,0.15,0.45,0.65,0.25,0.50,0.12,0.95,0.33,0.60])
g = np.array("W W A B W W A W B W W A B W W W B W A W".split())
print("# per-group Youden (results_split_sex.py)")
for r in ["W", "A", "B"]:
    fpr, tpr, thr = roc_curve(y[g == r], s[g == r])
    j = np.argmax(tpr - fpr)
    print(r, "threshold", repr(thr[j]), "tpr", repr(tpr[j]), "fpr", repr(fpr[j]), "J", repr(tpr[j] - fpr[j]))
fpr, tpr, thr = roc_curve(y, s)
j = np.argmax(tpr - fpr)
print("global threshold", repr(thr[j]))

# 2. CheXclusion sex gap (seeds-spec B6): complement = rows with A != c and A != 0 ("Unknown" stays in).
def sex_gaps(d, label, pred, attr):
    out = {}
    for c in sorted(set(attr) - {"0"}):
        gt = ((d == 1) & (attr == c)).sum()
        tp = ((pred == 1) & (d == 1) & (attr == c)).sum()
        n_gt = ((d == 1) & (attr != c) & (attr != "0")).sum()
        n_tp = ((pred == 1) & (d == 1) & (attr != c) & (attr != "0")).sum()
        out[c] = (tp / gt - n_tp / n_gt) if (gt != 0 and n_gt != 0) else float("nan")
    return out

def rows(counts):
    d, pred, attr = [], [], []
    for c, (pos, tp) in counts.items():
        for i in range(pos):
            d.append(1); pred.append(1 if i < tp else 0); attr.append(c)
        d.append(0); pred.append(0); attr.append(c)  # one negative per group
    return np.array(d), np.array(pred), np.array(attr)

print("# sex complement with Unknown: F 10/6, M 8/6, Unknown 2/1")
d, p, a = rows({"F": (10, 6), "M": (8, 6), "Unknown": (2, 1)})
print({k: repr(v) for k, v in sex_gaps(d, None, p, a).items()})
print("# sex complement, M dropped (too small): F 10/6, Unknown 2/1")
d, p, a = rows({"F": (10, 6), "Unknown": (2, 1)})
print({k: repr(v) for k, v in sex_gaps(d, None, p, a).items()})
print("# sex complement, M without positives: F 10/6, M 0/0")
d, p, a = rows({"F": (10, 6), "M": (0, 0)})
print({k: repr(v) for k, v in sex_gaps(d, None, p, a).items()})

# 3. Confidence.py aggregation over 5 runs: 1.96 * std / np.sqrt(5), std skipping NaN (pandas, ddof=1);
#    Distance for sex |Gap_F - Gap_M|; a t-interval over the k defined runs for comparison.
df = pd.DataFrame({
    "diseases": ["x"] * 5,
    "Gap_F": [0.05, 0.07, np.nan, 0.06, 0.04],
    "Gap_M": [-0.05, -0.06, -0.04, -0.07, -0.05],
})
mean = df.groupby("diseases").mean()
std = df.groupby("diseases").std()
print("# Confidence.py")
for col in ["Gap_F", "Gap_M"]:
    k = df[col].notna().sum()
    print(col, "mean", repr(mean[col]["x"]), "ci", repr(1.96 * std[col]["x"] / np.sqrt(5)),
          "t", repr(stats.t.ppf(0.975, k - 1) * std[col]["x"] / np.sqrt(k)))
print("Distance", repr(abs(mean["Gap_F"]["x"] - mean["Gap_M"]["x"])))
print("Distance with Gap_F all NaN", repr(abs(np.nan - mean["Gap_M"]["x"])))
print("t(0.975, 4)", repr(stats.t.ppf(0.975, 4)))
# the three-run case of SeedAggregationTest: group c gaps [-.1, -.2, NaN] over 3 runs
c = pd.Series([-0.1, -0.2, np.nan])
print("3 runs, one NaN: 1.96*std/sqrt(3)", repr(1.96 * c.std() / np.sqrt(3)))
print("t(0.975, 2) / 1.96 (three runs, all defined)", repr(stats.t.ppf(0.975, 2) / 1.96))
