// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/stats.c: the text form of the statistics. */
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <roxpool/stats.h>

struct sink {
	char text[8192];
	size_t len;
	unsigned int lines;
};

static void collect(void *ctx, const char *line)
{
	struct sink *s = ctx;

	assert_null(strchr(line, '\n'));
	s->len += snprintf(s->text + s->len, sizeof(s->text) - s->len, "%s\n",
			   line);
	s->lines++;
}

/* The value of "key: value" in the output, or NULL. */
static const char *value_of(const struct sink *s, const char *key)
{
	static char val[128];
	char pat[128];
	const char *p;

	snprintf(pat, sizeof(pat), "\n%s: ", key);
	p = strstr(s->text, pat);
	if (!p && !strncmp(s->text, pat + 1, strlen(pat + 1)))
		p = s->text - 1;
	if (!p)
		return NULL;
	p += strlen(pat);
	snprintf(val, sizeof(val), "%.*s", (int)strcspn(p, "\n"), p);
	return val;
}

static void test_format(void **state)
{
	struct rp_stats st = {
		.mode = "hook", .reason = "because", .kernel = "6.12.117",
		.enabled = true, .hooks = 3,
		.alloc_by_type = { [RP_EXECMEM_MODULE_TEXT] = 7,
				   [RP_EXECMEM_MODULE_DATA] = 5 },
		.alloc_by_class = { [RP_CLASS_LOADER] = 11,
				    [RP_CLASS_ITS] = 1 },
		.free_by_class = { [RP_CLASS_LOADER] = 4 },
		.free_untracked = 2, .text_rox = 3,
		.pool = { .chunks = 3, .chunks_pmd = 2, .chunks_split = 1,
			  .bytes_allocated = 5 << 20, .largest_free = 4096,
			  .fallbacks = { [RP_FB_STAGING] = 9 } },
	};
	struct sink s = { .len = 0 };
	const char *p;

	(void)state;
	rp_stats_emit(&st, collect, &s);
	assert_string_equal(value_of(&s, "mode"), "hook");
	assert_string_equal(value_of(&s, "reason"), "because");
	assert_string_equal(value_of(&s, "kernel"), "6.12.117");
	assert_string_equal(value_of(&s, "enabled"), "1");
	assert_string_equal(value_of(&s, "hooks"), "3");
	assert_string_equal(value_of(&s, "alloc_total"), "12");
	assert_string_equal(value_of(&s, "alloc_type_module_text"), "7");
	assert_string_equal(value_of(&s, "alloc_type_module_data"), "5");
	assert_string_equal(value_of(&s, "alloc_type_unknown"), "0");
	assert_string_equal(value_of(&s, "alloc_class_loader"), "11");
	assert_string_equal(value_of(&s, "free_class_loader"), "4");
	assert_string_equal(value_of(&s, "live_class_loader"), "7");
	assert_string_equal(value_of(&s, "live_class_its"), "1");
	assert_string_equal(value_of(&s, "free_untracked"), "2");
	assert_string_equal(value_of(&s, "text_rox_calls"), "3");
	assert_null(value_of(&s, "no_such_key"));
	assert_string_equal(value_of(&s, "pool_chunks"), "3");
	assert_string_equal(value_of(&s, "pool_chunks_split"), "1");
	assert_string_equal(value_of(&s, "pool_bytes"), "6291456");
	assert_string_equal(value_of(&s, "pool_bytes_allocated"), "5242880");
	assert_string_equal(value_of(&s, "pool_bytes_free"), "1048576");
	assert_string_equal(value_of(&s, "pool_fallback_no_memory"), "9");
	assert_string_equal(value_of(&s, "pool_fallback_disabled"), "0");
	assert_string_equal(value_of(&s, "pool_chunks_leaked"), "0");

	/* Every line is "key: value" with a key of [a-z_] only. */
	for (p = s.text; *p; p = strchr(p, '\n') + 1) {
		size_t k = strspn(p, "abcdefghijklmnopqrstuvwxyz_");

		assert_true(k > 0);
		assert_memory_equal(p + k, ": ", 2);
	}
	/* 5 header lines, 2 totals, 6 types, 3 x 6 classes, 4 counters,
	 * 27 pool lines.
	 */
	assert_int_equal(s.lines, 5 + 2 + 6 + 18 + 4 + 27);
}

static void test_first_key_is_mode(void **state)
{
	struct rp_stats st = { .mode = "native", .reason = "r", .kernel = "7.3.4" };
	struct sink s = { .len = 0 };

	(void)state;
	rp_stats_emit(&st, collect, &s);
	assert_memory_equal(s.text, "mode: native\n", 13);
	assert_string_equal(value_of(&s, "enabled"), "0");
}

/* One list names the reasons for the statistics and the tracepoint. */
static void test_fallback_names(void **state)
{
	(void)state;
	assert_int_equal(RP_FB_NR, 7);
	assert_string_equal(rp_fallback_name(RP_FB_DISABLED), "disabled");
	assert_string_equal(rp_fallback_name(RP_FB_TOO_LARGE), "too_large");
	assert_string_equal(rp_fallback_name(RP_FB_CHUNK), "no_chunk");
	assert_string_equal(rp_fallback_name(RP_FB_STAGING), "no_memory");
	assert_string_equal(rp_fallback_name(RP_FB_RUN_SPACE), "no_run_space");
	assert_string_equal(rp_fallback_name(RP_FB_RUN_HUGE), "no_huge_page");
	assert_string_equal(rp_fallback_name(RP_FB_RUN_BROKEN), "run_broken");
	assert_string_equal(rp_fallback_name(RP_FB_NR), "?");
}

static void test_null_strings(void **state)
{
	struct rp_stats st = { .mode = "off" };
	struct sink s = { .len = 0 };

	(void)state;
	rp_stats_emit(&st, collect, &s);
	assert_string_equal(value_of(&s, "reason"), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_first_key_is_mode),
		cmocka_unit_test(test_null_strings),
		cmocka_unit_test(test_fallback_names),
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
