// SPDX-License-Identifier: GPL-2.0
/*
 * XML request bodies (see xml_req.h): a bounded pull tokenizer and the
 * CompleteMultipartUpload and Delete schemas on top of it. Every loop
 * advances through the body; nothing recurses.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "s3/checksum.h"
#include "xml_req.h"

void ks3_xml_rd_init(struct ks3_xml_rd *r, const char *buf, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	r->len = len;
}

static bool ks3_xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool ks3_xml_name_char(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    c == ':' || (u8)c >= 0x80)
		return true;
	return !first && ((c >= '0' && c <= '9') || c == '-' || c == '.');
}

static bool ks3_xml_starts(const struct ks3_xml_rd *r, const char *s)
{
	size_t n = strlen(s);

	return r->len - r->pos >= n && !memcmp(r->buf + r->pos, s, n);
}

/* Moves past the next @end; false if there is none. */
static bool ks3_xml_skip_past(struct ks3_xml_rd *r, const char *end)
{
	size_t n = strlen(end);

	while (r->len - r->pos >= n) {
		if (!memcmp(r->buf + r->pos, end, n)) {
			r->pos += n;
			return true;
		}
		r->pos++;
	}
	return false;
}

/* A name at pos: its length (0 if none). */
static size_t ks3_xml_name(struct ks3_xml_rd *r)
{
	size_t start = r->pos;

	if (r->pos >= r->len || !ks3_xml_name_char(r->buf[r->pos], true))
		return 0;
	while (r->pos < r->len && ks3_xml_name_char(r->buf[r->pos], false))
		r->pos++;
	return r->pos - start;
}

static void ks3_xml_skip_space(struct ks3_xml_rd *r)
{
	while (r->pos < r->len && ks3_xml_space(r->buf[r->pos]))
		r->pos++;
}

/* The local part of a (possibly prefixed) name. */
static void ks3_xml_local(struct ks3_xml_tok *t, const char *p, size_t len)
{
	size_t i = len;

	while (i && p[i - 1] != ':')
		i--;
	t->p = p + i;
	t->len = len - i;
}

/* Attributes up to '>' or "/>": name = "value" | 'value'. */
static int ks3_xml_attrs(struct ks3_xml_rd *r, bool *empty)
{
	for (;;) {
		bool space = r->pos < r->len && ks3_xml_space(r->buf[r->pos]);
		const char *end;
		char q;

		ks3_xml_skip_space(r);
		if (r->pos >= r->len)
			return -EBADMSG;
		if (r->buf[r->pos] == '>') {
			r->pos++;
			*empty = false;
			return 0;
		}
		if (ks3_xml_starts(r, "/>")) {
			r->pos += 2;
			*empty = true;
			return 0;
		}
		if (!space || !ks3_xml_name(r))
			return -EBADMSG;
		ks3_xml_skip_space(r);
		if (r->pos >= r->len || r->buf[r->pos] != '=')
			return -EBADMSG;
		r->pos++;
		ks3_xml_skip_space(r);
		if (r->pos >= r->len)
			return -EBADMSG;
		q = r->buf[r->pos];
		if (q != '"' && q != '\'')
			return -EBADMSG;
		r->pos++;
		end = memchr(r->buf + r->pos, q, r->len - r->pos);
		if (!end || memchr(r->buf + r->pos, '<', end - (r->buf + r->pos)))
			return -EBADMSG;
		r->pos = end - r->buf + 1;
	}
}

static int ks3_xml_start_tag(struct ks3_xml_rd *r, struct ks3_xml_tok *t)
{
	size_t start, n;
	bool empty;
	int ret;

	if (r->root_done && !r->depth)
		return -EBADMSG;	/* a second root */
	if (r->depth >= KS3_XML_DEPTH_MAX)
		return -EBADMSG;
	r->pos++;
	start = r->pos;
	n = ks3_xml_name(r);
	if (!n)
		return -EBADMSG;
	ret = ks3_xml_attrs(r, &empty);
	if (ret)
		return ret;
	r->stack[r->depth].p = r->buf + start;
	r->stack[r->depth].len = n;
	r->depth++;
	r->pending_end = empty;
	t->type = KS3_XML_START;
	ks3_xml_local(t, r->buf + start, n);
	return 0;
}

