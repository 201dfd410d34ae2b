#!/usr/bin/env bash
# Reachability end to end (issue 6): `apkpriv scan` on samples/apk/reach.apk must give every case
# of samples/EXPECTED.md section 4 its verdict, entry kinds and call path in the JSON report, and
# the reachability findings (R01 R02 R08 R09 R10 R16; R01/R02 at low confidence behind the consent
# gate; no R01 for dead code).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=${AP_SOURCE_DIR:-$here/../..}
apk="$src/samples/apk/reach.apk"
bin=${APKPRIV:-}
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  echo "skipped: \$APKPRIV is not set to the built apkpriv binary"; exit 77
fi
if ! command -v python3 >/dev/null; then
  echo "skipped: python3 is not installed (needed to read the JSON report)"; exit 77
fi
[ -f "$apk" ] || { echo "FAIL: $apk is missing"; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
set +e
"$bin" scan --app-type utility_tools --format json --deterministic "$apk" >"$out/r.json" 2>"$out/err"
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
  echo "FAIL: apkpriv scan exited $rc"; cat "$out/err"; exit 1
fi

python3 - "$out/r.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
if isinstance(d, list):
    d = d[0]
P = "Lcom/apkpriv/sample/reach/"
UM = "Lcom/umeng/commonsdk/"
fails = []

ev = {}
for pi in d["pi"]:
    for e in pi["evidence"]:
        if e.get("via") == "dex_api" and e.get("method"):
            ev.setdefault((e["method"], e.get("pc")), e)

def case(name, method, pc, reachable, entries, paths):
    e = ev.get((method, pc))
    if e is None:
        fails.append(f"{name}: no dex_api evidence for {method} @ {pc:#06x}")
        return
    if e.get("reachable") is not reachable:
        fails.append(f"{name}: reachable {e.get('reachable')}, expected {reachable}")
    if sorted(e.get("entries") or []) != sorted(entries):
        fails.append(f"{name}: entries {e.get('entries')}, expected {entries}")
    if (e.get("path") or []) not in paths:
        fails.append(f"{name}: path {e.get('path')}, expected one of {paths}")
    print(f"ok? {name}: reachable={e.get('reachable')} entries={e.get('entries')} "
          f"path={' -> '.join(p.split('/')[-1] for p in e.get('path') or [])}")
    return e

app_oncreate = P + "App;->onCreate()V"
main_oncreate = P + "MainActivity;->onCreate(Landroid/os/Bundle;)V"
case("a. chain from Application.onCreate",
     P + "Collector;->collect(Landroid/content/Context;)Ljava/lang/String;", 0x8, True, ["startup"],
     [[app_oncreate, P + "Init;->start(Landroid/content/Context;)V",
       P + "Collector;->collect(Landroid/content/Context;)Ljava/lang/String;"]])
case("b. interface, one implementation",
     P + "ImeiSource;->read(Landroid/content/Context;)Ljava/lang/String;", 0x8, True, ["startup"],
     [[main_oncreate, P + "ImeiSource;->read(Landroid/content/Context;)Ljava/lang/String;"]])
for pc in (0x6, 0xf):
    case(f"c. static initialiser (pc {pc:#x})", P + "DeviceSerial;-><clinit>()V", pc, True,
         ["startup"], [[main_oncreate, P + "DeviceSerial;-><clinit>()V"]])
case("d. Thread/Runnable", P + "LocRunnable;->run()V", 0xc, True, ["startup"],
     [[main_oncreate, P + "LocRunnable;->run()V"]])
case("d. Handler.post", P + "MacTask;->run()V", 0x10, True, ["startup"],
     [[main_oncreate, P + "MacTask;->run()V"]])
case("d. Handler.sendMessage", P + "IdHandler;->handleMessage(Landroid/os/Message;)V", 0xd, True,
     ["startup"], [[main_oncreate, P + "IdHandler;->handleMessage(Landroid/os/Message;)V"]])
e = case("e. SDK ContentProvider", UM + "UMInitProvider;->onCreate()Z", 0xa, True, ["startup"],
         [[UM + "UMInitProvider;->onCreate()Z"]])
if e and e.get("owner") != "sdk:umeng_analytics":
    fails.append(f"e: owner {e.get('owner')}")
case("f. clipboard in onResume", P + "MainActivity;->onResume()V", 0xb, True, ["startup"],
     [[P + "MainActivity;->onResume()V"]])
svc = P + "LocService;->onStartCommand(Landroid/content/Intent;II)I"
case("g. BOOT_COMPLETED -> service", svc, 0xe, True, ["background"],
     [[svc], [P + "BootReceiver;->onReceive(Landroid/content/Context;Landroid/content/Intent;)V", svc]])
case("h. dead code", P + "legacy/OldTracker;->report(Landroid/content/Context;)Ljava/lang/String;",
     0x8, False, [], [[]])
e = case("i. consent-gated SDK init",
         UM + "statistics/common/DeviceConfig;->getImei(Landroid/content/Context;)Ljava/lang/String;",
         0x10, True, ["startup"],
         [[app_oncreate, P + "PrivacyGate;->initSdksIfAgreed(Landroid/content/Context;)V",
           UM + "UMConfigure;->init(Landroid/content/Context;Ljava/lang/String;Ljava/lang/String;ILjava/lang/String;)V",
           UM + "statistics/common/DeviceConfig;->getImei(Landroid/content/Context;)Ljava/lang/String;"]])
if e and "hops: first_party, first_party, sdk:umeng_analytics, sdk:umeng_analytics" not in (e.get("path_note") or ""):
    fails.append(f"i: path_note {e.get('path_note')!r} does not attribute the hops")

# findings
F = d["findings"]
def has(rule, pred=lambda f: True):
    return [f for f in F if f["rule"] == rule and pred(f)]
def ev_methods(f):
    return {x.get("method") for x in f.get("evidence", [])}

r01 = has("R01")
if not has("R01", lambda f: f.get("category") == "device_id.imei" and f.get("owner") == "first_party"
           and f.get("confidence") == "high"):
    fails.append("R01: no high-confidence R01 for the IMEI read from App.onCreate (case a)")
if not has("R01", lambda f: f.get("owner") == "sdk:umeng_analytics" and f.get("category") == "device_id.imei"
           and f.get("confidence") == "low" and "consent" in f["message"]):
    fails.append("R01: the consent-gated Umeng IMEI read (case i) is not at low confidence")
for f in r01:
    if P + "legacy/OldTracker;->report(Landroid/content/Context;)Ljava/lang/String;" in ev_methods(f):
        fails.append("R01 cites dead code (case h)")
for cat in ("device_id.imsi", "device_id.serial", "device_id.mac", "device_id.android_id", "clipboard"):
    if not has("R01", lambda f, c=cat: f.get("category") == c):
        fails.append(f"R01: nothing for {cat}")
if not has("R02", lambda f: f.get("owner") == "sdk:umeng_analytics" and f.get("confidence") == "high"
           and "UMInitProvider" in f["message"]):
    fails.append("R02: the Umeng auto-init provider (case e) is not reported")
if not has("R02", lambda f: f.get("owner") == "sdk:umeng_analytics" and f.get("confidence") == "low"):
    fails.append("R02: the gated UMConfigure.init (case i) is not at low confidence")
if not has("R08", lambda f: P + "MainActivity;->onResume()V" in ev_methods(f)):
    fails.append("R08: clipboard read in onResume (case f) not reported")
if not has("R09", lambda f: svc in ev_methods(f)):
    fails.append("R09: background location in LocService (case g) not reported")
if not has("R10", lambda f: any(x.get("detail") == "minTime 1000 ms" for x in f.get("evidence", []))):
    fails.append("R10: requestLocationUpdates every 1000 ms (case g) not reported")
boot = P + "BootReceiver;->onReceive(Landroid/content/Context;Landroid/content/Intent;)V"
if not has("R16", lambda f: any((x.get("path") or []) == [boot, svc] for x in f.get("evidence", []))):
    fails.append("R16: BootReceiver (case g) not reported with its path to LocService's location request")
# every reachable PI evidence of the report carries a path that ends in its own method
for (m, pc), e in ev.items():
    if e.get("reachable") and (not e.get("path") or e["path"][-1] != m):
        fails.append(f"{m} @ {pc}: path does not end at the call site's method")

if fails:
    print("FAIL:")
    for f in fails:
        print("  " + f)
    sys.exit(1)
print(f"reach sample: all 9 cases and the R01/R02/R08/R09/R10/R16 findings as expected")
PY
