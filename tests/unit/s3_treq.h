/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A request head in the vector files' form (LF line ends) turned into the
 * struct ks3_http_request the HTTP parser hands over, for the SigV4 unit
 * test and fuzz target. Not the HTTP parser: this one also unfolds
 * obs-fold lines, which the suite uses and http/parse.c rejects.
 */
#ifndef KS3_S3_TREQ_H
#define KS3_S3_TREQ_H

#include <stdlib.h>
#include <string.h>

/* A request as the HTTP parser would hand it over (test-side parser). */
struct treq {
	struct ks3_http_request req;
	char *buf;
	char *body;
	size_t body_len;
};

/*
 * Parse @text (LF line ends, as the vector files have them). Folded lines
 * (leading whitespace) are joined with one space, as obs-fold unfolding does.
 */
static __maybe_unused int treq_parse(struct treq *t, const char *text, size_t len)
{
	struct ks3_http_request *r = &t->req;
	char *p, *line, *end, *sp, *q;

	memset(t, 0, sizeof(*t));
	if (len > 60000)
		return -1;	/* lengths below fit the u16 fields */
	t->buf = malloc(len + 1);
	if (!t->buf)
		return -1;
	memcpy(t->buf, text, len);
	t->buf[len] = '\0';
	p = t->buf;
	end = strchr(p, '\n');
	if (!end)
		return -1;
	*end = '\0';
	sp = strchr(p, ' ');
	q = strrchr(p, ' ');
	if (!sp || sp == q)
		return -1;
	r->method_name = p;
	r->method_len = sp - p;
	r->target = sp + 1;
	r->target_len = q - sp - 1;
	r->path = r->target;
	r->path_len = r->target_len;
	r->query = "";
	sp = memchr(r->target, '?', r->target_len);
	if (sp) {
		r->path_len = sp - r->target;
		r->query = sp + 1;
		r->query_len = r->target_len - r->path_len - 1;
	}
	p = end + 1;
	while (*p && *p != '\n') {
		struct ks3_http_field *f;
		char *colon, *v;

		line = p;
		end = strchr(p, '\n');
		if (end) {
			*end = '\0';
			p = end + 1;
		} else {
			p += strlen(p);
		}
		if ((*line == ' ' || *line == '\t') && r->nr_fields) {
			/* obs-fold: append to the previous value */
			f = &r->fields[r->nr_fields - 1];
			while (*line == ' ' || *line == '\t')
				line++;
			size_t l = strlen(line);

			v = (char *)f->value;
			memmove(v + f->value_len + 1, line, l + 1);
			v[f->value_len] = ' ';
			f->value_len += 1 + l;
			continue;
		}
		colon = strchr(line, ':');
		if (!colon || r->nr_fields == KS3_HTTP_FIELDS_MAX)
			return -1;
		f = &r->fields[r->nr_fields++];
		f->name = line;
		f->name_len = colon - line;
		v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		q = v + strlen(v);
		while (q > v && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\r'))
			q--;
		f->value = v;
		f->value_len = q - v;
	}
	if (*p == '\n')
		p++;
	t->body = p;
	t->body_len = strlen(p);
	return 0;
}

static __maybe_unused void treq_free(struct treq *t)
{
	free(t->buf);
	t->buf = NULL;
}

#endif /* KS3_S3_TREQ_H */
