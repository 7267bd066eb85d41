// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/policy.c (mode choice) and src/parse.c (the strict
 * toggle parser, release and fault parsing), and agreement of dkms.conf
 * with the declared kernel range.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdlib.h>
#include <cmocka.h>

#include <roxpool/parse.h>
#include <roxpool/policy.h>

/*
 * A sign of a ROX cache other than execmem_is_rox() (a backport that
 * inlined or renamed it) stands roxpool down as execmem_is_rox() does,
 * before any check of what hooking would need.
 */
static void test_rox_code_stands_down(void **state)
{
	static const char *const signs[] = {
		"CONFIG_ARCH_HAS_EXECMEM_ROX", "execmem_fill_trapping_insns",
		"execmem_cache_free",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(signs) / sizeof(signs[0]); i++) {
		struct rp_kernel_facts f = {
			.version = RP_KVER(6, 12, 0),
			.strict_module_rwx = true,
			.pmd_mappings = true,
			.loader_found = true,
			.release = "6.12.0-160000.5-default",
			.rox_code = signs[i],
		};
		const char *reason = NULL;

		assert_int_equal(rp_policy_mode(&f, &reason), RP_MODE_NATIVE);
		assert_non_null(strstr(reason, "ROX cache"));
		/* Even where nothing else would let roxpool hook. */
		f.missing_symbol = "text_mutex";
		f.loader_found = false;
		f.version = RP_KVER(7, 3, 4);
		assert_int_equal(rp_policy_mode(&f, &reason), RP_MODE_NATIVE);
	}
}

static void test_mode_table(void **state)
{
	static const struct {
		unsigned int version;
		bool strict, pse, native, untested_ok;
		enum rp_mode want;
	} cases[] = {
		{ RP_KVER(6, 12, 117), true, true, false, false, RP_MODE_HOOK },
		{ RP_KVER(6, 12, 0), true, true, false, false, RP_MODE_HOOK },
		{ RP_KVER(6, 12, 255), true, true, false, false, RP_MODE_HOOK },
		/* Outside the tested series only when asked for. */
		{ RP_KVER(6, 10, 0), true, true, false, false, RP_MODE_OFF },
		{ RP_KVER(6, 10, 0), true, true, false, true, RP_MODE_HOOK },
		{ RP_KVER(6, 14, 11), true, true, false, false, RP_MODE_OFF },
		{ RP_KVER(6, 14, 11), true, true, false, true, RP_MODE_HOOK },
		{ RP_KVER(6, 9, 12), true, true, false, true, RP_MODE_OFF },
		{ RP_KVER(6, 1, 192), true, true, false, true, RP_MODE_OFF },
		{ RP_KVER(6, 15, 0), true, true, false, true, RP_MODE_OFF },
		{ RP_KVER(7, 3, 4), true, true, true, false, RP_MODE_NATIVE },
		{ RP_KVER(7, 3, 4), false, true, false, true, RP_MODE_OFF },
		{ RP_KVER(6, 12, 117), false, true, false, false, RP_MODE_OFF },
		{ RP_KVER(6, 12, 117), true, false, false, false, RP_MODE_OFF },
		/* Native wins even on a kernel roxpool could hook. */
		{ RP_KVER(6, 12, 117), true, true, true, false, RP_MODE_NATIVE },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rp_kernel_facts f = {
			.version = cases[i].version,
			.strict_module_rwx = cases[i].strict,
			.pmd_mappings = cases[i].pse,
			.native_rox = cases[i].native,
			.allow_untested = cases[i].untested_ok,
			.loader_found = true,
			.release = "6.12.117+deb13-amd64",
		};
		const char *reason = NULL;

		assert_int_equal(rp_policy_mode(&f, &reason), cases[i].want);
		assert_non_null(reason);
		assert_true(strlen(reason) > 0);
	}
	assert_string_equal(rp_mode_name(RP_MODE_HOOK), "hook");
	assert_string_equal(rp_mode_name(RP_MODE_NATIVE), "native");
	assert_string_equal(rp_mode_name(RP_MODE_OFF), "off");
	assert_string_equal(rp_mode_name((enum rp_mode)3), "?");
}

