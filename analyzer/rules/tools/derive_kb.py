#!/usr/bin/env python3
"""Derives apkpriv's knowledge-base data files from ../shared/knowledge.

Run by hand when the shared sources change (the build never runs it; the files it writes are
committed):  python3 analyzer/rules/tools/derive_kb.py [SHARED_KNOWLEDGE_DIR] [OUT_DIR]

Writes categories.json, permissions.tsv, apis.tsv, strings.tsv, sdks.tsv, app_types.json.
rules.json, scoring.json, network.tsv, native.tsv and VERSION are written by hand.
Facts carry over from the sources; every correction or addition made here is listed in
docs/rules-format.md ("Corrections to the drafts")."""
import csv, json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '../../../../shared/knowledge')
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, '..')

# Canonical ids follow the vocabulary of sdk-signatures.tsv known_pi (which is also what the
# issue names); the taxonomy's own id stays usable as an alias.
RENAME = {
    'microphone': 'audio.microphone',
    'phone_number.device': 'phone_number',
    'sensors.motion': 'sensors',
    'storage.files': 'storage',
    'nearby.bluetooth': 'bluetooth',
    'device_info.sim_operator': 'carrier',
}
EXTRA_ALIASES = {
    'device_id.imei': ['device_id.meid'],          # the taxonomy covers IMEI and MEID together
    'location.device': ['location.unspecified'],   # SDK disclosures that do not say which kind
    'app_list': ['running_processes'],             # taxonomy: "installed / running app list"
    'storage': ['external_storage'],
    'identity.id_document': ['id_card_number'],
    'media.photos': ['photos'],
}
NEW_CATEGORIES = [
    dict(id='device_id.vaid', name_en='VAID (MSA vendor anonymous device ID)', name_zh='VAID（开发者匿名设备标识符）',
         sensitivity='general', immutable=False, csac_class='device_info', refs=['CSAC-2023'],
         note='MSA supplementary device identifier, scoped to one developer; resettable.'),
    dict(id='device_id.aaid', name_en='AAID (MSA/HMS application anonymous ID)', name_zh='AAID（应用匿名设备标识符）',
         sensitivity='general', immutable=False, csac_class='device_info', refs=['CSAC-2023'],
         note='Per-app anonymous identifier (MSA AAID, HMS AAID); resettable.'),
    dict(id='ip_address', name_en='IP address', name_zh='IP地址', sensitivity='general', immutable=False,
         csac_class='device_info', refs=['GBT35273-B1'],
         note='Reported by many SDK disclosures; statically only the local-interface APIs are visible.'),
    dict(id='push_token', name_en='Push registration token', name_zh='推送标识（Token/RegId）',
         sensitivity='general', immutable=False, csac_class='device_info', refs=[],
         note='A per-install identifier issued by a push service.'),
]
CANON = lambda i: RENAME.get(i, i)

