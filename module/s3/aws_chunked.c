// SPDX-License-Identifier: GPL-2.0
/*
 * aws-chunked body decoder (see aws_chunked.h). A byte-at-a-time state
 * machine for the framing, bulk runs for the data, so any split of the
 * input decodes the same. Chunk data is hashed as it passes and each
 * chunk's signature checked once its closing CRLF arrives.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <crypto/algapi.h>

#include "s3/aws_chunked.h"
#include "s3/checksum.h"

enum ks3_aws_chunked_state {
	KS3_AWSC_SIZE,			/* a chunk-size line */
	KS3_AWSC_DATA,			/* chunk data */
	KS3_AWSC_DATA_CR,		/* the CRLF after it */
	KS3_AWSC_DATA_LF,
	KS3_AWSC_TRAILER,		/* trailer lines, up to the blank one */
	KS3_AWSC_END,			/* the blank line (no trailer) */
	KS3_AWSC_DONE,
};

#define KS3_AWSC_SIG_EXT	";chunk-signature="
#define KS3_AWSC_TRAILER_SIG	"x-amz-trailer-signature"

void ks3_aws_chunked_init(struct ks3_aws_chunked *d,
			  const struct ks3_aws_chunked_params *p)
{
	memset(d, 0, sizeof(*d));
	d->p = *p;
	d->state = KS3_AWSC_SIZE;
	if (p->stream)
		memcpy(d->prev, p->stream->seed, sizeof(d->prev));
}

void ks3_aws_chunked_release(struct ks3_aws_chunked *d)
{
	if (d->hashing)
		ks3_digest_abort(&d->chunk_hash);
	d->hashing = false;
}

static char ks3_awsc_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int ks3_awsc_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Check @sig against the signature of the data hashed in @sha. */
static int ks3_awsc_check_chunk(struct ks3_aws_chunked *d, const u8 *sha)
{
	u8 sig[KS3_SHA256_SIZE];
	int ret;

	ret = ks3_sigv4_chunk_signature(d->p.stream, d->prev, sha, sig);
	if (ret)
		return ret;
	if (crypto_memneq(sig, d->expect, sizeof(sig)))
		return -EKEYREJECTED;
	memcpy(d->prev, sig, sizeof(sig));
	return 0;
}

/* The CRLF after a chunk's data: its signature. */
static int ks3_awsc_end_chunk(struct ks3_aws_chunked *d)
{
	u8 sha[KS3_SHA256_SIZE];
	int ret;

	if (!d->p.stream)
		return 0;
	d->hashing = false;
	ret = ks3_digest_final(&d->chunk_hash, sha);
	if (ret)
		return ret;
	return ks3_awsc_check_chunk(d, sha);
}

static int ks3_awsc_size_line(struct ks3_aws_chunked *d)
{
	const char *s = d->line;
	size_t len = d->line_len, i, ext = strlen(KS3_AWSC_SIG_EXT);
	u64 size = 0;
	u8 sha[KS3_SHA256_SIZE];
	int v, ret;

	for (i = 0; i < len && (v = ks3_awsc_hex(s[i])) >= 0; i++) {
		if (i == 16)
			return -EMSGSIZE;
		size = size << 4 | v;
	}
	if (!i)
		return -EBADMSG;
	if (d->p.stream) {
		if (len - i != ext + 2 * KS3_SHA256_SIZE ||
		    memcmp(s + i, KS3_AWSC_SIG_EXT, ext) ||
		    ks3_hex_decode(d->expect, s + i + ext, KS3_SHA256_SIZE,
				   true))
			return -EBADMSG;
	} else if (i != len) {
		return -EBADMSG;
	}
	if (size > d->p.decoded_length - d->total)
		return -EMSGSIZE;
	if (size) {
		d->remaining = size;
		d->state = KS3_AWSC_DATA;
		if (d->p.stream) {
			ret = ks3_digest_init(&d->chunk_hash,
					      KS3_DIGEST_SHA256);
			if (ret)
				return ret;
			d->hashing = true;
		}
		return 0;
	}
	/* the last chunk: its signature covers no data */
	if (d->p.stream) {
		ret = ks3_digest_oneshot(KS3_DIGEST_SHA256, "", 0, sha);
		if (!ret)
			ret = ks3_awsc_check_chunk(d, sha);
		if (ret)
			return ret;
	}
	d->state = d->p.trailer ? KS3_AWSC_TRAILER : KS3_AWSC_END;
	return 0;
}

