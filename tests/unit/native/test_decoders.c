/* Unit tests for the hand decoders of analyzer/native: AArch64 (disasm_fast.c) and Thumb
 * (disasm_thumb.c), each run against Capstone plus the tracker step on random and biased words
 * and on real libraries' bytes (the fixtures, Debian's cross libraries, the corpus). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzer/native/native.h"
#include "analyzer/native/native_int.h"
#include "ap_err.h"
#include "ap_test.h"
#include "native_t.h"

/* ap_test.h's AP_T_NEED_* call cr_fail("...") as the new-API macro; map it (as test_native.c). */
#undef cr_fail
#define cr_fail(...) cr_assert(0, __VA_ARGS__)

/* ---- the AArch64 hand decoder (disasm_fast.c) against capstone ---- */

/* Words biased toward the encoding classes the hand decoder takes (fields random): every
 * class boundary and unallocated corner is reached, not just the common instructions. */
static const uint32_t a64_classes[][2] = {
	{0x1f000000, 0x10000000}, {0x7c000000, 0x14000000}, {0xff000000, 0x54000000},
	{0x7e000000, 0x34000000}, {0x7e000000, 0x36000000}, {0xfffffc00, 0xd65f0000},
	{0x7fe0fc00, 0x2a000000}, {0x1f800000, 0x12800000}, {0x1f800000, 0x11000000},
	{0x1f200000, 0x0b000000}, {0x3fc00000, 0x39000000}, {0xbfc00000, 0xb9400000},
	{0xfe000000, 0xa8000000}, {0x1f000000, 0x0a000000}, {0x1fe00000, 0x1a800000},
	{0x1f800000, 0x13000000}, {0x3f000000, 0x39000000}, {0x3f200000, 0x38000000},
	/* add/sub extended, BR/BLR, pairs, logical immediate, CCMP/CCMN, ADC/SBC, EXTR */
	{0x1fe00000, 0x0b200000}, {0xffdffc1f, 0xd61f0000}, {0x3a000000, 0x28000000},
	{0x1f800000, 0x12000000}, {0x3fe00410, 0x3a400000}, {0x1fe0fc00, 0x1a000000},
	{0x7fa00000, 0x13800000},
	/* 2-, 1-, 3-source; literal, any single load/store, register offset; exclusives */
	{0x7fe00000, 0x1ac00000}, {0x7fff0000, 0x5ac00000}, {0x7f000000, 0x1b000000},
	{0x3b000000, 0x18000000}, {0x3a000000, 0x38000000}, {0x3b200c00, 0x38200800},
	{0x3f000000, 0x08000000},
	/* FP/integer conversions, UMOV/SMOV, hints, barriers, MRS */
	{0x7f20fc00, 0x1e200000}, {0xbfe0ec00, 0x0e002c00}, {0xfffff01f, 0xd503201f},
	{0xfffff01f, 0xd503301f}, {0xfff00000, 0xd5300000},
};

Test(native_a64_fast, agrees_with_capstone_on_random_words)
{
	const size_t n = 1000000, nc = sizeof a64_classes / sizeof a64_classes[0];
	uint32_t *w = malloc(n * sizeof *w);
	cr_assert(w);
	uint64_t x = 0x9e3779b97f4a7c15ull;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		uint32_t r = (uint32_t)x;
		size_t c = (size_t)(x >> 40) % (nc + 1); /* one in nc+1 stays fully random */
		if (c < nc)
			r = (r & ~a64_classes[c][0]) | a64_classes[c][1];
		w[i] = r;
	}
	size_t handled;
	char why[512];
	size_t bad = dis_a64_selfcheck(w, n, 0x400000, &handled, why, sizeof why);
	free(w);
	cr_assert_eq(bad, 0, "%zu of %zu handled words differ from capstone; first: %s", bad, handled,
		     why);
	/* the check is only worth something if the hand decoder takes a large share */
	cr_expect_gt(handled, n / 2, "hand decoder took only %zu of %zu words", handled, n);
}

/* Criterion runs each test in its own process, so nothing else has loaded capstone here. */
Test(native_a64_fast, covered_library_never_opens_capstone)
{
	size_t len;
	uint8_t *b = ap_t_slurp(FIXDIR "/arm64-v8a/libprobe.so", &len);
	cr_assert(b);
	struct ap_native_lib *lib = NULL;
	cr_assert_eq(ap_native_open(b, len, "libprobe.so", NULL, &lib), AP_OK);
	const struct ap_native_call *c = find_call(lib, "__system_property_get");
	cr_expect_str_eq(arg_str(c, 0), "ro.serialno");
	cr_expect_gt(lib->n_calls, 3);
	cr_expect_not(dis_capstone_loaded(), "the fixture's words are all hand-decoded, yet "
					     "capstone was loaded");
	ap_native_close(lib);
	free(b);
	/* and the other architectures do load it */
	b = ap_t_slurp(FIXDIR "/x86_64/libprobe.so", &len);
	cr_assert(b);
	cr_assert_eq(ap_native_open(b, len, "libprobe.so", NULL, &lib), AP_OK);
	cr_expect(dis_capstone_loaded());
	ap_native_close(lib);
	free(b);
}

