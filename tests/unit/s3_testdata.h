/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the s3 unit tests: the SigV4/S3 vectors in tests/data (a copy
 * of the shared testdata folder, see tests/data/README.md), found from this
 * file's own path so any checkout runs its own copy.
 */
#ifndef KS3_S3_TESTDATA_H
#define KS3_S3_TESTDATA_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The path of tests/data/@rel into @buf. */
static __maybe_unused void td_path(char *buf, size_t size, const char *rel)
{
	const char *self = __FILE__;
	const char *cut = strstr(self, "tests/unit/");

	snprintf(buf, size, "%.*stests/data/%s",
		 cut ? (int)(cut - self) : 0, self, rel);
}

/* tests/data/@rel read whole into a malloc'd NUL-terminated buffer, or NULL. */
static __maybe_unused char *td_read(const char *rel, size_t *len)
{
	char path[4096];
	char *buf;
	long n;
	FILE *f;

	td_path(path, sizeof(path), rel);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (!buf)
		return NULL;
	buf[n] = '\0';
	if (len)
		*len = (size_t)n;
	return buf;
}

/* Like td_read() with a trailing newline (and CR) stripped. */
static __maybe_unused char *td_read_line(const char *rel)
{
	size_t n;
	char *s = td_read(rel, &n);

	while (s && n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

#endif /* KS3_S3_TESTDATA_H */
