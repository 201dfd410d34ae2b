#!/usr/bin/env bash
# DroidBench recall: for every privacy API that droidbench-truth.tsv lists in
# sensitive_apis_in_source, the share of those apps where apkpriv reports a call site of it (a
# dex_api evidence whose callee is that method, or reflection evidence naming it) with a method and
# pc. Fails unless getDeviceId is found in every app that lists it (category device_id.imei).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib_truth.sh"
scan_truth droidbench-truth.tsv
python3 - "$corpus" "$work/all.json" <<'PY'
import csv, json, sys, os, collections
corpus, path = sys.argv[1], sys.argv[2]
reps = json.load(open(path))
if isinstance(reps, dict): reps = [reps]
by_file = {os.path.relpath(r["input"]["path"], corpus): r for r in reps}
rows = list(csv.DictReader(open(os.path.join(corpus, "droidbench-truth.tsv")), delimiter="\t"))
# APIs that are privacy sources (sinks such as sendTextMessage or Log.i are not PI collection)
privacy = {"getDeviceId", "getSubscriberId", "getLastKnownLocation", "getSimSerialNumber",
           "getLine1Number", "getLatitude", "getLongitude", "getMacAddress", "getCellLocation",
           "getAccounts", "getInstalledPackages", "getInstalledApplications", "getImei",
           "requestLocationUpdates", "getSerial", "getConnectionInfo", "getPrimaryClip",
           "getAllCellInfo", "getSimOperator", "getNetworkOperator", "getString"}
# Location getters read a Location object: count code evidence of a location source instead
by_category = {"getLatitude": "location.", "getLongitude": "location."}
def found(r, api):
    if api in by_category:
        for p in r.get("pi", []):
            if p["category"].startswith(by_category[api]) and any(e["via"] in ("dex_api", "reflection") and e.get("method") for e in p["evidence"]):
                return p["category"]
        return None
    for p in r.get("pi", []):
        for e in p["evidence"]:
            if e["via"] == "dex_api" and ("->%s(" % api) in e.get("api", "") and e.get("method") and e.get("pc") is not None:
                return p["category"]
            if e["via"] == "reflection" and e.get("api") == api and e.get("method"):
                return p["category"]
    return None
tot, hit, miss = collections.Counter(), collections.Counter(), collections.defaultdict(list)
imei_fail = []
for row in rows:
    r = by_file.get(row["file"])
    apis = [a.strip() for a in row["sensitive_apis_in_source"].split(",") if a.strip()]
    for a in apis:
        if a not in privacy: continue
        tot[a] += 1
        cat = found(r, a) if r else None
        if cat: hit[a] += 1
        else: miss[a].append(row["file"] + ("" if r else " (not scanned)"))
        if a == "getDeviceId":
            imei = r and any(p["category"] == "device_id.imei" and any(e.get("method") and e.get("pc") is not None for e in p["evidence"]) for p in r["pi"])
            if not (cat and imei): imei_fail.append(row["file"])
print("%-26s %5s %5s %7s" % ("api", "apps", "found", "recall"))
for a in sorted(tot):
    print("%-26s %5d %5d %6.1f%%" % (a, tot[a], hit[a], 100.0 * hit[a] / tot[a]))
for a in sorted(miss):
    for f in miss[a]: print("  missed %s: %s" % (a, f))
if imei_fail:
    print("FAIL: getDeviceId without device_id.imei call-site evidence:", *imei_fail, sep="\n  ")
    sys.exit(1)
print("ok: getDeviceId recall 100%% (%d apps)" % tot["getDeviceId"])
PY
