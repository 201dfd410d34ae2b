#!/usr/bin/python3
"""apkpriv benchmark (issue 9): per APK, side by side and interleaved in one run,
  1. apkpriv scan --format json -o /dev/null   (wall, CPU, peak RSS)
  2. the floor: unzip -p of the manifest, every root classes*.dex and every lib/**.so
  3. peers: androguard (tests/bench/androguard_peer.py: AnalyzeAPK + xrefs of every method)
     and aapt dump badging + dexdump -d.
Medians over --runs runs (more for fast APKs: --min-time), ratios, PASS/MISS per target, and
a batch figure (apkpriv batch -j nproc). Not a test: it prints figures and exits 0 unless it cannot run at all.
Python 3 standard library only. docs/performance.md describes the method and the results."""
import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MB = 1024.0 * 1024.0  # everything in MiB: sizes, RSS, throughput


# ---- running one command and measuring it -------------------------------------------------

def measure(argv, timeout=None, capture=False):
    """Runs argv; returns dict(wall, cpu, rss_kb, rc, timeout, out). Wall is taken around the
    child's life; CPU (user+sys) and peak RSS come from wait4() on that child alone, so they
    include only its own (and its waited-for children's) usage."""
    sink = tempfile.TemporaryFile() if capture else subprocess.DEVNULL
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=sink, stderr=subprocess.DEVNULL,
                         stdin=subprocess.DEVNULL, start_new_session=True)
    res = {}

    def reap():
        _, status, ru = os.wait4(p.pid, 0)
        res["wall"] = time.perf_counter() - t0
        res["status"] = status
        res["ru"] = ru

    th = threading.Thread(target=reap, daemon=True)
    th.start()
    th.join(timeout)
    timed_out = th.is_alive()
    if timed_out:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        th.join()
    p.returncode = 0  # reaped by wait4 above; keep Popen from reaping again
    out = b""
    if capture:
        sink.seek(0)
        out = sink.read()
        sink.close()
    ru = res["ru"]
    st = res["status"]
    rc = os.waitstatus_to_exitcode(st) if hasattr(os, "waitstatus_to_exitcode") else st
    return {"wall": res["wall"], "cpu": ru.ru_utime + ru.ru_stime, "rss_kb": ru.ru_maxrss,
            "rc": rc, "timeout": timed_out, "out": out}


def measure_seq(cmds, timeout=None):
    """Several commands one after the other counted as one job: wall and CPU add up, peak RSS
    is the largest of them, rc the first non-zero one."""
    tot = {"wall": 0.0, "cpu": 0.0, "rss_kb": 0, "rc": 0, "timeout": False}
    for c in cmds:
        m = measure(c, timeout)
        tot["wall"] += m["wall"]
        tot["cpu"] += m["cpu"]
        tot["rss_kb"] = max(tot["rss_kb"], m["rss_kb"])
        tot["rc"] = tot["rc"] or m["rc"]
        tot["timeout"] = tot["timeout"] or m["timeout"]
    return tot


# ---- the inputs ----------------------------------------------------------------------------

def is_root_dex(name):
    # What ART loads, and apkpriv analyses: classes.dex, classes2.dex, ... at the root.
    if "/" in name or not name.startswith("classes") or not name.endswith(".dex"):
        return False
    mid = name[len("classes"):-len(".dex")]
    return mid == "" or (mid.isdigit() and mid[0] != "0" and mid != "1")


def is_native(name):
    return name.startswith("lib/") and name.endswith(".so")


def zip_entries(path):
    """[(name, uncompressed size)] of an APK: Python's zipfile, else unzip's own listing (some
    tampered APKs open in unzip and Android but not in zipfile). None when neither reads it."""
    try:
        with zipfile.ZipFile(path) as z:
            return [(i.filename, i.file_size) for i in z.infolist()]
    except Exception:
        pass
    try:
        out = subprocess.run(["unzip", "-Z", "-l", path], capture_output=True, timeout=60).stdout
    except Exception:
        return None
    ents = []
    for line in out.decode("utf-8", "replace").splitlines():
        f = line.split(None, 9)
        # -rw-r--r--  2.0 unx   1234 b-  567 defN 24-Jan-01 00:00 name
        if len(f) == 10 and f[3].isdigit():
            ents.append((f[9], int(f[3])))
    return ents or None


