#!/usr/bin/python3
"""Zip bomb generator for the memory bound of docs/limits.md (issue 8). Copies a clean APK and
adds entries of N MiB of zero bytes, deflated (about 1030:1), so that a few MB of APK ask for
gigabytes. Writes to OUT (meant for /tmp or a build dir; never commit the result). Usage:

    make_bomb.py BASE.apk OUT.apk NAME=MIB[:PREFIX] [NAME=MIB[:PREFIX] ...]

e.g. make_bomb.py samples/apk/video_clean.apk /tmp/bomb.apk classes2.dex=1024 \\
     classes3.dex=1024 classes4.dex=1024 classes5.dex=1024 lib/arm64-v8a/libz.so=1024
An entry with :PREFIX starts with the bytes of that file (a DEX, say, so that the bomb parses and
is kept) and is padded with zeros to MIB MiB.
"""
import struct
import sys
import zipfile
import zlib

BLOCK = 16 << 20


def segment(data):
    """data as raw deflate blocks that end byte-aligned with an empty history (a full flush),
    so segments can be concatenated: the same block of zeros is deflated once and repeated."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    return co.compress(data) + co.flush(zlib.Z_FULL_FLUSH)


def deflate_zeros(n, prefix=b""):
    """(raw deflate of prefix + zeros up to n bytes, crc32), in a few MB of memory."""
    zero = bytes(BLOCK)
    block = segment(zero)
    out, crc, left = [segment(prefix)], zlib.crc32(prefix), n - len(prefix)
    while left:
        k = min(left, BLOCK)
        out.append(block if k == BLOCK else segment(bytes(k)))
        crc = zlib.crc32(zero[:k], crc)
        left -= k
    out.append(zlib.compressobj(9, zlib.DEFLATED, -15).flush())  # the final, empty block
    return b"".join(out), crc


def local_header(name, method, crc, csize, usize):
    n = name.encode()
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, csize, usize,
                       len(n), 0) + n


def central_record(name, method, crc, csize, usize, off):
    n = name.encode()
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, csize,
                       usize, len(n), 0, 0, 0, 0, 0, off) + n


def main(argv):
    if len(argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    entries = []
    with zipfile.ZipFile(argv[1]) as base:
        for info in base.infolist():
            data = base.read(info)
            if info.compress_type == zipfile.ZIP_STORED:
                raw, method = data, 0
            else:
                co = zlib.compressobj(9, zlib.DEFLATED, -15)
                raw, method = co.compress(data) + co.flush(), 8
            entries.append((info.filename, method, zlib.crc32(data), raw, len(data)))
    for spec in argv[3:]:
        name, size = spec.rsplit("=", 1)
        prefix = b""
        if ":" in size:
            size, pfile = size.split(":", 1)
            with open(pfile, "rb") as f:
                prefix = f.read()
        usize = int(size) << 20
        if usize >= 1 << 32 or len(prefix) > usize:
            raise SystemExit("make_bomb.py: an entry holds its prefix and stays below 4 GiB")
        raw, crc = deflate_zeros(usize, prefix)
        entries.append((name, 8, crc, raw, usize))
    body, cd = bytearray(), bytearray()
    for name, method, crc, raw, usize in entries:
        cd += central_record(name, method, crc, len(raw), usize, len(body))
        body += local_header(name, method, crc, len(raw), usize) + raw
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(cd),
                       len(body), 0)
    with open(argv[2], "wb") as f:
        f.write(body + cd + eocd)
    print("%s: %d entries, %d bytes" % (argv[2], len(entries), len(body) + len(cd) + len(eocd)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
