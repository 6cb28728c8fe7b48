// SPDX-License-Identifier: GPL-2.0
/*
 * Human and JSON output (see output.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

void s3ctl_record_init(struct s3ctl_record *r, bool json)
{
	memset(r, 0, sizeof(*r));
	r->json = json;
	if (json) {
		r->obj = json_object();
		r->oom = !r->obj;
	}
}

static void s3ctl_record_json(struct s3ctl_record *r, const char *key,
			      json_t *val)
{
	/* json_object_set_new() takes @val even when it fails. */
	if (!r->obj || !val || json_object_set_new(r->obj, key, val))
		r->oom = true;
}

static void s3ctl_record_text(struct s3ctl_record *r, const char *label,
			      const char *text)
{
	char *copy;

	if (r->n == S3CTL_RECORD_MAX) {
		r->oom = true;
		return;
	}
	copy = strdup(text);
	if (!copy) {
		r->oom = true;
		return;
	}
	r->field[r->n].label = label;
	r->field[r->n].text = copy;
	r->n++;
}

void s3ctl_record_str(struct s3ctl_record *r, const char *key,
		      const char *label, const char *val)
{
	if (r->json)
		s3ctl_record_json(r, key, val ? s3ctl_json_string(val) :
						json_null());
	else if (val)
		s3ctl_record_text(r, label, val);
}

static json_t *s3ctl_json_u64(uint64_t val)
{
	char buf[24];

	if (val <= INT64_MAX)
		return json_integer((json_int_t)val);
	/* Past json_int_t: a string keeps every digit. */
	snprintf(buf, sizeof(buf), "%" PRIu64, val);
	return json_string(buf);
}

void s3ctl_record_u64_text(struct s3ctl_record *r, const char *key,
			   const char *label, uint64_t val, const char *text)
{
	if (r->json)
		s3ctl_record_json(r, key, s3ctl_json_u64(val));
	else
		s3ctl_record_text(r, label, text);
}

void s3ctl_record_u64(struct s3ctl_record *r, const char *key,
		      const char *label, uint64_t val)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, val);
	s3ctl_record_u64_text(r, key, label, val, buf);
}

void s3ctl_record_free(struct s3ctl_record *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->field[i].text);
	r->n = 0;
	json_decref(r->obj);
	r->obj = NULL;
}

int s3ctl_record_print(struct s3ctl_record *r, FILE *f)
{
	size_t i, width = 0;
	int ret = 0;

	if (r->oom) {
		ret = -ENOMEM;
		goto out;
	}
	if (r->json) {
		if (json_dumpf(r->obj, f, JSON_COMPACT) == 0)
			fputc('\n', f);
		else
			ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < r->n; i++)
		if (strlen(r->field[i].label) > width)
			width = strlen(r->field[i].label);
	for (i = 0; i < r->n; i++) {
		fprintf(f, "%s:%*s", r->field[i].label,
			(int)(width - strlen(r->field[i].label) + 1), "");
		s3ctl_print_text(f, r->field[i].text);
		fputc('\n', f);
	}
out:
	s3ctl_record_free(r);
	return ret;
}

json_t *s3ctl_json_string(const char *s)
{
	json_t *j = json_string(s);
	char *copy;
	size_t i;

	if (j)
		return j;
	copy = strdup(s);
	if (!copy)
		return NULL;
	for (i = 0; copy[i]; i++)
		if ((unsigned char)copy[i] >= 0x80)
			copy[i] = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

void s3ctl_print_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

void s3ctl_format_duration(char *buf, size_t len, uint64_t ms)
{
	uint64_t s = ms / 1000;
	uint64_t d = s / 86400, h = s / 3600 % 24, m = s / 60 % 60;

	s %= 60;
	if (d)
		snprintf(buf, len, "%" PRIu64 "d %" PRIu64 "h %" PRIu64 "m %" PRIu64 "s",
			 d, h, m, s);
	else if (h)
		snprintf(buf, len, "%" PRIu64 "h %" PRIu64 "m %" PRIu64 "s", h, m, s);
	else if (m)
		snprintf(buf, len, "%" PRIu64 "m %" PRIu64 "s", m, s);
	else
		snprintf(buf, len, "%" PRIu64 "s", s);
}