/* Is @name (lower case) in the x-amz-trailer list? */
static bool ks3_awsc_announced(const struct ks3_aws_chunked *d,
			       const char *name, size_t len)
{
	const char *s = d->p.allowed, *end = s + d->p.allowed_len, *e;
	size_t i, n;

	if (!s)
		return false;
	while (s < end) {
		e = memchr(s, ',', end - s);
		if (!e)
			e = end;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		n = e - s;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n == len) {
			for (i = 0; i < n; i++)
				if (ks3_awsc_lower(s[i]) != name[i])
					break;
			if (i == n)
				return true;
		}
		s = e + 1;
	}
	return false;
}

static bool ks3_awsc_have(const struct ks3_aws_chunked *d, const char *name,
			  size_t len)
{
	unsigned int i;

	for (i = 0; i < d->nr_trailers; i++)
		if (d->fields[i].name_len == len &&
		    !memcmp(d->trailer + d->fields[i].off, name, len))
			return true;
	return false;
}

/* Every name x-amz-trailer announced arrived? */
static bool ks3_awsc_all_present(const struct ks3_aws_chunked *d)
{
	const char *s = d->p.allowed, *end = s + d->p.allowed_len, *e;
	char name[64];
	size_t n, i;

	if (!s)
		return true;
	while (s < end) {
		e = memchr(s, ',', end - s);
		if (!e)
			e = end;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		n = e - s;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n) {
			if (n > sizeof(name))
				return false;
			for (i = 0; i < n; i++)
				name[i] = ks3_awsc_lower(s[i]);
			if (!ks3_awsc_have(d, name, n))
				return false;
		}
		s = e + 1;
	}
	return true;
}

static int ks3_awsc_trailer_signature(struct ks3_aws_chunked *d,
				      const char *val, size_t len)
{
	u8 sha[KS3_SHA256_SIZE], want[KS3_SHA256_SIZE], sig[KS3_SHA256_SIZE];
	int ret;

	if (!d->p.stream || d->trailer_signed)
		return -EBADMSG;
	if (len != 2 * KS3_SHA256_SIZE ||
	    ks3_hex_decode(want, val, KS3_SHA256_SIZE, true))
		return -EBADMSG;
	ret = ks3_digest_oneshot(KS3_DIGEST_SHA256, d->trailer, d->trailer_len,
				 sha);
	if (!ret)
		ret = ks3_sigv4_trailer_signature(d->p.stream, d->prev, sha,
						  sig);
	if (ret)
		return ret;
	if (crypto_memneq(sig, want, sizeof(sig)))
		return -EKEYREJECTED;
	d->trailer_signed = true;
	return 0;
}

/* The end of the body: 1, or why not. */
static int ks3_awsc_finish(struct ks3_aws_chunked *d)
{
	if (d->p.trailer) {
		if (d->p.stream && !d->trailer_signed)
			return -EBADMSG;
		if (!ks3_awsc_all_present(d))
			return -EPROTO;
	}
	if (d->total != d->p.decoded_length)
		return -ERANGE;
	d->state = KS3_AWSC_DONE;
	return 1;
}

static int ks3_awsc_trailer_line(struct ks3_aws_chunked *d)
{
	const char *s = d->line, *colon, *val;
	size_t len = d->line_len, nlen, vlen, i, need;
	struct ks3_aws_trailer_field *f;
	char name[64];

	if (!len) {
		/* one blank line before any field: tolerated when signed */
		if (d->p.stream && !d->nr_trailers && !d->trailer_signed &&
		    !d->blank_seen) {
			d->blank_seen = true;
			return 0;
		}
		return ks3_awsc_finish(d);
	}
	if (d->trailer_signed)
		return -EBADMSG;	/* nothing after the signature */
	colon = memchr(s, ':', len);
	if (!colon || colon == s)
		return -EBADMSG;
	nlen = colon - s;
	if (nlen > sizeof(name))
		return -EPROTO;
	for (i = 0; i < nlen; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			return -EBADMSG;
		name[i] = ks3_awsc_lower(s[i]);
	}
	val = colon + 1;
	vlen = len - nlen - 1;
	while (vlen && (*val == ' ' || *val == '\t')) {
		val++;
		vlen--;
	}
	while (vlen && (val[vlen - 1] == ' ' || val[vlen - 1] == '\t'))
		vlen--;
	if (nlen == strlen(KS3_AWSC_TRAILER_SIG) &&
	    !memcmp(name, KS3_AWSC_TRAILER_SIG, nlen))
		return ks3_awsc_trailer_signature(d, val, vlen);
	if (!ks3_awsc_announced(d, name, nlen) || ks3_awsc_have(d, name, nlen))
		return -EPROTO;
	if (d->nr_trailers == KS3_AWS_CHUNKED_TRAILERS)
		return -EMSGSIZE;
	need = nlen + 1 + vlen + 1;
	if (need > sizeof(d->trailer) - d->trailer_len)
		return -EMSGSIZE;
	/* kept exactly as the trailer signature hashes it: "name:value\n" */
	f = &d->fields[d->nr_trailers++];
	f->off = d->trailer_len;
	f->name_len = nlen;
	f->value_len = vlen;
	memcpy(d->trailer + d->trailer_len, name, nlen);
	d->trailer[d->trailer_len + nlen] = ':';
	memcpy(d->trailer + d->trailer_len + nlen + 1, val, vlen);
	d->trailer[d->trailer_len + need - 1] = '\n';
	d->trailer_len += need;
	return 0;
}