/* Each fact that makes pooling unsafe turns hook mode off, with its reason. */
static void test_mode_refusals(void **state)
{
	static const struct {
		struct rp_kernel_facts f;
		const char *word;
	} cases[] = {
		{ { .lto = true, .loader_found = true }, "LTO" },
		{ { .kasan_no_vmalloc = true, .loader_found = true }, "KASAN_VMALLOC" },
		{ { .missing_symbol = "text_mutex", .loader_found = true }, "KALLSYMS_ALL" },
		{ { .loader_found = false }, "loader" },
		{ { .loader_found = true, .version = RP_KVER(6, 13, 1) }, "allow_untested=1" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rp_kernel_facts f = cases[i].f;
		const char *reason = NULL;

		if (!f.version)
			f.version = RP_KVER(6, 12, 117);
		f.strict_module_rwx = true;
		f.pmd_mappings = true;
		assert_int_equal(rp_policy_mode(&f, &reason), RP_MODE_OFF);
		assert_non_null(strstr(reason, cases[i].word));
		/* Opting in to an untested series overrides none of these. */
		f.allow_untested = true;
		if (f.version >> 8 == RP_KVER(6, 12, 0) >> 8)
			assert_int_equal(rp_policy_mode(&f, &reason), RP_MODE_OFF);
	}
}

/* Facts of a kernel on which every runtime check passes. */
static struct rp_kernel_facts good_facts(const char *release)
{
	struct rp_kernel_facts f = { .strict_module_rwx = true, .pmd_mappings = true,
				     .loader_found = true, .release = release };

	assert_int_equal(rp_parse_release(release, &f.version), 0);
	return f;
}

/*
 * The decision on a 6.12 release the matrix does not hold: it pools (every
 * runtime check passed), the reason says "untested point release", and the
 * caller is told to warn.  A release is tested by its exact uname -r, not
 * by a sublevel range.
 */
static void test_untested_release(void **state)
{
	static const char *const untested[] = {
		"6.12.999+deb12-amd64",		/* the next Debian point */
		"6.12.112+deb13-amd64",		/* between two pinned ones */
		"6.12.0-55.24.1.el10_0.x86_64",	/* RHEL 10.0 */
		"6.12.117",			/* a plain build of a pinned point */
		"6.12.117+deb13-amd64-custom",	/* a prefix of a tested one */
		"6.12.117+deb13",
		"6.12.117+deb13-rt-amd64 ",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(untested) / sizeof(untested[0]); i++) {
		struct rp_kernel_facts f = good_facts(untested[i]);
		const char *reason = NULL;
		enum rp_mode mode = rp_policy_mode(&f, &reason);

		assert_false(rp_release_tested(untested[i]));
		assert_int_equal(mode, RP_MODE_HOOK);
		assert_string_equal(reason, "module text allocations are hooked; untested point release");
		assert_true(rp_policy_untested(&f, mode));
	}
	/* A runtime check that fails still turns it off, and nobody warns. */
	{
		struct rp_kernel_facts f = good_facts(untested[0]);
		const char *reason = NULL;
		enum rp_mode mode;

		f.loader_found = false;
		mode = rp_policy_mode(&f, &reason);
		assert_int_equal(mode, RP_MODE_OFF);
		assert_false(rp_policy_untested(&f, mode));
	}
	/* Another series with allow_untested=1 pools, and says and warns so. */
	{
		struct rp_kernel_facts f = good_facts("6.14.11-300.fc42.x86_64");
		const char *reason = NULL;
		enum rp_mode mode;

		f.allow_untested = true;
		mode = rp_policy_mode(&f, &reason);
		assert_int_equal(mode, RP_MODE_HOOK);
		assert_non_null(strstr(reason, "untested series"));
		assert_true(rp_policy_untested(&f, mode));
	}
	assert_false(rp_release_tested(NULL));
	assert_false(rp_release_tested(""));
}

/*
 * docs/kernels.md's table of tested releases ("| uname -r | ..." rows): each
 * is tested; returns the number of rows.
 */
static unsigned int docs_tested_rows(void)
{
	FILE *f = fopen(RP_TOP "/docs/kernels.md", "r");
	char line[512], rel[160];
	unsigned int rows = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		size_t n;

		if (strncmp(line, "| ", 2) || sscanf(line + 2, "%159s", rel) != 1)
			continue;
		n = strlen(rel);
		if (n < 6 || strcmp(rel + n - 6, "-amd64") || !strchr(rel, '.'))
			continue;
		if (!rp_release_tested(rel))
			fail_msg("docs/kernels.md lists %s, which kernels.conf does not test", rel);
		rows++;
	}
	fclose(f);
	return rows;
}

/*
 * The tested set is generated from scripts/kernels.conf (Kbuild, and this
 * Makefile, run scripts/tested-releases.awk): read the matrix here on its
 * own and check that every pinned hook kernel of the check and extra lanes
 * is tested, as VERSION-amd64, and nothing else is; docs/kernels.md's table
 * lists exactly these.
 */
