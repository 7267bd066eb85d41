// SPDX-License-Identifier: GPL-2.0
/*
 * Parsers for what users and tests write: the sysfs toggle, the kernel
 * release string, the test build's fault_inject parameter.
 *
 * No kernel needed: this file is also built by the user-space unit tests.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include <roxpool/parse.h>
#include <roxpool/policy.h>

static const struct {
	const char *word;
	bool value;
} rp_bool_words[] = {
	{ "1", true }, { "y", true }, { "yes", true }, { "on", true },
	{ "true", true },
	{ "0", false }, { "n", false }, { "no", false }, { "off", false },
	{ "false", false },
};

/**
 * rp_parse_bool() - strict parser for the sysfs toggle
 * @s: the written string; one trailing newline (as echo adds) is allowed
 * @res: where the value goes; untouched on error
 *
 * kstrtobool() looks only at the first characters, so it takes "yes please"
 * or "1x" as true.  A toggle that changes the state of every later module load
 * must not guess: accept exactly 1/0, y/n, yes/no, on/off, true/false in any
 * case, and nothing else (no empty string, no other white space).
 *
 * Return: 0 on success, -EINVAL for anything else.
 */
int rp_parse_bool(const char *s, bool *res)
{
	size_t len, i;

	if (!s)
		return -EINVAL;
	len = strlen(s);
	if (len && s[len - 1] == '\n')
		len--;
	for (i = 0; i < ARRAY_SIZE(rp_bool_words); i++) {
		const char *w = rp_bool_words[i].word;

		if (strlen(w) == len && !strncasecmp(s, w, len)) {
			*res = rp_bool_words[i].value;
			return 0;
		}
	}
	return -EINVAL;
}

static const char *rp_parse_number(const char *s, unsigned int *n)
{
	unsigned int v = 0;

	if (*s < '0' || *s > '9')
		return NULL;
	while (*s >= '0' && *s <= '9') {
		if (v > 100000)
			return NULL;
		v = v * 10 + (*s++ - '0');
	}
	*n = v;
	return s;
}

/**
 * rp_parse_release() - version of a kernel from its release string
 * @release: utsname release, e.g. "6.12.117+deb13-amd64" or "7.3-rc7"
 * @version: set to RP_KVER(major, minor, patch); a patch level above 255 is
 *	taken as 255, as the kernel's own LINUX_VERSION_CODE does since 4.9
 *
 * Return: 0, or -EINVAL if @release does not start with major.minor.
 */
int rp_parse_release(const char *release, unsigned int *version)
{
	unsigned int major, minor, patch = 0;
	const char *s = release;

	s = rp_parse_number(s, &major);
	if (!s || *s++ != '.')
		return -EINVAL;
	s = rp_parse_number(s, &minor);
	if (!s || major > 255 || minor > 255)
		return -EINVAL;
	if (*s == '.' && !rp_parse_number(s + 1, &patch))
		return -EINVAL;
	*version = RP_KVER(major, minor, patch > 255 ? 255 : patch);
	return 0;
}

static const struct {
	const char *name;
	unsigned int bit;
} rp_fault_names[] = {
	{ "chunk", RP_FAULT_CHUNK },
	{ "staging", RP_FAULT_STAGING },
	{ "collapse", RP_FAULT_COLLAPSE },
	{ "cpa", RP_FAULT_CPA },
	{ "run", RP_FAULT_RUN },
};

/**
 * rp_parse_faults() - parse the fault_inject parameter
 * @s: "none", or fault names joined by commas ("chunk,collapse"); one
 *	trailing newline is allowed
 * @mask: set to the RP_FAULT_* bits; untouched on error
 *
 * Return: 0, or -EINVAL for an empty string, an unknown or empty name.
 */
int rp_parse_faults(const char *s, unsigned int *mask)
{
	unsigned int bits = 0, i;
	size_t len, n;

	if (!s)
		return -EINVAL;
	len = strlen(s);
	if (len && s[len - 1] == '\n')
		len--;
	if (len == 4 && !strncmp(s, "none", 4)) {
		*mask = 0;
		return 0;
	}
	while (len) {
		for (n = 0; n < len && s[n] != ','; n++)
			;
		for (i = 0; i < ARRAY_SIZE(rp_fault_names); i++)
			if (strlen(rp_fault_names[i].name) == n &&
			    !strncmp(s, rp_fault_names[i].name, n))
				break;
		if (i == ARRAY_SIZE(rp_fault_names))
			return -EINVAL;
		bits |= rp_fault_names[i].bit;
		if (n == len)
			break;
		/* Skip the comma; a trailing one leaves an empty name. */
		s += n + 1;
		len -= n + 1;
		if (!len)
			return -EINVAL;
	}
	if (!bits)
		return -EINVAL;
	*mask = bits;
	return 0;
}

/**
 * rp_format_faults() - the armed faults as rp_parse_faults() reads them
 * @mask: RP_FAULT_* bits
 * @buf: output
 * @size: size of @buf
 *
 * Return: the length written, as snprintf() counts it.
 */
int rp_format_faults(unsigned int mask, char *buf, size_t size)
{
	int len = 0;
	unsigned int i;

	if (!mask)
		return snprintf(buf, size, "none");
	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(rp_fault_names); i++) {
		if (!(mask & rp_fault_names[i].bit))
			continue;
		if (len >= (int)size)
			break;
		len += snprintf(buf + len, size - len, "%s%s", len ? "," : "",
				rp_fault_names[i].name);
	}
	return len;
}