# API corrections and additions (kind, class, name, proto, category, min_api, confidence, requires, note)
API_EXTRA = [
    ('method', 'Lcom/bun/miitmdid/supplier/IdSupplier;', 'getOAID', '()Ljava/lang/String;', 'device_id.oaid', 0, 'medium', '', 'MSA SDK 1.0.13-1.0.23 package'),
    ('method', 'Lcom/bun/miitmdid/interfaces/IdSupplier;', 'getVAID', '()Ljava/lang/String;', 'device_id.vaid', 0, 'medium', '', 'MSA SDK'),
    ('method', 'Lcom/bun/miitmdid/interfaces/IdSupplier;', 'getAAID', '()Ljava/lang/String;', 'device_id.aaid', 0, 'medium', '', 'MSA SDK'),
    ('method', 'Lcom/bun/miitmdid/supplier/IdSupplier;', 'getVAID', '()Ljava/lang/String;', 'device_id.vaid', 0, 'medium', '', 'MSA SDK'),
    ('method', 'Lcom/bun/miitmdid/supplier/IdSupplier;', 'getAAID', '()Ljava/lang/String;', 'device_id.aaid', 0, 'medium', '', 'MSA SDK'),
    ('method', 'Lcom/bun/supplier/IdSupplier;', 'getVAID', '()Ljava/lang/String;', 'device_id.vaid', 0, 'medium', '', 'older MSA SDK'),
    ('method', 'Lcom/bun/supplier/IdSupplier;', 'getAAID', '()Ljava/lang/String;', 'device_id.aaid', 0, 'medium', '', 'older MSA SDK'),
    ('method', 'Lcom/amap/api/location/AMapLocationClient;', 'getLastKnownLocation', '()Lcom/amap/api/location/AMapLocation;', 'location.precise', 0, 'medium', '', 'Gaode/AMap location SDK'),
    ('method', 'Landroid/telephony/TelephonyManager;', 'getSimOperatorName', '()Ljava/lang/String;', 'carrier', 0, '', '', ''),
    ('method', 'Landroid/telephony/TelephonyManager;', 'getNetworkOperator', '()Ljava/lang/String;', 'carrier', 0, '', '', ''),
    ('method', 'Landroid/net/wifi/WifiManager;', 'getConfiguredNetworks', '()Ljava/util/List;', 'location.wifi', 0, '', '', 'saved networks (SSIDs)'),
    ('method', 'Landroid/net/wifi/WifiInfo;', 'getIpAddress', '()I', 'ip_address', 0, '', '', 'local Wi-Fi address'),
    ('method', 'Landroid/app/ActivityManager;', 'getRunningServices', '(I)Ljava/util/List;', 'app_list', 0, '', '', 'other apps\' services before API 26'),
    ('method', 'Lcom/huawei/hms/aaid/HmsInstanceId;', 'getId', '()Ljava/lang/String;', 'device_id.aaid', 0, 'medium', '', 'HMS AAID'),
    ('method', 'Lcom/huawei/hms/aaid/HmsInstanceId;', 'getToken', '*', 'push_token', 0, 'medium', '', 'HMS Push Kit token'),
    ('method', 'Lcom/google/firebase/messaging/FirebaseMessaging;', 'getToken', '()Lcom/google/android/gms/tasks/Task;', 'push_token', 0, 'medium', '', 'FCM registration token'),
    ('method', 'Landroid/bluetooth/BluetoothAdapter;', 'getName', '()Ljava/lang/String;', 'bluetooth', 0, 'medium', '', 'device name, often the owner\'s name'),
]
# (class, name) moved to another category: the draft lists IMEISV under the operator category
# while its own note says to treat it as an IMEI.
API_MOVE = {('Landroid/telephony/TelephonyManager;', 'getDeviceSoftwareVersion'): 'device_id.imei'}
# Per-API requirement the analysis has to check before counting a call site.
def requires_for(cls, name, note):
    if name == 'query' and cls == 'Landroid/content/ContentResolver;':
        return 'uri'
    if cls.startswith('Landroid/provider/Settings$') and name == 'getString':
        return 'string:android_id'
    if name == 'getDefaultSensor':
        import re
        m = re.search(r'const ([0-9=A-Z_, ]+)', note or '')
        if m:
            return 'int:' + '|'.join(p.split('=')[0].strip() for p in m.group(1).split(',') if '=' in p)
    if name == 'queryIntentActivities':
        return 'broad_intent'
    return ''

