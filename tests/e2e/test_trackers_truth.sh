#!/usr/bin/env bash
# SDK detection against ../shared/corpus/trackers-truth.tsv (a dexdump class census): every SDK
# package prefix the truth names must map to a reported SDK, and files whose truth is "none" must
# get no tracker SDK (advertising, analytics, attribution, crash reporting, push, A/B testing).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib_truth.sh"
scan_truth trackers-truth.tsv
python3 - "$corpus" "$work/all.json" "$src/analyzer/rules/sdks.tsv" <<'PY'
import csv, json, sys, os
corpus, path, sdks_tsv = sys.argv[1:4]
data = json.load(open(path))
reps = {os.path.relpath(r["input"]["path"], corpus): r for r in (data if isinstance(data, list) else [data])}
kb = list(csv.DictReader(open(sdks_tsv), delimiter="\t"))
def sdks_for_prefix(p):
    """KB SDKs owning classes under package p: a KB prefix that contains p (longest wins), else
    every SDK whose prefixes lie under p (the KB lists some SDKs class by class)."""
    best, blen, under = None, -1, set()
    for s in kb:
        for pre in filter(None, s["prefixes"].split(",")):
            pre_pkg = pre.rstrip(".")
            if (p + ".").startswith(pre_pkg + ".") and len(pre_pkg) > blen:
                best, blen = s["id"], len(pre_pkg)
            elif pre_pkg.startswith(p + "."):
                under.add(s["id"])
    return ({best}, True) if best else (under, False)
tracker = {"advertising", "analytics", "attribution", "crash_reporting", "push", "a_b_testing"}
cat = {s["id"]: s["category"] for s in kb}
rows = list(csv.DictReader(open(os.path.join(corpus, "trackers-truth.tsv")), delimiter="\t"))
fails, extras, gaps, checked = [], [], [], 0
for row in rows:
    r = reps.get(row["file"])
    if r is None:
        continue
    got = {s["id"]: s["classes"] for s in r.get("sdks", [])}
    if row["expected_sdks"].strip() == "none":
        bad = sorted(i for i in got if cat.get(i) in tracker)
        if bad:
            extras.append("%s: %s" % (row["file"], ", ".join("%s(%d)" % (i, got[i]) for i in bad)))
        checked += 1
        continue
    for ev in filter(None, row["class_prefix_evidence"].split(",")):
        pre, n = ev.rsplit("=", 1)
        ids, exact = sdks_for_prefix(pre)
        if not ids:
            # the knowledge base has no SDK for this package: a data gap (fails the test below)
            print("GAP  %s: %s=%s -> no SDK in analyzer/rules/sdks.tsv" % (row["file"], pre, n))
            gaps.append(pre)
            continue
        hit = sorted(i for i in ids if i in got)
        if not hit and not exact:
            # the KB only lists narrower packages under it (single classes of another part)
            print("GAP  %s: %s=%s -> KB has only narrower prefixes (%s), none present" % (row["file"], pre, n, ", ".join(sorted(ids))))
            gaps.append(pre)
            continue
        print("%s %s: %s=%s -> %s" % ("ok  " if hit else "FAIL", row["file"], pre, n,
              ", ".join("%s (%s classes)" % (i, got.get(i)) for i in sorted(ids))))
        if not hit: fails.append("%s: %s" % (row["file"], pre))
    checked += 1
print("checked %d files; %d prefixes without a KB SDK: %s" % (checked, len(set(gaps)), ", ".join(sorted(set(gaps)))))
for e in extras: print("extra tracker in a 'none' file: " + e)
# a prefix the truth names but the knowledge base lacks is a miss too: the user sees no SDK
if fails or extras or gaps:
    print("FAIL: %d missing, %d files with extra trackers, %d knowledge-base gaps" % (len(fails), len(extras), len(set(gaps))))
    sys.exit(1)
print("ok: SDKs match trackers-truth.tsv")
PY