static void test_tested_set_follows_matrix(void **state)
{
	FILE *f = fopen(RP_TOP "/scripts/kernels.conf", "r");
	char line[512], ver[128], suite[64], tc[64], mode[16], lane[16], rel[160];
	unsigned int tested = 0, seen = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		struct rp_kernel_facts facts;
		const char *reason = NULL;
		bool want;

		line[strcspn(line, "#")] = '\0';
		if (sscanf(line, "%127s %63s %63s %15s %15s", ver, suite, tc, mode, lane) != 5)
			continue;
		seen++;
		snprintf(rel, sizeof(rel), "%s-amd64", ver);
		want = !strcmp(mode, "hook") && !strstr(ver, "newest") &&
		       (!strcmp(lane, "check") || !strcmp(lane, "extra"));
		if (rp_release_tested(rel) != want)
			fail_msg("%s: tested is %d, kernels.conf says %d", rel, !want, want);
		if (!want)
			continue;
		tested++;
		facts = good_facts(rel);
		assert_int_equal(rp_policy_mode(&facts, &reason), RP_MODE_HOOK);
		assert_string_equal(reason, "module text allocations are hooked");
		assert_false(rp_policy_untested(&facts, RP_MODE_HOOK));
	}
	fclose(f);
	assert_true(seen > 0);
	assert_int_equal(docs_tested_rows(), tested);
	/* Debian 12's and 13's kernels at least. */
	assert_true(tested >= 2);
	assert_true(rp_release_tested("6.12.118+deb12-amd64"));
	assert_true(rp_release_tested("6.12.117+deb13-amd64"));
}

static void test_bool_accepts(void **state)
{
	static const struct {
		const char *s;
		bool want;
	} ok[] = {
		{ "1", true }, { "1\n", true }, { "y", true }, { "Y", true },
		{ "yes", true }, { "YES\n", true }, { "on", true },
		{ "On", true }, { "true", true }, { "True\n", true },
		{ "0", false }, { "0\n", false }, { "n", false },
		{ "N", false }, { "no", false }, { "off", false },
		{ "OFF\n", false }, { "false", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		bool v = !ok[i].want;

		assert_int_equal(rp_parse_bool(ok[i].s, &v), 0);
		assert_int_equal(v, ok[i].want);
	}
}

static void test_bool_rejects(void **state)
{
	static const char *const bad[] = {
		"", "\n", " ", " 1", "1 ", "1\n\n", "\t0", "2", "-1", "10",
		"yes please", "yesno", "o", "of", "onn", "t", "f", "nope",
		"1x", "y\n1",
	};
	char *huge;
	size_t i;
	bool v;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = true;
		assert_int_equal(rp_parse_bool(bad[i], &v), -EINVAL);
		assert_true(v);		/* unchanged */
		v = false;
		assert_int_equal(rp_parse_bool(bad[i], &v), -EINVAL);
		assert_false(v);
	}
	assert_int_equal(rp_parse_bool(NULL, &v), -EINVAL);

	huge = malloc(4097);
	assert_non_null(huge);
	memset(huge, '1', 4096);
	huge[4096] = '\0';
	assert_int_equal(rp_parse_bool(huge, &v), -EINVAL);
	free(huge);
}

static void test_release(void **state)
{
	static const struct {
		const char *s;
		unsigned int want;
	} ok[] = {
		{ "6.12.117+deb13-amd64", RP_KVER(6, 12, 117) },
		{ "6.12.117+deb12-amd64", RP_KVER(6, 12, 117) },
		{ "7.3.4+deb13-amd64", RP_KVER(7, 3, 4) },
		{ "6.10.0", RP_KVER(6, 10, 0) },
		{ "7.3-rc7", RP_KVER(7, 3, 0) },
		{ "6.1.300", RP_KVER(6, 1, 255) },
	};
	static const char *const bad[] = { "", "6", "6.", "x.1", ".12", "6.x" };
	unsigned int v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(rp_parse_release(ok[i].s, &v), 0);
		assert_int_equal(v, ok[i].want);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(rp_parse_release(bad[i], &v), -EINVAL);
}

