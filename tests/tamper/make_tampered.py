#!/usr/bin/python3
"""Tampering suite generator: makes every case of tests/tamper/cases.tsv from the clean samples in
samples/apk/ (at test time, into a build directory), using only the standard library.

Each case applies one anti-analysis trick seen in the wild against apktool, jadx and androguard,
in a form that Android itself still reads the same way as the clean original (the package and the
permission set do not change). Usage:

    make_tampered.py CASES.tsv SAMPLES_DIR ELF_FIXTURE OUT_DIR

writes OUT_DIR/<case>.apk and, for the ELF case, OUT_DIR/<case>.clean.apk (the clean sample plus
the clean library: the reference that case is compared with). Prints one line per file written.
"""
import os
import struct
import sys
import zlib

SIG_LFH, SIG_CDR, SIG_EOCD = 0x04034B50, 0x02014B50, 0x06054B50


# ---- zip: read the clean archive into entries, write it back with a hook per trick ----------

class Entry:
    def __init__(self, name, method, flags, crc, usize, raw, extra=b"", ver=20, mtime=0, mdate=0x21):
        self.name, self.method, self.flags, self.crc = name, method, flags, crc
        self.usize, self.raw, self.extra = usize, raw, extra
        self.ver, self.mtime, self.mdate = ver, mtime, mdate
        # what the local header says; None = the same as the central directory
        self.l_method = self.l_flags = self.l_crc = self.l_csize = self.l_usize = None

    def data(self):
        """The uncompressed bytes (the clean samples use methods 0 and 8 only)."""
        return self.raw if self.method == 0 else zlib.decompress(self.raw, -15)

    def set_data(self, data, method=None):
        method = self.method if method is None else method
        self.method = method
        if method == 0:
            self.raw = bytes(data)
        else:
            co = zlib.compressobj(9, zlib.DEFLATED, -15)
            self.raw = co.compress(bytes(data)) + co.flush()
        self.crc = zlib.crc32(data) & 0xFFFFFFFF
        self.usize = len(data)


def read_zip(path):
    buf = open(path, "rb").read()
    eo = buf.rfind(struct.pack("<I", SIG_EOCD))
    if eo < 0:
        sys.exit("%s: no EOCD" % path)
    _, _, _, _, n, cd_size, cd_off, _ = struct.unpack_from("<IHHHHIIH", buf, eo)
    entries, at = [], cd_off
    for _ in range(n):
        (sig, _vm, ver, flags, method, mtime, mdate, crc, csize, usize, nlen, elen, clen, _d, _ia,
         _ea, lfh) = struct.unpack_from("<IHHHHHHIIIHHHHHII", buf, at)
        if sig != SIG_CDR:
            sys.exit("%s: bad central directory" % path)
        name = buf[at + 46:at + 46 + nlen].decode("utf-8")
        at += 46 + nlen + elen + clen
        lnlen, lelen = struct.unpack_from("<HH", buf, lfh + 26)
        dstart = lfh + 30 + lnlen + lelen
        lextra = buf[lfh + 30 + lnlen:dstart]
        entries.append(Entry(name, method, flags, crc, usize, buf[dstart:dstart + csize], lextra,
                             ver, mtime, mdate))
    return entries


def write_zip(entries, prefix=b"", between=b"", cd_extra=None, eocd_extra=b""):
    """Lays out prefix, local headers + data, `between`, the central directory and the EOCD.
    Offsets are absolute (prefix included), as an APK with a stub before it has them.
    cd_extra: entries that appear only in the central directory, pointing at an existing local
    header by name (duplicate entries)."""
    out = bytearray(prefix)
    offs = {}
    for e in entries:
        offs.setdefault(e.name, len(out))
        e._lfh = len(out)
        nm = e.name.encode("utf-8")
        out += struct.pack("<IHHHHHIIIHH", SIG_LFH, e.ver,
                           e.flags if e.l_flags is None else e.l_flags,
                           e.method if e.l_method is None else e.l_method,
                           e.mtime, e.mdate,
                           e.crc if e.l_crc is None else e.l_crc,
                           len(e.raw) if e.l_csize is None else e.l_csize,
                           e.usize if e.l_usize is None else e.l_usize,
                           len(nm), len(e.extra))
        out += nm + e.extra + e.raw + getattr(e, "trailer", b"")
    out += between
    cd_off = len(out)
    cd = list(entries) + list(cd_extra or [])
    for e in cd:
        nm = e.name.encode("utf-8")
        lfh = getattr(e, "_lfh", None)
        if lfh is None:
            lfh = offs[e.name]
        out += struct.pack("<IHHHHHHIIIHHHHHII", SIG_CDR, 0x0314, e.ver, e.flags, e.method,
                           e.mtime, e.mdate, e.crc, len(e.raw), e.usize, len(nm), 0, 0, 0, 0, 0,
                           lfh)
        out += nm
    cd_size = len(out) - cd_off
    out += eocd_extra
    out += struct.pack("<IHHHHIIH", SIG_EOCD, 0, 0, len(cd), len(cd), cd_size, cd_off, 0)
    return bytes(out)


