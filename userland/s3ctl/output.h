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

void s3ctl_record_init(struct s3ctl_record *r, bool json);
/* A string; NULL is JSON null and leaves the line out of human output. */
void s3ctl_record_str(struct s3ctl_record *r, const char *key,
		      const char *label, const char *val);
void s3ctl_record_u64(struct s3ctl_record *r, const char *key,
		      const char *label, uint64_t val);
/* A number in JSON, shown to humans as @text (e.g. a duration). */
void s3ctl_record_u64_text(struct s3ctl_record *r, const char *key,
			   const char *label, uint64_t val, const char *text);
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

/* Writes @s for a terminal: control characters as \xNN. */
void s3ctl_print_text(FILE *f, const char *s);

/* "3d 4h 5m 6s", leading zero units left out; "0s" under a second. */
void s3ctl_format_duration(char *buf, size_t len, uint64_t ms);

#endif /* S3CTL_OUTPUT_H */