def unzip_quote(name):
    # unzip takes wildcard patterns; escape them so every name matches only itself.
    return "".join("\\" + c if c in "*?[]\\" else c for c in name)


def collect(args):
    dirs = args.paths
    if not dirs:
        dirs = [os.path.join(REPO, "samples", "apk")]
        corpus = os.path.join(REPO, "..", "shared", "corpus")
        if os.path.isdir(corpus):
            dirs.append(os.path.normpath(corpus))
        else:
            print("note: ../shared/corpus is absent: samples only")
    files = []
    for d in dirs:
        if os.path.isfile(d):
            files.append(d)
            continue
        for root, _, names in os.walk(d):
            for n in names:
                if n.lower().endswith(".apk"):
                    files.append(os.path.join(root, n))
    apks = []
    for f in sorted(set(files)):
        ents = zip_entries(f)
        if ents is None:
            continue
        dex = [(n, s) for n, s in ents if is_root_dex(n)]
        if not dex:
            continue  # the benchmark is about code: APKs with no DEX are skipped
        so = [(n, s) for n, s in ents if is_native(n)]
        names = ["AndroidManifest.xml"] + [n for n, _ in dex] + [n for n, _ in so]
        apks.append({"path": f, "name": os.path.relpath(f, os.path.commonpath(dirs))
                     if len(dirs) == 1 and os.path.isdir(dirs[0]) else short_name(f),
                     "bytes": os.path.getsize(f), "dex_bytes": sum(s for _, s in dex),
                     "n_dex": len(dex), "so_bytes": sum(s for _, s in so), "floor_names": names})
    if args.filter:
        apks = [a for a in apks if args.filter in a["path"]]
    if args.largest:
        apks = sorted(apks, key=lambda a: -a["dex_bytes"])[:args.largest]
    return apks


def short_name(path):
    p = os.path.normpath(path).split(os.sep)
    if "corpus" in p:
        return "/".join(p[p.index("corpus") + 1:])
    if "samples" in p:
        return "/".join(p[p.index("samples"):])
    return path


def spread(apks, k):
    """k APKs spread evenly over the DEX-size order (always the smallest and the largest)."""
    if k <= 0 or k >= len(apks):
        return set(a["path"] for a in apks)
    order = sorted(apks, key=lambda a: a["dex_bytes"])
    idx = {round(i * (len(order) - 1) / (k - 1)) for i in range(k)} if k > 1 else {len(order) - 1}
    return set(order[i]["path"] for i in idx)


# ---- the tools -----------------------------------------------------------------------------

def find_apkpriv(arg):
    for c in [arg, os.environ.get("APKPRIV"), "/tmp/build-bench/analyzer/apkpriv",
              os.path.join(REPO, "build", "analyzer", "apkpriv")]:
        if c and os.access(c, os.X_OK):
            return os.path.abspath(c)
    return None


def androguard_ok():
    r = subprocess.run(["/usr/bin/python3", "-c", "import androguard.misc"],
                       capture_output=True)
    return r.returncode == 0


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            mem = "%.1f GiB" % (int(f.readline().split()[1]) / 1024 / 1024)
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "mem": mem, "kernel": platform.release(),
            "load": os.getloadavg()}


# ---- the run -------------------------------------------------------------------------------

def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def run_apk(a, args, tools, peers):
    runs = {k: [] for k in tools}
    i = 0
    # One pass of every tool per run, so load drift hits all of them alike. After --runs runs,
    # fast APKs get more (--min-time): a 3 ms measurement moves by its own size with the
    # machine's scheduling noise, and a median of 3 or 5 of them is a coin toss at a 3x line.
    # The extra runs are of apkpriv and the floor, and of androguard while its runs add up to
    # less than --peer-min-time (a tiny APK: ~0.2 s a run, as noisy as apkpriv's 4 ms).
    def total(k):
        return sum(m["wall"] for m in runs[k])

    while i < args.max_runs:
        extra = i >= args.runs
        want = []
        for k in tools:
            if k in peers and a["path"] not in peers[k]:
                continue
            if not extra:
                ok = k not in peers or i < args.peer_runs
            elif k in ("apkpriv", "floor"):
                ok = total("apkpriv") < args.min_time
            else:
                ok = k in peers and total(k) < args.peer_min_time
            if ok:
                want.append(k)
        if not want:
            break
        for k in want:
            runs[k].append(tools[k](a))
        i += 1
    res = {}
    for k, ms in runs.items():
        if not ms:
            continue
        # apkpriv's exit 4 is an analysis done in part (docs/cli.md): a measured run
        good = (0, 4) if k == "apkpriv" else (0,)
        ok = [m for m in ms if m["rc"] in good and not m["timeout"]]
        res[k] = {"wall": med([m["wall"] for m in ms]), "cpu": med([m["cpu"] for m in ms]),
                  "rss_kb": med([m["rss_kb"] for m in ms]), "runs": len(ms),
                  "failed": len(ms) - len(ok), "timeout": any(m["timeout"] for m in ms),
                  "rc": next((m["rc"] for m in ms if m["rc"] not in good), 0),
                  "partial": any(m["rc"] == 4 for m in ms) if k == "apkpriv" else False}
        if "info" in ms[-1]:
            res[k]["info"] = ms[-1]["info"]
    return res


