#!/usr/bin/env bash
# apkpriv scan on the bundled samples: the findings samples/EXPECTED.md lists (owners, categories,
# necessity) and the score order users expect (video_clean > map_legit > video_overcollect; the same
# IMEI+location code scores worse as online_audio_video than as map_navigation).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=${AP_SOURCE_DIR:-$here/../..}
bin=${APKPRIV:?set APKPRIV to the apkpriv binary}
apk=$src/samples/apk
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for a in video_overcollect video_clean map_legit reach; do
  rc=0
  "$bin" scan --format json --deterministic "$apk/$a.apk" >"$work/$a.json" || rc=$?
  [ "$rc" -eq 0 ] || { echo "FAIL: scan $a exited $rc"; exit 1; }
done
"$bin" scan --format json --deterministic --app-type online_audio_video "$apk/map_legit.apk" >"$work/map_as_video.json"
"$bin" scan --format json --deterministic --app-type map_navigation "$apk/map_legit.apk" >"$work/map_as_map.json"

# several inputs: one JSON array; text mode and the no-argument quick start work
"$bin" scan --format json --deterministic "$apk/video_clean.apk" "$apk/map_legit.apk" >"$work/two.json"
NO_COLOR=1 APKPRIV_SAMPLES=$apk "$bin" >"$work/quick.txt"
"$bin" scan "$apk/video_overcollect.apk" >"$work/vo.txt"
grep -q "video_overcollect.apk" "$work/quick.txt" || { echo "FAIL: quick start lists no sample"; exit 1; }
if grep -q $'\033' "$work/vo.txt"; then echo "FAIL: colour written to a pipe"; exit 1; fi
# usage errors and unusable input
rc=0; "$bin" scan --app-type no_such_type "$apk/video_clean.apk" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: unknown --app-type exited $rc, want 2"; exit 1; }
echo "not an apk" >"$work/junk.apk"
rc=0; "$bin" scan "$work/junk.apk" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 3 ] || { echo "FAIL: junk input exited $rc, want 3"; exit 1; }
rc=0; "$bin" scan --fail-on high "$apk/video_overcollect.apk" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { echo "FAIL: --fail-on high exited $rc, want 1"; exit 1; }
rc=0; "$bin" scan --fail-under 50 "$apk/video_clean.apk" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { echo "FAIL: --fail-under 50 on video_clean exited $rc, want 0"; exit 1; }
# a baseline of itself leaves no finding
"$bin" scan --format json --deterministic --baseline "$work/video_overcollect.json" \
  "$apk/video_overcollect.apk" >"$work/vo_base.json"
# a baseline that is a JSON array of reports (several APKs) counts every report's findings
"$bin" scan --format json --deterministic --baseline "$work/two.json" \
  "$apk/map_legit.apk" >"$work/ml_base_two.json"
# a baseline of another app removes only the findings both share
"$bin" scan --format json --deterministic --baseline "$work/video_clean.json" \
  "$apk/video_overcollect.apk" >"$work/vo_base_vc.json"
rc=0; "$bin" scan --baseline "$work/no-such.json" "$apk/video_clean.apk" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: --baseline of a missing file exited $rc, want 2"; exit 1; }

python3 - "$work" <<'PY'
import json, sys, os
w = sys.argv[1]
def load(n): return json.load(open(os.path.join(w, n + ".json")))
fails = []
def check(cond, msg):
    print(("ok   " if cond else "FAIL ") + msg)
    if not cond: fails.append(msg)

vo, vc, ml, rc = load("video_overcollect"), load("video_clean"), load("map_legit"), load("reach")
def fnd(r, rule, cat=None, owner=None):
    return [f for f in r["findings"] if f["rule"] == rule and (cat is None or f.get("category") == cat)
            and (owner is None or f.get("owner") == owner)]
def pi(r, cat): return next((p for p in r["pi"] if p["category"] == cat), None)
def perm(r, name): return next((p for p in r["permissions"] if p["name"] == "android.permission." + name), None)

# video_overcollect
check(vo["app_type"]["id"] == "online_audio_video" and vo["app_type"]["source"] == "inferred", "FunVideo inferred online_audio_video")
for owner in ("first_party", "sdk:umeng_analytics", "sdk:jiguang_jpush"):
    check(fnd(vo, "R05", "device_id.imei", owner), "FunVideo R05 IMEI owned by " + owner)
    check(fnd(vo, "R06", "device_id.imei", owner), "FunVideo R06 IMEI owned by " + owner)
