/* Unit tests for common/: the cursor, the arena cap, the capped buffer and the escaper. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ap_arena.h"
#include "ap_buf.h"
#include "ap_cursor.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_file.h"
#include "ap_limits.h"

Test(cursor, reads_little_endian_and_sticks_on_overrun)
{
	const uint8_t b[] = {0x01, 0x02, 0x03, 0x04, 0x05};
	struct ap_cur c = ap_cur_make(b, sizeof(b));
	cr_expect_eq(ap_cur_u16le(&c), 0x0201);
	cr_expect_eq(ap_cur_u16le(&c), 0x0403);
	cr_expect(c.ok);
	cr_expect_eq(ap_cur_u32le(&c), 0); /* 1 byte left */
	cr_expect_not(c.ok);
	cr_expect_eq(ap_cur_u8(&c), 0, "failure is sticky even when a byte remains");
}

Test(cursor, sub_rejects_ranges_that_wrap)
{
	const uint8_t b[8] = {0};
	struct ap_cur c = ap_cur_sub(b, sizeof(b), 4, SIZE_MAX - 2);
	cr_expect_not(c.ok);
	c = ap_cur_sub(b, sizeof(b), 9, 0);
	cr_expect_not(c.ok);
	c = ap_cur_sub(b, sizeof(b), 8, 0);
	cr_expect(c.ok);
	cr_expect_not(ap_range_ok(8, UINT64_MAX, 2));
}

struct leb_case {
	uint8_t bytes[6];
	size_t n;
	bool ok;
	uint32_t u;
	int32_t s;
};

