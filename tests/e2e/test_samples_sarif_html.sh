#!/bin/bash
# Issue 7 on the real samples: the SARIF of every sample (one log each, and one log of
# all samples in one run) validates against the official SARIF 2.1.0 schema, and the HTML report of the
# over-collecting video app renders in headless Chromium (screenshot kept as an artifact).
set -u
fail() { echo "FAIL: $*"; exit 1; }
: "${APKPRIV:?APKPRIV must name the apkpriv binary}"
SRC=${AP_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${AP_BUILD_DIR:-$(pwd)}
SCHEMA=${AP_SHARED_DIR:-$SRC/../shared}/knowledge/sarif-2.1.0.schema.json
OUT=$BUILD/artifacts/samples
mkdir -p "$OUT" || fail "cannot create $OUT"
samples=("$SRC"/samples/apk/*.apk)
[ -e "${samples[0]}" ] || fail "no samples in $SRC/samples/apk"

validate=1
if [ ! -r "$SCHEMA" ] || ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
	[ -n "${CI:-}" ] && fail "CI is set but $SCHEMA or python3-jsonschema is missing"
	echo "note: SARIF schema validation skipped ($SCHEMA or python3-jsonschema is absent)"
	validate=0
fi

check_sarif() { # FILE EXPECTED_RUNS
	/usr/bin/python3 - "$SCHEMA" "$1" "$2" "$validate" <<'PY' || fail "SARIF $2 invalid: $1"
import json, sys
schema_path, path, runs, validate = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
log = json.load(open(path, encoding="utf-8"))
assert log["version"] == "2.1.0", "version"
assert len(log["runs"]) == runs, "expected %d runs, got %d" % (runs, len(log["runs"]))
if validate:
    import jsonschema
    schema = json.load(open(schema_path, encoding="utf-8"))
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(log))
    for e in errors[:5]:
        print("schema:", list(e.path), e.message[:200])
    assert not errors, "%d schema errors" % len(errors)
for run in log["runs"]:
    rules = run["tool"]["driver"].get("rules", [])
    for res in run.get("results", []):
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"], "ruleIndex points elsewhere"
print("ok: %s (%d runs, %d results)" % (path, runs, sum(len(r.get("results", [])) for r in log["runs"])))
PY
}

for apk in "${samples[@]}"; do
	name=$(basename "$apk" .apk)
	"$APKPRIV" scan --deterministic --format sarif -o "$OUT/$name.sarif" "$apk"
	rc=$?
	[ $rc -eq 0 ] || fail "scan --format sarif $name exited $rc"
	check_sarif "$OUT/$name.sarif" 1
done
"$APKPRIV" scan --deterministic --format sarif -o "$OUT/all.sarif" "${samples[@]}" ||
	fail "scan --format sarif of all samples failed"
check_sarif "$OUT/all.sarif" 1  # one run, results from every APK (issue 7)
# the over-collecting app must carry results that point at code (logical locations)
grep -q '"fullyQualifiedName": *"Lcom/apkpriv/sample/funvideo/' "$OUT/video_overcollect.sarif" ||
	grep -q '"fullyQualifiedName":"Lcom/apkpriv/sample/funvideo/' "$OUT/video_overcollect.sarif" ||
	fail "video_overcollect SARIF has no logical location in first-party code"

HTML=$OUT/video_overcollect.html
"$APKPRIV" scan --deterministic --format html -o "$HTML" "$SRC/samples/apk/video_overcollect.apk" ||
	fail "scan --format html failed"
grep -q 'FunVideo' "$HTML" || fail "HTML report lacks the app label"
APKPRIV_HTML=$HTML bash "$SRC/tests/e2e/test_html_chromium.sh"
rc=$?
[ $rc -eq 0 ] || exit $rc
echo "ok: SARIF of ${#samples[@]} samples validated; HTML screenshot in $BUILD/artifacts/html/"