check(fnd(vo, "R07", "app_list"), "FunVideo R07 app list")
check(fnd(vo, "R11", owner="sdk:umeng_analytics") and fnd(vo, "R11", owner="sdk:jiguang_jpush"), "FunVideo R11 for Umeng and JPush")
check(fnd(vo, "R05", "location.precise"), "FunVideo R05 location (not necessary)")
check(pi(vo, "location.precise") and not pi(vo, "location.precise")["necessary"], "FunVideo location necessary=false")
check(not fnd(vo, "R13"), "FunVideo no R13 (Chinese SDKs only)")
check(fnd(vo, "R14", "camera"), "FunVideo R14 CAMERA")
sdks = {s["id"]: s["classes"] for s in vo["sdks"]}
check(sdks == {"umeng_analytics": 5, "jiguang_jpush": 2}, "FunVideo SDKs and class counts %r" % sdks)
imei = [e for e in pi(vo, "device_id.imei")["evidence"] if e["via"] == "dex_api"]
sites = {(e["owner"], e["method"].split("->")[0], e["dexfile"], e["pc"]) for e in imei}
want = {("first_party", "Lcom/apkpriv/sample/funvideo/DeviceCollector;", "classes.dex", 0x0e),
        ("first_party", "Lcom/apkpriv/sample/funvideo/DeviceCollector;", "classes.dex", 0x13),
        ("first_party", "Lcom/apkpriv/sample/funvideo/FunVideoApp;", "classes.dex", 0x17),
        ("sdk:jiguang_jpush", "Lcn/jpush/android/helper/DeviceInfoHelper;", "classes2.dex", 0x1e),
        ("sdk:jiguang_jpush", "Lcn/jpush/android/helper/DeviceInfoHelper;", "classes2.dex", 0x23),
        ("sdk:umeng_analytics", "Lcom/umeng/commonsdk/statistics/common/DeviceConfig;", "classes2.dex", 0x0c)}
check(sites == want, "FunVideo IMEI call sites = EXPECTED.md table (%d sites)" % len(sites))
aid = [e for e in pi(vo, "device_id.android_id")["evidence"]]
check(any(e["via"] == "dex_string" and e["api"] == "android_id" for e in aid), "FunVideo android_id dex_string evidence")
check(perm(vo, "READ_CONTACTS")["used"] is False and perm(vo, "CAMERA")["used"] is False, "FunVideo READ_CONTACTS/CAMERA declared but unused")
check(perm(vo, "READ_PHONE_STATE")["used"] is True and perm(vo, "QUERY_ALL_PACKAGES")["used"] is True, "FunVideo READ_PHONE_STATE/QUERY_ALL_PACKAGES used")
check(not [p for p in vo["permissions"] if not p["declared"]], "FunVideo no used-but-undeclared permission")
urls = {u["url"] for u in vo["network"]["urls"]}
check({"http://api.funvideo.example.cn/v1/report", "https://alog.umeng.com/app_logs"} <= urls, "FunVideo URLs")

# video_clean
check(vc["app_type"]["id"] == "online_audio_video", "CleanTube inferred online_audio_video")
check(not vc["pi"] and not vc["sdks"], "CleanTube: no PI, no SDK")
check(all(f["rule"] == "R20" for f in vc["findings"]), "CleanTube: no finding but R20")

# map_legit
check(ml["app_type"]["id"] == "map_navigation", "WayFinder inferred map_navigation")
check(pi(ml, "location.precise")["necessary"] is True and pi(ml, "device_id.imei")["necessary"] is False, "WayFinder location necessary, IMEI not")
check(not fnd(ml, "R05", "location.precise") and fnd(ml, "R05", "device_id.imei"), "WayFinder R05 for IMEI only")
check(fnd(ml, "R06", "device_id.imei"), "WayFinder R06 IMEI")
check([f["category"] for f in fnd(ml, "R04")] == ["device_id.imei"], "WayFinder R04 only for READ_PHONE_STATE")
check(not fnd(ml, "R07"), "WayFinder no R07")
r11 = fnd(ml, "R11", owner="sdk:amap")
check(r11 and r11[0]["severity"] == "low", "WayFinder R11 AMap low")
check(all(f["severity"] == "info" for f in fnd(ml, "R12")) and fnd(ml, "R12"), "WayFinder R12 info")

# reach: serial via field read and getSerial, IMSI
check(pi(rc, "device_id.serial") and any(e.get("api") == "Landroid/os/Build;->SERIAL:Ljava/lang/String;" for e in pi(rc, "device_id.serial")["evidence"]), "reach Build.SERIAL field read")

# scores
s = lambda r: r["score"]["total"]
check(s(vc) > s(ml) > s(vo), "score order video_clean %.1f > map_legit %.1f > video_overcollect %.1f" % (s(vc), s(ml), s(vo)))
mv, mm = load("map_as_video"), load("map_as_map")
check(s(mv) < s(mm), "same APK: online_audio_video %.1f < map_navigation %.1f" % (s(mv), s(mm)))
check(mv["app_type"]["source"] == "option", "--app-type source option")
check(all(isinstance(f["points"], (int, float)) for f in vo["findings"]), "each finding carries points")
two = load("two")
check(isinstance(two, list) and len(two) == 2, "two inputs -> JSON array of 2")
check(not load("vo_base")["findings"], "baseline of itself leaves no finding")
check(ml["findings"] and not load("ml_base_two")["findings"],
      "baseline from a JSON array of reports covers the second report's findings")
def fp(f):
    ev = f.get("evidence") or [{}]
    return (f["rule"], f.get("category"), f.get("owner"), ev[0].get("method"))
shared = {fp(f) for f in vc["findings"]}
want = [f for f in vo["findings"] if fp(f) not in shared]
got = load("vo_base_vc")["findings"]
check([fp(f) for f in got] == [fp(f) for f in want] and len(got) < len(vo["findings"]) + 1,
      "baseline of another app removes exactly the shared findings (%d of %d kept)"
      % (len(got), len(vo["findings"])))
sys.exit(1 if fails else 0)
PY
