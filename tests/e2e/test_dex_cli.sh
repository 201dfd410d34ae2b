#!/bin/bash
# apkpriv dex --calls/--strings/--summary on the smali fixture (bare .dex) and on a corpus APK:
# the tab-separated format of issue 3, the call counts against dexdump's disassembly, and the
# hidden DEX of an APK (bare ones outside the root, inside embedded JARs).
set -u
: "${APKPRIV:?APKPRIV must point at the built binary}"
SRC=${AP_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SHARED=${AP_SHARED_DIR:-$SRC/../shared}
if ! command -v smali >/dev/null; then
	echo "skipped: smali is not installed"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
smali a --api 28 -o "$tmp/classes.dex" "$SRC/tests/fixtures/dex" || { echo "smali failed"; exit 1; }

"$APKPRIV" dex --calls "$tmp/classes.dex" > "$tmp/calls.tsv"; rc=$?
[ $rc -eq 0 ] || { echo "FAIL: --calls exit $rc"; fail=1; }
want=$'classes.dex\tLcom/example/Leak;->leak(Landroid/content/Context;)Ljava/lang/String;\t0008\tinvoke-virtual\tLandroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;'
grep -qxF "$want" "$tmp/calls.tsv" || { echo "FAIL: getDeviceId call site line missing"; cat "$tmp/calls.tsv"; fail=1; }
n=$(wc -l < "$tmp/calls.tsv")
nd=$(dexdump -d "$tmp/classes.dex" | grep -c '|[0-9a-f]\{4\}: invoke-')
[ "$n" -eq "$nd" ] || { echo "FAIL: $n call sites, dexdump has $nd"; fail=1; }
awk -F'\t' 'NF != 5 { exit 1 }' "$tmp/calls.tsv" || { echo "FAIL: a --calls line without 5 fields"; fail=1; }

"$APKPRIV" dex --strings "$tmp/classes.dex" > "$tmp/strings.tsv" || fail=1
grep -qF $'\t001e\temoji \xf0\x9f\x99\x8f and nul \\x00 end' "$tmp/strings.tsv" ||
	{ echo "FAIL: escaped string load missing"; cat "$tmp/strings.tsv"; fail=1; }

"$APKPRIV" dex --summary "$tmp/classes.dex" > "$tmp/summary.tsv" || fail=1
[ "$(sed -n 2p "$tmp/summary.tsv" | cut -f2,3,4,12)" = $'039\tok\tok\t2' ] ||
	{ echo "FAIL: summary"; cat "$tmp/summary.tsv"; fail=1; }

"$APKPRIV" dex --calls; [ $? -eq 2 ] || { echo "FAIL: usage exit code"; fail=1; }
"$APKPRIV" dex --calls "$tmp/nonexistent.dex" 2>/dev/null; [ $? -eq 3 ] || { echo "FAIL: input exit code"; fail=1; }

apk="$SHARED/corpus/androguard/apk/Invalid.apk"
if [ -f "$apk" ]; then
	"$APKPRIV" dex --calls "$apk" > "$tmp/apk.tsv" || { echo "FAIL: --calls on APK"; fail=1; }
	n=$(wc -l < "$tmp/apk.tsv")
	nd=$(dexdump -d "$apk" 2>/dev/null | grep -c '|[0-9a-f]\{4\}: invoke-')
	[ "$n" -eq "$nd" ] || { echo "FAIL: APK: $n call sites, dexdump has $nd"; fail=1; }
	cut -f1 "$tmp/apk.tsv" | sort -u | grep -qx classes.dex || { echo "FAIL: dexfile column"; fail=1; }
else
	echo "note: corpus absent, APK part not run"
fi
# hidden code: a DEX inside an embedded JAR (assets/dynamic.jar) and bare DEX files outside the
# root are read too, named outer!inner; their call sites match dexdump on the extracted files
dyn="$SHARED/corpus/droidbench/DynamicLoading/DynamicSink1.apk"
if [ -f "$dyn" ]; then
	"$APKPRIV" dex --calls "$dyn" > "$tmp/dyn.tsv" || { echo "FAIL: --calls on $dyn"; fail=1; }
	unzip -p "$dyn" assets/dynamic.jar > "$tmp/dynamic.jar"
	n=$(grep -c $'^assets/dynamic.jar!classes.dex\t' "$tmp/dyn.tsv")
	nd=$(dexdump -d "$tmp/dynamic.jar" 2>/dev/null | grep -c '|[0-9a-f]\{4\}: invoke-')
	[ "$n" -gt 0 ] && [ "$n" -eq "$nd" ] ||
		{ echo "FAIL: embedded JAR: $n call sites, dexdump has $nd"; fail=1; }
	n=$(grep -c $'^classes.dex\t' "$tmp/dyn.tsv")
	nd=$(dexdump -d "$dyn" 2>/dev/null | grep -c '|[0-9a-f]\{4\}: invoke-')
	[ "$n" -eq "$nd" ] || { echo "FAIL: root DEX next to a JAR: $n call sites, dexdump has $nd"; fail=1; }
fi
dd="$SHARED/corpus/apktool/dynamic_dex/dynamic_dex.apk"
if [ -f "$dd" ]; then
	"$APKPRIV" dex --summary "$dd" 2>/dev/null | cut -f1 | tail -n +2 | sort > "$tmp/dd.txt"
	printf '%s\n' assets.dex assets/dynamic.dex classes.dex dynamic.dex > "$tmp/dd.want"
	cmp -s "$tmp/dd.txt" "$tmp/dd.want" ||
		{ echo "FAIL: bare hidden DEX files:"; cat "$tmp/dd.txt"; fail=1; }
fi
[ $fail -eq 0 ] && echo "ok"
exit $fail
