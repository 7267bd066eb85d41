/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Enum values to names: the one way roxpool does it.  Each enum with a text
 * form has a table of names indexed by value (designated initialisers);
 * rp_name() looks a value up and answers "?" outside the table.
 *
 * Needs no kernel; built into the module and the user-space unit tests.
 */
#ifndef ROXPOOL_NAME_H
#define ROXPOOL_NAME_H

#include <linux/types.h>

/**
 * rp_name() - the name of an enum value
 * @names: the enum's table of names, by value
 * @n: entries in @names (ARRAY_SIZE())
 * @value: the value
 *
 * Return: @names[@value], or "?" if @value is outside the table or has no
 * name.
 */
static inline const char *rp_name(const char *const *names, size_t n,
				  unsigned int value)
{
	return value < n && names[value] ? names[value] : "?";
}

#endif /* ROXPOOL_NAME_H */
