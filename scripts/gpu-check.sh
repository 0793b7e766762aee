#!/usr/bin/env bash
# Builds libtfaccel and runs its NVML backend through device listing, metrics, processes and MIG listing,
# printing a short report. On a machine without an NVIDIA driver it prints a clear "no NVIDIA driver" report
# and exits 0 (pass --require-gpu to make that exit 3). Needs cmake and a C compiler; no CUDA toolkit.
# --limiter runs scripts/gpu-check-limiter.sh instead (libtfshim on the GPU; docs/limiter.md "Hardware check").
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--limiter" ]; then shift; exec scripts/gpu-check-limiter.sh "$@"; fi
require_gpu=0
[ "${1:-}" = "--require-gpu" ] && require_gpu=1
build_dir=${TFACCEL_BUILD_DIR:-artifacts/gpu-check}

echo "== gpu-check: building native/ into $build_dir"
mkdir -p "$(dirname "$build_dir")"
started=$(date +%s)
cmake -S native -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DTFACCEL_BUILD_TESTS=OFF >"$build_dir.configure.log" 2>&1 \
  || { echo "gpu-check: cmake configure failed (see $build_dir.configure.log)"; exit 1; }
cmake --build "$build_dir" -j "$(nproc)" >"$build_dir.build.log" 2>&1 \
  || { echo "gpu-check: build failed (see $build_dir.build.log)"; exit 1; }

echo "== gpu-check: host"
echo "kernel: $(uname -r)"
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,mig.mode.current --format=csv,noheader 2>&1 | sed 's/^/nvidia-smi: /' || true
else
  echo "nvidia-smi: not installed"
fi

echo "== gpu-check: tfaccel-probe (NVML backend)"
set +e
timeout 120 "$build_dir/tfaccel-probe"
rc=$?
set -e
if [ "$rc" = 0 ]; then
  if [ "${TFACCEL_MIG_CYCLE:-0}" = 1 ]; then
    echo "== gpu-check: MIG create/destroy cycle (only where MIG mode is already on)"
    timeout 120 "$build_dir/tfaccel-probe" --mig-cycle | grep "mig cycle" || rc=1
  fi
  if python3 -c 'import pynvml' >/dev/null 2>&1; then
    echo "== gpu-check: cross-check against pynvml, with a CUDA load when PyTorch is there"
    load=""
    python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' >/dev/null 2>&1 && load="--load"
    timeout 150 python3 scripts/gpu_crosscheck.py "$build_dir/tfaccel-probe" $load || rc=1
  else
    echo "== gpu-check: pynvml not installed; cross-check skipped"
  fi
fi
elapsed=$(( $(date +%s) - started ))
case "$rc" in
  0) echo "== gpu-check: PASS in ${elapsed}s" ;;
  3) echo "== gpu-check: no NVIDIA driver on this machine; the NVML run is still pending (${elapsed}s)"
     [ "$require_gpu" = 1 ] && exit 3 || exit 0 ;;
  124) echo "== gpu-check: FAIL (probe timed out after 120 s)"; exit 1 ;;
  *) echo "== gpu-check: FAIL (probe exit $rc)"; exit 1 ;;
esac
