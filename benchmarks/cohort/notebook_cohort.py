"""chexploration's cohort preparation (chexpert.sample.ipynb, seeds-spec A2) as the notebook does it in pandas,
for timing against `chexaudit cohort` on the same files (benchmarks/cohort-benchmark.sh).

    /usr/bin/python3 notebook_cohort.py TRAIN_CSV DEMO_XLSX OUT_DIR [SPLIT_CSV]

With SPLIT_CSV the split file is joined on train.csv's row index (as the notebook does); without it the
patients are split 60/10/30 as AI-Vengers made the split file (shuffle of the unique patient ids after the
filters, np.random.seed(2021), round(0.6 N) / round(0.1 N) / rest). Prints the row count after every step.
"""
import sys
import time

import numpy as np
import pandas as pd

t0 = time.time()
train_csv, demo_xlsx, out_dir = sys.argv[1:4]
split_csv = sys.argv[4] if len(sys.argv) > 4 else None

# Demographics: first sheet, renamed; sex and age come from train.csv.
df_demo = pd.DataFrame(pd.read_excel(demo_xlsx, engine='openpyxl'))
df_demo = df_demo.rename(columns={'PRIMARY_RACE': 'race'})
df_demo = df_demo.rename(columns={'PATIENT': 'patient_id'})
df_demo = df_demo.rename(columns={'GENDER': 'sex'})
df_demo = df_demo.rename(columns={'AGE_AT_CXR': 'age'})
df_demo = df_demo.rename(columns={'ETHNICITY': 'ethnicity'})
df_demo = df_demo.drop(['sex', 'age'], axis=1)
t_demo = time.time()

df_data_split = None
if split_csv is not None:
    df_data_split = pd.read_csv(split_csv).set_index('index')
df_img_data = pd.read_csv(train_csv)
if df_data_split is not None:
    df_img_data = pd.concat([df_img_data, df_data_split], axis=1)
    df_img_data = df_img_data[~df_img_data.split.isna()]
print('images', len(df_img_data))

split = df_img_data.Path.str.split("/", expand=True)
df_img_data["patient_id"] = split[2]
df_img_data = df_img_data.rename(columns={'Age': 'age'})
df_img_data = df_img_data.rename(columns={'Sex': 'sex'})
t_img = time.time()

df_cxr = df_demo.merge(df_img_data, on="patient_id")
print('joined', len(df_cxr))

# Race by case-sensitive substring, Black before White before Asian.
mask = (df_cxr.race.str.contains("Black", na=False))
df_cxr.loc[mask, "race"] = "Black"
mask = (df_cxr.race.str.contains("White", na=False))
df_cxr.loc[mask, "race"] = "White"
mask = (df_cxr.race.str.contains("Asian", na=False))
df_cxr.loc[mask, "race"] = "Asian"
df_cxr = df_cxr[df_cxr.race.isin(['Asian', 'Black', 'White'])]
print('race', len(df_cxr))
df_cxr = df_cxr[df_cxr.ethnicity.isin(["Non-Hispanic/Non-Latino", "Not Hispanic"])]
print('ethnicity', len(df_cxr))
df_cxr = df_cxr[df_cxr["Frontal/Lateral"].isin(["Frontal"])]
print('frontal', len(df_cxr))
df_cxr = df_cxr[df_cxr["AP/PA"].isin(["AP", "PA"])]
print('ap/pa', len(df_cxr))

if df_data_split is None:
    # AI-Vengers' split: shuffle the unique patients (sklearn.utils.shuffle draws from numpy's global
    # stream, as np.random.permutation does), first 60 % train, next 10 % validate, the rest test.
    np.random.seed(2021)
    patients = df_cxr.patient_id.unique()
    patients = patients[np.random.permutation(len(patients))]
    value1 = round(0.6 * len(patients))
    value2 = round(0.1 * len(patients))
    split_of = {}
    for p in patients[:value1]:
        split_of[p] = 'train'
    for p in patients[value1:value1 + value2]:
        split_of[p] = 'validate'
    for p in patients[value1 + value2:]:
        split_of[p] = 'test'
    df_cxr['split'] = df_cxr.patient_id.map(split_of)

df_cxr['race_label'] = df_cxr['race'].replace({'White': 0, 'Asian': 1, 'Black': 2})
df_cxr['sex_label'] = df_cxr['sex'].replace({'Male': 0, 'Female': 1})

df_cxr['disease'] = df_cxr['No Finding']
df_cxr.loc[df_cxr['No Finding'] == 1, 'disease'] = 'No Finding'
df_cxr.loc[df_cxr['Pleural Effusion'] == 1, 'disease'] = 'Pleural Effusion'
df_cxr['disease'] = df_cxr['disease'].fillna('Other')
df_cxr['disease_label'] = df_cxr['disease'].replace({'No Finding': 0, 'Pleural Effusion': 1, 'Other': 2})

df_cxr = df_cxr.reset_index(drop=True)
parts = df_cxr.Path.str.split("/", expand=True)
df_cxr['path_preproc'] = 'preproc_224x224/' + parts[2] + '_' + parts[3] + '_' + parts[4]
t_cohort = time.time()

# The notebook writes the sample, reads it back, and writes the split and subset files from it.
df_cxr.to_csv(out_dir + '/chexpert.sample.csv')
df = pd.read_csv(out_dir + '/chexpert.sample.csv')
df_train = df[df.split == "train"]
df_val = df[df.split == "validate"]
df_test = df[df.split == "test"]
df_train.to_csv(out_dir + '/chexpert.sample.train.csv')
df_val.to_csv(out_dir + '/chexpert.sample.val.csv')
df_test.to_csv(out_dir + '/chexpert.sample.test.csv')
df_train[df_train.race == 'White'].to_csv(out_dir + '/chexpert.sample.train.white.csv')
df_val[df_val.race == 'White'].to_csv(out_dir + '/chexpert.sample.val.white.csv')
df_train[df_train.sex == 'Male'].to_csv(out_dir + '/chexpert.sample.train.male.csv')
df_val[df_val.sex == 'Male'].to_csv(out_dir + '/chexpert.sample.val.male.csv')
t_end = time.time()
print('split', df.split.value_counts().to_dict())
print('race', df.race.value_counts().to_dict())
print('seconds: demographics %.1f, images %.1f, cohort %.1f, csv %.1f, total %.1f' % (
    t_demo - t0, t_img - t_demo, t_cohort - t_img, t_end - t_cohort, t_end - t0))
