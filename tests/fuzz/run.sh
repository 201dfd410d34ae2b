#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (-DAPKPRIV_FUZZ=ON: ASan + UBSan + coverage) and runs
# each one for SECONDS. docs/fuzzing.md says how to keep what it finds.
#
#   tests/fuzz/run.sh SECONDS [TARGET...]       e.g. tests/fuzz/run.sh 300, tests/fuzz/run.sh 60 dex
#
# Environment: BUILD (build dir, default /tmp/build-fuzz), JOBS (targets run at once, default 1;
# each uses one core), NO_BUILD=1 (reuse the build). The working corpus of a target is
# $BUILD/fuzz-work/<fmt>/corpus, seeded from tests/fuzz/corpus/<fmt> (the kept inputs) and grown
# by each run; crashes, leaks, timeouts and OOMs land in $BUILD/fuzz-work/<fmt>/artifacts/.
# At the end a summary prints each target's executions, coverage (cov = edges, ft = features)
# and artifacts. Exit 1 when any target left an artifact.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
secs=${1:?usage: run.sh SECONDS [TARGET...]}
shift
build=${BUILD:-/tmp/build-fuzz}
jobs=${JOBS:-1}
all=(zip axml arsc dex elf scan)
targets=("${@:-${all[@]}}")

if [ "${NO_BUILD:-0}" != 1 ]; then
  CC=clang cmake -S "$src" -B "$build" -DAPKPRIV_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    >"$build.cmake.log" 2>&1 || { cat "$build.cmake.log"; exit 1; }
  names=()
  for t in "${targets[@]}"; do names+=("fuzz_$t"); done
  cmake --build "$build" --target "${names[@]}" -j"$jobs"
fi

# Extra seeds from ../shared/corpus when it is beside the checkout: files of the target's format
# under its max_len, copied (never committed) to $BUILD/fuzz-seeds/<fmt>.
shared=${SHARED_CORPUS:-$src/../shared/corpus}
seed_shared() {
  local fmt=$1 max=$2 d=$build/fuzz-seeds/$1 pat
  mkdir -p "$d"
  [ -d "$shared" ] || return 0
  case $fmt in
    zip|scan) pat='*.apk' ;;
    dex) pat='*.dex' ;;
    elf) pat='*.so' ;;
    axml) pat='*.xml' ;;
    arsc) pat='*.arsc' ;;
  esac
  find "$shared" -type f -name "$pat" -size -"$max"c -exec cp -n {} "$d/" \; 2>/dev/null || true
  # DEX, ELF and AXML also come out of the corpus APKs (one of each per APK, under max_len)
  local entry
  case $fmt in
    dex) entry=classes.dex ;; elf) entry='lib/*.so' ;; axml) entry=AndroidManifest.xml ;;
    arsc) entry=resources.arsc ;; *) return 0 ;;
  esac
  local apk out i=0
  while IFS= read -r apk; do
    i=$((i + 1))
    out=$d/apk$i-$(basename "$apk" .apk).$fmt
    unzip -p "$apk" "$entry" 2>/dev/null | head -c "$max" >"$out" || true
    [ -s "$out" ] || rm -f "$out"
  done < <(find "$shared" -type f -name '*.apk' | sort)
}

run_one() {
  local fmt=$1 w=$build/fuzz-work/$1 max=131072
  case $fmt in scan|zip) max=262144 ;; esac
  mkdir -p "$w/corpus" "$w/artifacts"
  seed_shared "$fmt" "$max"
  local opts=(-max_total_time="$secs" -print_final_stats=1 -timeout=25 -rss_limit_mb=2560
              -artifact_prefix="$w/artifacts/" -close_fd_mask=3)
  [ -f "$here/dict/$fmt.dict" ] && opts+=(-dict="$here/dict/$fmt.dict")
  case $fmt in
    # whole APKs: bigger inputs; malloc cap above the largest honest buffer (an entry inflated
    # to the input's deflate ratio) so only a real leak or runaway allocation is reported
    scan|zip) opts+=(-max_len=262144 -malloc_limit_mb=1536) ;;
    *) opts+=(-max_len=131072) ;;
  esac
  "$build/tests/fuzz_$fmt" "${opts[@]}" "$w/corpus" "$here/corpus/$fmt" "$build/fuzz-seeds/$fmt" \
    >"$w/log" 2>&1 || true
}

running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait || true

bad=0
printf '%-6s %12s %8s %8s %8s %s\n' target execs cov ft corpus artifacts
for t in "${targets[@]}"; do
  w=$build/fuzz-work/$t
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$w/log" | grep -o '[0-9]*$' | tail -1)
  last=$(grep -E '^#[0-9]+' "$w/log" | tail -1)
  cov=$(echo "$last" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*' || true)
  ft=$(echo "$last" | grep -o 'ft: [0-9]*' | grep -o '[0-9]*' || true)
  n=$(find "$w/corpus" -type f | wc -l)
  arts=$(find "$w/artifacts" -type f | wc -l)
  [ "$arts" -gt 0 ] && bad=1
  printf '%-6s %12s %8s %8s %8s %s\n' "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$n" "$arts"
done
exit $bad