static int ks3_xml_end_tag(struct ks3_xml_rd *r, struct ks3_xml_tok *t)
{
	size_t start, n;

	r->pos += 2;
	start = r->pos;
	n = ks3_xml_name(r);
	if (!n || !r->depth)
		return -EBADMSG;
	ks3_xml_skip_space(r);
	if (r->pos >= r->len || r->buf[r->pos] != '>')
		return -EBADMSG;
	r->pos++;
	r->depth--;
	if (r->stack[r->depth].len != n ||
	    memcmp(r->stack[r->depth].p, r->buf + start, n))
		return -EBADMSG;
	if (!r->depth)
		r->root_done = true;
	t->type = KS3_XML_END;
	ks3_xml_local(t, r->buf + start, n);
	return 0;
}

int ks3_xml_next(struct ks3_xml_rd *r, struct ks3_xml_tok *t)
{
	const char *lt;
	size_t start;

	if (r->pending_end) {
		r->pending_end = false;
		r->depth--;
		if (!r->depth)
			r->root_done = true;
		t->type = KS3_XML_END;
		ks3_xml_local(t, r->stack[r->depth].p, r->stack[r->depth].len);
		return 0;
	}
	while (r->pos < r->len) {
		if (r->buf[r->pos] != '<') {
			start = r->pos;
			lt = memchr(r->buf + r->pos, '<', r->len - r->pos);
			r->pos = lt ? (size_t)(lt - r->buf) : r->len;
			if (!r->depth) {
				/* Outside the root only white space. */
				while (start < r->pos)
					if (!ks3_xml_space(r->buf[start++]))
						return -EBADMSG;
				continue;
			}
			t->type = KS3_XML_TEXT;
			t->p = r->buf + start;
			t->len = r->pos - start;
			return 0;
		}
		if (ks3_xml_starts(r, "<?")) {
			r->pos += 2;
			if (!ks3_xml_skip_past(r, "?>"))
				return -EBADMSG;
			continue;
		}
		if (ks3_xml_starts(r, "<!--")) {
			r->pos += 4;
			if (!ks3_xml_skip_past(r, "-->"))
				return -EBADMSG;
			continue;
		}
		if (ks3_xml_starts(r, "<![CDATA[")) {
			if (!r->depth)
				return -EBADMSG;
			r->pos += 9;
			start = r->pos;
			if (!ks3_xml_skip_past(r, "]]>"))
				return -EBADMSG;
			t->type = KS3_XML_CDATA;
			t->p = r->buf + start;
			t->len = r->pos - 3 - start;
			return 0;
		}
		if (ks3_xml_starts(r, "<!"))
			return -EBADMSG;	/* DOCTYPE and the like */
		if (ks3_xml_starts(r, "</"))
			return ks3_xml_end_tag(r, t);
		return ks3_xml_start_tag(r, t);
	}
	if (r->depth || !r->root_done)
		return -EBADMSG;
	t->type = KS3_XML_EOF;
	t->p = NULL;
	t->len = 0;
	return 0;
}

