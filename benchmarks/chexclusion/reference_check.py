"""Independent pandas/sklearn/scipy implementation of CheXclusion B5-B7 (as the spec states them);
prints the largest difference to chexclusion-eval's Threshold, Eval and Want files and the Pearson r, p
per group. Run in the folder made by make_predictions.py after chexclusion-eval wrote out/."""
import numpy as np, pandas as pd
from sklearn.metrics import precision_recall_curve, roc_auc_score, average_precision_score
from scipy.stats import pearsonr
labels=['No Finding','Cardiomegaly','Edema','Pneumonia']
groups=pd.read_csv('groups.csv',keep_default_na=False)
order={'sex':['M','F'],'age':['60-80','40-60','20-40','80-','0-20'],'race':['WHITE','BLACK/AFRICAN AMERICAN','OTHER','ASIAN']}
gapsruns={a:[] for a in order}
maxdiff=0
for r in range(3):
    v=pd.read_csv(f'run{r}/predictions.val.csv'); t=pd.read_csv(f'run{r}/predictions.test.csv').merge(groups,on='id')
    ev=pd.read_csv(f'out/Evalrun{r}.csv').set_index('label'); th=pd.read_csv(f'out/resultsrun{r}/Threshold.csv').set_index('label')
    for l,name in enumerate(labels):
        p,rc,tt=precision_recall_curve(v[f'target_{l}'],v[f'class_{l}']); f1=2*p*rc/(p+rc)
        best=tt[np.where(f1==max(f1))][0]
        t[f'bi_{l}']=t[f'class_{l}']>=best
        maxdiff=max(maxdiff,abs(best-th.loc[name,'bestthr']),abs(roc_auc_score(t[f'target_{l}'],t[f'class_{l}'])-ev.loc[name,'auc']),abs(average_precision_score(t[f'target_{l}'],t[f'class_{l}'])-ev.loc[name,'auprc']))
    for a,gs in order.items():
        rows=[]
        for l,name in enumerate(labels):
            d=t[t[a].isin(gs)]; pos=d[d[f'target_{l}']==1]
            tpr={g:(pos[pos[a]==g][f'bi_{l}'].mean() if (pos[a]==g).any() else np.nan) for g in gs}
            med=np.median([x for x in tpr.values() if not np.isnan(x)])
            row={'diseases':name}
            for g in gs:
                row['%'+g]=(pos[a]==g).sum()/len(pos)
                if a=='sex':
                    rest=pos[pos[a]!=g]; row['Gap_'+g]=tpr[g]-rest[f'bi_{l}'].mean()
                else: row['Gap_'+g]=tpr[g]-med
            rows.append(row)
        gapsruns[a].append(pd.DataFrame(rows))
print('max |diff| thresholds/auc/auprc', maxdiff)
for a,gs in order.items():
    df=pd.concat(gapsruns[a]); m=df.groupby('diseases').mean(); sd=df.groupby('diseases').std(); k=df.groupby('diseases').count()
    want=pd.read_csv(f'out/Want{a.capitalize()}.csv').set_index('diseases')
    md=0
    for g in gs:
        md=max(md,(m['Gap_'+g]-want['Gap_'+g+'_mean']).abs().max(),(1.96*sd['Gap_'+g]/np.sqrt(k['Gap_'+g])-want['CI_'+g]).abs().max(),(m['%'+g]-want['%'+g]).abs().max())
    dist=(m[['Gap_'+g for g in gs]].max(axis=1)-m[['Gap_'+g for g in gs]].min(axis=1))
    md=max(md,(dist-want['Distance']).abs().max())
    print(a,'max |diff| Want', md, 'avg distance', dist.mean())
    for g in gs:
        x=m[['Gap_'+g,'%'+g]].dropna(); rr,pp=pearsonr(x['Gap_'+g],x['%'+g]); print('  ',g,rr,pp)
