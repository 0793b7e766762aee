#!/usr/bin/env bash
# Builds everything (including native/ through CMake), runs every test suite, and prints one final line:
#   N passed, N failed, N skipped
# Exit code is non-zero when anything fails to build or any test fails.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

configuration=${CONFIGURATION:-Release}
log_dir=artifacts/test-logs
rm -rf "$log_dir" && mkdir -p "$log_dir"
passed=0 failed=0 skipped=0 status=0

step() { printf '\n==> %s\n' "$*"; }

ensure_debian_package() { # command package
  command -v "$1" >/dev/null 2>&1 && return 0
  step "installing Debian package '$2' (needed by the tests for '$1')"
  if [ "$(id -u)" != 0 ]; then
    echo "test.sh: '$1' is missing and this is not root; install it with: sudo apt-get install -y $2" >&2
    return 1
  fi
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2"; } >"$log_dir/apt-$2.log" 2>&1 \
    || { echo "test.sh: could not install '$2' (see $log_dir/apt-$2.log); tests that need '$1' will fail" >&2; return 1; }
}

for tool in dotnet cmake ctest; do
  command -v "$tool" >/dev/null 2>&1 || { echo "test.sh: '$tool' is required but not on PATH" >&2; exit 2; }
done
ensure_debian_package prometheus prometheus || status=1
ensure_debian_package promtool prometheus || status=1

# --- native/: configure, build and run CTest -------------------------------------------------------
step "native: cmake build + ctest"
native_build=artifacts/native
if cmake -S native -B "$native_build" -DCMAKE_BUILD_TYPE=Release >"$log_dir/native-configure.log" 2>&1 \
   && cmake --build "$native_build" -j 2 >"$log_dir/native-build.log" 2>&1; then
  ctest --test-dir "$native_build" --output-on-failure >"$log_dir/ctest.log" 2>&1
  ctest_rc=$?
  tail -n 3 "$log_dir/ctest.log"
  ctest_total=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\2/p' "$log_dir/ctest.log")
  ctest_failed=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\1/p' "$log_dir/ctest.log")
  passed=$((passed + ${ctest_total:-0} - ${ctest_failed:-0}))
  failed=$((failed + ${ctest_failed:-0}))
  [ "$ctest_rc" = 0 ] || status=1
else
  echo "native build failed:"; tail -n 30 "$log_dir"/native-*.log
  failed=$((failed + 1)); status=1
fi

# --- .NET: build the solution, then run every test project ------------------------------------------
step "dotnet build TensorFusion.slnx -c $configuration"
if ! dotnet build TensorFusion.slnx -c "$configuration" -nologo -v:q -clp:ErrorsOnly >"$log_dir/dotnet-build.log" 2>&1; then
  grep -E 'error|Error' "$log_dir/dotnet-build.log" | sort -u | head -n 40
  echo "0 passed, $((failed + 1)) failed, $skipped skipped"
  exit 1
fi

step "dotnet test"
dotnet test TensorFusion.slnx -c "$configuration" --no-build -nologo \
  --logger "console;verbosity=minimal" --results-directory artifacts/TestResults >"$log_dir/dotnet-test.log" 2>&1
test_rc=$?
grep -E '^\s*(Passed|Failed)!|^\s*Failed [A-Za-z]|error' "$log_dir/dotnet-test.log" | head -n 60
while read -r f p s; do
  failed=$((failed + f)); passed=$((passed + p)); skipped=$((skipped + s))
done < <(sed -n 's/.*Failed:[[:space:]]*\([0-9]*\), Passed:[[:space:]]*\([0-9]*\), Skipped:[[:space:]]*\([0-9]*\).*/\1 \2 \3/p' "$log_dir/dotnet-test.log")
[ "$test_rc" = 0 ] || status=1

# --- Prometheus rules: promtool unit tests -----------------------------------------------------------
if compgen -G "deploy/prometheus/tests/*.yaml" >/dev/null && command -v promtool >/dev/null 2>&1; then
  step "promtool test rules"
  for t in deploy/prometheus/tests/*.yaml; do
    if promtool test rules "$t" >>"$log_dir/promtool.log" 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; echo "FAILED: promtool test rules $t"; fi
  done
fi

if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
echo
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
