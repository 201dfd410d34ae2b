#!/usr/bin/env bash
# Hidden code end to end (docs/reachability.md): `apkpriv scan` on DroidBench's DynamicBoth1, whose
# assets/dynamic.jar holds the only getDeviceId call (`apkpriv dex --calls` lists it under
# assets/dynamic.jar!classes.dex), must report that call in the JSON with that dexfile, not
# reachable from the manifest, with the "loaded at run time" note naming the app's DexClassLoader
# call; and apktool's dynamic_dex, whose hidden DEX files are copies of its root one, must gain no
# evidence from them.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
corpus=${AP_SHARED_DIR:-$here/../../../shared}/corpus
bin=${APKPRIV:-}
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  echo "skipped: \$APKPRIV is not set to the built apkpriv binary"; exit 77
fi
if [ ! -f "$corpus/MANIFEST.tsv" ]; then
  [ -n "${CI:-}" ] && { echo "FAIL: CI=true but $corpus is missing"; exit 1; }
  echo "skipped: $corpus is absent"; exit 77
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for a in droidbench/DynamicLoading/DynamicBoth1.apk apktool/dynamic_dex/dynamic_dex.apk; do
  set +e
  "$bin" scan --format json --deterministic "$corpus/$a" >"$out/$(basename "$a").json" 2>"$out/err"
  rc=$?
  set -e
  if [ "$rc" -ne 0 ]; then echo "FAIL: apkpriv scan $a exited $rc"; cat "$out/err"; exit 1; fi
done

python3 - "$out/DynamicBoth1.apk.json" "$out/dynamic_dex.apk.json" <<'PY'
import json, sys
both, dyn = (json.load(open(p)) for p in sys.argv[1:3])
fails = []
ev = [e for p in both["pi"] for e in p["evidence"]
      if e.get("api") == "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;"]
if len(ev) != 1:
    fails.append(f"DynamicBoth1: {len(ev)} getDeviceId evidence items, want 1")
else:
    e = ev[0]
    want = {"dexfile": "assets/dynamic.jar!classes.dex", "reachable": False, "path": [],
            "hidden": True,
            "method": "Ledu/wayne/cs/ChildClass;->source(Landroid/content/Context;)Ljava/lang/String;"}
    for k, v in want.items():
        if e.get(k) != v:
            fails.append(f"DynamicBoth1: {k} is {e.get(k)!r}, want {v!r}")
    note = e.get("path_note", "")
    for w in ("hidden code in assets/dynamic.jar!classes.dex", "Ldalvik/system/DexClassLoader;-><init>",
              "medium confidence"):
        if w not in note:
            fails.append(f"DynamicBoth1: path_note lacks {w!r}: {note!r}")
r06 = [f for f in both["findings"] if f["rule"] == "R06" and f.get("category") == "device_id.imei"]
if not r06 or r06[0]["confidence"] != "medium":
    fails.append(f"DynamicBoth1: R06 on the hidden IMEI read should have medium confidence: {r06}")
for p in dyn["pi"]:
    for e in p["evidence"]:
        if (e.get("dexfile") and e["dexfile"] != "classes.dex") or "hidden" in e:
            fails.append(f"dynamic_dex: evidence from a hidden copy: {e}")
if dyn["app"].get("dex_files") != 1 or dyn["app"].get("classes") != 6:
    fails.append("dynamic_dex: dex_files/classes should count the root classes.dex only (1, 6): "
                 f"{dyn['app'].get('dex_files')}, {dyn['app'].get('classes')}")
if fails:
    print("FAIL:\n  " + "\n  ".join(fails)); sys.exit(1)
print("ok: hidden DEX evidence named, verdict 'loaded at run time', copies add nothing")
PY
