#!/usr/bin/env bash
# The shim's export list, its hook table (src/shim/shim_hooks.h) and the tests must agree: every hooked entry point
# is exported under its driver name, nothing else driver-named is exported, and every hook is exercised by the test
# application and implemented by the fake driver (cu*) or fake NVML (nvml*).
# Usage: check_shim_consistency.sh <libtfshim.so> <shim_hooks.h> <shim_app.c> <fake_cuda.c> <fake_nvml.c>
set -euo pipefail
library=$1 hooks_header=$2 app=$3 fake_cuda=$4 fake_nvml=$5
hooks=$(sed -n 's/^TFSHIM_HOOK(\([A-Za-z0-9_]*\),.*/\1/p' "$hooks_header" | sort)
exports=$(nm -D --defined-only "$library" | awk '$2 == "T" { print $3 }' | sed 's/@.*//' | grep -E '^(cu|nvml)' | sort)
status=0
if [ -z "$hooks" ]; then echo "no TFSHIM_HOOK lines in $hooks_header"; exit 1; fi
if [ "$hooks" != "$exports" ]; then
  echo "export list and hook table differ (< hook table, > exports):"
  diff <(echo "$hooks") <(echo "$exports") || true
  status=1
fi
nm -D --defined-only "$library" | awk '$2 == "T" { print $3 }' | grep -qx 'dlsym' || { echo "dlsym is not exported"; status=1; }
for hook in $hooks; do
  grep -qw "$hook" "$app" || { echo "hook $hook is not exercised by $app"; status=1; }
  case $hook in
    nvml*) fake=$fake_nvml ;;
    *) fake=$fake_cuda ;;
  esac
  grep -q "EXPORT [A-Za-z_]* $hook(" "$fake" || { echo "hook $hook has no implementation in $fake"; status=1; }
done
count=$(echo "$hooks" | wc -l)
[ "$status" = 0 ] && echo "consistent: $count hooks exported, exercised and faked"
exit "$status"