def make_tools(args, apkpriv):
    def t_apkpriv(a):
        cmd = [apkpriv, "scan", "--format", "json", "-o", "/dev/null", a["path"]]
        return measure(cmd, args.timeout)

    def t_floor(a):
        return measure(["unzip", "-p", "-qq", a["path"]] +
                       [unzip_quote(n) for n in a["floor_names"]], args.timeout)

    def t_aapt(a):
        return measure_seq([["aapt", "dump", "badging", a["path"]],
                            ["dexdump", "-d", a["path"]]], args.timeout)

    def t_andro(a):
        m = measure(["/usr/bin/python3", os.path.join(HERE, "androguard_peer.py"), a["path"]],
                    args.peer_timeout, capture=True)
        try:
            m["info"] = json.loads(m["out"].decode().strip().splitlines()[-1])
        except Exception:
            m["info"] = None
        return m

    tools = {"apkpriv": t_apkpriv, "floor": t_floor}
    if not args.no_aapt:
        tools["aapt+dexdump"] = t_aapt
    if not args.no_androguard:
        tools["androguard"] = t_andro
    return tools


def batch(args, apkpriv, apks):
    if not apks:
        return None
    jobs = args.jobs or os.cpu_count() or 1
    tmp = tempfile.mkdtemp(prefix="apkpriv-bench-")
    lst = os.path.join(tmp, "list.txt")
    with open(lst, "w") as f:
        f.write("".join(a["path"] + "\n" for a in apks))
    walls, cpus, how = [], [], "apkpriv batch -j %d" % jobs
    try:
        for i in range(args.runs):
            out = os.path.join(tmp, "out%d" % i)  # fresh: batch reuses existing reports
            m = measure([apkpriv, "batch", "-j", str(jobs), "-o", out, "@" + lst])
            if m["rc"] == 2 or m["rc"] == 70 or not os.path.exists(os.path.join(out, "summary.jsonl")):
                # batch missing or broken: N parallel scans instead
                how = "xargs -P %d apkpriv scan" % jobs
                m = measure(["sh", "-c", 'xargs -d "\\n" -n 1 -P %d "$0" scan --format json '
                             '-o /dev/null < "$1"' % jobs, apkpriv, lst])
            walls.append(m["wall"])
            cpus.append(m["cpu"])
            shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    w = statistics.median(walls)
    apk_b = sum(a["bytes"] for a in apks)
    dex_b = sum(a["dex_bytes"] for a in apks)
    return {"how": how, "jobs": jobs, "n": len(apks), "wall": w, "cpu": statistics.median(cpus),
            "apk_mb": apk_b / MB, "dex_mb": dex_b / MB, "apks_s": len(apks) / w,
            "apk_mb_s": apk_b / MB / w, "dex_mb_s": dex_b / MB / w}


# ---- output --------------------------------------------------------------------------------

def fmt_t(x):
    if x is None:
        return "-"
    return "%.0fms" % (x * 1000) if x < 10 else "%.1fs" % x


def fmt_r(x):
    return "-" if x is None else ("%.1f" % x if x < 100 else "%.0f" % x)


def ratio(a, b):
    return a / b if a is not None and b else None


