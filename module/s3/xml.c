// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded XML writer with escaping (see xml.h for the escaping rules).
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "xml.h"

void ks3_xml_init(struct ks3_xml *x, size_t max)
{
	x->buf = NULL;
	x->len = 0;
	x->cap = 0;
	x->max = max;
	x->err = 0;
}

void ks3_xml_free(struct ks3_xml *x)
{
	kvfree(x->buf);
	x->buf = NULL;
	x->len = 0;
	x->cap = 0;
}

static bool ks3_xml_reserve(struct ks3_xml *x, size_t more)
{
	size_t need, ncap;
	char *n;

	if (x->err)
		return false;
	if (check_add_overflow(x->len, more, &need) || need > x->max) {
		x->err = -E2BIG;
		return false;
	}
	if (need <= x->cap)
		return true;
	ncap = x->cap ? x->cap : 1024;
	while (ncap < need)
		ncap *= 2;
	if (ncap > x->max)
		ncap = x->max;
	n = kvmalloc(ncap, GFP_KERNEL);
	if (!n) {
		x->err = -ENOMEM;
		return false;
	}
	if (x->len)
		memcpy(n, x->buf, x->len);
	kvfree(x->buf);
	x->buf = n;
	x->cap = ncap;
	return true;
}

void ks3_xml_raw(struct ks3_xml *x, const char *s, size_t len)
{
	if (!ks3_xml_reserve(x, len))
		return;
	memcpy(x->buf + x->len, s, len);
	x->len += len;
}

void ks3_xml_str(struct ks3_xml *x, const char *s)
{
	ks3_xml_raw(x, s, strlen(s));
}

/*
 * Length of the well-formed UTF-8 sequence at @s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0 if it is not one.
 */
static size_t ks3_utf8_seq(const u8 *s, size_t len)
{
	u8 c = s[0];
	size_t n, i;
	u8 lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

static const char ks3_xml_hex[] = "0123456789ABCDEF";

/*
 * The escape for the byte at @s (@rest bytes left): writes at most 8
 * bytes to @out and returns how many, and in *@used how many input bytes
 * it stands for.
 */
static size_t ks3_xml_escape_one(const char *s, size_t rest, char *out,
				 size_t *used)
{
	u8 c = (u8)s[0];
	const char *e = NULL;
	size_t n;

	*used = 1;
	switch (c) {
	case '&':
		e = "&amp;";
		break;
	case '<':
		e = "&lt;";
		break;
	case '>':
		e = "&gt;";
		break;
	case '"':
		e = "&quot;";
		break;
	case '\'':
		e = "&apos;";
		break;
	case '\t':
		e = "&#9;";
		break;
	case '\n':
		e = "&#10;";
		break;
	case '\r':
		e = "&#13;";
		break;
	}
	if (e) {
		n = strlen(e);
		memcpy(out, e, n);
		return n;
	}
	if (c < 0x20 || c == 0x7f) {
		memcpy(out, "&#x", 3);
		out[3] = ks3_xml_hex[c >> 4];
		out[4] = ks3_xml_hex[c & 0xf];
		out[5] = ';';
		return 6;
	}
	if (c < 0x80) {
		out[0] = c;
		return 1;
	}
	n = ks3_utf8_seq((const u8 *)s, rest);
	if (!n) {
		/* U+FFFD REPLACEMENT CHARACTER */
		memcpy(out, "\xef\xbf\xbd", 3);
		return 3;
	}
	memcpy(out, s, n);
	*used = n;
	return n;
}

size_t ks3_xml_escaped_len(const char *s, size_t len)
{
	size_t i = 0, total = 0, used;
	char tmp[8];

	while (i < len) {
		total += ks3_xml_escape_one(s + i, len - i, tmp, &used);
		i += used;
	}
	return total;
}

void ks3_xml_text(struct ks3_xml *x, const char *s, size_t len)
{
	size_t i = 0, used, n;
	char tmp[8];

	while (i < len && !x->err) {
		/* Runs of plain bytes go in one copy. */
		size_t j = i;

		while (j < len) {
			u8 c = (u8)s[j];

			if (c < 0x20 || c >= 0x7f || c == '&' || c == '<' ||
			    c == '>' || c == '"' || c == '\'')
				break;
			j++;
		}
		if (j > i) {
			ks3_xml_raw(x, s + i, j - i);
			i = j;
			continue;
		}
		n = ks3_xml_escape_one(s + i, len - i, tmp, &used);
		ks3_xml_raw(x, tmp, n);
		i += used;
	}
}

void ks3_xml_open(struct ks3_xml *x, const char *tag)
{
	ks3_xml_raw(x, "<", 1);
	ks3_xml_str(x, tag);
	ks3_xml_raw(x, ">", 1);
}

void ks3_xml_close(struct ks3_xml *x, const char *tag)
{
	ks3_xml_raw(x, "</", 2);
	ks3_xml_str(x, tag);
	ks3_xml_raw(x, ">", 1);
}

void ks3_xml_elem(struct ks3_xml *x, const char *tag, const char *s,
		  size_t len)
{
	ks3_xml_open(x, tag);
	ks3_xml_text(x, s, len);
	ks3_xml_close(x, tag);
}

void ks3_xml_elem_str(struct ks3_xml *x, const char *tag, const char *s)
{
	ks3_xml_elem(x, tag, s, strlen(s));
}

void ks3_xml_elem_u64(struct ks3_xml *x, const char *tag, u64 v)
{
	char tmp[20];
	size_t n = sizeof(tmp);

	do {
		tmp[--n] = '0' + v % 10;
		v /= 10;
	} while (v);
	ks3_xml_open(x, tag);
	ks3_xml_raw(x, tmp + n, sizeof(tmp) - n);
	ks3_xml_close(x, tag);
}

void ks3_xml_elem_bool(struct ks3_xml *x, const char *tag, bool v)
{
	ks3_xml_elem_str(x, tag, v ? "true" : "false");
}

int ks3_xml_take(struct ks3_xml *x, void **buf, size_t *len)
{
	int err = x->err;

	if (err) {
		ks3_xml_free(x);
		return err;
	}
	*buf = x->buf;
	*len = x->len;
	x->buf = NULL;
	x->len = 0;
	x->cap = 0;
	return 0;
}
