// SPDX-License-Identifier: GPL-2.0
/*
 * The per-object metadata blob (see meta.h).
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "http/http.h"
#include "meta.h"

const char *const ks3_meta_std_names[KS3_META_NR_STD] = {
	[KS3_META_CONTENT_TYPE] = "Content-Type",
	[KS3_META_CONTENT_ENCODING] = "Content-Encoding",
	[KS3_META_CONTENT_DISPOSITION] = "Content-Disposition",
	[KS3_META_CONTENT_LANGUAGE] = "Content-Language",
	[KS3_META_CACHE_CONTROL] = "Cache-Control",
	[KS3_META_EXPIRES] = "Expires",
};

static const char *const ks3_meta_std_lnames[KS3_META_NR_STD] = {
	[KS3_META_CONTENT_TYPE] = "content-type",
	[KS3_META_CONTENT_ENCODING] = "content-encoding",
	[KS3_META_CONTENT_DISPOSITION] = "content-disposition",
	[KS3_META_CONTENT_LANGUAGE] = "content-language",
	[KS3_META_CACHE_CONTROL] = "cache-control",
	[KS3_META_EXPIRES] = "expires",
};

/*
 * Raw checksum sizes (checksum.h's ks3_cksum_size(), kept here so the
 * codec needs no checksum code).
 */
static const u8 ks3_meta_cksum_sizes[KS3_CKSUM_NR] = {
	[KS3_CKSUM_NONE] = 0,
	[KS3_CKSUM_CRC32] = 4,
	[KS3_CKSUM_CRC32C] = 4,
	[KS3_CKSUM_CRC64NVME] = 8,
	[KS3_CKSUM_SHA1] = 20,
	[KS3_CKSUM_SHA256] = 32,
};

enum {
	KS3_META_REC_STD = 0x01,	/* + enum ks3_meta_std: 0x01..0x06 */
	KS3_META_REC_USER = 0x20,
	KS3_META_REC_CKSUM = 0x21,
	KS3_META_REC_UPLOAD_CKSUM = 0x22,	/* algorithm [, 1: full object] */
};

#define KS3_META_PREFIX		"x-amz-meta-"
#define KS3_META_PREFIX_LEN	(sizeof(KS3_META_PREFIX) - 1)

void ks3_meta_lower(char *dst, const char *src, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = src[i];

		dst[i] = (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
	}
}

static bool ks3_meta_name_is(const struct ks3_http_field *f, const char *l,
			     size_t len)
{
	size_t i;

	if (f->name_len < len)
		return false;
	for (i = 0; i < len; i++) {
		char c = f->name[i];

		if (c >= 'A' && c <= 'Z')
			c = c - 'A' + 'a';
		if (c != l[i])
			return false;
	}
	return true;
}

static bool ks3_token_is_aws_chunked(const char *p, size_t len)
{
	static const char tok[] = "aws-chunked";
	size_t i;

	if (len != sizeof(tok) - 1)
		return false;
	for (i = 0; i < len; i++) {
		char c = p[i];

		if (c >= 'A' && c <= 'Z')
			c = c - 'A' + 'a';
		if (c != tok[i])
			return false;
	}
	return true;
}

/*
 * Content-Encoding without its aws-chunked token(s): the transfer framing
 * of the request, never the object's own encoding.
 */
static enum ks3_s3_err ks3_meta_strip_ce(struct ks3_meta *m, const char *v,
					 size_t len)
{
	struct ks3_meta_str *out = &m->std[KS3_META_CONTENT_ENCODING];
	size_t i = 0, n = 0;
	bool found = false;

	while (i < len) {
		size_t s, e;

		while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < len && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e == s)
			continue;
		if (ks3_token_is_aws_chunked(v + s, e - s)) {
			found = true;
			continue;
		}
		if (n + (n ? 1 : 0) + (e - s) > sizeof(m->ce_buf))
			return KS3_S3_INVALID_ARGUMENT;
		if (n)
			m->ce_buf[n++] = ',';
		memcpy(m->ce_buf + n, v + s, e - s);
		n += e - s;
	}
	if (!found) {
		out->p = v;
		out->len = len;
	} else {
		out->p = n ? m->ce_buf : NULL;
		out->len = n;
	}
	return KS3_S3_OK;
}