def targets_of(a, r):
    """Per-APK target checks. None = not measured."""
    ap = r.get("apkpriv")
    t = {"ag50": None, "floor3": None, "rss": None}
    if not ap or ap["failed"]:
        return t
    ag = r.get("androguard")
    if ag and not ag["failed"]:
        t["ag50"] = ag["wall"] / ap["wall"] >= 50
    elif ag and ag["timeout"]:
        t["ag50"] = True  # androguard did not finish within the timeout: >= timeout/apkpriv
    fl = r.get("floor")
    if fl:
        t["floor3"] = ap["wall"] / fl["wall"] <= 3
    t["rss"] = ap["rss_kb"] * 1024 < 2 * a["dex_bytes"] + 32 * 1024 * 1024
    return t


def table(apks, results, md=False):
    hdr = ["apk", "APK MiB", "DEX MiB", "apkpriv wall", "cpu", "RSS MiB", "floor",
           "aapt+dexdump", "androguard", "ap/floor", "ag/ap", "aapt+dd/ap", "targets"]
    rows = []
    for a in apks:
        r = results[a["path"]]
        ap, fl, aa, ag = (r.get(k) for k in ("apkpriv", "floor", "aapt+dexdump", "androguard"))
        apw = ap["wall"] if ap else None
        t = targets_of(a, r)
        flags = "".join("-" if v is None else ("." if v else c)
                        for c, v in (("A", t["ag50"]), ("F", t["floor3"]), ("R", t["rss"])))
        note = ""
        if ap and ap["failed"]:
            note = " apkpriv rc=%s" % ap["rc"]
        elif ap and ap.get("partial"):
            note = " apkpriv partial (exit 4)"
        if ag and ag["timeout"]:
            note += " ag:timeout"
        elif ag and ag["failed"]:
            note += " ag:rc=%s" % ag["rc"]
        rows.append([a["name"], "%.2f" % (a["bytes"] / MB), "%.2f" % (a["dex_bytes"] / MB),
                     fmt_t(apw), fmt_t(ap["cpu"]) if ap else "-",
                     "%.1f" % (ap["rss_kb"] * 1024 / MB) if ap else "-",
                     fmt_t(fl["wall"]) if fl else "-", fmt_t(aa["wall"]) if aa else "-",
                     (fmt_t(ag["wall"]) + (">" if ag["timeout"] else "")) if ag else "-",
                     fmt_r(ratio(apw, fl["wall"] if fl else None)),
                     fmt_r(ratio(ag["wall"] if ag and not ag["failed"] else None, apw)),
                     fmt_r(ratio(aa["wall"] if aa else None, apw)), flags + note])
    if md:
        out = ["| " + " | ".join(hdr) + " |", "|" + "---|" * len(hdr)]
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
        return "\n".join(out)
    w = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(hdr)]
    fmt = lambda row: "  ".join(c.ljust(w[i]) if i == 0 or i == len(row) - 1 else c.rjust(w[i])
                                for i, c in enumerate(row))
    return "\n".join([fmt(hdr)] + [fmt(row) for row in rows])


