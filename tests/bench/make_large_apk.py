#!/usr/bin/python3
"""Builds a synthetic multi-dex APK for tests/bench/bench.py, to show apkpriv at ~10 MiB of DEX
(the corpus's largest real app has 6.2 MiB). It is NOT a real app: it takes the manifest and
resources.arsc of the APK with the most DEX code, then appends the root classes*.dex of the next
largest APKs as classes2.dex, classes3.dex, ... until the DEX total reaches --mib. Classes that
two donors both bundle (support libraries) are then defined twice, which Android resolves by
taking the first DEX in order; the analysis still has to read every byte. Unsigned. Written
outside the repo (corpus files are third-party; never commit the output).

With --native it also writes synthetic-native.apk and synthetic-native-arm.apk beside it: the
manifest and DEX of the smallest DroidBench app (small and well-formed), plus Debian's glibc,
libm and libstdc++ for arm64 (lib/arm64-v8a/, from libc6-arm64-cross and libstdc++6-arm64-cross,
which gcc-aarch64-linux-gnu brings) or armhf (lib/armeabi-v7a/, Thumb-2, from the
gcc-arm-linux-gnueabihf packages): 3-4 MiB of real compiled code each, more than any corpus app
carries."""
import argparse
import os
import re
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT_DEX = re.compile(r"^classes([2-9]|[1-9][0-9]+)?\.dex$")


def dex_of(path):
    try:
        with zipfile.ZipFile(path) as z:
            return [(i.filename, i.file_size) for i in z.infolist() if ROOT_DEX.match(i.filename)]
    except Exception:
        return []


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", nargs="?", default="/tmp/apkpriv-bench-large/synthetic-multidex.apk")
    ap.add_argument("--corpus", default=os.path.normpath(
        os.path.join(HERE, "..", "..", "..", "shared", "corpus")))
    ap.add_argument("--mib", type=float, default=10.0, help="DEX total to reach, MiB")
    ap.add_argument("--native", action="store_true",
                    help="also write synthetic-native.apk (arm64 libraries) beside OUT")
    ap.add_argument("--arm64-libs", default="/usr/aarch64-linux-gnu/lib")
    ap.add_argument("--armhf-libs", default="/usr/arm-linux-gnueabihf/lib")
    args = ap.parse_args()

    apks = []
    for root, _, names in os.walk(args.corpus):
        for n in names:
            if n.endswith(".apk"):
                p = os.path.join(root, n)
                d = dex_of(p)
                if d:
                    apks.append((sum(s for _, s in d), p))
    if not apks:
        print("make_large_apk: no APK with DEX under %s" % args.corpus, file=sys.stderr)
        return 2
    apks.sort(reverse=True)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    total, k, used = 0, 0, []
    with zipfile.ZipFile(args.out, "w", zipfile.ZIP_DEFLATED) as out:
        with zipfile.ZipFile(apks[0][1]) as z:
            for n in ("AndroidManifest.xml", "resources.arsc"):
                if n in z.namelist():
                    out.writestr(n, z.read(n))
        for size, p in apks:
            if total >= args.mib * 1024 * 1024:
                break
            with zipfile.ZipFile(p) as z:
                for n, s in sorted(dex_of(p)):
                    k += 1
                    out.writestr("classes.dex" if k == 1 else "classes%d.dex" % k, z.read(n))
                    total += s
            used.append(os.path.relpath(p, args.corpus))
    print("%s: %d DEX files, %.2f MiB of DEX, from %s" % (
        args.out, k, total / 1024 / 1024, ", ".join(used)))
    if args.native:
        plain = [p for _, p in apks if os.sep + "droidbench" + os.sep in p] or [apks[-1][1]]
        rc = make_native(args, plain[-1], args.arm64_libs, "arm64-v8a", "synthetic-native.apk")
        return rc or make_native(args, plain[-1], args.armhf_libs, "armeabi-v7a",
                                 "synthetic-native-arm.apk")
    return 0


def make_native(args, donor, libdir, abi, name):
    libs = [n for n in ("libc.so.6", "libm.so.6", "libstdc++.so.6")
            if os.path.exists(os.path.join(libdir, n))]
    if not libs:
        print("make_large_apk: no %s libraries in %s (install the gcc cross compiler)"
              % (abi, libdir), file=sys.stderr)
        return 2
    out_path = os.path.join(os.path.dirname(os.path.abspath(args.out)), name)
    size = 0
    with zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as out:
        with zipfile.ZipFile(donor) as z:
            for n in z.namelist():
                if n == "AndroidManifest.xml" or ROOT_DEX.match(n):
                    out.writestr(n, z.read(n))
        for n in libs:
            src = os.path.realpath(os.path.join(libdir, n))
            out.write(src, "lib/%s/%s.so" % (abi, n.split(".so")[0]))
            size += os.path.getsize(src)
    print("%s: %s (%.2f MiB of %s code and data) with the manifest and DEX of %s" % (
        out_path, ", ".join(libs), size / 1024 / 1024, abi, os.path.relpath(donor, args.corpus)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