def entry(entries, name):
    for e in entries:
        if e.name == name:
            return e
    sys.exit("sample has no %s" % name)


# ---- AXML: chunks and the string pool -------------------------------------------------------

RES_STRING_POOL, RES_XML_RESOURCE_MAP = 0x0001, 0x0180
RES_XML_START_ELEMENT, RES_XML_END_ELEMENT = 0x0102, 0x0103


def chunks(axml):
    """(offset, type, header_size, size) of each top-level chunk after the file header."""
    _t, hs, _size = struct.unpack_from("<HHI", axml, 0)
    off, res = hs, []
    while off + 8 <= len(axml):
        t, chs, size = struct.unpack_from("<HHI", axml, off)
        res.append((off, t, chs, size))
        if size < 8:
            break
        off += size
    return res


def fix_file_size(axml):
    struct.pack_into("<I", axml, 4, len(axml))
    return axml


def decode_pool(axml, off):
    _t, hs, size, count, styles, flags, sstart, _sst = struct.unpack_from("<HHIIIIII", axml, off)
    if styles:
        sys.exit("string pool with styles: not handled")
    utf8 = bool(flags & 0x100)
    strs = []
    for i in range(count):
        so = struct.unpack_from("<I", axml, off + hs + 4 * i)[0]
        p = off + sstart + so
        if utf8:
            n = axml[p]; p += 2 if n & 0x80 else 1          # UTF-16 length, skipped
            n = axml[p]
            if n & 0x80:
                n = ((n & 0x7F) << 8) | axml[p + 1]; p += 2
            else:
                p += 1
            strs.append(bytes(axml[p:p + n]).decode("utf-8"))
        else:
            n = struct.unpack_from("<H", axml, p)[0]; p += 2
            if n & 0x8000:
                n = ((n & 0x7FFF) << 16) | struct.unpack_from("<H", axml, p)[0]; p += 2
            strs.append(bytes(axml[p:p + 2 * n]).decode("utf-16-le"))
    return strs, utf8, size


