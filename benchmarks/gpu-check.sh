#!/usr/bin/env bash
# GPU check (issue 17): builds with -Pgpu (TensorFlow's CUDA natives), prints the devices TensorFlow
# sees, trains DenseNet-121 at 224x224 with batch 64 on generated images, runs inference, prints
# training and inference images/s, the implied GFLOP/s and its share of the GPU's peak, checks that the
# GPU's predictions agree with the CPU's within 1e-3 for the same SavedModel, and ends with one
# "GPU-CHECK PASS|FAIL ..." line. No interaction; stops itself after GPU_CHECK_LIMIT_S (480) seconds.
#
#   benchmarks/gpu-check.sh                    # on a GPU machine
#   GPU_CHECK_CPU=1 benchmarks/gpu-check.sh    # the same path on the CPU, small sizes (to test the script)
#
# Settings (environment): GPU_CHECK_IMAGES (320), GPU_CHECK_SIZE (224), GPU_CHECK_BATCH (64),
# GPU_CHECK_EPOCHS (2; images/s is the last epoch's), GPU_CHECK_DEVICE (gpu, or gpu:N),
# PEAK_TFLOPS (494.7: H200 SXM dense TF32 tensor-core peak, NVIDIA's H200 datasheet gives 989 TFLOPS
# "with sparsity", half of it dense; its FP32 non-tensor peak is 67 TFLOPS; TensorFlow uses TF32 for
# float32 convolutions and matmuls on Ampere and later unless NVIDIA_TF32_OVERRIDE=0).
# The GPU build needs tensorflow-core-native:1.1.0:linux-x86_64-gpu (526 MB) in ~/.m2 or a reachable
# Maven Central; its natives (~2 GB unpacked) go to target/javacpp-cache on first use.
set -euo pipefail
START=$(date +%s)
LIMIT=${GPU_CHECK_LIMIT_S:-480}
cd "$(dirname "$0")/.."
ROOT=$(pwd)
if [[ "${GPU_CHECK_CPU:-0}" == "1" ]]; then
  PROFILE=(); DEVICE=cpu
  IMAGES=${GPU_CHECK_IMAGES:-48}; SIZE=${GPU_CHECK_SIZE:-64}; BATCH=${GPU_CHECK_BATCH:-16}
else
  PROFILE=(-Pgpu); DEVICE=${GPU_CHECK_DEVICE:-gpu}
  IMAGES=${GPU_CHECK_IMAGES:-320}; SIZE=${GPU_CHECK_SIZE:-224}; BATCH=${GPU_CHECK_BATCH:-64}
fi
EPOCHS=${GPU_CHECK_EPOCHS:-2}
PEAK=${PEAK_TFLOPS:-494.7}
echo "gpu-check: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), device $DEVICE, profile ${PROFILE[*]:-cpu}"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
CPFILE=models/target/gpu-check${PROFILE[*]:+-gpu}.classpath
BUILD=(-q -B -ntp "${PROFILE[@]}" -pl models -am test-compile
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.outputFile="$ROOT/$CPFILE"
  -Dmdep.includeScope=test)
mvn -o "${BUILD[@]}" || mvn "${BUILD[@]}"
if [[ "${PROFILE[*]:-}" == "-Pgpu" ]] && ! grep -q linux-x86_64-gpu "$CPFILE"; then
  echo "gpu-check: the -Pgpu classpath has no linux-x86_64-gpu natives" >&2; exit 1
fi
echo "gpu-check: built in $(( $(date +%s) - START )) s"
LEFT=$(( LIMIT - ($(date +%s) - START) ))
(( LEFT > 30 )) || { echo "gpu-check: no time left after the build" >&2; exit 1; }
set +e
timeout "$LEFT" java -Xmx16g -Dorg.bytedeco.javacpp.cachedir="$ROOT/target/javacpp-cache" \
  -cp "models/target/test-classes:models/target/classes:$(cat "$CPFILE")" \
  org.chexaudit.models.GpuCheck "$DEVICE" "$IMAGES" "$SIZE" "$BATCH" "$EPOCHS" "$PEAK" 2>&1 \
  | grep --line-buffered -v '^SLF4J' | tee /tmp/gpu-check.$$.log
RC=${PIPESTATUS[0]}
set -e
if ! grep -q '^GPU-CHECK ' /tmp/gpu-check.$$.log; then
  echo "GPU-CHECK FAIL device=$DEVICE rc=$RC (timed out after ${LEFT}s or failed before the end; see above)"
fi
rm -f /tmp/gpu-check.$$.log
echo "gpu-check: total $(( $(date +%s) - START )) s"
exit "$RC"
