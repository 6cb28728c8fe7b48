// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of module/storage/bucket_name.c, compiled unchanged against
 * tools/testing/include. Every name is copied into a heap block of exactly
 * its length, so ASan stops any read past @len.
 */
#include <stdlib.h>

#include "storage/bucket_name.c"
#include "unit.h"

#define R_LEN	 "bucket name must be between 3 and 63 characters long"
#define R_CHARS	 "bucket name may contain only a-z, 0-9, dots and hyphens"
#define R_DOTS	 "bucket name must not contain two adjacent dots"
#define R_ENDS	 "bucket name must begin and end with a letter or digit"
#define R_IP	 "bucket name must not be formatted as an IP address"
#define R_PREFIX "bucket name must not start with a reserved prefix"
#define R_SUFFIX "bucket name must not end with a reserved suffix"

/* The validator's answer for @len bytes at @s, read from an exact copy. */
static const char *problem(const char *s, size_t len)
{
	char *copy = malloc(len ? len : 1);
	const char *ret;

	if (!copy)
		abort();
	memcpy(copy, s, len);
	ret = ks3_bucket_name_problem(copy, len);
	free(copy);
	return ret;
}

static void check(const char *s, size_t len, const char *want, int line)
{
	const char *got = problem(s, len);

	if (!got != !want || (got && strcmp(got, want)))
		unit_fail(__FILE__, line, "\"%s\" (%zu bytes): got \"%s\", want \"%s\"",
			  unit_quote(s, len), len, got ? got : "valid",
			  want ? want : "valid");
}

/* A string literal, embedded NULs included. */
#define CHECK(lit, want)	check(lit, sizeof(lit) - 1, want, __LINE__)
#define VALID(lit)		CHECK(lit, NULL)

TEST(valid_names)
{
	VALID("abc");
	VALID("my-bucket");
	VALID("my.bucket.name");
	VALID("a1b");
	VALID("123");
	VALID("1-2");
	VALID("a.b-c");
	VALID("a--b");
	VALID("a-.b");		/* AWS's current rules allow "-." and ".-" */
	VALID("a.-b");
	VALID("docexamplebucket1");
	VALID("log-delivery-march-2020");
	VALID("my-hosted-content");
	VALID("www.example.com");
	VALID("0-9");
}

TEST(length_limits)
{
	char name[80];
	size_t len;

	memset(name, 'a', sizeof(name));
	for (len = 0; len <= sizeof(name); len++)
		check(name, len, len >= 3 && len <= 63 ? NULL : R_LEN,
		      __LINE__);
	CHECK("ab", R_LEN);
	CHECK("abc", NULL);
	/* Length is checked before anything else. */
	CHECK("A", R_LEN);
	CHECK("..", R_LEN);
	CHECK("", R_LEN);
	EXPECT_STREQ(ks3_bucket_name_problem(name, SIZE_MAX), R_LEN);
	EXPECT_EQ(KS3_BUCKET_NAME_MIN, 3);
	EXPECT_EQ(KS3_BUCKET_NAME_MAX, 63);
}

TEST(length_63_and_64_with_mixed_chars)
{
	const char *n63 = "a.b-c.0123456789-abcdefghijklmnopqrstuvwxyz.0123456789-abcdefgh";
	const char *n64 = "a.b-c.0123456789-abcdefghijklmnopqrstuvwxyz.0123456789-abcdefghi";

	ASSERT_EQ(strlen(n63), 63);
	ASSERT_EQ(strlen(n64), 64);
	check(n63, 63, NULL, __LINE__);
	check(n64, 64, R_LEN, __LINE__);
}

TEST(uppercase_rejected)
{
	CHECK("MyBucket", R_CHARS);
	CHECK("abC", R_CHARS);
	CHECK("Abc", R_CHARS);
	CHECK("aBc", R_CHARS);
	CHECK("ABC", R_CHARS);
}

TEST(underscore_and_punctuation_rejected)
{
	CHECK("my_bucket", R_CHARS);
	CHECK("_abc", R_CHARS);
	CHECK("abc_", R_CHARS);
	CHECK("a b", R_CHARS);
	CHECK("a/b", R_CHARS);
	CHECK("a:b", R_CHARS);
	CHECK("a@b", R_CHARS);
	CHECK("a!b", R_CHARS);
	CHECK("a~b", R_CHARS);
	CHECK("a+b", R_CHARS);
	CHECK("a%2fb", R_CHARS);
}

/* Every byte value in the first, middle and last position of "aXb". */
TEST(every_byte_in_every_position)
{
	unsigned int c;

	for (c = 0; c < 256; c++) {
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		bool allowed = alnum || c == '.' || c == '-';
		char mid[3] = { 'a', (char)c, 'b' };
		char first[3] = { (char)c, 'a', 'b' };
		char last[3] = { 'a', 'b', (char)c };

		check(mid, 3, allowed ? NULL : R_CHARS, __LINE__);
		check(first, 3, alnum ? NULL : allowed ? R_ENDS : R_CHARS,
		      __LINE__);
		check(last, 3, alnum ? NULL : allowed ? R_ENDS : R_CHARS,
		      __LINE__);
	}
}

TEST(leading_and_trailing_dot_or_hyphen)
{
	CHECK(".abc", R_ENDS);
	CHECK("abc.", R_ENDS);
	CHECK("-abc", R_ENDS);
	CHECK("abc-", R_ENDS);
	CHECK("-ab-", R_ENDS);
	CHECK(".-.", R_ENDS);
	CHECK("---", R_ENDS);
}