/* Every 4-byte word of a file's executable bytes, as AArch64. */
static void selfcheck_file_words(const uint8_t *b, size_t len, const char *what, size_t *total)
{
	size_t n = len / 4, handled;
	uint32_t *w = malloc((n ? n : 1) * sizeof *w);
	cr_assert(w);
	for (size_t i = 0; i < n; i++)
		w[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 |
		       (uint32_t)b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24;
	char why[512];
	size_t bad = dis_a64_selfcheck(w, n, 0, &handled, why, sizeof why);
	free(w);
	cr_assert_eq(bad, 0, "%s: %zu words differ from capstone; first: %s", what, bad, why);
	*total += handled;
}

/* each corpus library of an ABI, extracted and handed to check */
struct lib_walk {
	char dir[32];
	size_t libs, total;
	void (*check)(const uint8_t *b, size_t len, const char *what, size_t *total);
};

static void walk_one(const char *apk, const char *entry, void *ctx)
{
	struct lib_walk *w = ctx;
	int st;
	char *zargv[] = {"unzip", "-o", "-qq", (char *)apk, (char *)entry, "-d", w->dir, NULL};
	free(ap_t_run(zargv, 1 << 16, &st));
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", w->dir, entry);
	size_t len;
	uint8_t *so = ap_t_slurp(path, &len);
	if (so && len >= 4 && memcmp(so, "\177ELF", 4) == 0) {
		w->check(so, len, entry, &w->total);
		w->libs++;
	}
	free(so);
	unlink(path);
}

static void walk_corpus_libs(const char *prefix, struct lib_walk *w)
{
	cr_assert(mkdtemp(w->dir));
	each_corpus_so(prefix, walk_one, w);
	int st;
	char *rargv[] = {"rm", "-rf", w->dir, NULL};
	free(ap_t_run(rargv, 1 << 10, &st));
}

/* the fixture library of an ABI, through w's check */
static void check_fixture(struct lib_walk *w, const char *abi)
{
	char path[512];
	snprintf(path, sizeof path, FIXDIR "/%s/libprobe.so", abi);
	size_t len;
	uint8_t *b = ap_t_slurp(path, &len);
	cr_assert(b, "%s", path);
	w->check(b, len, path, &w->total);
	free(b);
}

Test(native_a64_fast, agrees_with_capstone_on_real_libraries)
{
	struct lib_walk w = {"/tmp/apkpriv-a64-XXXXXX", 0, 0, selfcheck_file_words};
	check_fixture(&w, "arm64-v8a");
	AP_T_NEED_CORPUS();
	AP_T_NEED_TOOL("unzip");
	walk_corpus_libs("lib/arm64-v8a/", &w);
	cr_expect_geq(w.libs, 3, "only %zu arm64 corpus libraries", w.libs);
	cr_expect_gt(w.total, 1000, "hand decoder took only %zu words", w.total);
}

/* ---- the Thumb hand decoder (disasm_thumb.c) against capstone ---- */

/* Little-endian halfword h at p. */
static void put16(uint8_t *p, uint32_t h)
{
	p[0] = (uint8_t)h;
	p[1] = (uint8_t)(h >> 8);
}

/* A 16-bit encoding biased to what IT blocks hold: moves, adds, loads and stores, pops. */
static uint32_t it_body(uint64_t x)
{
	static const uint32_t cls[][2] = {
		{0xf800, 0x2000}, {0xc000, 0x0000}, {0xf000, 0x6000}, {0xf800, 0x4800},
		{0xfc00, 0x4400}, {0xfe00, 0xbc00}, {0xf800, 0xe000}, {0xff00, 0x4700},
		{0xf000, 0x9000}, {0xfc00, 0x4000}, {0xf000, 0xc000}, {0, 0},
	};
	const uint32_t(*c)[2] = &cls[(x >> 20) % (sizeof cls / sizeof cls[0])];
	return ((uint32_t)x & 0xffffu & ~(*c)[0]) | (*c)[1];
}

/* Every 16-bit encoding under several states (the following bytes random), 32-bit words
 * biased to the encodings it takes (BL, BLX, B.W, B<c>.W, data processing with immediates or
 * shifted registers, single and dual loads and stores, PUSH.W/POP.W), and IT blocks. One instruction (or IT block) every
 * 10 bytes: both alignments. */
Test(native_thumb_fast, agrees_with_capstone_on_every_16_bit_encoding_and_random_words)
{
	const size_t n16 = 65536 * 4, n32 = 1000000, nit = 300000, n = n16 + n32 + nit;
	uint8_t *b = malloc(n * 10);
	cr_assert(b);
	uint64_t x = 0x2545f4914f6cdd1dull;
	for (size_t i = 0; i < n; i++) {
		uint8_t *p = b + 10 * i;
		for (unsigned k = 0; k < 5; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			put16(p + 2 * k, (uint32_t)(x >> 24));
		}
		uint32_t r1 = (uint32_t)x & 0xffffu, h1;
		if (i < n16) {
			put16(p, (uint32_t)(i % 65536));
			continue;
		}
		if (i >= n16 + n32) { /* it{x{y{z}}} and its block */
			put16(p, 0xbf00u | (r1 & 0xffu));
			for (unsigned k = 1; k < 5; k++) {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				put16(p + 2 * k, it_body(x));
			}
			continue;
		}
		switch ((x >> 40) % 8) {
		case 0: case 1: /* bl, blx, b.w, b<c>.w */
			h1 = 0xf000u | (r1 & 0x7ffu);
			p[3] |= 0x80;
			break;
		case 2: case 3: /* data processing, immediates */
			h1 = 0xf000u | (r1 & 0x7ffu);
			p[3] &= 0x7f;
			break;
		case 4: case 5: /* single loads and stores */
			h1 = 0xf800u | (r1 & 0x1ffu);
			break;
		case 6: /* push.w, pop.w; ldrd/strd; data processing, shifted registers */
			h1 = r1 % 3 == 0 ? (r1 & 4 ? 0xe92du : 0xe8bdu)
			     : r1 % 3 == 1 ? 0xe840u | (r1 & 0x1bfu) : 0xea00u | (r1 & 0x1ffu);
			if (r1 % 3 == 2 && (x >> 50) & 1) { /* often mov.w rd, rm and no shift */
				h1 |= 0xfu;
				p[2] &= 0x0f; /* second halfword: imm3, imm2 and type cleared */
				p[3] &= 0x0f;
			}
			break;
		default: /* any 32-bit first halfword */
			h1 = 0xe800u | (r1 & 0x17ffu);
			break;
		}
		put16(p, h1);
	}
	size_t handled;
	char why[512];
	size_t bad = dis_thumb_selfcheck(b, n * 10, 10, 10, 0x10000, &handled, why, sizeof why);
	free(b);
	cr_assert_eq(bad, 0, "%zu of %zu handled starts differ from capstone; first: %s", bad,
		     handled, why);
	/* the check is only worth something if the hand decoder takes a large share (the random
	 * 32-bit words are mostly capstone's) */
	cr_expect_gt(handled, n / 3, "hand decoder took only %zu of %zu", handled, n);
}

/* Every halfword position of a file's bytes, as Thumb. */
static void thumb_check_file(const uint8_t *b, size_t len, const char *what, size_t *total)
{
	size_t handled;
	char why[512];
	size_t bad = dis_thumb_selfcheck(b, len, 2, 10, 0x10000, &handled, why, sizeof why);
	cr_assert_eq(bad, 0, "%s: %zu halfwords differ from capstone; first: %s", what, bad, why);
	*total += handled;
}

Test(native_thumb_fast, agrees_with_capstone_on_real_libraries)
{
	struct lib_walk w = {"/tmp/apkpriv-t32-XXXXXX", 0, 0, thumb_check_file};
	check_fixture(&w, "armeabi-v7a");
	size_t len;
	uint8_t *b = ap_t_slurp("/usr/arm-linux-gnueabihf/lib/libm.so.6", &len);
	if (b) /* Debian's armhf libm (gcc-arm-linux-gnueabihf): Thumb-2 throughout */
		thumb_check_file(b, len, "armhf libm.so.6", &w.total);
	free(b);
	cr_expect_gt(w.total, 1000, "hand decoder took only %zu halfwords", w.total);
	AP_T_NEED_CORPUS();
	AP_T_NEED_TOOL("unzip");
	walk_corpus_libs("lib/armeabi", &w);
	cr_expect_geq(w.libs, 3, "only %zu ARM corpus libraries", w.libs);
}
