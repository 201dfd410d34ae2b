#!/usr/bin/env bash
# Rebuilds the sample APKs in samples/apk/ from the sources in samples/src/<app>/, with Debian's
# smali and aapt only (nothing downloaded, nothing signed: apkpriv does not verify signatures).
#
#   samples/build.sh [-o OUTDIR] [APP...]     default OUTDIR: samples/apk, default: every app
#
# Layout of one app: AndroidManifest.xml, res/, smali/ -> classes.dex, smali_classes2/ ->
# classes2.dex (multidex, the apktool convention), ... The output is reproducible: aapt writes
# fixed 1980-01-01 timestamps and a fixed entry order, smali is deterministic, so a rebuild gives
# byte-identical APKs (tests/e2e/test_samples_rebuild.sh checks this). Idempotent.
set -euo pipefail
export LC_ALL=C TZ=UTC

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out="$here/apk"
framework=${AP_FRAMEWORK_RES:-/usr/share/android-framework-res/framework-res.apk}
api=21

apps=()
while [ $# -gt 0 ]; do
  case $1 in
    -o) [ $# -ge 2 ] || { echo "build.sh: -o needs a folder" >&2; exit 2; }; out=$2; shift 2 ;;
    -h|--help) echo "usage: $0 [-o OUTDIR] [APP...]"; exit 0 ;;
    -*) echo "usage: $0 [-o OUTDIR] [APP...]" >&2; exit 2 ;;
    *) apps+=("$1"); shift ;;
  esac
done
set -- ${apps[@]+"${apps[@]}"}

for tool in smali aapt; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool not found (apt-get install $tool)" >&2; exit 3; }
done
[ -f "$framework" ] || { echo "build.sh: $framework not found (apt-get install android-framework-res? see README)" >&2; exit 3; }

if [ $# -eq 0 ]; then
  set -- $(cd "$here/src" && ls -d */ | tr -d /)
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for app in "$@"; do
  src="$here/src/$app"
  [ -f "$src/AndroidManifest.xml" ] || { echo "build.sh: no app '$app' in $here/src" >&2; exit 2; }
  w="$work/$app"
  mkdir -p "$w"

  # Resources and binary manifest (aapt compiles @string/app_name and the zh translation).
  aapt package -f -M "$src/AndroidManifest.xml" -S "$src/res" -I "$framework" -F "$w/base.apk" >/dev/null

  # classes.dex from smali/, classes<N>.dex from smali_classes<N>/ (in Android's order).
  dexes=()
  for dir in "$src"/smali "$src"/smali_classes[2-9]; do
    [ -d "$dir" ] || continue
    n=${dir##*/smali}; n=${n#_classes}
    dex="classes${n}.dex"
    smali a --api "$api" -j 1 -o "$w/$dex" "$dir"
    dexes+=("$dex")
  done
  [ ${#dexes[@]} -gt 0 ] || { echo "build.sh: $app has no smali/ folder" >&2; exit 2; }

  # aapt add stores names relative to the working directory, with aapt's fixed timestamps.
  (cd "$w" && aapt add base.apk "${dexes[@]}" >/dev/null)
  # Replace the old APK only when the bytes changed, so an unchanged rebuild touches nothing.
  if ! cmp -s "$w/base.apk" "$out/$app.apk"; then
    cp "$w/base.apk" "$out/$app.apk.tmp" && mv "$out/$app.apk.tmp" "$out/$app.apk"
    echo "built $out/$app.apk"
  else
    echo "unchanged $out/$app.apk"
  fi
done
