// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/classify.c: who an execmem allocation is for. */
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <cmocka.h>

#include <roxpool/classify.h>

static const struct rp_caller callers[] = {
	{ 0x1000, 0x1800, RP_CLASS_LOADER },	/* load_module */
	{ 0x2000, 0x2100, RP_CLASS_ITS },	/* apply_retpolines */
	{ 0x3000, 0x3040, RP_CLASS_KPROBES },
};

static void test_by_caller(void **state)
{
	(void)state;
	assert_int_equal(rp_classify(callers, 3, 0x1000, 0), RP_CLASS_LOADER);
	assert_int_equal(rp_classify(callers, 3, 0x17ff, 4), RP_CLASS_LOADER);
	/* The range end is exclusive. */
	assert_int_equal(rp_classify(callers, 3, 0x1800, 0), RP_CLASS_OTHER);
	/* ITS asks for module text too, but must never look like the loader. */
	assert_int_equal(rp_classify(callers, 3, 0x2080, RP_EXECMEM_MODULE_TEXT),
			 RP_CLASS_ITS);
	/* The caller wins over the type. */
	assert_int_equal(rp_classify(callers, 3, 0x3010, RP_EXECMEM_BPF),
			 RP_CLASS_KPROBES);
}

static void test_by_type(void **state)
{
	(void)state;
	assert_int_equal(rp_classify(callers, 3, 0x9000, RP_EXECMEM_KPROBES),
			 RP_CLASS_KPROBES);
	assert_int_equal(rp_classify(callers, 3, 0x9000, RP_EXECMEM_FTRACE),
			 RP_CLASS_FTRACE);
	assert_int_equal(rp_classify(callers, 3, 0x9000, RP_EXECMEM_BPF),
			 RP_CLASS_BPF);
	assert_int_equal(rp_classify(callers, 3, 0x9000,
				     RP_EXECMEM_MODULE_TEXT), RP_CLASS_OTHER);
	assert_int_equal(rp_classify(callers, 3, 0x9000, 77), RP_CLASS_OTHER);
	assert_int_equal(rp_classify(NULL, 0, 0x1000, 0), RP_CLASS_OTHER);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(rp_class_name(RP_CLASS_LOADER), "loader");
	assert_string_equal(rp_class_name(RP_CLASS_OTHER), "other");
	assert_string_equal(rp_class_name(RP_CLASS_NR), "?");
	assert_string_equal(rp_type_name(RP_EXECMEM_MODULE_TEXT),
			    "module_text");
	assert_string_equal(rp_type_name(RP_EXECMEM_MODULE_DATA),
			    "module_data");
	assert_string_equal(rp_type_name(1234), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_caller),
		cmocka_unit_test(test_by_type),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("classify", tests, NULL, NULL);
}