# Extra permission facts (protection level, categories, purpose, api where added). Protection levels
# from AOSP core/res/AndroidManifest.xml; checked by tests/unit/kb against framework-res.apk (API 29).
PERMS = [
    # name, protection, categories, purpose, since
    ('ACCESS_FINE_LOCATION', 'dangerous', 'location.precise', 'precise location (GNSS, fused fine)', 1),
    ('ACCESS_COARSE_LOCATION', 'dangerous', 'location.coarse', 'approximate location', 1),
    ('ACCESS_BACKGROUND_LOCATION', 'dangerous', 'location.background,location.track', 'location while in the background', 29),
    ('ACCESS_MEDIA_LOCATION', 'dangerous', 'media.photos', 'GPS tags in shared photos', 29),
    ('NEARBY_WIFI_DEVICES', 'dangerous', 'location.wifi', 'scan and connect to nearby Wi-Fi', 33),
    ('BLUETOOTH_SCAN', 'dangerous', 'bluetooth', 'discover nearby Bluetooth devices', 31),
    ('BLUETOOTH_CONNECT', 'dangerous', 'bluetooth,device_id.mac', 'talk to paired Bluetooth devices', 31),
    ('BLUETOOTH_ADVERTISE', 'dangerous', '', 'advertise to nearby Bluetooth devices', 31),
    ('UWB_RANGING', 'dangerous', '', 'ultra-wideband ranging', 31),
    ('READ_PHONE_STATE', 'dangerous', 'device_id.imei,device_id.imsi,device_id.iccid,device_id.serial,carrier,location.cell,phone_number', 'phone state and (up to API 28) device and SIM identifiers', 1),
    ('READ_PHONE_NUMBERS', 'dangerous', 'phone_number', 'the device\'s own phone numbers', 26),
    ('CALL_PHONE', 'dangerous', '', 'place calls', 1),
    ('ANSWER_PHONE_CALLS', 'dangerous', '', 'answer calls', 26),
    ('ACCEPT_HANDOVER', 'dangerous', '', 'continue a call started elsewhere', 28),
    ('USE_SIP', 'dangerous', '', 'SIP calls', 9),
    ('PROCESS_OUTGOING_CALLS', 'dangerous', 'call_log', 'see and redirect outgoing calls', 1),
    ('READ_CALL_LOG', 'dangerous', 'call_log', 'read the call log', 16),
    ('WRITE_CALL_LOG', 'dangerous', 'call_log', 'modify the call log', 16),
    ('READ_CONTACTS', 'dangerous', 'contacts', 'read the address book', 1),
    ('WRITE_CONTACTS', 'dangerous', 'contacts', 'modify the address book', 1),
    ('GET_ACCOUNTS', 'dangerous', 'accounts', 'list accounts on the device', 1),
    ('READ_CALENDAR', 'dangerous', 'calendar', 'read calendar events', 1),
    ('WRITE_CALENDAR', 'dangerous', 'calendar', 'modify calendar events', 1),
    ('READ_SMS', 'dangerous', 'sms,phone_number', 'read text messages', 1),
    ('RECEIVE_SMS', 'dangerous', 'sms', 'receive text messages', 1),
    ('RECEIVE_MMS', 'dangerous', 'sms', 'receive multimedia messages', 1),
    ('RECEIVE_WAP_PUSH', 'dangerous', 'sms', 'receive WAP push messages', 1),
    ('SEND_SMS', 'dangerous', '', 'send text messages (cost, abuse)', 1),
    ('READ_CELL_BROADCASTS', 'dangerous', '', 'read cell broadcasts', 29),
    ('CAMERA', 'dangerous', 'camera', 'take pictures and video', 1),
    ('RECORD_AUDIO', 'dangerous', 'audio.microphone', 'record audio', 1),
    ('READ_EXTERNAL_STORAGE', 'dangerous', 'media.photos,storage', 'read shared storage', 4),
    ('WRITE_EXTERNAL_STORAGE', 'dangerous', 'storage', 'write shared storage', 4),
    ('READ_MEDIA_IMAGES', 'dangerous', 'media.photos', 'read shared images', 33),
    ('READ_MEDIA_VIDEO', 'dangerous', 'media.photos', 'read shared videos', 33),
    ('READ_MEDIA_AUDIO', 'dangerous', 'media.photos', 'read shared audio', 33),
    ('READ_MEDIA_VISUAL_USER_SELECTED', 'dangerous', 'media.photos', 'read user-picked media', 34),
    ('BODY_SENSORS', 'dangerous', 'health.body_sensors', 'heart rate and other body sensors', 20),
    ('BODY_SENSORS_BACKGROUND', 'dangerous', 'health.body_sensors', 'body sensors in the background', 33),
    ('ACTIVITY_RECOGNITION', 'dangerous', 'health.activity', 'physical activity and steps', 29),
    ('POST_NOTIFICATIONS', 'dangerous', '', 'show notifications', 33),
    ('com.android.voicemail.permission.ADD_VOICEMAIL', 'dangerous', '', 'add voicemail', 14),
    # not dangerous, but they matter for privacy
    ('QUERY_ALL_PACKAGES', 'normal', 'app_list', 'see every installed app (API 30+)', 30),
    ('ACCESS_WIFI_STATE', 'normal', 'location.wifi,device_id.mac', 'Wi-Fi state, BSSID, MAC', 1),
    ('GET_TASKS', 'normal', 'app_list', 'running tasks (deprecated)', 1),
    ('PACKAGE_USAGE_STATS', 'signature|privileged|development|appop|retailDemo', 'app_list', 'app usage statistics (special access)', 21),
    ('MANAGE_EXTERNAL_STORAGE', 'signature|appop|preinstalled', 'storage', 'all-files access (special access)', 30),
    ('READ_PRIVILEGED_PHONE_STATE', 'signature|privileged', 'device_id.imei,device_id.imsi,device_id.iccid,device_id.serial', 'device identifiers on API 29+ (system apps only)', 29),
    ('com.google.android.gms.permission.AD_ID', 'normal', 'device_id.gaid', 'Google advertising ID (API 33+ targets)', 0),
    ('HIGH_SAMPLING_RATE_SENSORS', 'normal', 'sensors', 'motion sensors above 200 Hz', 31),
    ('DETECT_SCREEN_CAPTURE', 'normal', 'usage.screenshot_events', 'be told of screenshots', 34),
    ('BLUETOOTH', 'normal', 'bluetooth,device_id.mac', 'classic Bluetooth (up to API 30)', 1),
    ('BLUETOOTH_ADMIN', 'normal', 'bluetooth', 'Bluetooth discovery (up to API 30)', 1),
    ('FOREGROUND_SERVICE_LOCATION', 'normal', 'location.track', 'location foreground service', 34),
    ('RECEIVE_BOOT_COMPLETED', 'normal', '', 'start at boot (self-start evidence)', 1),
    ('INTERNET', 'normal', '', 'network access', 1),
    ('ACCESS_NETWORK_STATE', 'normal', '', 'network connectivity state', 1),
    ('CHANGE_WIFI_STATE', 'normal', '', 'turn Wi-Fi on or off, scan', 1),
    ('SYSTEM_ALERT_WINDOW', 'signature|setup|appop|installer|pre23|development', '', 'draw over other apps', 1),
    ('REQUEST_INSTALL_PACKAGES', 'signature|appop', '', 'install other packages', 26),
    ('FOREGROUND_SERVICE', 'normal', '', 'foreground service', 28),
    ('WAKE_LOCK', 'normal', '', 'keep the device awake', 1),
]