def encode_pool(strs, utf8):
    data, offs = bytearray(), []
    for s in strs:
        offs.append(len(data))
        if utf8:
            b = s.encode("utf-8")
            u16 = len(s.encode("utf-16-le")) // 2
            for n in (u16, len(b)):
                data += bytes([n]) if n < 0x80 else bytes([0x80 | (n >> 8), n & 0xFF])
            data += b + b"\0"
        else:
            b = s.encode("utf-16-le")
            data += struct.pack("<H", len(b) // 2) + b + b"\0\0"
    while len(data) % 4:
        data += b"\0"
    hs = 28
    sstart = hs + 4 * len(strs)
    size = sstart + len(data)
    head = struct.pack("<HHIIIIII", RES_STRING_POOL, hs, size, len(strs), 0,
                       0x100 if utf8 else 0, sstart, 0)
    return head + b"".join(struct.pack("<I", o) for o in offs) + bytes(data)


def replace_pool(axml, strs, utf8):
    off, _t, _hs, size = next(c for c in chunks(axml) if c[1] == RES_STRING_POOL)
    new = bytearray(axml[:off]) + encode_pool(strs, utf8) + axml[off + size:]
    return fix_file_size(new)


def n_resmap(axml):
    for off, t, _hs, size in chunks(axml):
        if t == RES_XML_RESOURCE_MAP:
            return (size - 8) // 4
    return 0


# ---- the tricks -----------------------------------------------------------------------------

def t_lfh_method(es):
    # local header says stored, central directory says deflated: Android reads the CD
    entry(es, "AndroidManifest.xml").l_method = 0
    return write_zip(es)


def t_lfh_sizes(es):
    # data-descriptor bit set and the local header's sizes and CRC garbage (the BadPack trick):
    # libziparchive then compares only the central directory with the data descriptor
    e = entry(es, "AndroidManifest.xml")
    e.flags |= 8
    e.l_csize, e.l_usize, e.l_crc = 0x7FFFFFF0, 1, 0xDEADBEEF
    e.trailer = struct.pack("<IIII", 0x08074B50, e.crc, len(e.raw), e.usize)
    return write_zip(es)


def t_bogus_method(es):
    # method 0x4D4B (neither stored nor deflated) on deflated data, in both headers
    e = entry(es, "AndroidManifest.xml")
    e.method = 0x4D4B
    return write_zip(es)


def t_encrypted_flag(es):
    # general purpose bit 0 (encrypted) on every entry, data left plain: Android ignores it
    for e in es:
        e.flags |= 1
    return write_zip(es)


def t_multi_eocd(es):
    # a decoy EOCD (claiming one entry at offset 0) before the real CD; the last one wins
    decoy = struct.pack("<IHHHHIIH", SIG_EOCD, 0, 0, 1, 1, 46, 0, 0)
    return write_zip(es, between=decoy)


def t_prefix_data(es):
    # 4 KiB of stub before the archive, offsets adjusted (a polyglot): Android reads it as is
    stub = bytes((i * 37 + 11) & 0xFF for i in range(4096))
    return write_zip(es, prefix=b"MZ" + stub[2:])


def t_prefix_unadjusted(es):
    # the stub prepended with `cat`, offsets not adjusted
    return b"#!/bin/sh\nexit 0\n" + bytes(1007) + write_zip(es)


def t_duplicate_manifest(es):
    # a second AndroidManifest.xml (a decoy with no permissions) after the real one
    real = entry(es, "AndroidManifest.xml")
    decoy = Entry(real.name, real.method, real.flags, real.crc, real.usize, real.raw, real.extra)
    axml = bytearray(real.data())
    strs, utf8, _ = decode_pool(axml, 8)
    strs = [("android.permission.NONE%d" % i) if s.startswith("android.permission.") else s
            for i, s in enumerate(strs)]
    decoy.set_data(replace_pool(axml, strs, utf8))
    return write_zip(es + [decoy])


def with_manifest(es, fn):
    e = entry(es, "AndroidManifest.xml")
    e.set_data(fn(bytearray(e.data())))
    return write_zip(es)


def axml_elem_header_size(axml):
    # every start-element node gets header size 20 with 4 padding bytes after its 16-byte
    # header: Android finds the attribute extension at node + headerSize
    out = bytearray(axml[:8])
    for off, t, hs, size in chunks(axml):
        c = bytearray(axml[off:off + size])
        if t == RES_XML_START_ELEMENT and hs == 16:
            c = c[:16] + b"\xa5\xa5\xa5\xa5" + c[16:]
            struct.pack_into("<HI", c, 2, 20, size + 4)
        out += c
    return fix_file_size(out)


def axml_string_count(axml):
    # string count raised to what the offsets table could hold if it overlapped the string
    # data; Android decodes strings lazily by index and never looks at the extra ones
    off, _t, hs, size = next(c for c in chunks(axml) if c[1] == RES_STRING_POOL)
    count, sstart = struct.unpack_from("<I", axml, off + 8)[0], struct.unpack_from("<I", axml, off + 20)[0]
    fit = (size - hs) // 4
    struct.pack_into("<I", axml, off + 8, fit)
    assert fit > count and sstart < size
    return axml


def axml_rename_attrs(axml, how):
    # attribute names that have a resource ID: Android resolves them by ID, not by name
    strs, utf8, _ = decode_pool(axml, 8)
    n = n_resmap(axml)
    if n == 0:
        sys.exit("manifest has no resource map")
    for i in range(min(n, len(strs))):
        strs[i] = "" if how == "empty" else "\u0430" * (i + 1)  # Cyrillic 'a's: looks like text
    return replace_pool(axml, strs, utf8)


def axml_unknown_chunk(axml):
    # an unknown chunk type between the resource map and the first node: Android skips it
    out = bytearray(axml[:8])
    done = False
    for off, t, hs, size in chunks(axml):
        if not done and t not in (RES_STRING_POOL, RES_XML_RESOURCE_MAP):
            out += struct.pack("<HHI", 0x0777, 8, 24) + b"apkpriv-tamper\0\0"
            done = True
        out += axml[off:off + size]
    return fix_file_size(out)


def axml_zero_size_node(axml):
    # a start-element node of size 0 after </manifest>: Android stops reading at the end of the
    # root element and never reaches it; tools that walk every chunk loop or give up
    cs = chunks(axml)
    last_end = max(i for i, c in enumerate(cs) if c[1] == RES_XML_END_ELEMENT)
    out = bytearray(axml[:8])
    for i, (off, t, hs, size) in enumerate(cs):
        out += axml[off:off + size]
        if i == last_end:
            out += struct.pack("<HHI", RES_XML_START_ELEMENT, 16, 0) + bytes(8)
    return fix_file_size(out)


def with_dex(es, fn):
    e = entry(es, "classes.dex")
    e.set_data(fn(bytearray(e.data())))
    return write_zip(es)


def dex_checksum(dex):
    struct.pack_into("<I", dex, 8, struct.unpack_from("<I", dex, 8)[0] ^ 0x5A5A5A5A)
    return dex


def dex_file_size(dex):
    # file_size says 64 KiB more than the file; checksum fixed so only the size is wrong
    struct.pack_into("<I", dex, 32, len(dex) + 0x10000)
    struct.pack_into("<I", dex, 8, zlib.adler32(bytes(dex[12:])) & 0xFFFFFFFF)
    return dex


def garbage_shdr(elf):
    # section headers filled with garbage and e_shstrndx out of range; the program headers
    # (all that Android's linker reads) are untouched
    is64 = elf[4] == 2
    shoff = struct.unpack_from("<Q" if is64 else "<I", elf, 0x28 if is64 else 0x20)[0]
    at = 0x3A if is64 else 0x2E
    shentsize, shnum, _ = struct.unpack_from("<HHH", elf, at)
    for i in range(shoff, min(len(elf), shoff + shentsize * shnum)):
        elf[i] = (i * 167 + 0x5B) & 0xFF
    struct.pack_into("<H", elf, at + 4, 0xFFF0)
    return elf


def lib_entry(data):
    e = Entry("lib/arm64-v8a/libprobe.so", 0, 0, 0, 0, b"")
    e.set_data(data, 0)
    return e


TRICKS = {
    "zip_lfh_method": t_lfh_method,
    "zip_lfh_sizes": t_lfh_sizes,
    "zip_bogus_method": t_bogus_method,
    "zip_encrypted_flag": t_encrypted_flag,
    "zip_multi_eocd": t_multi_eocd,
    "zip_prefix_data": t_prefix_data,
    "zip_prefix_unadjusted": t_prefix_unadjusted,
    "zip_duplicate_manifest": t_duplicate_manifest,
    "axml_elem_header_size": lambda es: with_manifest(es, axml_elem_header_size),
    "axml_string_count": lambda es: with_manifest(es, axml_string_count),
    "axml_obfuscated_names": lambda es: with_manifest(es, lambda a: axml_rename_attrs(a, "obf")),
    "axml_empty_names": lambda es: with_manifest(es, lambda a: axml_rename_attrs(a, "empty")),
    "axml_unknown_chunk": lambda es: with_manifest(es, axml_unknown_chunk),
    "axml_zero_size_node": lambda es: with_manifest(es, axml_zero_size_node),
    "dex_bad_checksum": lambda es: with_dex(es, dex_checksum),
    "dex_wrong_file_size": lambda es: with_dex(es, dex_file_size),
}


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    cases_tsv, samples, elf_path, out = sys.argv[1:5]
    os.makedirs(out, exist_ok=True)
    rows = [l.rstrip("\n").split("\t") for l in open(cases_tsv, encoding="utf-8")
            if l.strip() and not l.startswith("#")]
    head, rows = rows[0], rows[1:]
    ci, cs = head.index("case"), head.index("sample")
    for r in rows:
        case, sample = r[ci], r[cs]
        es = read_zip(os.path.join(samples, sample))
        if case == "elf_garbage_shdr":
            clean_lib = bytearray(open(elf_path, "rb").read())
            ref = write_zip(es + [lib_entry(clean_lib)])
            open(os.path.join(out, case + ".clean.apk"), "wb").write(ref)
            es = read_zip(os.path.join(samples, sample))
            data = write_zip(es + [lib_entry(garbage_shdr(clean_lib))])
        elif case in TRICKS:
            data = TRICKS[case](es)
        else:
            sys.exit("cases.tsv names an unknown case: %s" % case)
        path = os.path.join(out, case + ".apk")
        open(path, "wb").write(data)
        print(path)


if __name__ == "__main__":
    main()