/* UTF-8 of code point @cp into @out (4 bytes room); its length. */
static size_t ks3_xml_utf8(u32 cp, char *out)
{
	if (cp < 0x80) {
		out[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = 0xc0 | (cp >> 6);
		out[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = 0xe0 | (cp >> 12);
		out[1] = 0x80 | ((cp >> 6) & 0x3f);
		out[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	out[0] = 0xf0 | (cp >> 18);
	out[1] = 0x80 | ((cp >> 12) & 0x3f);
	out[2] = 0x80 | ((cp >> 6) & 0x3f);
	out[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/* The entity at @p (after '&', @n bytes up to ';' excluded) as UTF-8. */
static int ks3_xml_entity(const char *p, size_t n, char *out, size_t *olen)
{
	static const struct {
		const char *name;
		char c;
	} named[] = {
		{ "lt", '<' }, { "gt", '>' }, { "amp", '&' },
		{ "quot", '"' }, { "apos", '\'' },
	};
	u32 cp = 0;
	size_t i;
	bool hex;

	for (i = 0; i < ARRAY_SIZE(named); i++) {
		if (strlen(named[i].name) == n && !memcmp(p, named[i].name, n)) {
			out[0] = named[i].c;
			*olen = 1;
			return 0;
		}
	}
	if (n < 2 || p[0] != '#')
		return -EBADMSG;
	hex = p[1] == 'x';
	i = hex ? 2 : 1;
	if (i >= n || n - i > 8)
		return -EBADMSG;
	for (; i < n; i++) {
		char c = p[i];
		u32 d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (hex && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (hex && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -EBADMSG;
		cp = cp * (hex ? 16 : 10) + d;
		if (cp > 0x10ffff)
			return -EBADMSG;
	}
	if (!cp || (cp >= 0xd800 && cp <= 0xdfff))
		return -EBADMSG;
	*olen = ks3_xml_utf8(cp, out);
	return 0;
}

int ks3_xml_text_append(const struct ks3_xml_tok *t, char *out, size_t size,
			size_t *len)
{
	size_t i = 0, o = *len, n;
	const char *semi;
	char tmp[4];

	if (t->type == KS3_XML_CDATA) {
		if (t->len > size - o)
			return -ENOSPC;
		memcpy(out + o, t->p, t->len);
		*len = o + t->len;
		return 0;
	}
	while (i < t->len) {
		if (t->p[i] != '&') {
			if (o >= size)
				return -ENOSPC;
			out[o++] = t->p[i++];
			continue;
		}
		semi = memchr(t->p + i + 1, ';', min_t(size_t, t->len - i - 1, 12));
		if (!semi)
			return -EBADMSG;
		if (ks3_xml_entity(t->p + i + 1, semi - (t->p + i + 1), tmp, &n))
			return -EBADMSG;
		if (n > size - o)
			return -ENOSPC;
		memcpy(out + o, tmp, n);
		o += n;
		i = semi - t->p + 1;
	}
	*len = o;
	return 0;
}

static bool ks3_xml_is(const struct ks3_xml_tok *t, const char *name)
{
	return t->len == strlen(name) && !memcmp(t->p, name, t->len);
}

/* Text only white space (between elements)? */
static bool ks3_xml_blank(const struct ks3_xml_tok *t)
{
	size_t i;

	if (t->type == KS3_XML_CDATA)
		return !t->len;
	for (i = 0; i < t->len; i++)
		if (!ks3_xml_space(t->p[i]))
			return false;
	return true;
}

/*
 * The next child element of the element being read: 1 with its start tag
 * in @t, 0 at the parent's end tag, -EINVAL for anything but blank text in
 * between or a malformed document.
 */
static int ks3_xml_next_child(struct ks3_xml_rd *r, struct ks3_xml_tok *t)
{
	for (;;) {
		if (ks3_xml_next(r, t))
			return -EINVAL;
		if (t->type == KS3_XML_END)
			return 0;
		if (t->type == KS3_XML_START)
			return 1;
		if ((t->type != KS3_XML_TEXT && t->type != KS3_XML_CDATA) ||
		    !ks3_xml_blank(t))
			return -EINVAL;
	}
}

/*
 * Reads the text of a leaf element whose START was just read, through its
 * END, into @out (@size bytes); the length, -EBADMSG or -ENOSPC.
 */
static int ks3_xml_leaf(struct ks3_xml_rd *r, char *out, size_t size,
			size_t *len)
{
	struct ks3_xml_tok t;
	int ret;

	*len = 0;
	for (;;) {
		ret = ks3_xml_next(r, &t);
		if (ret)
			return ret;
		if (t.type == KS3_XML_END)
			return 0;
		if (t.type != KS3_XML_TEXT && t.type != KS3_XML_CDATA)
			return -EBADMSG;
		ret = ks3_xml_text_append(&t, out, size, len);
		if (ret)
			return ret;
	}
}

/* Leaf text without surrounding white space. */
static void ks3_xml_trim(const char **p, size_t *len)
{
	while (*len && ks3_xml_space((*p)[0])) {
		(*p)++;
		(*len)--;
	}
	while (*len && ks3_xml_space((*p)[*len - 1]))
		(*len)--;
}

static bool ks3_xml_u32(const char *p, size_t len, u32 *out)
{
	u64 v = 0;
	size_t i;

	ks3_xml_trim(&p, &len);
	if (!len || len > 10)
		return false;
	for (i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (p[i] - '0');
	}
	if (v > U32_MAX)
		return false;
	*out = v;
	return true;
}

static int ks3_xml_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "md5hex" with or without quotes (and a "-N" suffix never matches). */
static bool ks3_xml_etag(const char *p, size_t len, u8 md5[16])
{
	size_t i;

	ks3_xml_trim(&p, &len);
	if (len >= 2 && p[0] == '"' && p[len - 1] == '"') {
		p++;
		len -= 2;
	}
	if (len != 32)
		return false;
	for (i = 0; i < 16; i++) {
		int hi = ks3_xml_hexval(p[2 * i]), lo = ks3_xml_hexval(p[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		md5[i] = hi << 4 | lo;
	}
	return true;
}

static const char *const ks3_xml_cksum_elems[KS3_CKSUM_NR] = {
	[KS3_CKSUM_CRC32] = "ChecksumCRC32",
	[KS3_CKSUM_CRC32C] = "ChecksumCRC32C",
	[KS3_CKSUM_CRC64NVME] = "ChecksumCRC64NVME",
	[KS3_CKSUM_SHA1] = "ChecksumSHA1",
	[KS3_CKSUM_SHA256] = "ChecksumSHA256",
};

static int ks3_xml_cksum_elem(const struct ks3_xml_tok *t)
{
	int i;

	for (i = 1; i < KS3_CKSUM_NR; i++)
		if (ks3_xml_is(t, ks3_xml_cksum_elems[i]))
			return i;
	return 0;
}

/* Skips the element whose START was just read, children included. */
static int ks3_xml_skip_elem(struct ks3_xml_rd *r)
{
	u8 depth = r->depth;
	struct ks3_xml_tok t;
	int ret;

	do {
		ret = ks3_xml_next(r, &t);
		if (ret)
			return ret;
		if (t.type == KS3_XML_EOF)
			return -EBADMSG;
	} while (r->depth >= depth);
	return 0;
}

/* The root element, named @name; 0 or -EBADMSG. */
static int ks3_xml_root(struct ks3_xml_rd *r, const char *name)
{
	struct ks3_xml_tok t;

	if (ks3_xml_next(r, &t) || t.type != KS3_XML_START ||
	    !ks3_xml_is(&t, name))
		return -EBADMSG;
	return 0;
}

/* One <Part> (its START read): number, ETag, checksum. */
static enum ks3_s3_err ks3_xml_one_part(struct ks3_xml_rd *r,
					struct ks3_xml_part *p)
{
	struct ks3_xml_tok t;
	int child;
	bool has_number = false;
	char v[128];
	size_t len;
	int alg;

	memset(p, 0, sizeof(*p));
	for (;;) {
		child = ks3_xml_next_child(r, &t);
		if (child < 0)
			return KS3_S3_MALFORMED_XML;
		if (!child)
			break;
		if (ks3_xml_is(&t, "PartNumber")) {
			if (has_number || ks3_xml_leaf(r, v, sizeof(v), &len))
				return KS3_S3_MALFORMED_XML;
			if (!ks3_xml_u32(v, len, &p->number))
				return KS3_S3_MALFORMED_XML;
			has_number = true;
		} else if (ks3_xml_is(&t, "ETag")) {
			if (p->has_etag || ks3_xml_leaf(r, v, sizeof(v), &len))
				return KS3_S3_MALFORMED_XML;
			p->has_etag = true;
			p->etag_valid = ks3_xml_etag(v, len, p->etag);
		} else if (ks3_xml_cksum_elem(&t)) {
			const char *c = v;

			alg = ks3_xml_cksum_elem(&t);
			if (p->cksum_alg ||
			    ks3_xml_leaf(r, v, sizeof(v), &len))
				return KS3_S3_MALFORMED_XML;
			ks3_xml_trim(&c, &len);
			if (len > sizeof(p->cksum_b64))
				return KS3_S3_MALFORMED_XML;
			p->cksum_alg = alg;
			p->cksum_b64_len = len;
			memcpy(p->cksum_b64, c, len);
		} else {
			/* Elements S3 ignores here (ChecksumType, ...). */
			if (ks3_xml_skip_elem(r))
				return KS3_S3_MALFORMED_XML;
		}
	}
	if (!has_number)
		return KS3_S3_MALFORMED_XML;
	return KS3_S3_OK;
}

enum ks3_s3_err ks3_xml_parse_complete(const char *buf, size_t len,
				       int (*fn)(void *arg,
						 const struct ks3_xml_part *p),
				       void *arg)
{
	enum ks3_s3_err err = KS3_S3_OK;
	struct ks3_xml_part part;
	struct ks3_xml_tok t;
	int child;
	struct ks3_xml_rd r;
	u32 n = 0, prev = 0;

	ks3_xml_rd_init(&r, buf, len);
	if (ks3_xml_root(&r, "CompleteMultipartUpload"))
		return KS3_S3_MALFORMED_XML;
	for (;;) {
		child = ks3_xml_next_child(&r, &t);
		if (child < 0)
			return KS3_S3_MALFORMED_XML;
		if (!child)
			break;
		if (!ks3_xml_is(&t, "Part")) {
			if (ks3_xml_skip_elem(&r))
				return KS3_S3_MALFORMED_XML;
			continue;
		}
		if (n == KS3_PARTS_MAX)
			return KS3_S3_MALFORMED_XML;
		err = ks3_xml_one_part(&r, &part);
		if (err)
			return err;
		/* Order is judged first; a bad number after a good order. */
		if (!part.number || part.number > KS3_PARTS_MAX)
			return KS3_S3_INVALID_ARGUMENT;
		if (part.number <= prev)
			return KS3_S3_INVALID_PART_ORDER;
		prev = part.number;
		n++;
		if (fn(arg, &part))
			return KS3_S3_INTERNAL_ERROR;
	}
	if (ks3_xml_next(&r, &t) || t.type != KS3_XML_EOF || !n)
		return KS3_S3_MALFORMED_XML;
	return KS3_S3_OK;
}

/* One <Object> (its START read). */
static enum ks3_s3_err ks3_xml_one_object(struct ks3_xml_rd *r,
					  struct ks3_xml_delete_obj *o)
{
	struct ks3_xml_tok t;
	int child;
	bool has_key = false;
	size_t len;

	o->key_len = 0;
	o->has_version = false;
	o->version_len = 0;
	for (;;) {
		child = ks3_xml_next_child(r, &t);
		if (child < 0)
			return KS3_S3_MALFORMED_XML;
		if (!child)
			break;
		if (ks3_xml_is(&t, "Key")) {
			/* Keys are taken as they are: spaces count. */
			if (has_key ||
			    ks3_xml_leaf(r, o->key, sizeof(o->key), &len))
				return KS3_S3_MALFORMED_XML;
			o->key_len = len;
			has_key = true;
		} else if (ks3_xml_is(&t, "VersionId")) {
			if (o->has_version ||
			    ks3_xml_leaf(r, o->version, sizeof(o->version) - 1,
					 &len))
				return KS3_S3_MALFORMED_XML;
			o->has_version = true;
			o->version_len = len;
		} else if (ks3_xml_skip_elem(r)) {
			return KS3_S3_MALFORMED_XML;
		}
	}
	if (!has_key || !o->key_len || memchr(o->key, '\0', o->key_len))
		return KS3_S3_MALFORMED_XML;
	return KS3_S3_OK;
}

enum ks3_s3_err ks3_xml_parse_delete(const char *buf, size_t len, bool *quiet,
				     int (*fn)(void *arg,
					       const struct ks3_xml_delete_obj *o),
				     void *arg)
{
	struct ks3_xml_delete_obj *o = NULL;
	enum ks3_s3_err err = KS3_S3_OK;
	struct ks3_xml_tok t;
	int child;
	struct ks3_xml_rd r;
	char v[16];
	size_t vlen;
	u32 n = 0;

	*quiet = false;
	ks3_xml_rd_init(&r, buf, len);
	if (ks3_xml_root(&r, "Delete"))
		return KS3_S3_MALFORMED_XML;
	for (;;) {
		child = ks3_xml_next_child(&r, &t);
		if (child < 0)
			goto malformed;
		if (!child)
			break;
		if (ks3_xml_is(&t, "Quiet")) {
			const char *p = v;

			if (ks3_xml_leaf(&r, v, sizeof(v), &vlen))
				goto malformed;
			ks3_xml_trim(&p, &vlen);
			if (vlen == 4 && !strncasecmp(p, "true", 4))
				*quiet = true;
			else if (!(vlen == 5 && !strncasecmp(p, "false", 5)))
				goto malformed;
			continue;
		}
		if (!ks3_xml_is(&t, "Object")) {
			if (ks3_xml_skip_elem(&r))
				goto malformed;
			continue;
		}
		if (n == KS3_S3_DELETE_MAX)
			goto malformed;
		if (!o) {
			o = kmalloc(sizeof(*o), GFP_KERNEL);
			if (!o)
				return KS3_S3_INTERNAL_ERROR;
		}
		err = ks3_xml_one_object(&r, o);
		if (err)
			goto out;
		n++;
		if (fn(arg, o)) {
			err = KS3_S3_INTERNAL_ERROR;
			goto out;
		}
	}
	if (ks3_xml_next(&r, &t) || t.type != KS3_XML_EOF || !n)
		goto malformed;
	goto out;
malformed:
	err = KS3_S3_MALFORMED_XML;
out:
	kfree(o);
	return err;
}
