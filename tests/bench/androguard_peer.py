#!/usr/bin/python3
"""androguard peer for tests/bench/bench.py: the nearest equivalent of an apkpriv scan done
through androguard's Python API -- open the APK, read its package and permissions, analyse every
DEX with androguard.misc.AnalyzeAPK and walk the cross-references of every method.
Prints one JSON line with what it found, so the benchmark can tell a real run from a failure."""
import json
import logging
import sys


def main():
    if len(sys.argv) != 2:
        print("usage: androguard_peer.py APK", file=sys.stderr)
        return 2
    logging.disable(logging.CRITICAL)  # androguard 3.x logs every class at INFO/DEBUG
    from androguard.misc import AnalyzeAPK

    a, dvms, dx = AnalyzeAPK(sys.argv[1])
    package = a.get_package()
    perms = a.get_permissions()
    methods = xref_to = xref_from = 0
    # AnalyzeAPK already built the xrefs (dx.create_xref()); walking them is what a privacy
    # analysis would do next: who calls what, for every method.
    for m in dx.get_methods():
        methods += 1
        xref_to += len(list(m.get_xref_to()))
        xref_from += len(list(m.get_xref_from()))
    print(json.dumps({"package": package, "permissions": len(perms), "dex": len(dvms),
                      "methods": methods, "xref_to": xref_to, "xref_from": xref_from}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
