#!/usr/bin/env bash
# libtfshim on a real GPU (docs/limiter.md, "Hardware check"): builds native/, then with the shim preloaded
#   memory:  TF_SHIM_VRAM_LIMIT=8Gi → cuMemGetInfo total = 8 GiB; cuMemAlloc_v2, cuMemAllocAsync and cuMemCreate
#            stop with CUDA_ERROR_OUT_OF_MEMORY (2) at ≤ 8 GiB;
#   compute: 1 ms PTX spin kernels; the shim without limits costs ≤ 2 % of launches; TF_SHIM_COMPUTE_LIMIT=30 (standalone
#            launch-rate cap calibrated to the unlimited rate) → busy share 30 ± 5 % of unlimited; two processes at
#            30/70 complete launches 3:7 ± 15 %;
#   PyTorch (when importable): mem_get_info total = 8 GiB and OutOfMemoryError at ≤ 8 GiB with the default,
#            expandable_segments and cudaMallocAsync allocators.
# No driver: says so and exits 0 (--require-gpu: exit 3). Budget ≤ 4 min. Needs cmake, a C compiler; no CUDA toolkit.
set -uo pipefail
cd "$(dirname "$0")/.."
require_gpu=0
[ "${1:-}" = "--require-gpu" ] && require_gpu=1
build=${TFACCEL_BUILD_DIR:-artifacts/gpu-check-limiter}
seconds=${TF_LIMITER_CHECK_SECONDS:-10}
started=$(date +%s)
failures=0
verdict() { # name ok detail
  if [ "$2" = 1 ]; then echo "PASS $1: $3"; else echo "FAIL $1: $3"; failures=$((failures + 1)); fi
}
field() { sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p" | head -n 1; }

echo "== limiter check: building native/ into $build"
mkdir -p "$(dirname "$build")"
cmake -S native -B "$build" -DCMAKE_BUILD_TYPE=Release -DTFACCEL_BUILD_TESTS=OFF >"$build.configure.log" 2>&1 \
  && cmake --build "$build" -j "$(nproc)" --target tfshim tfshim-gpu-probe >"$build.build.log" 2>&1 \
  || { echo "limiter check: build failed (see $build.*.log)"; exit 1; }
shim=$(realpath "$build/libtfshim.so")
probe=$(realpath "$build/tfshim-gpu-probe")
state_dir=$(mktemp -d)
trap 'rm -rf "$state_dir"' EXIT

baseline=$(timeout 60 "$probe" memory 2>&1 | head -n 1)
if echo "$baseline" | grep -q '"error"'; then
  echo "== limiter check: no NVIDIA driver on this machine ($baseline); the hardware check is still pending"
  [ "$require_gpu" = 1 ] && exit 3 || exit 0
fi
echo "without shim: $baseline"

with_shim() { # state-name env... -- command...
  local state="$state_dir/$1.region"; shift
  env LD_PRELOAD="$shim" TF_SHIM_STATE="$state" "$@"
}

echo "== memory (TF_SHIM_VRAM_LIMIT=8Gi)"
memory=$(with_shim memory TF_SHIM_VRAM_LIMIT=8Gi timeout 120 "$probe" memory 2>&1)
echo "$memory"
total=$(echo "$memory" | grep cuMemGetInfo | field totalBytes)
verdict "cuMemGetInfo total" "$([ "${total:-0}" = 8589934592 ] && echo 1 || echo 0)" "total=${total:-?} (8589934592 expected)"
for family in cuMemAlloc_v2 cuMemAllocAsync cuMemCreate; do
  line=$(echo "$memory" | grep "\"$family\"")
  accepted=$(echo "$line" | field acceptedBytes); code=$(echo "$line" | field stoppedWith)
  ok=$([ -n "$accepted" ] && [ "$accepted" -le 8589934592 ] && [ "$code" = 2 ] && echo 1 || echo 0)
  verdict "$family" "$ok" "accepted=${accepted:-?} stoppedWith=${code:-?} (≤ 8589934592 and 2 expected)"
done

echo "== compute (${seconds} s per run, 1 ms spin kernels)"
plain=$(timeout 120 "$probe" compute "$seconds" 2>&1); echo "no shim:      $plain"
free=$(with_shim free timeout 120 "$probe" compute "$seconds" 2>&1); echo "shim, no cap: $free"
rate=$(echo "$free" | field launchesPerSecond)
plain_rate=$(echo "$plain" | field launchesPerSecond)
loss=$(awk -v a="${plain_rate:-0}" -v b="${rate:-0}" 'BEGIN { if (a > 0) printf "%.2f", (a - b) / a * 100; else print 100 }')
verdict "unlimited overhead" "$(awk -v l="$loss" 'BEGIN { print (l <= 2) ? 1 : 0 }')" "throughput loss ${loss} % (≤ 2 % expected)"
full=$(echo "$free" | field busyShare)
capped=$(with_shim capped TF_SHIM_COMPUTE_LIMIT=30 TF_SHIM_LAUNCH_RATE="${rate%.*}" timeout 120 "$probe" compute "$seconds" 2>&1)
echo "cap 30 %:     $capped"
share=$(awk -v c="$(echo "$capped" | field busyShare)" -v f="${full:-1}" 'BEGIN { printf "%.1f", c / f * 100 }')
verdict "cap 30 %" "$(awk -v s="$share" 'BEGIN { print (s >= 25 && s <= 35) ? 1 : 0 }')" "${share} % of unlimited (30 ± 5 expected)"
with_shim pair30 TF_SHIM_COMPUTE_LIMIT=30 TF_SHIM_LAUNCH_RATE="${rate%.*}" timeout 120 "$probe" compute "$seconds" >"$state_dir/p30" 2>&1 &
with_shim pair70 TF_SHIM_COMPUTE_LIMIT=70 TF_SHIM_LAUNCH_RATE="${rate%.*}" timeout 120 "$probe" compute "$seconds" >"$state_dir/p70" 2>&1 &
wait
l30=$(field launches <"$state_dir/p30"); l70=$(field launches <"$state_dir/p70")
ratio=$(awk -v a="${l30:-0}" -v b="${l70:-1}" 'BEGIN { printf "%.3f", a / b }')
verdict "pair 30/70" "$(awk -v r="$ratio" 'BEGIN { e = 3 / 7; print (r >= e * 0.85 && r <= e * 1.15) ? 1 : 0 }')" \
  "launches ${l30:-?}:${l70:-?} = ${ratio} (0.429 ± 15 % expected)"

if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' >/dev/null 2>&1; then
  echo "== PyTorch (8 GiB limit, 1 GiB tensors until OutOfMemoryError)"
  for config in "" "expandable_segments:True" "backend:cudaMallocAsync"; do
    out=$(with_shim "torch${config//[:]/_}" TF_SHIM_VRAM_LIMIT=8Gi PYTORCH_CUDA_ALLOC_CONF="$config" timeout 120 python3 -c '
import torch
free, total = torch.cuda.mem_get_info()
blocks = []
try:
    while len(blocks) < 200:
        blocks.append(torch.empty(1 << 30, dtype=torch.uint8, device="cuda"))
    print(f"total={total} held={len(blocks)} oom=no")
except torch.cuda.OutOfMemoryError:
    print(f"total={total} held={len(blocks)} oom=yes")
' 2>&1 | tail -n 1)
    ok=$(echo "$out" | awk '{ split($1, t, "="); split($2, h, "="); print (t[2] == 8589934592 && h[2] <= 8 && $3 == "oom=yes") ? 1 : 0 }')
    verdict "torch ${config:-default}" "${ok:-0}" "$out"
  done
else
  echo "== PyTorch not importable with CUDA; skipped"
fi

echo "== limiter check: $failures failed, $(( $(date +%s) - started )) s"
[ "$failures" = 0 ]