static void test_faults(void **state)
{
	static const struct {
		const char *s;
		unsigned int want;
	} ok[] = {
		{ "none", 0 }, { "none\n", 0 }, { "chunk", RP_FAULT_CHUNK },
		{ "staging\n", RP_FAULT_STAGING },
		{ "collapse", RP_FAULT_COLLAPSE },
		{ "chunk,collapse", RP_FAULT_CHUNK | RP_FAULT_COLLAPSE },
		{ "collapse,staging,chunk",
		  RP_FAULT_CHUNK | RP_FAULT_STAGING | RP_FAULT_COLLAPSE },
		{ "cpa", RP_FAULT_CPA },
		{ "run", RP_FAULT_RUN },
		{ "cpa,collapse,staging,chunk", RP_FAULT_ALL & ~RP_FAULT_RUN },
		{ "run,cpa,collapse,staging,chunk", RP_FAULT_ALL },
		{ "chunk,chunk", RP_FAULT_CHUNK },
	};
	static const char *const bad[] = {
		"", "\n", " chunk", "chunk ", "chunk,", ",chunk", "chunk,,staging",
		"Chunk", "nonee", "none,chunk", "all", "1",
	};
	char buf[64];
	unsigned int m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		m = 99;
		assert_int_equal(rp_parse_faults(ok[i].s, &m), 0);
		assert_int_equal(m, ok[i].want);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m = 99;
		assert_int_equal(rp_parse_faults(bad[i], &m), -EINVAL);
		assert_int_equal(m, 99);
	}
	assert_int_equal(rp_parse_faults(NULL, &m), -EINVAL);
	/* What is printed parses back to the same mask. */
	for (m = 0; m <= RP_FAULT_ALL; m++) {
		unsigned int back = 99;

		rp_format_faults(m, buf, sizeof(buf));
		assert_int_equal(rp_parse_faults(buf, &back), 0);
		assert_int_equal(back, m);
	}
	rp_format_faults(RP_FAULT_ALL, buf, sizeof(buf));
	assert_string_equal(buf, "chunk,staging,collapse,cpa,run");
	rp_format_faults(RP_FAULT_ALL, buf, 8);
	assert_string_equal(buf, "chunk,s");
}

/* The value of KEY="..." in dkms.conf. */
static char *dkms_conf_value(const char *key)
{
	char line[512], *val = NULL;
	FILE *f = fopen(RP_TOP "/dkms.conf", "r");
	size_t klen = strlen(key);

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *end;

		if (strncmp(line, key, klen) || line[klen] != '=' ||
		    line[klen + 1] != '"')
			continue;
		end = strrchr(line, '"');
		*end = '\0';
		val = strdup(line + klen + 2);
	}
	fclose(f);
	assert_non_null(val);
	return val;
}

/*
 * DKMS cannot read policy.h, so its BUILD_EXCLUSIVE_KERNEL pattern repeats
 * the minimum version: make sure both agree on every interesting release.
 */
static void test_dkms_range(void **state)
{
	static const char *const releases[] = {
		"5.15.0-100-generic", "6.1.0-31-amd64", "6.1.192", "6.6.58",
		"6.9.12", "6.10.0", "6.10.14-amd64", "6.11.0-19-generic",
		"6.12.117+deb13-amd64", "6.14.0-27-generic", "6.15.2",
		"6.19.1", "7.0.0-27-generic", "7.3.4+deb13-amd64", "8.1.0",
		"10.2.3", "16.0.0",
	};
	char *pattern = dkms_conf_value("BUILD_EXCLUSIVE_KERNEL");
	unsigned int min = RP_KVER(RP_KERNEL_MIN_VERSION,
				   RP_KERNEL_MIN_PATCHLEVEL, 0);
	regex_t re;
	size_t i;

	(void)state;
	assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
	for (i = 0; i < sizeof(releases) / sizeof(releases[0]); i++) {
		unsigned int v;
		bool matches = !regexec(&re, releases[i], 0, NULL, 0);

		assert_int_equal(rp_parse_release(releases[i], &v), 0);
		if (matches != (v >= min))
			fail_msg("dkms.conf and policy.h disagree on %s",
				 releases[i]);
	}
	regfree(&re);
	free(pattern);
}

/* dkms.conf's PACKAGE_VERSION is the VERSION file, which the module reports. */
static void test_dkms_version(void **state)
{
	char *dkms = dkms_conf_value("PACKAGE_VERSION");
	char ver[64] = "";
	FILE *f = fopen(RP_TOP "/VERSION", "r");

	(void)state;
	assert_non_null(f);
	assert_non_null(fgets(ver, sizeof(ver), f));
	fclose(f);
	ver[strcspn(ver, "\n")] = '\0';
	assert_string_equal(dkms, ver);
	free(dkms);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mode_table),
		cmocka_unit_test(test_rox_code_stands_down),
		cmocka_unit_test(test_untested_release),
		cmocka_unit_test(test_tested_set_follows_matrix),
		cmocka_unit_test(test_bool_accepts),
		cmocka_unit_test(test_bool_rejects),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_mode_refusals),
		cmocka_unit_test(test_dkms_range),
		cmocka_unit_test(test_dkms_version),
	};

	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
