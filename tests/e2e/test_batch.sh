#!/bin/bash
# `apkpriv batch`: (1) on samples/apk (always runs): a crash and a hang injected through the
# test-only fault hook (APKPRIV_TEST_FAULT) become rows with status crash / timeout while the
# other rows are fine, a rerun scans only what failed, and an @LIST with a missing path works;
# (2) on ../shared/corpus: a row for every file (count and names from `find`), every sha256 equal
# to sha256sum's, -j1 and -j2 summaries byte-identical, and a rerun that reuses every report
# (nothing rewritten). Wall times of -j1 and -j2 are printed for the record.
set -u
: "${APKPRIV:?APKPRIV must point to the apkpriv binary}"
HERE=$(cd "$(dirname "$0")" && pwd)
SAMPLES=$HERE/../../samples/apk
SHARED=${AP_SHARED_DIR:-$HERE/../../../shared}
CORPUS=$SHARED/corpus
command -v python3 >/dev/null || { echo "skipped: python3 is not installed"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# Checks OUT/summary.{jsonl,csv,html} against the input list in $2: one row per input in input
# order, the CSV saying the same as the JSONL; prints "file<TAB>status<TAB>sha256" lines.
check_rows() {
	python3 - "$1" "$2" <<'PY'
import csv, json, sys
out, listing = sys.argv[1], sys.argv[2]
want = [l.rstrip("\n") for l in open(listing, encoding="utf-8", errors="surrogateescape")]
rows = [json.loads(l) for l in open(out + "/summary.jsonl", encoding="utf-8")]
with open(out + "/summary.csv", newline="", encoding="utf-8") as f:
    table = list(csv.reader(f))
err = []
if [r["file"] for r in rows] != want:
    err.append("summary.jsonl rows %d, inputs %d, or not in input order" % (len(rows), len(want)))
if table[0][:3] != ["file", "sha256", "package"] or len(table) != len(rows) + 1:
    err.append("summary.csv: %d rows for %d inputs" % (len(table) - 1, len(rows)))
for r, c in zip(rows, table[1:]):
    h = table[0]
    if c[h.index("file")] != r["file"] or c[h.index("status")] != r["status"] or \
       c[h.index("sha256")] != (r["sha256"] or ""):
        err.append("csv and jsonl disagree on " + r["file"])
html = open(out + "/summary.html", encoding="utf-8").read()
if "<svg" not in html or html.count("<tr><td class=\"num\">") != len(rows):
    err.append("summary.html: no histogram or wrong row count")
for e in err:
    print("ERR", e)
for r in rows:
    print("%s\t%s\t%s" % (r["file"], r["status"], r["sha256"] or ""))
PY
}

# ---- (1) fault hook on the samples --------------------------------------------------------
ls "$SAMPLES"/*.apk >/dev/null 2>&1 || { echo "FAIL: no samples in $SAMPLES"; exit 1; }
find "$SAMPLES" -type f | LC_ALL=C sort > "$work/samples.list"
nsamples=$(wc -l < "$work/samples.list")
crash_in=reach.apk
hang_in=video_clean.apk

APKPRIV_TEST_FAULT=crash:$crash_in "$APKPRIV" batch -j2 -o "$work/f" "$SAMPLES" > "$work/f1.out" 2> "$work/f1.err"
rc=$?
[ $rc -eq 4 ] || bad "crash run exit $rc, want 4 (a row failed): $(cat "$work/f1.err")"
check_rows "$work/f" "$work/samples.list" > "$work/f1.rows"
grep '^ERR' "$work/f1.rows" && bad "crash run summaries"
[ "$(grep -c $'\tcrash\t' "$work/f1.rows")" = 1 ] || bad "want exactly 1 crash row"
grep -q "$crash_in"$'\tcrash\t' "$work/f1.rows" || bad "the crash row is not $crash_in"
[ "$(grep -c $'\tok\t' "$work/f1.rows")" = $((nsamples - 1)) ] || bad "other samples not ok"
grep -q 'killed by signal 11' "$work/f/summary.csv" || bad "crash reason missing"
[ -s "$work/f1.err" ] && bad "stderr not silent when not a TTY: $(head -3 "$work/f1.err")"

# the hang: killed at the wall-clock limit; everything else is reused from the first run
start=$(date +%s)
APKPRIV_TEST_FAULT=hang:$hang_in "$APKPRIV" batch -j2 --timeout 3 -o "$work/f" "$SAMPLES" > "$work/f2.out" 2>&1
rc=$?
took=$(( $(date +%s) - start ))
[ $rc -eq 4 ] || bad "hang run exit $rc, want 4"
[ $took -lt 30 ] || bad "hang run took ${took}s with --timeout 3"
check_rows "$work/f" "$work/samples.list" > "$work/f2.rows"
grep '^ERR' "$work/f2.rows" && bad "hang run summaries"
grep -q "$hang_in"$'\ttimeout\t'"[0-9a-f]\{64\}" "$work/f2.rows" || bad "no timeout row (with sha256) for $hang_in"
[ "$(grep -c $'\tok\t' "$work/f2.rows")" = $((nsamples - 1)) ] || bad "hang run: others not ok"
grep -qF "(2 scanned, $((nsamples - 2)) reused)" "$work/f2.out" ||
	bad "hang run should rescan only the crashed and the hung input: $(cat "$work/f2.out")"
# no fault: every input now has a report from an earlier run (the hung one from the first run)
"$APKPRIV" batch -j2 -o "$work/f" "$SAMPLES" > "$work/f3.out" 2>&1 || bad "clean rerun exit $?"
grep -qF "(0 scanned, $nsamples reused): $nsamples ok" "$work/f3.out" || bad "clean rerun: $(cat "$work/f3.out")"
echo "fault hook: crash and hang isolated ($(cat "$work/f1.out"))"

# @LIST: comments, CRLF, a missing file
{ echo "# list"; head -1 "$work/samples.list" | tr -d '\n'; printf '\r\n\n%s\n' "$work/missing.apk"; } > "$work/list"
"$APKPRIV" batch -j1 -o "$work/l" @"$work/list" > /dev/null 2>&1 || bad "@LIST run exit $?"
printf '%s\n%s\n' "$(head -1 "$work/samples.list")" "$work/missing.apk" | LC_ALL=C sort > "$work/list.want"
check_rows "$work/l" "$work/list.want" > "$work/l.rows"
grep '^ERR' "$work/l.rows" && bad "@LIST summaries"
grep -q "missing.apk"$'\tunusable' "$work/l.rows" || bad "missing file is not an unusable row"
"$APKPRIV" batch -o "$work/u" > /dev/null 2>&1; [ $? -eq 2 ] || bad "no input: want exit 2"

# ---- (2) the shared corpus -------------------------------------------------------------------
if [ ! -d "$CORPUS" ]; then
	if [ -n "${CI:-}" ]; then echo "CI=true but $CORPUS is missing"; exit 1; fi
	[ $fail -eq 0 ] || exit 1
	echo "skipped (corpus part): ../shared/corpus is absent (a user's clone); the fault-hook part passed"
	exit 77
fi
find "$CORPUS" -type f | LC_ALL=C sort > "$work/corpus.list"
ncorpus=$(wc -l < "$work/corpus.list")
t0=$(date +%s.%N)
"$APKPRIV" batch -j1 -o "$work/c1" "$CORPUS" > "$work/c1.out" 2> "$work/c1.err"
rc1=$?
t1=$(date +%s.%N)
"$APKPRIV" batch -j2 -o "$work/c2" "$CORPUS" > "$work/c2.out" 2> "$work/c2.err"
rc2=$?
t2=$(date +%s.%N)
[ $rc1 -eq 0 ] || bad "corpus -j1 exit $rc1: $(cat "$work/c1.out" "$work/c1.err" | head -5)"
[ $rc2 -eq 0 ] || bad "corpus -j2 exit $rc2: $(cat "$work/c2.out" "$work/c2.err" | head -5)"
check_rows "$work/c2" "$work/corpus.list" > "$work/c2.rows"
grep '^ERR' "$work/c2.rows" && bad "corpus summaries"
for f in summary.jsonl summary.csv summary.html; do
	cmp -s "$work/c1/$f" "$work/c2/$f" || bad "-j1 and -j2 $f differ"
done
# the sha256 column against sha256sum, the reference
(cd / && xargs -d '\n' sha256sum < "$work/corpus.list") | awk '{print $2 "\t" $1}' | sort > "$work/sha.want"
awk -F'\t' '{print $1 "\t" $3}' "$work/c2.rows" | sort > "$work/sha.got"
cmp -s "$work/sha.want" "$work/sha.got" || bad "sha256 column differs from sha256sum: $(diff "$work/sha.want" "$work/sha.got" | head -4)"
# every non-zip file in the corpus is an unusable row, never a crash/timeout
n_bad=$(grep -c $'\t\(crash\|timeout\|limit\|error\)\t' "$work/c2.rows")
[ "$n_bad" = 0 ] || bad "$n_bad corpus rows crashed/timed out: $(grep $'\t\(crash\|timeout\|limit\|error\)\t' "$work/c2.rows" | head -3)"
for f in README.md MANIFEST.tsv SHA256SUMS; do
	[ -f "$CORPUS/$f" ] || continue
	grep -q "/$f"$'\tunusable\t' "$work/c2.rows" || bad "$f is not an unusable row"
done
# resume: nothing scanned, no report rewritten, same summaries
ls -l --time-style=+%s.%N "$work/c2/reports" > "$work/reports.before"
"$APKPRIV" batch -j2 -o "$work/c2" "$CORPUS" > "$work/c3.out" 2>&1 || bad "corpus rerun exit $?"
ls -l --time-style=+%s.%N "$work/c2/reports" > "$work/reports.after"
grep -qF "$ncorpus inputs (0 scanned, $ncorpus reused)" "$work/c3.out" ||
	bad "rerun was not fully resumed: $(cat "$work/c3.out")"
cmp -s "$work/reports.before" "$work/reports.after" || bad "rerun rewrote reports"
cmp -s "$work/c1/summary.jsonl" "$work/c2/summary.jsonl" || bad "resumed summary.jsonl differs"
cmp -s "$work/c1/summary.csv" "$work/c2/summary.csv" || bad "resumed summary.csv differs"

echo "corpus: $ncorpus files -> $(($(wc -l < "$work/c2/summary.jsonl"))) rows; $(cat "$work/c2.out")"
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "wall time: -j1 %.1fs, -j2 %.1fs\n", b - a, c - b }'
[ $fail -eq 0 ] || exit 1
echo "ok"
