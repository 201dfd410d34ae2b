#!/usr/bin/env bash
# The committed sample APKs (samples/apk/) must be exactly what samples/build.sh makes from
# samples/src/: rebuild into a temp folder and compare the entry lists and the bytes of
# AndroidManifest.xml, resources.arsc and every classes*.dex; every APK must also be readable by
# aapt (badging, permissions, xmltree) and dexdump. Exit 77 (skipped) without smali/aapt.
set -uo pipefail
export LC_ALL=C TZ=UTC

src_dir=${AP_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
samples="$src_dir/samples"
framework=${AP_FRAMEWORK_RES:-/usr/share/android-framework-res/framework-res.apk}

for tool in smali aapt unzip; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool is not installed (apt-get install $tool); cannot rebuild the samples"
    exit 77
  fi
done
if [ ! -f "$framework" ]; then
  echo "SKIP: $framework is missing (apt-get install android-framework-res)"
  exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

if ! "$samples/build.sh" -o "$tmp/apk" >"$tmp/build1.log" 2>&1; then
  cat "$tmp/build1.log"
  fail "samples/build.sh failed"
  exit 1
fi

# Same set of apps on both sides: every source folder has a committed APK and vice versa.
apps=$(cd "$samples/src" && ls -d */ | tr -d / | sort)
committed=$(cd "$samples/apk" && ls *.apk 2>/dev/null | sed 's/\.apk$//' | sort)
[ -n "$apps" ] || fail "no sample sources in $samples/src"
[ "$apps" = "$committed" ] || fail "samples/apk/ holds {$(echo $committed)} but samples/src/ holds {$(echo $apps)}: run samples/build.sh"

for app in $apps; do
  new="$tmp/apk/$app.apk"
  old="$samples/apk/$app.apk"
  [ -f "$old" ] || continue
  [ -f "$new" ] || { fail "$app: build.sh made no APK"; continue; }
  fails_before=$fails

  unzip -Z1 "$old" >"$tmp/old.list" 2>/dev/null || fail "$app: committed APK is not a readable zip"
  unzip -Z1 "$new" >"$tmp/new.list" 2>/dev/null || fail "$app: rebuilt APK is not a readable zip"
  if ! cmp -s "$tmp/old.list" "$tmp/new.list"; then
    fail "$app: entry lists differ (committed vs rebuilt):"
    diff "$tmp/old.list" "$tmp/new.list" | sed 's/^/    /'
  fi
  grep -qx AndroidManifest.xml "$tmp/new.list" || fail "$app: no AndroidManifest.xml entry"
  grep -qx classes.dex "$tmp/new.list" || fail "$app: no classes.dex entry"

  for entry in $(grep -E '^(AndroidManifest\.xml|resources\.arsc|classes[0-9]*\.dex)$' "$tmp/new.list"); do
    unzip -p "$old" "$entry" >"$tmp/old.bin" 2>/dev/null
    unzip -p "$new" "$entry" >"$tmp/new.bin" 2>/dev/null
    if ! cmp -s "$tmp/old.bin" "$tmp/new.bin"; then
      fail "$app: $entry differs between samples/apk/$app.apk and a fresh rebuild: run samples/build.sh"
    fi
  done
  if cmp -s "$old" "$new"; then
    echo "ok: $app.apk is byte-identical to a fresh rebuild"
  elif [ "$fails" -eq "$fails_before" ]; then
    # Zip framing may differ with another zlib; the entries compared above are what matters.
    echo "note: $app.apk entries match, the zip bytes differ (another aapt/zlib?)"
  fi

  # The reference tools must read the committed APK.
  pkg=$(sed -n 's/.*package="\([^"]*\)".*/\1/p' "$samples/src/$app/AndroidManifest.xml" | head -1)
  badging=$(aapt dump badging "$old" 2>&1) || fail "$app: aapt dump badging failed: $(echo "$badging" | head -2)"
  echo "$badging" | grep -q "^package: name='$pkg'" || fail "$app: aapt reports no package '$pkg'"
  echo "$badging" | grep -q "^launchable-activity: name='" || fail "$app: aapt finds no launchable activity"
  want_perms=$(sed -n 's/.*<uses-permission android:name="\([^"]*\)".*/\1/p' "$samples/src/$app/AndroidManifest.xml" | sort)
  got_perms=$(aapt dump permissions "$old" 2>/dev/null | sed -n "s/^uses-permission: name='\([^']*\)'.*/\1/p" | sort)
  [ "$want_perms" = "$got_perms" ] || fail "$app: aapt dump permissions {$(echo $got_perms)} != source manifest {$(echo $want_perms)}"
  aapt dump xmltree "$old" AndroidManifest.xml >/dev/null 2>&1 || fail "$app: aapt dump xmltree failed"
  if command -v dexdump >/dev/null; then
    ndex=$(grep -c -E '^classes[0-9]*\.dex$' "$tmp/old.list")
    nsmali=$(find "$samples/src/$app" -name '*.smali' | wc -l)
    nclass=$(dexdump -d "$old" 2>/dev/null | grep -c "Class descriptor")
    [ "$nclass" -eq "$nsmali" ] || fail "$app: dexdump reads $nclass classes from $ndex dex file(s), the sources hold $nsmali .smali files"
  else
    echo "note: dexdump not installed, dex readability not checked"
  fi
done

# samples/EXPECTED.md's call-site tables must say what dexdump says: each row (caller, pc,
# callee) is an instruction of that APK, and every call to a listed callee is in a row.
if command -v dexdump >/dev/null && command -v python3 >/dev/null; then
  python3 - "$samples" <<'PY' || fail "samples/EXPECTED.md call-site tables disagree with dexdump -d (see above)"
import os, re, subprocess, sys
samples = sys.argv[1]
apks = [f[:-4] for f in os.listdir(samples + "/apk") if f.endswith(".apk")]
rows, app = {}, None
for line in open(samples + "/EXPECTED.md", encoding="utf-8"):
    m = re.match(r"^## \d+\. (\w+)", line)
    if m:
        app = m.group(1)
    m = re.match(r"^\| [\w.]+ \| `(L[^`]+)` \| (classes\d*\.dex) \| 0x([0-9a-f]{4}) \| `(L[^`]+)` \|", line)
    if m and app:
        rows.setdefault(app, set()).add((m.group(1), m.group(2), m.group(3), m.group(4)))
callees = {r[3] for v in rows.values() for r in v}
bad = 0
for app in sorted(set(rows) | set(apks)):
    want = rows.get(app, set())
    out = subprocess.run(["dexdump", "-d", "%s/apk/%s.apk" % (samples, app)],
                         capture_output=True, text=True).stdout
    got, dexfile, cls, meth = set(), "classes.dex", None, None
    for line in out.splitlines():
        m = re.match(r"Opened '.*?:(classes\d*\.dex)'", line)
        if m: dexfile = m.group(1)
        m = re.search(r"^\s+Class descriptor\s+: '(.*)'", line)
        if m: cls = m.group(1)
        m = re.match(r"^[0-9a-f]+: *\|\[[0-9a-f]+\] \S+\.(\S+):(\S+)$", line)
        if m: meth = "%s->%s%s" % (cls, m.group(1), m.group(2))
        m = re.match(r"^[0-9a-f]+: [0-9a-f ]+\|([0-9a-f]{4}): \S+ .*?, (L[^ ]+);\.([^:]+):(\S+)", line)
        if m:
            sep = "" if m.group(4).startswith("(") else ":"
            ref = "%s;->%s%s%s" % (m.group(2), m.group(3), sep, m.group(4))
            if ref in callees:
                got.add((meth, dexfile, m.group(1), ref))
    for r in sorted(want - got):
        print("EXPECTED.md lists %s but dexdump shows no such call site: %s %s pc=0x%s -> %s" % ((app,) + r))
        bad += 1
    for r in sorted(got - want):
        print("dexdump shows a call site EXPECTED.md does not list in %s: %s %s pc=0x%s -> %s" % ((app,) + r))
        bad += 1
print("EXPECTED.md: %d call sites in %d APKs checked against dexdump" % (sum(map(len, rows.values())), len(set(rows) | set(apks))))
sys.exit(1 if bad else 0)
PY
else
  echo "note: dexdump or python3 missing, EXPECTED.md call sites not checked"
fi

# build.sh is idempotent: a second run into the same folder changes nothing (one app is enough,
# the per-app logic is the same, and smali's JVM start-up is the slow part).
first=$(echo $apps | cut -d' ' -f1)
sum1=$(cd "$tmp/apk" && sha256sum *.apk)
if "$samples/build.sh" -o "$tmp/apk" "$first" >"$tmp/build2.log" 2>&1; then
  sum2=$(cd "$tmp/apk" && sha256sum *.apk)
  [ "$sum1" = "$sum2" ] || fail "a second build.sh run changed the APKs"
  grep -q '^built ' "$tmp/build2.log" && fail "a second build.sh run rewrote: $(grep '^built ' "$tmp/build2.log" | tr '\n' ' ')"
else
  fail "second build.sh run failed"
fi

if [ "$fails" -ne 0 ]; then
  echo "$fails failure(s)"
  exit 1
fi
echo "PASS: $(echo $apps | wc -w) sample APKs match their sources"
