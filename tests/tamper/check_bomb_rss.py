#!/usr/bin/python3
"""The zip bomb memory bound of docs/limits.md, checked (issue 8): builds two bombs with
make_bomb.py in WORKDIR, scans each with the CLI and checks the peak RSS of that child process
(wait4) against the documented cap, and that the report is partial with `limit` anomalies naming
the caps while the manifest is still read. A memory bound check, not a timing test. Usage:

    check_bomb_rss.py APKPRIV BASE.apk DEX_SEED WORKDIR
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# docs/limits.md, "Zip bombs": keep these two numbers and the page in step
JUNK_CAP_MIB = 300    # a bomb of bytes that parse as nothing (zeros)
ANY_CAP_MIB = 1100    # any bomb: AP_MAX_APK_INFLATED (1 GiB) + what a scan needs besides


def scan(apkpriv, apk):
    """(exit status, peak RSS in MiB, report) of one scan."""
    out_path = apk + ".json"
    with open(out_path, "wb") as out:
        p = subprocess.Popen([apkpriv, "scan", "--format", "json", apk], stdout=out,
                             stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
    with open(out_path) as f:
        report = json.load(f)
    os.unlink(out_path)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024.0, report


def check(name, apkpriv, apk, cap_mib, caps_named, package):
    rc, peak, rep = scan(apkpriv, apk)
    os.unlink(apk)
    limits = [a["message"] for a in rep["anomalies"] if a["code"] == "limit"]
    bad = []
    if rc != 4:
        bad.append("exit %d, want 4 (partial)" % rc)
    if peak > cap_mib:
        bad.append("peak RSS %.0f MiB above the documented %d MiB" % (peak, cap_mib))
    if not rep["partial"]:
        bad.append("report not partial")
    for cap in caps_named:
        if not any(cap in m for m in limits):
            bad.append("no limit anomaly names %s" % cap)
    if rep["app"].get("package") != package:
        bad.append("manifest not read: package %r" % rep["app"].get("package"))
    print("%s: exit %d, peak RSS %.0f MiB (cap %d), %d limit anomalies" %
          (name, rc, peak, cap_mib, len(limits)))
    for b in bad:
        print("  FAIL: " + b)
    return not bad


def main(argv):
    if len(argv) != 5:
        sys.stderr.write(__doc__)
        return 2
    apkpriv, base, seed, work = argv[1:]
    os.makedirs(work, exist_ok=True)
    gen = [sys.executable, os.path.join(HERE, "make_bomb.py"), base]
    with subprocess.Popen([apkpriv, "manifest", "--json", base], stdout=subprocess.PIPE) as p:
        package = json.loads(p.stdout.read()).get("manifest", {}).get("package")
    # junk: one DEX and one library past their caps (the biggest single read is the ELF cap)
    junk = os.path.join(work, "bomb-junk.apk")
    subprocess.run(gen + [junk, "classes2.dex=80", "lib/arm64-v8a/libz.so=300"], check=True)
    ok = check("junk bomb", apkpriv, junk, JUNK_CAP_MIB, ["AP_MAX_DEX_BYTES", "AP_MAX_ELF_BYTES"],
               package)
    # parsed: 16 DEX files that open (a real header, then zeros), all kept for reachability,
    # then a library: the per-APK budget is what bounds it
    parsed = os.path.join(work, "bomb-parsed.apk")
    dexes = ["classes%d.dex=64:%s" % (i, seed) for i in range(2, 18)]
    subprocess.run(gen + [parsed] + dexes + ["lib/arm64-v8a/libz.so=300"], check=True)
    ok &= check("parsed bomb", apkpriv, parsed, ANY_CAP_MIB, ["AP_MAX_APK_INFLATED"], package)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