ParameterizedTestParameters(cursor, leb128)
{
	static struct leb_case cases[] = {
		{{0x00}, 1, true, 0, 0},
		{{0x7f}, 1, true, 127, -1},
		{{0x80, 0x7f}, 2, true, 16256, -128},
		{{0xff, 0xff, 0xff, 0xff, 0x0f}, 5, true, 0xffffffffu, -1},
		{{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 6, false, 0, 0}, /* 6 bytes: bounded to 5 */
		{{0x80}, 1, false, 0, 0},                              /* truncated */
	};
	return cr_make_param_array(struct leb_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct leb_case *tc, cursor, leb128)
{
	struct ap_cur c = ap_cur_make(tc->bytes, tc->n);
	uint32_t u = ap_cur_uleb128(&c);
	cr_expect_eq(c.ok, tc->ok);
	if (tc->ok)
		cr_expect_eq(u, tc->u);
	c = ap_cur_make(tc->bytes, tc->n);
	int32_t s = ap_cur_sleb128(&c);
	cr_expect_eq(c.ok, tc->ok);
	if (tc->ok)
		cr_expect_eq(s, tc->s);
}

Test(arena, cap_is_hard_and_reported)
{
	struct ap_arena *a = ap_arena_new(100 * 1024);
	cr_assert_not_null(a);
	void *p = ap_arena_alloc(a, 1000);
	cr_expect_not_null(p);
	cr_expect_null(ap_arena_alloc(a, 200 * 1024));
	cr_expect(a->limit_hit);
	cr_expect_leq(a->used, a->cap);
	cr_expect_null(ap_arena_calloc(a, SIZE_MAX / 2, 4), "overflowing calloc is refused");
	ap_arena_free(a);
	ap_arena_free(NULL);
}

Test(arena, small_allocations_are_zeroed_and_aligned)
{
	struct ap_arena *a = ap_arena_new(1 << 20);
	for (int i = 1; i < 200; i++) {
		unsigned char *p = ap_arena_alloc(a, (size_t)i);
		cr_assert_not_null(p);
		cr_expect_eq((uintptr_t)p % 16, 0);
		for (int j = 0; j < i; j++)
			cr_expect_eq(p[j], 0);
		memset(p, 0xab, (size_t)i);
	}
	char *s = ap_arena_strndup(a, "hello world", 5);
	cr_expect_str_eq(s, "hello");
	ap_arena_free(a);
}

Test(buf, cap_makes_failure_sticky)
{
	struct ap_buf b;
	ap_buf_init(&b, 8);
	cr_expect(ap_buf_adds(&b, "abcd"));
	cr_expect(ap_buf_addf(&b, "%d", 123));
	cr_expect_not(ap_buf_adds(&b, "xyz"), "8 bytes max");
	cr_expect(b.failed);
	cr_expect_not(ap_buf_adds(&b, "x"));
	cr_expect_str_eq(b.data, "abcd123");
	ap_buf_free(&b);
}

/* Criterion re-executes the test binary for each worker, so parameters hold no pointers. */
struct esc_case {
	char in[16];
	size_t n;
	char out[40];
};

ParameterizedTestParameters(buf, escaper)
{
	static struct esc_case cases[] = {
		{"plain", 5, "plain"},
		{"a\nb\tc\\", 6, "a\\nb\\tc\\\\"},
		{"\x01\x7f", 2, "\\x01\\x7f"},
		{"\xe4\xb8\xad\xe6\x96\x87", 6, "\xe4\xb8\xad\xe6\x96\x87"}, /* valid UTF-8 passes */
		{"\xc0\x80", 2, "\\xc0\\x80"},                               /* overlong NUL */
		{"\xed\xa0\x80", 3, "\\xed\\xa0\\x80"},                      /* lone surrogate */
		{"x\xe2\x80\xa8y", 5, "x\\u2028y"},
		{"a\0b", 3, "a\\x00b"},
	};
	return cr_make_param_array(struct esc_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct esc_case *tc, buf, escaper)
{
	struct ap_buf b = AP_BUF_INIT;
	ap_buf_add_escaped(&b, tc->in, tc->n, 0);
	cr_expect_str_eq(b.data, tc->out);
	ap_buf_free(&b);
}

Test(buf, escaper_truncates_long_attacker_strings)
{
	struct ap_buf b = AP_BUF_INIT;
	ap_buf_add_escaped(&b, "abcdefgh", 8, 3);
	cr_expect_str_eq(b.data, "abc...");
	ap_buf_free(&b);
}

Test(diag, anomalies_are_capped_and_counted)
{
	struct ap_anomalies list;
	ap_anom_init(&list);
	for (unsigned i = 0; i < AP_MAX_ANOMALIES + 5; i++)
		ap_anom_add(&list, "dex", "classes.dex", i, AP_ERR_RANGE, "index %u", i);
	cr_expect_eq(list.count, AP_MAX_ANOMALIES);
	cr_expect_eq(list.dropped, 5);
	cr_expect(ap_anom_has(&list, "dex", AP_ERR_RANGE));
	cr_expect_not(ap_anom_has(&list, "zip", AP_ERR_RANGE));
	cr_expect_str_eq(list.items[3].what, "index 3");
	ap_anom_free(&list);
}

static unsigned log_lines;
static void count_lines(enum ap_log_level lvl, const char *line, void *ctx)
{
	(void)lvl;
	(void)line;
	(void)ctx;
	log_lines++;
}

/* past the cap an anomaly is counted, not logged: one line says so, whatever the count */
Test(diag, the_log_stops_at_the_cap_with_one_line)
{
	struct ap_anomalies list;
	ap_anom_init(&list);
	log_lines = 0;
	ap_log_set_sink(count_lines, NULL, AP_LOG_WARN);
	for (unsigned i = 0; i < AP_MAX_ANOMALIES + 5000; i++)
		ap_anom_add(&list, "dex", "classes.dex", i, AP_ERR_RANGE, "index %u", i);
	ap_log_set_sink(NULL, NULL, AP_LOG_WARN);
	cr_expect_eq(log_lines, AP_MAX_ANOMALIES + 1);
	cr_expect_eq(list.dropped, 5000);
	ap_anom_free(&list);
}

Test(err, names_are_stable)
{
	cr_expect_str_eq(ap_err_name(AP_ERR_LIMIT), "limit");
	cr_expect_eq(AP_ERR_LIMIT, 6, "error numbers never change");
	cr_expect_str_eq(ap_err_name(9999), "unknown");
}

/* ap_map_file: the bytes ap_read_file gives, mapped; dropped pages read back the same; the
 * cases a mapping cannot serve (empty file, not a regular file) fall back or fail as reading
 * does. */
static char *temp_file(const uint8_t *data, size_t n)
{
	char *path = strdup("/tmp/ap_map_test_XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert(write(fd, data, n) == (ssize_t)n);
	close(fd);
	return path;
}

Test(file, mapping_matches_reading_and_survives_drops)
{
	size_t n = 3 * 4096 + 123;
	uint8_t *data = malloc(n);
	for (size_t i = 0; i < n; i++)
		data[i] = (uint8_t)(i * 131 + 7);
	char *path = temp_file(data, n);
	const uint8_t *p;
	size_t len;
	bool mapped;
	cr_assert_eq(ap_map_file(path, 1u << 20, &p, &len, &mapped), AP_OK);
	cr_assert(mapped, "a regular file is mapped");
	cr_assert_eq(len, n);
	cr_assert(memcmp(p, data, n) == 0);
	ap_file_drop(p, len, mapped, 0, len); /* every page handed back ... */
	cr_assert(memcmp(p, data, n) == 0, "... and read again from the file");
	ap_file_drop(p, len, mapped, 100, 5000);
	cr_assert(memcmp(p, data, n) == 0);
	ap_unmap_file(p, len, mapped);
	cr_assert_eq(ap_map_file(path, n - 1, &p, &len, &mapped), AP_ERR_LIMIT, "cap as reading");
	unlink(path);
	free(path);
	free(data);
}

Test(file, empty_and_special_files_behave_as_reading)
{
	char *path = temp_file((const uint8_t *)"", 0);
	const uint8_t *p;
	uint8_t *q;
	size_t len, qlen;
	bool mapped;
	int rc = ap_map_file(path, 1u << 20, &p, &len, &mapped);
	int rrc = ap_read_file(path, 1u << 20, &q, &qlen);
	cr_assert_eq(rc, rrc, "empty file: map %d, read %d", rc, rrc);
	if (rc == AP_OK) {
		cr_assert_eq(len, 0);
		ap_unmap_file(p, len, mapped);
	}
	if (rrc == AP_OK)
		free(q);
	unlink(path);
	free(path);
	cr_assert_eq(ap_map_file("/nonexistent/apkpriv", 1u << 20, &p, &len, &mapped),
		     ap_read_file("/nonexistent/apkpriv", 1u << 20, &q, &qlen));
	cr_assert_neq(ap_map_file("/tmp", 1u << 20, &p, &len, &mapped), AP_OK, "a directory");
}
