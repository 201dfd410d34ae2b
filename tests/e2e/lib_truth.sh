# Sourced by the e2e tests that check apkpriv against a truth table of ../shared/corpus.
# scan_truth TABLE: skips (exit 77) when the table is absent, else scans every file it lists in
# one run into $work/all.json and sets $src, $corpus, $work and $bin. Exit 3 (an unusable input, which
# is reported on stderr) and 4 (a partial one) still leave every other report in the output.
scan_truth() {
  local here table=$1
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  src=${AP_SOURCE_DIR:-$here/../..}
  corpus=${AP_SHARED_DIR:-$here/../../../shared}/corpus
  bin=${APKPRIV:?set APKPRIV to the apkpriv binary}
  if [ ! -f "$corpus/$table" ]; then
    echo "SKIP: $corpus/$table not found (../shared absent)"; exit 77
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  local f rc=0 files
  cut -f1 "$corpus/$table" | tail -n +2 | while read -r f; do
    [ -f "$corpus/$f" ] && echo "$corpus/$f"
  done >"$work/list"
  mapfile -t files <"$work/list"
  "$bin" scan --format json --deterministic --no-native "${files[@]}" >"$work/all.json" 2>"$work/err" || rc=$?
  case $rc in 0|3|4) ;; *) echo "FAIL: apkpriv exited $rc"; tail "$work/err"; exit 1 ;; esac
}
