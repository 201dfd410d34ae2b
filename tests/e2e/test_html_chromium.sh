#!/bin/bash
# Opens an HTML report in headless Chromium: the page must render, its one inline script must run
# (the CSP blocks it if the hash is stale; it sets data-apkpriv-ready on <html>), no console
# errors, and a screenshot is kept in the build dir as an artifact for a reviewer.
# The report is $APKPRIV_HTML when set (a real sample), else the unit-test fixture's HTML with
# hostile strings (written by test_reports --filter html/write_fixture).
set -u

fail() { echo "FAIL: $*"; exit 1; }

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	[ -n "${CI:-}" ] && fail "CI is set but chromium is not installed (apt-get install chromium)"
	echo "skipped: chromium is not installed (Debian package 'chromium'); CI always runs this"
	exit 77
fi

BUILD=${AP_BUILD_DIR:-$(pwd)}
OUT=$BUILD/artifacts/html
mkdir -p "$OUT" || fail "cannot create $OUT"
HTML=${APKPRIV_HTML:-}
if [ -z "$HTML" ]; then
	HTML=$OUT/report-fixture.html
	TESTBIN=$BUILD/tests/test_reports
	[ -x "$TESTBIN" ] || fail "$TESTBIN is not built (cmake --build . --target test_reports)"
	rm -f "$HTML"
	AP_HTML_OUT=$HTML "$TESTBIN" --filter 'html/write_fixture' >/dev/null 2>&1 ||
		fail "test_reports could not write the fixture HTML"
fi
[ -s "$HTML" ] || fail "no HTML at $HTML"
HTML=$(cd "$(dirname "$HTML")" && pwd)/$(basename "$HTML")
PNG=$OUT/$(basename "$HTML" .html).png

PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE"' EXIT
chrome() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-dev-shm-usage --user-data-dir="$PROFILE" "$@"
}

# 1. the DOM after scripts ran: our marker proves the inline script executed under the CSP
DOM=$(chrome --dump-dom "file://$HTML" 2>"$OUT/chromium-dom.log")
echo "$DOM" | grep -q 'data-apkpriv-ready="1"' ||
	fail "inline script did not run (CSP hash stale or script error); see $OUT/chromium-dom.log"
echo "$DOM" | grep -q 'id="findings"' || fail "rendered DOM has no findings section"
# the hostile label must be text, never an element
if echo "$DOM" | grep -q '<script>alert(1)'; then fail "hostile label became a script element"; fi

# 2. screenshot, with console logging on stderr
rm -f "$PNG"
chrome --enable-logging=stderr --v=0 --hide-scrollbars --window-size=1280,2400 \
	--screenshot="$PNG" "file://$HTML" >"$OUT/chromium-shot.log" 2>&1
if grep -E 'Uncaught|SyntaxError|Refused to (execute|load|apply)|Content.Security.Policy' \
	"$OUT/chromium-shot.log" "$OUT/chromium-dom.log"; then
	fail "console errors while rendering (logs in $OUT)"
fi
[ -s "$PNG" ] || fail "no screenshot written (log: $OUT/chromium-shot.log)"
size=$(stat -c %s "$PNG")
[ "$size" -gt 20000 ] || fail "screenshot is suspiciously small ($size bytes): blank page?"
echo "ok: rendered $HTML"
echo "artifact: $PNG"
exit 0
