/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command output, human or JSON from the same calls: a handler fills a
 * record field by field, and s3ctl_record_print() writes either an aligned
 * "label: value" block or one JSON object with stable snake_case keys.
 */
#ifndef S3CTL_OUTPUT_H
#define S3CTL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#define S3CTL_RECORD_MAX	32

struct s3ctl_record {
	bool json;
	bool oom;			/* a field was lost: print fails */
	json_t *obj;			/* JSON: the object being built */
	size_t n;			/* human: fields so far */
	struct {
		const char *label;
		char *text;
	} field[S3CTL_RECORD_MAX];
};

/*
 * Fields have a JSON @key and a human @label; a NULL key leaves the field
 * out of JSON, a NULL label out of the human form.
 */
void s3ctl_record_init(struct s3ctl_record *r, bool json);
/* A string; NULL is JSON null and leaves the line out of human output. */
void s3ctl_record_str(struct s3ctl_record *r, const char *key,
		      const char *label, const char *val);
void s3ctl_record_u64(struct s3ctl_record *r, const char *key,
		      const char *label, uint64_t val);
/* A number in JSON, shown to humans as @text (e.g. a duration). */
void s3ctl_record_u64_text(struct s3ctl_record *r, const char *key,
			   const char *label, uint64_t val, const char *text);
/* true/false in JSON, "yes"/"no" for humans. */
void s3ctl_record_bool(struct s3ctl_record *r, const char *key,
		       const char *label, bool val);
/* Any JSON value (taken over), shown to humans as @text (NULL: not shown). */
void s3ctl_record_json_text(struct s3ctl_record *r, const char *key,
			    const char *label, json_t *val, const char *text);
/* Writes the record to @f and frees it: 0, or -ENOMEM. */
int s3ctl_record_print(struct s3ctl_record *r, FILE *f);
/* Frees the record without printing it. */
void s3ctl_record_free(struct s3ctl_record *r);

/*
 * A JSON string for @s. JSON is UTF-8, and a device path may hold any
 * bytes: if @s is not valid UTF-8, each of its non-ASCII bytes becomes '?'.
 * NULL when out of memory.
 */
json_t *s3ctl_json_string(const char *s);

/* A JSON number for @val; a string past json_int_t. NULL when out of memory. */
json_t *s3ctl_json_u64(uint64_t val);
/* Writes @j as one line to @f and drops it: 0, or -ENOMEM. */
int s3ctl_json_print(json_t *j, FILE *f);

/*
 * A table for lists: a header line, then one line per row, columns
 * aligned, the last one not padded. Cells are copied, control characters
 * escaped as s3ctl_print_text() does.
 */
struct s3ctl_table {
	unsigned int ncols;
	const char *const *headers;
	size_t nrows;
	size_t cap;
	char **cells;			/* nrows * ncols */
	bool oom;
};

void s3ctl_table_init(struct s3ctl_table *t, unsigned int ncols,
		      const char *const *headers);
void s3ctl_table_add(struct s3ctl_table *t, const char *const *cells);
/* Writes the table to @f and frees it: 0, or -ENOMEM. */
int s3ctl_table_print(struct s3ctl_table *t, FILE *f);
void s3ctl_table_free(struct s3ctl_table *t);

/* "1.5 GiB", "512 B": binary units, one decimal. */
void s3ctl_format_bytes(char *buf, size_t len, uint64_t bytes);
/* "2026-11-22T04:05:06Z" for seconds since the epoch. */
void s3ctl_format_time(char *buf, size_t len, uint64_t secs);
/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"; @buf has 37 bytes. */
void s3ctl_format_uuid(char *buf, const uint8_t uuid[16]);

/* Writes @s for a terminal: control characters as \xNN. */
void s3ctl_print_text(FILE *f, const char *s);

/* "3d 4h 5m 6s", leading zero units left out; "0s" under a second. */
void s3ctl_format_duration(char *buf, size_t len, uint64_t ms);

#endif /* S3CTL_OUTPUT_H */
