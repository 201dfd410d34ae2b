#!/bin/bash
# e2e: Capstone missing at run time. A stand-in libcapstone (same soname, no cs_* entry points)
# first on LD_LIBRARY_PATH makes dlopen fail: an x86-64 library, which needs Capstone from its
# first instruction, keeps its imports and exports; an arm64 one (Debian's libm) is decoded by
# hand until its first SIMD word, then stops. Both say so in an anomaly, both are marked partial,
# and `native` and `scan` exit 4 (analysed in part, docs/cli.md) -- never a silent partial result.
set -u
: "${APKPRIV:?set APKPRIV to the apkpriv binary}"
src=${AP_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
fix=$src/tests/fixtures/native
command -v python3 >/dev/null || { echo "skipped: python3 is not installed"; exit 77; }
command -v cc >/dev/null || { echo "skipped: no C compiler (cc) to build the stand-in library"; exit 77; }
soname=$(ldconfig -p | grep -o 'libcapstone\.so\.[0-9]*' | head -1)
[ -n "$soname" ] || { echo "skipped: no libcapstone in the loader cache"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo 'int apkpriv_not_capstone;' > "$tmp/stub.c"
cc -shared -fPIC -o "$tmp/$soname" "$tmp/stub.c" -Wl,-soname,"$soname" || exit 1
libm=/usr/aarch64-linux-gnu/lib/libm.so.6
[ -f "$libm" ] || { echo "note: $libm absent (gcc-aarch64-linux-gnu): x86-64 case only"; libm=; }
python3 - "$fix" "$tmp/probe.apk" "$libm" <<'PY' || exit 1
import sys, zipfile
fix, out, libm = sys.argv[1:4]
with zipfile.ZipFile(out, 'w') as z:
    z.writestr('AndroidManifest.xml', b'')  # not parsed by `native`
    z.write(f'{fix}/x86_64/libprobe.so', 'lib/x86_64/libprobe.so', zipfile.ZIP_DEFLATED)
    if libm:
        z.write(libm, 'lib/arm64-v8a/libm.so', zipfile.ZIP_DEFLATED)
PY
# control: with the real Capstone, a complete result
"$APKPRIV" native --json "$tmp/probe.apk" > "$tmp/ok.json" 2> "$tmp/ok.err"
rc=$?
[ $rc -eq 0 ] || { echo "FAIL: control exit $rc"; cat "$tmp/ok.err"; exit 1; }
LD_LIBRARY_PATH=$tmp "$APKPRIV" native --json "$tmp/probe.apk" > "$tmp/out.json" 2> "$tmp/err.txt"
rc=$?
[ $rc -eq 4 ] || { echo "FAIL: native exit $rc without Capstone, want 4"; cat "$tmp/err.txt"; exit 1; }
grep -q "capstone cannot be loaded" "$tmp/err.txt" || { echo "FAIL: stderr does not say why"; exit 1; }
python3 - "$tmp/ok.json" "$tmp/out.json" <<'PY' || exit 1
import json, sys
ok = {l['path']: l for l in json.load(open(sys.argv[1]))['libraries']}
d = json.load(open(sys.argv[2]))
libs = {l['path']: l for l in d['libraries']}
assert libs.keys() == ok.keys(), (libs.keys(), ok.keys())
dep = {a['where']: a['message'] for a in d['anomalies'] if a['code'] == 'dependency'}
for path, l in libs.items():
    assert l['partial'], path
    assert l['imports'] == ok[path]['imports'] and l['exports'] == ok[path]['exports'], path
    assert 'capstone cannot be loaded' in dep.get(path, ''), (path, dep)
x = libs['lib/x86_64/libprobe.so']
assert 'imports and exports only' in dep[x['path']] and not x['calls'], dep
assert ok['lib/x86_64/libprobe.so']['calls'], 'the control finds the fixture calls'
if 'lib/arm64-v8a/libm.so' in libs:
    m = libs['lib/arm64-v8a/libm.so']
    assert 'not disassembled' in dep[m['path']] and 'code from 0x' in dep[m['path']], dep
    assert 0 < m['instructions'] < ok[m['path']]['instructions'], (m['instructions'], ok[m['path']]['instructions'])
print('native ok:', len(libs), 'libraries, partial, with the reason')
PY
LD_LIBRARY_PATH=$tmp "$APKPRIV" scan --format json -o "$tmp/scan.json" "$tmp/probe.apk" 2> "$tmp/scan.err"
rc=$?
[ $rc -eq 4 ] || { echo "FAIL: scan exit $rc without Capstone, want 4"; cat "$tmp/scan.err"; exit 1; }
python3 - "$tmp/scan.json" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
assert d['partial'] and 'analysed in part' in d['partial_reason'], d.get('partial_reason')
assert any(a['code'] == 'dependency' and 'capstone' in a['message'] for a in d['anomalies'])
print('scan ok: partial:', d['partial_reason'])
PY
