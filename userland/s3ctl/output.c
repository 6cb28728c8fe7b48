// SPDX-License-Identifier: GPL-2.0
/*
 * Human and JSON output (see output.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	if (!key) {
		json_decref(val);
		return;
	}
	/* json_object_set_new() takes @val even when it fails. */
	if (!r->obj || !val || json_object_set_new(r->obj, key, val))
		r->oom = true;
}

static void s3ctl_record_text(struct s3ctl_record *r, const char *label,
			      const char *text)
{
	char *copy;

	if (!label)
		return;
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

json_t *s3ctl_json_u64(uint64_t val)
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

void s3ctl_record_bool(struct s3ctl_record *r, const char *key,
		       const char *label, bool val)
{
	if (r->json)
		s3ctl_record_json(r, key, json_boolean(val));
	else
		s3ctl_record_text(r, label, val ? "yes" : "no");
}

void s3ctl_record_json_text(struct s3ctl_record *r, const char *key,
			    const char *label, json_t *val, const char *text)
{
	if (r->json) {
		s3ctl_record_json(r, key, val);
		return;
	}
	json_decref(val);
	if (text)
		s3ctl_record_text(r, label, text);
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

int s3ctl_json_print(json_t *j, FILE *f)
{
	int ret = 0;

	if (!j || json_dumpf(j, f, JSON_COMPACT) != 0)
		ret = -ENOMEM;
	else
		fputc('\n', f);
	json_decref(j);
	return ret;
}

void s3ctl_table_init(struct s3ctl_table *t, unsigned int ncols,
		      const char *const *headers)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->headers = headers;
}

/* A copy of @s with control characters as \xNN, as s3ctl_print_text(). */
static char *s3ctl_escape(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	s3ctl_print_text(f, s);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

void s3ctl_table_add(struct s3ctl_table *t, const char *const *cells)
{
	unsigned int i;
	char **grown;

	if (t->oom)
		return;
	if (t->nrows == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		grown = realloc(t->cells, t->cap * t->ncols * sizeof(*grown));
		if (!grown) {
			t->oom = true;
			return;
		}
		t->cells = grown;
	}
	for (i = 0; i < t->ncols; i++) {
		t->cells[t->nrows * t->ncols + i] = s3ctl_escape(cells[i]);
		if (!t->cells[t->nrows * t->ncols + i])
			t->oom = true;
	}
	t->nrows++;
}

void s3ctl_table_free(struct s3ctl_table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = 0;
	t->cap = 0;
}

static void s3ctl_table_line(const struct s3ctl_table *t, FILE *f,
			     const char *const *cells, const size_t *width)
{
	unsigned int i;

	for (i = 0; i < t->ncols; i++) {
		if (i + 1 < t->ncols)
			fprintf(f, "%-*s  ", (int)width[i], cells[i]);
		else
			fprintf(f, "%s\n", cells[i]);
	}
}

int s3ctl_table_print(struct s3ctl_table *t, FILE *f)
{
	size_t *width, r;
	unsigned int i;

	width = calloc(t->ncols, sizeof(*width));
	if (!width || t->oom) {
		free(width);
		s3ctl_table_free(t);
		return -ENOMEM;
	}
	for (i = 0; i < t->ncols; i++) {
		width[i] = strlen(t->headers[i]);
		for (r = 0; r < t->nrows; r++)
			if (strlen(t->cells[r * t->ncols + i]) > width[i])
				width[i] = strlen(t->cells[r * t->ncols + i]);
	}
	s3ctl_table_line(t, f, t->headers, width);
	for (r = 0; r < t->nrows; r++)
		s3ctl_table_line(t, f,
				 (const char *const *)&t->cells[r * t->ncols],
				 width);
	free(width);
	s3ctl_table_free(t);
	return 0;
}

void s3ctl_format_bytes(char *buf, size_t len, uint64_t bytes)
{
	static const char *const units[] = {
		"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB",
	};
	unsigned int u = 0;
	double v = (double)bytes;

	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%" PRIu64 " B", bytes);
	else
		snprintf(buf, len, "%.1f %s", v, units[u]);
}

void s3ctl_format_time(char *buf, size_t len, uint64_t secs)
{
	time_t t = secs > (uint64_t)INT64_MAX ? (time_t)INT64_MAX : (time_t)secs;
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "%" PRIu64, secs);
}

void s3ctl_format_uuid(char *buf, const uint8_t uuid[16])
{
	static const char hex[] = "0123456789abcdef";
	unsigned int i;
	char *p = buf;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[uuid[i] >> 4];
		*p++ = hex[uuid[i] & 0xf];
	}
	*p = '\0';
}
