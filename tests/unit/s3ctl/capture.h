/* SPDX-License-Identifier: GPL-2.0 */
/* Capturing what s3ctl writes to its output and error streams. */
#ifndef S3CTL_TEST_CAPTURE_H
#define S3CTL_TEST_CAPTURE_H

#include <stdio.h>
#include <stdlib.h>

struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

static inline FILE *capture_start(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	if (!c->f)
		abort();
	return c->f;
}

/* What was written; valid until capture_free(). */
static inline const char *capture_text(struct capture *c)
{
	fflush(c->f);
	return c->buf;
}

static inline void capture_free(struct capture *c)
{
	fclose(c->f);
	free(c->buf);
}

#endif /* S3CTL_TEST_CAPTURE_H */
