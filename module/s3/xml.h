/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bounded XML writer for S3 response documents.
 *
 * The document grows in a kvmalloc'd buffer up to a fixed maximum; every
 * failure (no memory, over the maximum) is sticky and reported once, by
 * ks3_xml_take(), so callers write a whole document without checking each
 * call.
 *
 * Text is escaped for element content:
 *  - & < > " ' become &amp; &lt; &gt; &quot; &apos;
 *  - control bytes (below 0x20, and 0x7f) become numeric references:
 *    TAB, LF and CR as &#9; &#10; &#13; (as AWS documents for keys), the
 *    others as &#xN;. XML 1.0 parsers reject those, as they reject AWS's
 *    own listings of such keys: clients that need them use encoding-type=url.
 *  - bytes that are not well-formed UTF-8 (stray continuation bytes,
 *    overlong forms, surrogates, code points above U+10FFFF, truncated
 *    sequences) are replaced, one per byte, by U+FFFD, so the document is
 *    always valid UTF-8. Exact bytes are available through encoding-type=url.
 */
#ifndef _KS3_S3_XML_H
#define _KS3_S3_XML_H

#include <linux/types.h>

#define KS3_XML_PROLOG	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define KS3_XML_NS	"http://s3.amazonaws.com/doc/2006-03-01/"
/* Largest document: a 1000-key listing of 1024-byte keys, all escaped. */
#define KS3_XML_MAX	(8U << 20)

struct ks3_xml {
	char *buf;
	size_t len;
	size_t cap;
	size_t max;
	int err;			/* sticky: -ENOMEM or -E2BIG */
};

void ks3_xml_init(struct ks3_xml *x, size_t max);
void ks3_xml_free(struct ks3_xml *x);
/* Appends @len bytes as they are (markup). */
void ks3_xml_raw(struct ks3_xml *x, const char *s, size_t len);
void ks3_xml_str(struct ks3_xml *x, const char *s);
/* Appends @len bytes of text, escaped. */
void ks3_xml_text(struct ks3_xml *x, const char *s, size_t len);
void ks3_xml_open(struct ks3_xml *x, const char *tag);
void ks3_xml_close(struct ks3_xml *x, const char *tag);
/* <tag>escaped text</tag> */
void ks3_xml_elem(struct ks3_xml *x, const char *tag, const char *s,
		  size_t len);
void ks3_xml_elem_str(struct ks3_xml *x, const char *tag, const char *s);
void ks3_xml_elem_u64(struct ks3_xml *x, const char *tag, u64 v);
void ks3_xml_elem_bool(struct ks3_xml *x, const char *tag, bool v);
/*
 * Hands the document over (*@buf kvmalloc'd, the caller frees it with
 * kvfree()) and resets @x; or returns the sticky error (and frees).
 */
int ks3_xml_take(struct ks3_xml *x, void **buf, size_t *len);

/* Bytes of escaped text for @len bytes at @s (ks3_xml_text's output). */
size_t ks3_xml_escaped_len(const char *s, size_t len);

#endif /* _KS3_S3_XML_H */
