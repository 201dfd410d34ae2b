#!/bin/bash
# e2e: `apkpriv native` on an APK packaged here from the fixture libraries (lib/<abi>/libprobe.so,
# built from tests/fixtures/native/probe.c), in JSON and text; and on a bare stripped .so.
set -u
: "${APKPRIV:?set APKPRIV to the apkpriv binary}"
src=${AP_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
fix=$src/tests/fixtures/native
command -v python3 >/dev/null || { echo "skipped: python3 is not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$fix" "$tmp/probe.apk" <<'PY' || exit 1
import sys, zipfile
fix, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, 'w') as z:
    z.writestr('AndroidManifest.xml', b'')  # not parsed by `native`
    for abi, d in (('arm64-v8a', 'arm64-v8a'), ('armeabi-v7a', 'armeabi-v7a-thumb'),
                   ('x86_64', 'x86_64')):
        z.write(f'{fix}/{d}/libprobe.so', f'lib/{abi}/libprobe.so', zipfile.ZIP_DEFLATED)
PY
"$APKPRIV" native --json "$tmp/probe.apk" > "$tmp/out.json" 2> "$tmp/err.txt"
rc=$?
[ $rc -eq 0 ] || { echo "FAIL: exit $rc"; cat "$tmp/err.txt"; exit 1; }
python3 - "$tmp/out.json" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
libs = d['libraries']
assert sorted(l['abi'] for l in libs) == ['arm64-v8a', 'armeabi-v7a', 'x86_64'], libs
for l in libs:
    calls = {c['symbol']: c['args'] for c in l['calls']}
    assert calls['__system_property_get'][0] == 'ro.serialno', (l['path'], calls)
    assert calls['fopen'][0] == '/sys/class/net/wlan0/address', (l['path'], calls)
    assert calls['ioctl'][1] == 0x8927, (l['path'], calls)
    jc = [c for c in l['jni_calls'] if c['symbol'] == 'GetMethodID']
    assert jc and jc[0]['args'][1:] == ['getDeviceId', '()Ljava/lang/String;'], (l['path'], jc)
    assert '__system_property_get' in l['imports']
    assert any(j['method'] == 'deviceId' and j['class'] == 'org/apkpriv/fixture/Probe'
               for j in l['jni']), l['jni']
    assert all(isinstance(c['offset'], int) for c in l['calls'])
print('json ok:', len(libs), 'libraries')
PY
# The fast paths (AArch64 hand decoder, decode caches, the prefilters that skip spans which
# cannot report) must not change a finding: the same JSON as the reference path
# (APKPRIV_CAPSTONE_ONLY: capstone for every word, nothing skipped), except the count of
# decoded instructions. Over every fixture, the corpus's native libraries when ../shared is
# there, and Debian's stripped glibc/libstdc++ for x86-64, arm64 and armhf when installed.
same_as_reference() {
  "$APKPRIV" native --json "$1" 2>/dev/null | sed 's/"instructions":[0-9]*//g' > "$tmp/fast.json"
  APKPRIV_CAPSTONE_ONLY=1 "$APKPRIV" native --json "$1" 2>/dev/null |
    sed 's/"instructions":[0-9]*//g' > "$tmp/cs.json"
  cmp -s "$tmp/fast.json" "$tmp/cs.json" || {
    echo "FAIL: $1 differs from APKPRIV_CAPSTONE_ONLY"; diff "$tmp/fast.json" "$tmp/cs.json" | head; exit 1; }
}
n=0
for f in "$tmp/probe.apk" "$fix"/*/*.so; do same_as_reference "$f"; n=$((n + 1)); done
corpus=${AP_SHARED_DIR:-$src/../shared}/corpus
if [ -d "$corpus" ]; then
  while IFS= read -r f; do
    unzip -l "$f" 2>/dev/null | grep -q ' lib/.*\.so$' && { same_as_reference "$f"; n=$((n + 1)); }
  done < <(find "$corpus" -name '*.apk' | sort)
else
  echo "corpus part skipped: $corpus is absent"
fi
for f in /lib/x86_64-linux-gnu/libc.so.6 /usr/aarch64-linux-gnu/lib/libc.so.6 \
         /usr/arm-linux-gnueabihf/lib/libc.so.6 /usr/arm-linux-gnueabihf/lib/libstdc++.so.6; do
  [ -f "$f" ] && { same_as_reference "$(readlink -f "$f")"; n=$((n + 1)); }
done
echo "reference path: $n inputs agree"
out=$("$APKPRIV" native "$fix/arm64-v8a/libprobe-noshdr.so" 2>/dev/null)
echo "$out" | grep -q '__system_property_get("ro.serialno"' || { echo "FAIL: text output"; echo "$out"; exit 1; }
echo "$out" | grep -q 'env->GetMethodID(?, "getDeviceId"' || { echo "FAIL: text JNI"; exit 1; }
"$APKPRIV" native "$tmp/err.txt" >/dev/null 2>&1
[ $? -eq 3 ] || { echo "FAIL: a non-ELF non-APK input must exit 3"; exit 1; }
echo "ok"
