// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: module/storage/bucket_name.c. The input is a candidate
 * name of any length and content. Checked on every input:
 * - the validator reads only its @len bytes (the name sits in a heap block
 *   of exactly that size, so ASan reports any read past it);
 * - it agrees with an independent, literal reading of the S3 rules below,
 *   both on valid/invalid and, for invalid names, on which rule is broken;
 * - an accepted name is 3..63 bytes of [a-z0-9.-];
 * - the answer does not depend on what follows the name in memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "storage/bucket_name.c"

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "bucket_name fuzz: %s failed at %s:%d\n", \
			#cond, __FILE__, __LINE__);			\
		abort();						\
	}								\
} while (0)

enum rule { OK, LENGTH, CHARS, DOTS, ENDS, IPV4, PREFIX, SUFFIX };

static bool ref_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool ref_ends_with(const unsigned char *s, size_t len, const char *sfx)
{
	size_t n = strlen(sfx);

	return len >= n && !memcmp(s + len - n, sfx, n);
}

/* Split on dots: four fields, each 1-3 decimal digits. */
static bool ref_ipv4(const unsigned char *s, size_t len)
{
	size_t start = 0, i, fields = 0;

	for (i = 0; i <= len; i++) {
		size_t j;

		if (i < len && s[i] != '.')
			continue;
		if (i - start < 1 || i - start > 3)
			return false;
		for (j = start; j < i; j++)
			if (s[j] < '0' || s[j] > '9')
				return false;
		fields++;
		start = i + 1;
	}
	return fields == 4;
}

/* The rules in the order the validator reports them. */
static enum rule ref_rule(const unsigned char *s, size_t len)
{
	static const char *const prefixes[] = {
		"xn--", "sthree-", "amzn-s3-demo-",
	};
	static const char *const suffixes[] = {
		"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3",
	};
	size_t i;

	if (len < 3 || len > 63)
		return LENGTH;
	for (i = 0; i < len; i++) {
		if (!ref_alnum(s[i]) && s[i] != '.' && s[i] != '-')
			return CHARS;
		if (i > 0 && s[i] == '.' && s[i - 1] == '.')
			return DOTS;
	}
	if (!ref_alnum(s[0]) || !ref_alnum(s[len - 1]))
		return ENDS;
	if (ref_ipv4(s, len))
		return IPV4;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (len >= strlen(prefixes[i]) &&
		    !memcmp(s, prefixes[i], strlen(prefixes[i])))
			return PREFIX;
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (ref_ends_with(s, len, suffixes[i]))
			return SUFFIX;
	return OK;
}

static enum rule rule_of(const char *reason)
{
	static const struct {
		const char *word;
		enum rule rule;
	} words[] = {
		{ "between 3 and 63", LENGTH }, { "contain only", CHARS },
		{ "adjacent dots", DOTS }, { "begin and end", ENDS },
		{ "IP address", IPV4 }, { "reserved prefix", PREFIX },
		{ "reserved suffix", SUFFIX },
	};
	size_t i;

	if (!reason)
		return OK;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(reason, words[i].word))
			return words[i].rule;
	FUZZ_CHECK(!"reason names no known rule");
	return OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *name = malloc(size ? size : 1);
	char *padded = malloc(size + 1);
	const char *reason, *again;
	size_t i;

	FUZZ_CHECK(name && padded);
	memcpy(name, data, size);
	reason = ks3_bucket_name_problem(name, size);

	FUZZ_CHECK(rule_of(reason) == ref_rule(data, size));
	if (!reason) {
		FUZZ_CHECK(size >= KS3_BUCKET_NAME_MIN &&
			   size <= KS3_BUCKET_NAME_MAX);
		for (i = 0; i < size; i++)
			FUZZ_CHECK(ref_alnum(data[i]) || data[i] == '.' ||
				   data[i] == '-');
	} else {
		FUZZ_CHECK(strlen(reason) > 0 && !strchr(reason, '\n'));
	}

	/* A following byte that is valid or not changes nothing. */
	memcpy(padded, data, size);
	padded[size] = size % 2 ? 'a' : '_';
	again = ks3_bucket_name_problem(padded, size);
	FUZZ_CHECK(again == reason);

	free(padded);
	free(name);
	return 0;
}
