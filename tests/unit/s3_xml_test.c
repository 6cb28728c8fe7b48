// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of module/s3/xml.c: escaping of XML-special and control
 * characters, invalid UTF-8 replaced by U+FFFD, the size bound.
 */
#include <stdlib.h>

#include "s3/xml.c"
#include "unit.h"

/* The escaped form of @len bytes, NUL-terminated (caller frees). */
static char *esc(const char *s, size_t len)
{
	struct ks3_xml x;
	void *buf;
	size_t n;
	char *out;

	ks3_xml_init(&x, 1 << 20);
	ks3_xml_text(&x, s, len);
	if (ks3_xml_take(&x, &buf, &n))
		abort();
	out = malloc(n + 1);
	if (!out)
		abort();
	if (n)
		memcpy(out, buf, n);
	out[n] = '\0';
	kvfree(buf);
	if (ks3_xml_escaped_len(s, len) != n)
		unit_fail(__FILE__, __LINE__, "escaped_len %zu != %zu",
			  ks3_xml_escaped_len(s, len), n);
	return out;
}

#define CHECK_ESC(in, want) do {					\
		char *got_ = esc(in, sizeof(in) - 1);			\
		EXPECT_STREQ(got_, want);				\
		free(got_);						\
	} while (0)

TEST(plain_text_unchanged)
{
	CHECK_ESC("photos/2024/a b.jpg", "photos/2024/a b.jpg");
	CHECK_ESC("", "");
}

TEST(xml_special)
{
	CHECK_ESC("a&b<c>d\"e'f", "a&amp;b&lt;c&gt;d&quot;e&apos;f");
	CHECK_ESC("&&", "&amp;&amp;");
}

TEST(control_chars)
{
	CHECK_ESC("a\tb\nc\rd", "a&#9;b&#10;c&#13;d");
	CHECK_ESC("\x01\x1f\x7f", "&#x01;&#x1F;&#x7F;");
}

TEST(valid_utf8_kept)
{
	CHECK_ESC("caf\xc3\xa9", "caf\xc3\xa9");		/* é */
	CHECK_ESC("\xe2\x82\xac", "\xe2\x82\xac");		/* € */
	CHECK_ESC("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");	/* emoji */
	CHECK_ESC("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");	/* U+10FFFF */
}

TEST(invalid_utf8_replaced)
{
	/* stray continuation, overlong, surrogate, > U+10FFFF, truncated */
	CHECK_ESC("a\x80z", "a\xef\xbf\xbdz");
	CHECK_ESC("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_ESC("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_ESC("\xf4\x90\x80\x80",
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_ESC("\xe2\x82", "\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_ESC("\xff", "\xef\xbf\xbd");
}

TEST(truncated_sequence_at_end_reads_nothing_past)
{
	/* An exact-size heap copy: ASan catches a read past the end. */
	char *s = malloc(2);
	char *out;

	s[0] = 'x';
	s[1] = (char)0xf0;
	out = esc(s, 2);
	EXPECT_STREQ(out, "x\xef\xbf\xbd");
	free(out);
	free(s);
}

TEST(elements)
{
	struct ks3_xml x;
	void *buf;
	size_t n;

	ks3_xml_init(&x, 4096);
	ks3_xml_open(&x, "A");
	ks3_xml_elem_str(&x, "K", "<k>");
	ks3_xml_elem_u64(&x, "N", 0);
	ks3_xml_elem_u64(&x, "M", 18446744073709551615ULL);
	ks3_xml_elem_bool(&x, "T", true);
	ks3_xml_close(&x, "A");
	ASSERT_EQ(ks3_xml_take(&x, &buf, &n), 0);
	EXPECT_MEMEQ(buf, "<A><K>&lt;k&gt;</K><N>0</N><M>18446744073709551615</M><T>true</T></A>",
		     n);
	EXPECT_EQ(n, strlen("<A><K>&lt;k&gt;</K><N>0</N><M>18446744073709551615</M><T>true</T></A>"));
	kvfree(buf);
}

TEST(bound_is_sticky)
{
	struct ks3_xml x;
	void *buf = NULL;
	size_t n = 0;
	int i;

	ks3_xml_init(&x, 100);
	for (i = 0; i < 50; i++)
		ks3_xml_text(&x, "&&&", 3);	/* 15 bytes each */
	ks3_xml_raw(&x, "x", 1);
	EXPECT_EQ(ks3_xml_take(&x, &buf, &n), -E2BIG);
	EXPECT_NULL(buf);
	EXPECT_NULL(x.buf);
}

TEST(growth_keeps_content)
{
	struct ks3_xml x;
	void *buf;
	size_t n, i;

	ks3_xml_init(&x, KS3_XML_MAX);
	for (i = 0; i < 10000; i++)
		ks3_xml_raw(&x, "0123456789", 10);
	ASSERT_EQ(ks3_xml_take(&x, &buf, &n), 0);
	ASSERT_EQ(n, 100000);
	for (i = 0; i < n; i++)
		if (((char *)buf)[i] != '0' + (char)(i % 10))
			break;
	EXPECT_EQ(i, n);
	kvfree(buf);
}