enum ks3_s3_err ks3_meta_from_request(const struct ks3_http_request *req,
				      struct ks3_meta *m)
{
	size_t names = 0;
	unsigned int i;
	int s;

	memset(m, 0, offsetof(struct ks3_meta, ce_buf));
	for (i = 0; i < req->nr_fields && i < KS3_HTTP_FIELDS_MAX; i++) {
		const struct ks3_http_field *f = &req->fields[i];
		struct ks3_meta_user *u;
		size_t nlen, total;

		if (ks3_meta_name_is(f, KS3_META_PREFIX, KS3_META_PREFIX_LEN)) {
			nlen = f->name_len - KS3_META_PREFIX_LEN;
			if (!nlen)
				return KS3_S3_INVALID_ARGUMENT;
			total = (size_t)m->user_bytes + nlen + f->value_len;
			if (total > KS3_META_USER_BYTES || nlen > U8_MAX)
				return KS3_S3_METADATA_TOO_LARGE;
			if (m->nr_user >= KS3_META_USER_MAX ||
			    names + nlen > sizeof(m->names))
				return KS3_S3_METADATA_TOO_LARGE;
			u = &m->user[m->nr_user++];
			ks3_meta_lower(m->names + names,
				       f->name + KS3_META_PREFIX_LEN, nlen);
			u->name = m->names + names;
			u->name_len = nlen;
			u->value = f->value;
			u->value_len = f->value_len;
			names += nlen;
			m->user_bytes = total;
			continue;
		}
		for (s = 0; s < KS3_META_NR_STD; s++) {
			const char *l = ks3_meta_std_lnames[s];
			size_t ll = strlen(l);

			if (f->name_len != ll || !ks3_meta_name_is(f, l, ll))
				continue;
			if (f->value_len > KS3_META_VALUE_MAX)
				return KS3_S3_INVALID_ARGUMENT;
			/* The first of repeated fields counts. */
			if (m->std[s].p || (s == KS3_META_CONTENT_ENCODING &&
					    m->std[s].len))
				break;
			if (s == KS3_META_CONTENT_ENCODING) {
				enum ks3_s3_err err;

				err = ks3_meta_strip_ce(m, f->value,
							f->value_len);
				if (err)
					return err;
				break;
			}
			m->std[s].p = f->value;
			m->std[s].len = f->value_len;
			break;
		}
	}
	if (ks3_meta_response_bytes(m) > KS3_META_RESPONSE_MAX)
		return KS3_S3_METADATA_TOO_LARGE;
	return KS3_S3_OK;
}

size_t ks3_meta_response_bytes(const struct ks3_meta *m)
{
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < KS3_META_NR_STD; i++)
		if (m->std[i].len)
			n += strlen(ks3_meta_std_names[i]) + 4 + m->std[i].len;
	for (i = 0; i < m->nr_user && i < KS3_META_USER_MAX; i++)
		n += KS3_META_PREFIX_LEN + 4 + m->user[i].name_len +
		     m->user[i].value_len;
	return n;
}

static u8 *ks3_meta_put_rec(u8 *p, u8 *end, u8 type, size_t len)
{
	if (!p || len > U16_MAX || (size_t)(end - p) < 3 + len)
		return NULL;
	p[0] = type;
	p[1] = len & 0xff;
	p[2] = len >> 8;
	return p + 3;
}