# SDK rows added (Chinese market and video/map SDKs used as app-type hints).
SDK_EXTRA = [
    # id, name, name_zh, vendor, country, category, prefixes, infixes, domains, known_pi, confidence, note
    ('alibaba_sophix', 'Alibaba Sophix hotfix', '阿里云Sophix热修复', 'Alibaba Cloud', 'CN', 'other', 'com.taobao.sophix.', '', '', '', 'medium', 'hot-patch SDK; code can change after review'),
    ('umeng_apm', 'Umeng U-APM crash reporting', '友盟应用性能监控', 'Umeng (Alibaba)', 'CN', 'crash_reporting', 'com.umeng.umcrash.', '', '', '', 'medium', ''),
    ('umeng_zid', 'Umeng ZID device identifier', '友盟设备标识ZID', 'Umeng (Alibaba)', 'CN', 'analytics', 'com.umeng.umzid.', '', '', '', 'medium', 'device-identifier component pulled in by Umeng common'),
    ('bytedance_gromore', 'GroMore ad mediation (Pangle)', '穿山甲GroMore聚合广告', 'ByteDance', 'CN', 'advertising', 'com.bytedance.msdk.', '', '', '', 'medium', ''),
    ('ijkplayer', 'ijkplayer (bilibili)', 'ijkplayer播放器', 'bilibili', 'CN', 'audio_video', 'tv.danmaku.ijk.', '', '', '', 'high', 'video player; app-type hint only, not a tracker'),
    ('exoplayer', 'ExoPlayer / Media3', 'ExoPlayer播放器', 'Google', 'US', 'audio_video', 'com.google.android.exoplayer2.,com.google.android.exoplayer.,androidx.media3.exoplayer.', '', '', '', 'high', 'video player; app-type hint only, not a tracker'),
    ('tencent_liteav', 'Tencent Cloud TXLiteAVSDK (player / live)', '腾讯云视立方TXLiteAVSDK', 'Tencent', 'CN', 'audio_video', 'com.tencent.rtmp.,com.tencent.liteav.', '', '', '', 'medium', 'player and live streaming SDK'),
    ('aliyun_player', 'Alibaba Cloud ApsaraVideo player', '阿里云播放器', 'Alibaba Cloud', 'CN', 'audio_video', 'com.aliyun.player.', '', '', '', 'medium', ''),
    # the corpus's trackers-truth.tsv names these two Google libraries by their package roots
    ('google_ads_identifier', 'Google Advertising ID client', '谷歌广告标识客户端', 'Google', 'US', 'identity_oaid', 'com.google.android.gms.ads.identifier.', '', '', 'device_id.gaid', 'high', 'AdvertisingIdClient: reads the resettable advertising ID'),
    ('google_firebase', 'Firebase (core, installations, IID, remote config)', 'Firebase核心', 'Google', 'US', 'other', 'com.google.firebase.', '', 'firebaseinstallations.googleapis.com,firebaseremoteconfig.googleapis.com', 'push_token', 'high', 'Firebase core; Crashlytics and Analytics have longer prefixes of their own'),
]

