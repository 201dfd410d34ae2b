#!/bin/bash
# `apkpriv manifest --json` against `aapt dump badging` (the reference) and the corpus facts.tsv,
# over every APK in ../shared/corpus: package, versionCode, minSdk, targetSdk, the declared
# permission set (aapt's uses-permission lines minus its implied ones) and launchable-activity.
# Files aapt cannot read are listed; apkpriv must still decode them (and not crash).
# Known disagreements with a reason live in KNOWN below; any other one fails the test.
set -u
: "${APKPRIV:?APKPRIV must point to the apkpriv binary}"
SHARED=${AP_SHARED_DIR:-$(dirname "$0")/../../../shared}
CORPUS=$SHARED/corpus
if [ ! -d "$CORPUS" ]; then
	if [ -n "${CI:-}" ]; then echo "CI=true but $CORPUS is missing"; exit 1; fi
	echo "skipped: ../shared/corpus is absent (a user's clone); CI always runs this"; exit 77
fi
if ! command -v aapt >/dev/null; then
	if [ -n "${CI:-}" ]; then echo "CI=true but aapt is not installed"; exit 1; fi
	echo "skipped: aapt is not installed"; exit 77
fi
if ! command -v python3 >/dev/null; then echo "skipped: python3 is not installed"; exit 77; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
find "$CORPUS" -name '*.apk' | LC_ALL=C sort > "$work/list"
n=0
while IFS= read -r f; do
	n=$((n + 1))
	aapt dump badging "$f" > "$work/$n.aapt" 2>/dev/null
	echo $? > "$work/$n.aapt_rc"
	timeout 60 "$APKPRIV" manifest --json "$f" > "$work/$n.json" 2> "$work/$n.err"
	echo $? > "$work/$n.rc"
	echo "$f" > "$work/$n.path"
done < "$work/list"

python3 - "$work" "$n" "$CORPUS" <<'PY'
import json, os, re, sys
work, n, corpus = sys.argv[1], int(sys.argv[2]), sys.argv[3]

# file (relative to corpus) -> {field: reason}: disagreements understood and accepted.
KNOWN = {
    # Python's zipfile (which built facts.tsv) refuses this archive; Android and aapt read it.
    'androguard/apksig/v2-only-garbage-between-cd-and-eocd.apk': {
        f'facts.{k}': 'facts.tsv is empty: python-zipfile-error; aapt agrees with apkpriv'
        for k in ('package', 'versionCode', 'minSdk', 'targetSdk')},
    # The label is a literal string in the manifest; aapt prints application-label once per
    # locale of resources.arsc, and this APK's table has no string configs, so aapt prints
    # none ("application: label=''"). Android shows the literal.
    'apktool/issue1730/issue1730.apk': {'label': 'literal label, aapt prints labels per arsc locale'},
}

def aapt_facts(text):
    f = {}
    m = re.search(r"^package: name='([^']*)' versionCode='([^']*)'", text, re.M)
    if not m:
        return None
    f['package'], f['versionCode'] = m.group(1), m.group(2)
    m = re.search(r"^sdkVersion:'([^']*)'", text, re.M)
    f['minSdk'] = m.group(1) if m else ''
    m = re.search(r"^targetSdkVersion:'([^']*)'", text, re.M)
    f['targetSdk'] = m.group(1) if m else ''
    perms = set(re.findall(r"^uses-permission(?:-sdk-23)?: name='([^']*)'", text, re.M))
    implied = set(re.findall(r"^uses-implied-permission: name='([^']*)'", text, re.M))
    f['permissions'] = sorted(perms - implied)
    m = re.search(r"^launchable-activity: name='([^']*)'", text, re.M)
    f['launchable'] = m.group(1) if m else ''
    m = re.search(r"^application-label:'([^']*)'", text, re.M)
    f['label'] = m.group(1) if m else ''
    return f