ssize_t ks3_meta_encode(const struct ks3_meta *m, u8 *buf, size_t size)
{
	u8 *p = buf, *end = buf + size;
	unsigned int i;

	if (size < 1)
		return -E2BIG;
	*p++ = KS3_META_VERSION;
	for (i = 0; i < KS3_META_NR_STD; i++) {
		if (!m->std[i].len)
			continue;
		p = ks3_meta_put_rec(p, end, KS3_META_REC_STD + i,
				     m->std[i].len);
		if (!p)
			return -E2BIG;
		memcpy(p, m->std[i].p, m->std[i].len);
		p += m->std[i].len;
	}
	for (i = 0; i < m->nr_user && i < KS3_META_USER_MAX; i++) {
		const struct ks3_meta_user *u = &m->user[i];

		p = ks3_meta_put_rec(p, end, KS3_META_REC_USER,
				     1 + (size_t)u->name_len + u->value_len);
		if (!p)
			return -E2BIG;
		*p++ = u->name_len;
		memcpy(p, u->name, u->name_len);
		p += u->name_len;
		memcpy(p, u->value, u->value_len);
		p += u->value_len;
	}
	if (m->cksum_algo != KS3_CKSUM_NONE) {
		if (m->cksum_algo >= KS3_CKSUM_NR ||
		    m->cksum_len != ks3_meta_cksum_sizes[m->cksum_algo])
			return -EINVAL;
		p = ks3_meta_put_rec(p, end, KS3_META_REC_CKSUM,
				     1 + (size_t)m->cksum_len);
		if (!p)
			return -E2BIG;
		*p++ = m->cksum_algo;
		memcpy(p, m->cksum, m->cksum_len);
		p += m->cksum_len;
	}
	if (m->upload_cksum_algo != KS3_CKSUM_NONE) {
		if (m->upload_cksum_algo >= KS3_CKSUM_NR)
			return -EINVAL;
		p = ks3_meta_put_rec(p, end, KS3_META_REC_UPLOAD_CKSUM,
				     m->upload_cksum_full ? 2 : 1);
		if (!p)
			return -E2BIG;
		*p++ = m->upload_cksum_algo;
		if (m->upload_cksum_full)
			*p++ = 1;
	}
	return p - buf;
}

int ks3_meta_decode(const u8 *buf, size_t len, struct ks3_meta *m)
{
	size_t off = 1;

	memset(m, 0, offsetof(struct ks3_meta, ce_buf));
	if (!len)
		return 0;		/* no metadata at all */
	if (buf[0] != KS3_META_VERSION)
		return -EINVAL;
	while (off < len) {
		const u8 *v;
		size_t rlen;
		u8 type;

		if (len - off < 3)
			return -EINVAL;
		type = buf[off];
		rlen = buf[off + 1] | (size_t)buf[off + 2] << 8;
		off += 3;
		if (rlen > len - off)
			return -EINVAL;
		v = buf + off;
		off += rlen;
		if (type >= KS3_META_REC_STD &&
		    type < KS3_META_REC_STD + KS3_META_NR_STD) {
			m->std[type - KS3_META_REC_STD].p = (const char *)v;
			m->std[type - KS3_META_REC_STD].len = rlen;
		} else if (type == KS3_META_REC_USER) {
			struct ks3_meta_user *u;

			if (rlen < 1 || v[0] + 1U > rlen || !v[0])
				return -EINVAL;
			if (m->nr_user >= KS3_META_USER_MAX)
				return -EINVAL;
			u = &m->user[m->nr_user++];
			u->name_len = v[0];
			u->name = (const char *)v + 1;
			u->value = u->name + u->name_len;
			u->value_len = rlen - 1 - u->name_len;
		} else if (type == KS3_META_REC_CKSUM) {
			if (rlen < 1 || v[0] == KS3_CKSUM_NONE ||
			    v[0] >= KS3_CKSUM_NR ||
			    rlen - 1 != ks3_meta_cksum_sizes[v[0]])
				return -EINVAL;
			m->cksum_algo = v[0];
			m->cksum_len = rlen - 1;
			memcpy(m->cksum, v + 1, rlen - 1);
		} else if (type == KS3_META_REC_UPLOAD_CKSUM) {
			if (rlen < 1 || rlen > 2 || v[0] >= KS3_CKSUM_NR ||
			    (rlen == 2 && v[1] != 1))
				return -EINVAL;
			m->upload_cksum_algo = v[0];
			m->upload_cksum_full = rlen == 2;
		}
		/* Unknown types are skipped. */
	}
	return 0;
}
