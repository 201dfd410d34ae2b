#!/usr/bin/env bash
# The tampering suite (issue 8): tests/tamper/make_tampered.py builds every case of
# tests/tamper/cases.tsv from the clean samples; for each one `apkpriv manifest --json` and
# `apkpriv scan --format json` must give the clean sample's package and permission set, name the
# trick as an anomaly (module, code, message) that the clean sample does not have, keep the DEX
# and native results, and never crash (ctest runs this in the sanitizer build too). aapt, which is
# Android's own zip and binary-XML code, checks the "android" column: what Android makes of it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=${AP_SOURCE_DIR:-$here/../..}
bin=${APKPRIV:?set APKPRIV to the apkpriv binary}
py=/usr/bin/python3
[ -x "$py" ] || { echo "skipped: /usr/bin/python3 is absent"; exit 77; }
if [ -n "${AP_BUILD_DIR:-}" ]; then
  work=$AP_BUILD_DIR/tamper
  rm -rf "$work"
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
cases=$src/tests/tamper/cases.tsv
"$py" "$src/tests/tamper/make_tampered.py" "$cases" "$src/samples/apk" \
  "$src/tests/fixtures/native/arm64-v8a/libprobe.so" "$work/apk" >/dev/null

have_aapt=0
if command -v aapt >/dev/null 2>&1; then
  have_aapt=1
elif [ -n "${CI:-}" ]; then
  echo "FAIL: CI=true but aapt is not installed"; exit 1
else
  echo "note: aapt is not installed; the android column is not checked"
fi

# run NAME FILE: manifest and scan JSON plus exit codes into $work/out/NAME.*
mkdir -p "$work/out"
run() {
  local name=$1 file=$2 rc
  rc=0; "$bin" manifest --json "$file" >"$work/out/$name.mf.json" 2>"$work/out/$name.mf.err" || rc=$?
  echo "$rc" >"$work/out/$name.mf.rc"
  rc=0; "$bin" scan --format json --deterministic "$file" >"$work/out/$name.scan.json" \
    2>"$work/out/$name.scan.err" || rc=$?
  echo "$rc" >"$work/out/$name.scan.rc"
  if [ "$have_aapt" = 1 ]; then
    aapt dump permissions "$file" >"$work/out/$name.aapt" 2>/dev/null || echo "aapt failed: $?" >>"$work/out/$name.aapt"
  fi
}
for s in "$src"/samples/apk/*.apk; do
  run "clean.$(basename "$s" .apk)" "$s"
done
while IFS=$'\t' read -r case sample _rest; do
  case "$case" in ''|'#'*|case) continue ;; esac
  run "$case" "$work/apk/$case.apk"
  [ -f "$work/apk/$case.clean.apk" ] && run "$case.clean" "$work/apk/$case.clean.apk"
done <"$cases"

"$py" - "$cases" "$work/out" "$have_aapt" <<'PY'
import json, os, re, sys
cases, out, have_aapt = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
fails = []
def check(cond, msg):
    print(("ok   " if cond else "FAIL ") + msg)
    if not cond:
        fails.append(msg)
def rc(name, kind):
    return int(open(os.path.join(out, "%s.%s.rc" % (name, kind))).read())
def load(name, kind):
    try:
        return json.load(open(os.path.join(out, "%s.%s.json" % (name, kind))))
    except ValueError as e:
        return {"_error": str(e)}
def mf_view(d):
    m = d.get("manifest") or {}
    return m.get("package"), sorted(p["name"] for p in m.get("uses_permissions") or [])
def scan_view(d):
    app = d.get("app") or {}
    perms = sorted(p["name"] for p in d.get("permissions") or [] if p.get("declared"))
    return app.get("package"), perms
def has_anom(d, mod, code, rx):
    return [a for a in d.get("anomalies") or [] if a.get("module") == mod and a.get("code") == code
            and re.search(rx, a.get("message") or "", re.I)]

rows = [l.rstrip("\n").split("\t") for l in open(cases, encoding="utf-8")
        if l.strip() and not l.startswith("#")]
head = rows[0]
n = 0
for r in rows[1:]:
    c = dict(zip(head, r))
    case, n = c["case"], n + 1
    ref = case + ".clean" if os.path.exists(os.path.join(out, case + ".clean.mf.rc")) else \
        "clean." + c["sample"][:-4]
    # never crash: 0 = analysed, 4 = analysed but partial (ASan/UBSan abort is 134, a signal >128)
    for kind in ("mf", "scan"):
        code = rc(case, kind)
        check(code in (0, 4), "%s: %s exit %d" % (case, kind, code))
    cm, cs = load(ref, "mf"), load(ref, "scan")
    tm, ts = load(case, "mf"), load(case, "scan")
    check(mf_view(cm)[0] and mf_view(tm) == mf_view(cm),
          "%s: manifest --json package+permissions %s (clean %s)" % (case, mf_view(tm)[0], mf_view(cm)[0]))
    check(scan_view(cs)[0] and scan_view(ts) == scan_view(cs),
          "%s: scan package+declared permissions (%d, clean %d)"
          % (case, len(scan_view(ts)[1]), len(scan_view(cs)[1])))
    # the code and native results are kept too
    for k in ("dex_files", "classes", "methods", "native_libs"):
        tv, cv = (ts.get("app") or {}).get(k), (cs.get("app") or {}).get(k)
        check(tv == cv, "%s: scan app.%s %s (clean %s)" % (case, k, tv, cv))
    mod, code, rx = c["module"], c["code"], c["message"]
    check(bool(has_anom(ts, mod, code, rx)), "%s: scan names the trick (%s/%s /%s/)" % (case, mod, code, rx))
    if mod in ("zip", "axml"):
        check(bool(has_anom(tm, mod, code, rx)), "%s: manifest --json names the trick" % case)
    check(not has_anom(cs, mod, code, rx), "%s: the clean reference has no such anomaly" % case)
    if have_aapt:
        a = open(os.path.join(out, case + ".aapt")).read()
        b = open(os.path.join(out, ref + ".aapt")).read()
        same = a == b and "package:" in a
        check(same == (c["android"] == "accepts"),
              "%s: aapt (Android's parser) %s it" % (case, "accepts" if same else "refuses"))
check(n >= 17, "%d cases run" % n)
print("%d cases, %d failures" % (n, len(fails)))
sys.exit(1 if fails else 0)
PY