def summary(apks, results, bt, mach, args):
    L = []
    def agg(key, tool):
        xs = [results[a["path"]][tool][key] for a in apks if tool in results[a["path"]]
              and not results[a["path"]][tool]["failed"]]
        return xs
    aps = {a["path"]: results[a["path"]].get("apkpriv") for a in apks}
    def rlist(tool, inv=False, key="wall", sel=None):
        xs = []
        for a in (sel if sel is not None else apks):
            r = results[a["path"]]
            ap, o = r.get("apkpriv"), r.get(tool)
            if not ap or not o or ap["failed"] or o["failed"] or not ap[key] or not o[key]:
                continue
            xs.append(o[key] / ap[key] if inv else ap[key] / o[key])
        return xs
    for label, xs in (("apkpriv/floor (wall)", rlist("floor")),
                      ("apkpriv/floor (cpu)", rlist("floor", key="cpu")),
                      ("androguard/apkpriv (wall)", rlist("androguard", True)),
                      ("androguard/apkpriv (cpu)", rlist("androguard", True, "cpu")),
                      ("aapt+dexdump/apkpriv (wall)", rlist("aapt+dexdump", True)),
                      ("aapt+dexdump/apkpriv (cpu)", rlist("aapt+dexdump", True, "cpu"))):
        if xs:
            L.append("%-28s median %7s  min %7s  max %7s  (n=%d)" % (
                label, fmt_r(statistics.median(xs)), fmt_r(min(xs)), fmt_r(max(xs)), len(xs)))
    # The same ratios by DEX size: small apps measure fixed start-up costs (process, dynamic
    # linking, the rules), large ones the per-byte work.
    buckets = (("DEX < 100 KiB", 0, 100 << 10), ("DEX 100 KiB-1 MiB", 100 << 10, 1 << 20),
               ("DEX >= 1 MiB", 1 << 20, 1 << 62))
    for bl, lo, hi in buckets:
        sel = [a for a in apks if lo <= a["dex_bytes"] < hi]
        parts = []
        for label, xs in (("ap/floor", rlist("floor", sel=sel)),
                          ("ag/ap", rlist("androguard", True, sel=sel)),
                          ("aapt+dd/ap", rlist("aapt+dexdump", True, sel=sel))):
            if xs:
                parts.append("%s %s" % (label, fmt_r(statistics.median(xs))))
        if parts:
            L.append("  %-20s (%3d APKs) median %s" % (bl, len(sel), ", ".join(parts)))
    tot_ap = sum(x["wall"] for x in aps.values() if x and not x["failed"])
    n_ok = sum(1 for x in aps.values() if x and not x["failed"])
    dex = sum(a["dex_bytes"] for a in apks) / MB
    L.append("apkpriv serial: %d/%d APKs scanned ok, %.2f s total, %.1f APKs/s, %.1f MiB DEX/s"
             % (n_ok, len(apks), tot_ap, n_ok / tot_ap if tot_ap else 0,
                dex / tot_ap if tot_ap else 0))
    fails = [a["name"] + " (rc=%s)" % aps[a["path"]]["rc"] for a in apks
             if aps[a["path"]] and aps[a["path"]]["failed"]]
    if fails:
        L.append("apkpriv failed (not measured): " + ", ".join(fails))
    parts = [a["name"] for a in apks if aps[a["path"]] and aps[a["path"]].get("partial")]
    if parts:
        L.append("apkpriv partial analyses (exit 4, measured): " + ", ".join(parts))
    if bt:
        L.append("batch (%s, %d APKs, %.1f MiB APK, %.1f MiB DEX): %.2f s wall, %.2f s CPU, "
                 "%.1f APKs/s, %.1f MiB/s APK, %.1f MiB/s DEX" % (
                     bt["how"], bt["n"], bt["apk_mb"], bt["dex_mb"], bt["wall"], bt["cpu"],
                     bt["apks_s"], bt["apk_mb_s"], bt["dex_mb_s"]))
    L.append("")
    L.append("targets (per APK; PASS only if every measured APK meets it):")
    names = {"ag50": "apkpriv >= 50x faster than androguard (wall)",
             "floor3": "apkpriv within 3x of the floor (wall)",
             "rss": "apkpriv peak RSS < 2 x inflated DEX + 32 MiB"}
    for k, label in names.items():
        ts = [(a, targets_of(a, results[a["path"]])[k]) for a in apks]
        meas = [(a, v) for a, v in ts if v is not None]
        miss = [a["name"] for a, v in meas if not v]
        verdict = "-" if not meas else ("PASS" if not miss else "MISS")
        L.append("  %-4s %-46s %d/%d APKs meet it%s" % (
            verdict, label, len(meas) - len(miss), len(meas),
            ("; misses: " + ", ".join(miss[:12]) + (" ..." if len(miss) > 12 else ""))
            if miss else ""))
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*", help="APK files or directories (default: samples/apk "
                    "and ../shared/corpus); only APKs with root classes*.dex are measured")
    ap.add_argument("--apkpriv", help="the binary (default: $APKPRIV, build/analyzer/apkpriv)")
    ap.add_argument("--runs", type=int, default=3, help="runs per APK and tool (median)")
    ap.add_argument("--min-time", type=float, default=0.25,
                    help="after --runs, keep running apkpriv and the floor on an APK until "
                    "apkpriv's runs add up to this many seconds (fast APKs: more samples)")
    ap.add_argument("--peer-min-time", type=float, default=2.0,
                    help="the same for androguard: extra runs until they add up to this many "
                    "seconds")
    ap.add_argument("--max-runs", type=int, default=41, help="cap on those extra runs")
    ap.add_argument("--timeout", type=float, default=120, help="per-command timeout, seconds")
    ap.add_argument("--peer-timeout", type=float, default=300,
                    help="androguard timeout per APK and run, seconds (counted as >= timeout)")
    ap.add_argument("--peer-sample", type=int, default=0, help="run androguard on only K APKs "
                    "spread over the DEX sizes (0 = all); it takes seconds to minutes per APK")
    ap.add_argument("--peer-runs", type=int, default=0,
                    help="androguard runs per APK (default: --runs)")
    ap.add_argument("--no-androguard", action="store_true")
    ap.add_argument("--no-aapt", action="store_true")
    ap.add_argument("--no-batch", action="store_true")
    ap.add_argument("-j", "--jobs", type=int, default=0, help="batch workers (default nproc)")
    ap.add_argument("--filter", help="only APKs whose path contains this")
    ap.add_argument("--largest", type=int, default=0, help="only the K APKs with most DEX")
    ap.add_argument("--json", help="also write every measurement to this JSON file")
    ap.add_argument("--markdown", help="also write the table as Markdown to this file")
    args = ap.parse_args()

    if args.peer_runs <= 0 or args.peer_runs > args.runs:
        args.peer_runs = args.runs
    apkpriv = find_apkpriv(args.apkpriv)
    if not apkpriv:
        print("bench: no apkpriv binary (build it, or pass --apkpriv / set $APKPRIV)")
        return 2
    for tool in ("unzip",) + (() if args.no_aapt else ("aapt", "dexdump")):
        if not shutil.which(tool):
            print("bench: %s not found" % tool)
            return 2
    if not args.no_androguard and not androguard_ok():
        print("bench: androguard is not importable by /usr/bin/python3 "
              "(apt-get install androguard); running without it")
        args.no_androguard = True

    apks = collect(args)
    if not apks:
        print("bench: no APK with DEX code found")
        return 2
    mach = machine()
    print("apkpriv %s\nmachine: %d CPUs, %s, %s RAM, Linux %s, load %.2f %.2f %.2f" % (
        apkpriv, mach["nproc"], mach["cpu"], mach["mem"], mach["kernel"], *mach["load"]))
    if mach["load"][0] > (mach["nproc"] or 1):
        print("WARNING: load average %.1f > %d CPUs: wall times are inflated, CPU times less so"
              % (mach["load"][0], mach["nproc"]))
    peers = {}
    if not args.no_androguard:
        peers["androguard"] = spread(apks, args.peer_sample)
    print("%d APKs with DEX (%.1f MiB DEX), %d run(s) each; androguard on %s" % (
        len(apks), sum(a["dex_bytes"] for a in apks) / MB, args.runs,
        "none" if args.no_androguard else "%d, %d run(s) each" % (len(peers["androguard"]),
                                                                  args.peer_runs)), flush=True)

    tools = make_tools(args, apkpriv)
    results = {}
    t0 = time.time()
    for i, a in enumerate(apks):
        with open(a["path"], "rb") as f:  # warm the page cache: every tool reads it hot
            while f.read(1 << 20):
                pass
        results[a["path"]] = run_apk(a, args, tools, peers)
        if sys.stderr.isatty():
            print("\r[%d/%d] %s" % (i + 1, len(apks), a["name"][-50:].ljust(50)),
                  end="", file=sys.stderr, flush=True)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    bt = None if args.no_batch else batch(args, apkpriv, apks)
    mach_end = os.getloadavg()

    print()
    print(table(apks, results))
    print("\ntargets column: A = androguard 50x, F = floor 3x, R = RSS; '.' met, letter = "
          "missed, '-' not measured. Times are medians of %d run(s); apkpriv and the floor run "
          "until apkpriv's runs add up to %.2f s (at most %d runs)." % (args.runs, args.min_time,
                                                                          args.max_runs))
    print()
    print(summary(apks, results, bt, mach, args))
    print("\nelapsed %.0f s; load at end %.2f %.2f %.2f" % (time.time() - t0, *mach_end))

    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table(apks, results, md=True) + "\n\n```\n" +
                    summary(apks, results, bt, mach, args) + "\n```\n")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": mach, "apkpriv": apkpriv, "runs": args.runs,
                       "apks": [dict(a, results=results[a["path"]]) for a in apks],
                       "batch": bt}, f, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