static int ks3_awsc_line(struct ks3_aws_chunked *d)
{
	switch (d->state) {
	case KS3_AWSC_SIZE:
		return ks3_awsc_size_line(d);
	case KS3_AWSC_TRAILER:
		return ks3_awsc_trailer_line(d);
	case KS3_AWSC_END:
		return d->line_len ? -EBADMSG : ks3_awsc_finish(d);
	default:
		return -EBADMSG;
	}
}

/* On an error *used still counts the bytes up to the bad one. */
static int ks3_awsc_fail(struct ks3_aws_chunked *d, int err, size_t *used,
			 size_t i)
{
	*used = i;
	ks3_aws_chunked_release(d);
	d->err = err;
	return err;
}

int ks3_aws_chunked_decode(struct ks3_aws_chunked *d, const u8 *in,
			   size_t in_len, size_t *used, const u8 **data,
			   size_t *data_len)
{
	size_t i = 0, n;
	int ret;
	u8 c;

	*used = 0;
	*data = NULL;
	*data_len = 0;
	if (d->err)
		return d->err;
	if (d->state == KS3_AWSC_DONE)
		return 1;
	while (i < in_len) {
		if (d->state == KS3_AWSC_DATA) {
			n = min_t(u64, d->remaining, in_len - i);
			if (d->hashing) {
				ret = ks3_digest_update(&d->chunk_hash, in + i,
							n);
				if (ret)
					return ks3_awsc_fail(d, ret, used, i);
			}
			*data = in + i;
			*data_len = n;
			i += n;
			d->remaining -= n;
			d->total += n;
			if (!d->remaining)
				d->state = KS3_AWSC_DATA_CR;
			*used = i;
			return 0;
		}
		c = in[i++];
		switch (d->state) {
		case KS3_AWSC_DATA_CR:
			if (c != '\r')
				return ks3_awsc_fail(d, -EBADMSG, used, i);
			d->state = KS3_AWSC_DATA_LF;
			break;
		case KS3_AWSC_DATA_LF:
			if (c != '\n')
				return ks3_awsc_fail(d, -EBADMSG, used, i);
			ret = ks3_awsc_end_chunk(d);
			if (ret)
				return ks3_awsc_fail(d, ret, used, i);
			d->state = KS3_AWSC_SIZE;
			d->line_len = 0;
			break;
		default:
			if (c == '\n') {
				if (!d->line_len ||
				    d->line[d->line_len - 1] != '\r')
					return ks3_awsc_fail(d, -EBADMSG, used, i);
				d->line_len--;
				ret = ks3_awsc_line(d);
				d->line_len = 0;
				if (ret < 0)
					return ks3_awsc_fail(d, ret, used, i);
				if (ret == 1) {
					*used = i;
					return 1;
				}
				break;
			}
			/* CR only right before LF; no other controls */
			if ((d->line_len && d->line[d->line_len - 1] == '\r') ||
			    (c < 0x20 && c != '\r' && c != '\t') || c == 0x7f)
				return ks3_awsc_fail(d, -EBADMSG, used, i);
			if (d->line_len == sizeof(d->line))
				return ks3_awsc_fail(d, -EMSGSIZE, used, i);
			d->line[d->line_len++] = c;
			break;
		}
	}
	*used = i;
	return 0;
}

const char *ks3_aws_chunked_trailer(const struct ks3_aws_chunked *d,
				    const char *lname, size_t *len)
{
	size_t n = strlen(lname);
	unsigned int i;

	for (i = 0; i < d->nr_trailers; i++) {
		const struct ks3_aws_trailer_field *f = &d->fields[i];

		if (f->name_len == n &&
		    !memcmp(d->trailer + f->off, lname, n)) {
			*len = f->value_len;
			return d->trailer + f->off + n + 1;
		}
	}
	return NULL;
}