PI_MAP_EXTRA = {}  # known_pi values that are aliases resolve at load time; kept verbatim otherwise


def tsv_write(path, header, rows):
    with open(path, 'w', encoding='utf-8', newline='') as f:
        f.write('\t'.join(header) + '\n')
        for r in rows:
            cells = ['' if c is None else str(c) for c in r]
            for c in cells:
                assert '\t' not in c and '\n' not in c, c
            f.write('\t'.join(cells) + '\n')


def main():
    tax = json.load(open(os.path.join(SRC, 'pi-taxonomy.json'), encoding='utf-8'))
    types = json.load(open(os.path.join(SRC, 'app-types.json'), encoding='utf-8'))
    sdks = list(csv.DictReader(open(os.path.join(SRC, 'sdk-signatures.tsv'), encoding='utf-8'), delimiter='\t'))

    # ---- categories.json
    cats = []
    apis = []
    strings = []
    for c in tax['categories']:
        cid = CANON(c['id'])
        a = c.get('android', {})
        aliases = ([c['id']] if cid != c['id'] else []) + EXTRA_ALIASES.get(cid, [])
        note = c.get('sensitivity_note') or c.get('notes') or a.get('notes') or ''
        cats.append(dict(
            id=cid, parent=CANON(c['parent']) if c.get('parent') else None,
            name_en=c['name_en'], name_zh=c['name_zh'],
            sensitivity=c.get('cn_sensitivity', 'general'),
            sensitivity_basis=c.get('sensitivity_basis', []),
            immutable=bool(c.get('immutable_identifier', False)),
            csac_class=c.get('csac_class'),
            origin=c.get('origin', 'device_api'),
            children=[CANON(x) for x in c.get('children', [])],
            apis_from=[CANON(x) for x in a.get('apis_from', [])],
            aliases=aliases, refs=c.get('refs', []), note=note,
            detection_note=a.get('detection_note', ''),
        ))
        perms = [p for p in a.get('permissions', [])]
        for api in a.get('apis', []):
            sig = api['sig']
            cls, rest = sig.split('->', 1)
            if '(' in rest:
                name, proto = rest.split('(', 1)
                proto = '(' + proto
                kind = 'method'
                if proto == '(*)':
                    proto = '*'
            else:
                name, proto = rest.split(':', 1)
                kind = 'field'
            cat = API_MOVE.get((cls, name), cid)
            note2 = api.get('note', '')
            apis.append((kind, cls, name, proto, cat, ','.join(perms), api.get('min_api', 0) or '',
                         api.get('confidence', 'high'), requires_for(cls, name, note2), note2))
        for uf in a.get('uri_fields', []):
            cls, name = uf.split('->', 1)
            apis.append(('uri_field', cls, name, 'Landroid/net/Uri;', cid, ','.join(perms), '', 'high', '', 'static field holding a content URI of this category'))
        for s in a.get('strings', []):
            if s.startswith('content://'):
                strings.append(('content_uri', s, 'prefix', cid, 'dex', 'high', ''))
            elif s.startswith('/sys/') or s.startswith('/proc/'):
                strings.append(('path', s, 'exact', cid, 'any', 'high', ''))
            elif s.startswith('ro.'):
                strings.append(('sysprop', s, 'exact', cid, 'any', 'high', 'system property read via SystemProperties or __system_property_get'))
            elif s.startswith('com.') and '.' in s:
                strings.append(('reflect_class', s, 'exact', cid, 'dex', 'medium', 'class loaded by name'))
            elif cid == 'usage.screenshot_events':
                strings.append(('const', s, 'exact', cid, 'dex', 'medium', 'screenshot watcher heuristic'))
            else:
                strings.append(('const', s, 'exact', cid, 'any', 'high', ''))
    for n in NEW_CATEGORIES:
        cats.append(dict(id=n['id'], parent=None, name_en=n['name_en'], name_zh=n['name_zh'],
                         sensitivity=n['sensitivity'], sensitivity_basis=[], immutable=n['immutable'],
                         csac_class=n['csac_class'], origin='device_api', children=[], apis_from=[],
                         aliases=[], refs=n['refs'], note=n['note'], detection_note=''))
    catperm = {c['id']: [] for c in cats}
    for p in PERMS:
        for cc in filter(None, p[2].split(',')):
            catperm.setdefault(cc, []).append(p[0] if '.' in p[0] else 'android.permission.' + p[0])
    for (kind, cls, name, proto, cat, mina, conf, req, note) in API_EXTRA:
        apis.append((kind, cls, name, proto, cat, ','.join(catperm.get(cat, [])), mina or '', conf or 'high', req, note))
    # strings added: reflection targets (method names looked up with getMethod/getDeclaredMethod),
    # the hidden SystemProperties class, more identifier paths and properties.
    for m, cat in [('getDeviceId', 'device_id.imei'), ('getImei', 'device_id.imei'), ('getMeid', 'device_id.imei'),
                   ('getSubscriberId', 'device_id.imsi'), ('getSimSerialNumber', 'device_id.iccid'),
                   ('getLine1Number', 'phone_number'), ('getMacAddress', 'device_id.mac'),
                   ('getHardwareAddress', 'device_id.mac'), ('getInstalledPackages', 'app_list'),
                   ('getInstalledApplications', 'app_list'), ('getRunningAppProcesses', 'app_list'),
                   ('getPrimaryClip', 'clipboard'), ('getLastKnownLocation', 'location.precise'),
                   ('getCellLocation', 'location.cell'), ('getAllCellInfo', 'location.cell'),
                   ('getScanResults', 'location.wifi'), ('getBSSID', 'location.wifi'), ('getSerial', 'device_id.serial'),
                   ('getOAID', 'device_id.oaid'), ('getAccounts', 'accounts')]:
        strings.append(('reflect_method', m, 'exact', cat, 'dex', 'medium', 'method name used with getMethod/getDeclaredMethod'))
    for c, cat in [('com.bun.miitmdid.interfaces.IIdentifierListener', 'device_id.oaid'),
                   ('com.bun.miitmdid.interfaces.IdSupplier', 'device_id.oaid'),
                   ('com.bun.miitmdid.supplier.IdSupplier', 'device_id.oaid'),
                   ('com.bun.supplier.IdSupplier', 'device_id.oaid'),
                   ('com.huawei.hms.ads.identifier.AdvertisingIdClient', 'device_id.oaid'),
                   ('com.google.android.gms.ads.identifier.AdvertisingIdClient', 'device_id.gaid'),
                   ('android.telephony.TelephonyManager', 'device_id.imei')]:
        strings.append(('reflect_class', c, 'exact', cat, 'dex', 'medium', 'class loaded by name'))
    strings += [
        ('reflect_class', 'android.os.SystemProperties', 'exact', 'device_id.serial', 'dex', 'medium', 'hidden API; used to read ro.serialno and friends'),
        ('sysprop', 'ril.serialnumber', 'exact', 'device_id.serial', 'any', 'medium', 'Samsung board serial'),
        ('sysprop', 'gsm.sim.operator.numeric', 'exact', 'carrier', 'any', 'medium', ''),
        ('sysprop', 'gsm.operator.alpha', 'exact', 'carrier', 'any', 'medium', ''),
        ('path', '/sys/class/net/', 'prefix', 'device_id.mac', 'any', 'medium', '/sys/class/net/<if>/address'),
        ('path', '/proc/net/arp', 'exact', 'location.wifi', 'any', 'medium', 'gateway MAC (BSSID) without permission'),
        ('path', '/sys/block/mmcblk0/device/cid', 'exact', 'device_id.serial', 'any', 'medium', 'eMMC card ID'),
        ('const', 'pm list package', 'prefix', 'app_list', 'any', 'high', 'shell listing of packages'),
        ('content_uri', 'content://telephony/siminfo', 'prefix', 'device_id.iccid', 'dex', 'medium', 'SIM info provider'),
    ]
    strings = [s for s in strings if not (s[0] == 'const' and s[1] == 'pm list packages')]

    refs = tax['refs']
    json.dump(dict(format=1, csac_classes=tax['csac_classes'], refs=refs, categories=cats),
              open(os.path.join(OUT, 'categories.json'), 'w', encoding='utf-8'), ensure_ascii=False, indent=1)
    tsv_write(os.path.join(OUT, 'apis.tsv'),
              ['kind', 'class', 'name', 'proto', 'category', 'permissions', 'min_api', 'confidence', 'requires', 'note'], apis)
    tsv_write(os.path.join(OUT, 'strings.tsv'),
              ['kind', 'value', 'match', 'category', 'where', 'confidence', 'note'], strings)
    prow = []
    for (n, prot, cs, purpose, since) in PERMS:
        full = n if '.' in n else 'android.permission.' + n
        prow.append((full, prot, 'yes' if prot == 'dangerous' else 'no', cs, since or '', purpose))
    tsv_write(os.path.join(OUT, 'permissions.tsv'),
              ['name', 'protection', 'dangerous', 'categories', 'since_api', 'purpose'], prow)

    # ---- sdks.tsv
    srow = []
    for r in sdks:
        srow.append((r['id'], r['name'], r['name_zh'], r['vendor'], r['vendor_country'], r['category'],
                     r['code_prefixes'], r['code_infixes'], r['network_domains'], r['known_pi'],
                     r['confidence'], r['exodus_id'], 'shared'))
    for e in SDK_EXTRA:
        srow.append(e[:11] + ('', 'added'))
    tsv_write(os.path.join(OUT, 'sdks.tsv'),
              ['id', 'name', 'name_zh', 'vendor', 'country', 'category', 'prefixes', 'infixes', 'domains',
               'known_pi', 'confidence', 'exodus_id', 'origin'], srow)

    # ---- app_types.json
    hints = json.load(open(os.path.join(HERE, 'app_type_hints.json'), encoding='utf-8'))
    out = []
    for t in types['types']:
        h = hints.get(t['id'], {})
        out.append(dict(id=t['id'], number=t['number'], name_zh=t['name_zh'], name_en=t['name_en'],
                        basic_function_zh=t['basic_function_zh'], basic_function_en=t['basic_function_en'],
                        no_pi_needed=t['no_pi_needed'], necessary_pi=[CANON(x) for x in t['necessary_pi']],
                        device_pi_allowed=[CANON(x) for x in t['device_pi_allowed_for_basic_function']],
                        local_only=[CANON(x) for x in t['local_only_capabilities']],
                        conditions=t.get('conditions', []),
                        hints=dict(keywords=h.get('keywords', []), sdks=h.get('sdks', []),
                                   sdk_categories=h.get('sdk_categories', []))))
    json.dump(dict(format=1, source=types['source']['title_en'] + ' (' + types['source']['doc_no'] + ')',
                   types=out), open(os.path.join(OUT, 'app_types.json'), 'w', encoding='utf-8'),
              ensure_ascii=False, indent=1)
    print('categories', len(cats), 'apis', len(apis), 'strings', len(strings), 'perms', len(prow),
          'sdks', len(srow), 'types', len(out))


main()