TEST(adjacent_dots)
{
	CHECK("a..b", R_DOTS);
	CHECK("ab...c", R_DOTS);
	CHECK("my..bucket", R_DOTS);
	CHECK("a.b..c.d", R_DOTS);
	CHECK("abc..", R_DOTS);		/* found before the trailing dot */
	CHECK("..abc", R_DOTS);
	VALID("a.b.c");
}

TEST(ipv4_formatted)
{
	CHECK("192.168.5.4", R_IP);
	CHECK("1.2.3.4", R_IP);
	CHECK("0.0.0.0", R_IP);
	CHECK("255.255.255.255", R_IP);
	CHECK("10.0.0.1", R_IP);
	CHECK("01.02.03.04", R_IP);
	/* The shape is what counts, not whether each group is <= 255. */
	CHECK("999.999.999.999", R_IP);
	CHECK("256.1.1.1", R_IP);
}

TEST(ipv4_near_misses_valid)
{
	VALID("1234.1.1.1");		/* a 4-digit group */
	VALID("1.1.1.1234");
	VALID("1.2345.6.7");
	VALID("1.2.3");			/* 3 groups */
	VALID("1.2.3.4.5");		/* 5 groups */
	VALID("192.168.5.4.1");
	VALID("1.2.3.4a");
	VALID("a1.2.3.4");
	VALID("1.2.3-4");
	VALID("1-2.3.4.5");
	VALID("192.168.5.4-x");
	VALID("12345");
}

TEST(ipv4_helper_shapes)
{
	EXPECT_TRUE(ks3_bucket_looks_like_ipv4("1.2.3.4", 7));
	EXPECT_FALSE(ks3_bucket_looks_like_ipv4("1.2.3.", 6));
	EXPECT_FALSE(ks3_bucket_looks_like_ipv4(".1.2.3", 6));
	EXPECT_FALSE(ks3_bucket_looks_like_ipv4("1..2.3", 6));
	EXPECT_FALSE(ks3_bucket_looks_like_ipv4("1.2.3.4.", 8));
	EXPECT_FALSE(ks3_bucket_looks_like_ipv4("", 0));
	/* @len bounds the scan: "1.2.3.4" inside a longer buffer. */
	EXPECT_TRUE(ks3_bucket_looks_like_ipv4("1.2.3.4.5", 7));
}

TEST(reserved_prefixes)
{
	CHECK("xn--abc", R_PREFIX);
	CHECK("xn--bcher-kva", R_PREFIX);
	CHECK("sthree-abc", R_PREFIX);
	CHECK("sthree-configurator", R_PREFIX);
	CHECK("amzn-s3-demo-bucket", R_PREFIX);
	CHECK("amzn-s3-demo-1", R_PREFIX);
	VALID("xn-abc");
	VALID("xnabc");
	VALID("axn--abc");		/* only at the start */
	VALID("sthree");
	VALID("sthreeabc");
	VALID("my-sthree-abc");
	VALID("amzn-s3-demo");
	VALID("amzn-s3-demobucket");
	VALID("amzn-s3");
}

TEST(reserved_suffixes)
{
	CHECK("bucket-s3alias", R_SUFFIX);
	CHECK("bucket--ol-s3", R_SUFFIX);
	CHECK("bucket.mrap", R_SUFFIX);
	CHECK("bucket--x-s3", R_SUFFIX);
	CHECK("bucket--table-s3", R_SUFFIX);
	CHECK("a-s3alias", R_SUFFIX);
	CHECK("a.mrap", R_SUFFIX);
	VALID("bucket-s3alias1");	/* only at the end */
	VALID("bucket-s3alia");
	VALID("s3alias");
	VALID("bucket-ol-s3");
	VALID("bucket-x-s3");
	VALID("bucket-table-s3");
	VALID("mrap");
	VALID("bucketmrap");
	VALID("bucket-mrap");
	/* A suffix alone breaks the first-character rule first. */
	CHECK("-s3alias", R_ENDS);
	CHECK(".mrap", R_ENDS);
}

TEST(non_ascii_bytes)
{
	CHECK("caf\xc3\xa9", R_CHARS);
	CHECK("\x80" "bc", R_CHARS);
	CHECK("ab\xff", R_CHARS);
	CHECK("a\xe2\x80\x8b" "b", R_CHARS);	/* zero-width space */
	CHECK("\xef\xbd\x81" "bc", R_CHARS);	/* fullwidth 'a' */
}

TEST(embedded_nul_with_explicit_length)
{
	CHECK("ab\0cd", R_CHARS);
	CHECK("abc\0", R_CHARS);
	CHECK("\0abc", R_CHARS);
	CHECK("a\0", R_LEN);
	/* @len, not a terminator, ends the name: "abc" of "abcX". */
	check("abcX", 3, NULL, __LINE__);
	check("abc..", 3, NULL, __LINE__);
	check("my-bucket-s3alias", 9, NULL, __LINE__);
	check("192.168.5.4", 9, NULL, __LINE__);	/* "192.168.5" */
}

TEST(reason_is_static_and_stable)
{
	const char *a = ks3_bucket_name_problem("A_b", 3);
	const char *b = ks3_bucket_name_problem("Xyz", 3);

	EXPECT_PTR_EQ(a, b);
	EXPECT_NULL(ks3_bucket_name_problem("abc", 3));
}
