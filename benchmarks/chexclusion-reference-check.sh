#!/usr/bin/env bash
# Cross-checks chexclusion-eval against an independent pandas/scikit-learn/SciPy implementation of
# seeds-spec B5-B7 on synthetic predictions (3 runs, 4 labels, sex/age/race). Needs Debian's
# /usr/bin/python3 with numpy, pandas, scikit-learn, scipy. Prints the largest absolute differences.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
mvn -o -q -B -pl pipelines -am compile
mvn -o -q -B -pl pipelines dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="pipelines/target/classes:schemas/target/classes:core/target/classes:synth/target/classes:transforms/target/classes:transforms-ml/target/classes:models/target/classes:datafiles/target/classes:$(cat "$work/cp.txt")"
(cd "$work" && /usr/bin/python3 "$OLDPWD/benchmarks/chexclusion/make_predictions.py")
java -cp "$cp" org.chexaudit.pipelines.cli.Main chexclusion-eval --runs="$work/run0,$work/run1,$work/run2" \
  --scoreColumns=class_0,class_1,class_2,class_3 --targetColumns=target_0,target_1,target_2,target_3 \
  "--labels=No Finding,Cardiomegaly,Edema,Pneumonia" --groupColumns=sex,age,race "--missingValues=0|UNKNOWN" \
  --groupsFile="$work/groups.csv" --output="$work/out" 2>&1 | grep -v '^\['
(cd "$work" && /usr/bin/python3 "$OLDPWD/benchmarks/chexclusion/reference_check.py")
echo "outputs in $work/out"
