"""Writes three runs of synthetic CheXclusion-style predictions (4 labels, val + test, groups file)
into the current folder; No Finding positives aged 80- are scored lower (a planted gap).
Used by ../chexclusion-reference-check.sh."""
import os
import numpy as np
import pandas as pd

rng = np.random.default_rng(5)
n, nv = 2000, 800


def cohort(n, split):
    df = pd.DataFrame({'id': [f'{split}{i}' for i in range(n)]})
    df['sex'] = rng.choice(['M', 'F'], n)
    df['age'] = rng.choice(['0-20', '20-40', '40-60', '60-80', '80-'], n, p=[.05, .2, .35, .3, .1])
    df['race'] = rng.choice(['WHITE', 'BLACK/AFRICAN AMERICAN', 'ASIAN', 'OTHER', 'UNKNOWN'], n,
                            p=[.6, .2, .08, .07, .05])
    for l in range(4):
        df[f'target_{l}'] = (rng.random(n) < [.3, .2, .1, .04][l]).astype(int)
    return df


val, test = cohort(nv, 'val'), cohort(n, 'test')
for r in range(3):
    d = f'run{r}'
    os.makedirs(d, exist_ok=True)
    for split, c in [('val', val), ('test', test)]:
        o = c[['id']].copy()
        for l in range(4):
            y = c[f'target_{l}'].values
            mu = np.where(y == 1, np.where((c.age == '80-') & (l == 0), 0.45, 0.62), 0.38)
            o[f'class_{l}'] = np.clip(mu + 0.15 * rng.standard_normal(len(c)), 0, 1).round(6)
        for l in range(4):
            o[f'target_{l}'] = c[f'target_{l}']
        o.to_csv(f'{d}/predictions.{split}.csv', index=False)
test[['id', 'sex', 'age', 'race']].to_csv('groups.csv', index=False)