def ours(j):
    m = j['manifest']
    vc = m['version_code']
    sdk = lambda raw, val: '' if raw is None else (raw if not raw.startswith('@') else str(val))
    return {
        'package': m['package'] or '',
        'versionCode': '' if vc is None else str(vc & 0xffffffff),
        'minSdk': sdk(m['min_sdk_raw'], m['min_sdk']),
        'targetSdk': sdk(m['target_sdk_raw'], m['target_sdk']),
        'permissions': sorted({p['name'] for p in m['uses_permissions']}),
        'launchable': m['launcher_activity'] or '',
        'label': m['label'] or '',
    }

facts = {}
with open(os.path.join(corpus, 'facts.tsv'), encoding='utf-8') as fh:
    hdr = fh.readline().rstrip('\n').split('\t')
    for line in fh:
        row = dict(zip(hdr, line.rstrip('\n').split('\t')))
        facts[row['file']] = row

fails, known_hits, aapt_failed, partial, compared, fact_checked = [], [], [], [], 0, 0
for i in range(1, n + 1):
    path = open(f'{work}/{i}.path', encoding='utf-8', errors='replace').read().strip()
    rel = os.path.relpath(path, corpus)
    rc = int(open(f'{work}/{i}.rc').read())
    ref = aapt_facts(open(f'{work}/{i}.aapt', encoding='utf-8', errors='replace').read())
    j = None
    if rc == 0:
        try:
            j = json.load(open(f'{work}/{i}.json', encoding='utf-8'))
        except ValueError as e:
            fails.append(f'{rel}: invalid JSON ({e})')
            continue
    if rc >= 124 or rc > 4 and rc != 0:
        fails.append(f'{rel}: apkpriv exit {rc} (crash, hang or internal error)')
        continue
    if ref is None:
        aapt_failed.append((rel, 'decoded: package ' + repr(j['manifest']['package'])
                            if j else f'not decoded (exit {rc}): ' +
                            open(f'{work}/{i}.err', errors='replace').read().strip()[:160]))
        continue
    if j is None:
        fails.append(f'{rel}: aapt reads it, apkpriv exit {rc}: ' +
                     open(f'{work}/{i}.err', errors='replace').read().strip()[:200])
        continue
    compared += 1
    o = ours(j)
    aapt_rc = int(open(f'{work}/{i}.aapt_rc').read())
    for k in ref:
        if aapt_rc != 0 and not ref[k] and o[k]:
            # aapt stopped on an error before printing this field: nothing to compare
            partial.append(f'{rel}: aapt exit {aapt_rc} before {k}; apkpriv {o[k]!r}')
            continue
        if ref[k] != o[k]:
            msg = f'{rel}: {k}: aapt {ref[k]!r} apkpriv {o[k]!r}'
            if k in KNOWN.get(rel, {}):
                known_hits.append(msg + ' -- known: ' + KNOWN[rel][k])
            else:
                fails.append(msg)
    # facts.tsv (Android 10 aapt) on the same fields
    fr = facts.get(rel)
    if fr:
        fact_checked += 1
        fp = sorted(p for p in fr['permissions'].split(',') if p)
        for k, v in (('package', fr['package']), ('versionCode', fr['versionCode']),
                     ('minSdk', fr['minSdk']), ('targetSdk', fr['targetSdk']),
                     ('permissions', fp)):
            if v != o[k]:
                msg = f'{rel}: facts.tsv {k}: {v!r} apkpriv {o[k]!r}'
                if ('facts.' + k) in KNOWN.get(rel, {}):
                    known_hits.append(msg + ' -- known: ' + KNOWN[rel]['facts.' + k])
                else:
                    fails.append(msg)

print(f'{n} APKs: {compared} compared with aapt ({fact_checked} also with facts.tsv), '
      f'{len(aapt_failed)} aapt cannot read')
for rel, what in aapt_failed:
    print(f'aapt fails: {rel}: apkpriv {what}')
for m in partial:
    print('aapt partial: ' + m)
for m in known_hits:
    print('KNOWN ' + m)
for m in fails:
    print('FAIL ' + m)
sys.exit(1 if fails else 0)
PY
