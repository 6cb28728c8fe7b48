// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of module/s3/xml_req.c: the tokenizer (well-formedness,
 * entities, CDATA, comments, DOCTYPE refused, depth bound) and the
 * CompleteMultipartUpload and Delete schemas with their S3 errors.
 */
#include <stdlib.h>

#include "s3/xml_req.c"
#include "unit.h"

#define NS " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\""

static struct ks3_xml_part parts[KS3_PARTS_MAX + 2];
static unsigned int nparts;
static int fail_at = -1;

static int got_part(void *arg, const struct ks3_xml_part *p)
{
	(void)arg;
	if ((int)nparts == fail_at)
		return -ENOMEM;
	if (nparts < ARRAY_SIZE(parts))
		parts[nparts] = *p;
	nparts++;
	return 0;
}

static enum ks3_s3_err complete(const char *s)
{
	nparts = 0;
	return ks3_xml_parse_complete(s, strlen(s), got_part, NULL);
}

static struct ks3_xml_delete_obj objs[4];
static unsigned int nobjs;

static int got_obj(void *arg, const struct ks3_xml_delete_obj *o)
{
	(void)arg;
	if (nobjs < ARRAY_SIZE(objs))
		objs[nobjs] = *o;
	nobjs++;
	return 0;
}

static enum ks3_s3_err del(const char *s, bool *quiet)
{
	nobjs = 0;
	return ks3_xml_parse_delete(s, strlen(s), quiet, got_obj, NULL);
}

static const char etag1[] = "\"0123456789abcdef0123456789ABCDEF\"";

TEST(complete_basic)
{
	char doc[1024];

	snprintf(doc, sizeof(doc),
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<CompleteMultipartUpload" NS ">\n"
		 "  <Part><ETag>%s</ETag><PartNumber>1</PartNumber></Part>\n"
		 "  <Part><PartNumber> 3 </PartNumber>"
		 "<ETag>&quot;00000000000000000000000000000000&quot;</ETag>"
		 "<ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part>\n"
		 "</CompleteMultipartUpload>\n", etag1);
	ASSERT_EQ(complete(doc), KS3_S3_OK);
	ASSERT_EQ(nparts, 2);
	EXPECT_EQ(parts[0].number, 1);
	EXPECT_TRUE(parts[0].has_etag);
	EXPECT_TRUE(parts[0].etag_valid);
	EXPECT_EQ(parts[0].etag[0], 0x01);
	EXPECT_EQ(parts[0].etag[15], 0xef);
	EXPECT_EQ(parts[0].cksum_alg, KS3_CKSUM_NONE);
	EXPECT_EQ(parts[1].number, 3);
	EXPECT_TRUE(parts[1].etag_valid);
	EXPECT_EQ(parts[1].cksum_alg, KS3_CKSUM_CRC32);
	EXPECT_EQ(parts[1].cksum_b64_len, 8);
	EXPECT_MEMEQ(parts[1].cksum_b64, "AAAAAA==", 8);
}

TEST(complete_errors)
{
	/* not well-formed */
	EXPECT_EQ(complete(""), KS3_S3_MALFORMED_XML);
	EXPECT_EQ(complete("<CompleteMultipartUpload>"), KS3_S3_MALFORMED_XML);
	EXPECT_EQ(complete("<CompleteMultipartUpload><Part><PartNumber>1"
			   "</Part></PartNumber></CompleteMultipartUpload>"),
		  KS3_S3_MALFORMED_XML);
	EXPECT_EQ(complete("<CompleteMultipartUpload></CompleteMultipartUpload>"
			   "<x/>"), KS3_S3_MALFORMED_XML);
	/* no part */
	EXPECT_EQ(complete("<CompleteMultipartUpload/>"), KS3_S3_MALFORMED_XML);
	/* wrong root */
	EXPECT_EQ(complete("<Delete><Part><PartNumber>1</PartNumber></Part>"
			   "</Delete>"), KS3_S3_MALFORMED_XML);
	/* a part without number, a non-number */
	EXPECT_EQ(complete("<CompleteMultipartUpload><Part><ETag>x</ETag>"
			   "</Part></CompleteMultipartUpload>"),
		  KS3_S3_MALFORMED_XML);
	EXPECT_EQ(complete("<CompleteMultipartUpload><Part><PartNumber>1a"
			   "</PartNumber></Part></CompleteMultipartUpload>"),
		  KS3_S3_MALFORMED_XML);
	/* out of range, order */
	EXPECT_EQ(complete("<CompleteMultipartUpload><Part><PartNumber>0"
			   "</PartNumber></Part></CompleteMultipartUpload>"),
		  KS3_S3_INVALID_ARGUMENT);
	EXPECT_EQ(complete("<CompleteMultipartUpload><Part><PartNumber>10001"
			   "</PartNumber></Part></CompleteMultipartUpload>"),
		  KS3_S3_INVALID_ARGUMENT);
	EXPECT_EQ(complete("<CompleteMultipartUpload>"
			   "<Part><PartNumber>2</PartNumber></Part>"
			   "<Part><PartNumber>1</PartNumber></Part>"
			   "</CompleteMultipartUpload>"),
		  KS3_S3_INVALID_PART_ORDER);
	EXPECT_EQ(complete("<CompleteMultipartUpload>"
			   "<Part><PartNumber>2</PartNumber></Part>"
			   "<Part><PartNumber>2</PartNumber></Part>"
			   "</CompleteMultipartUpload>"),
		  KS3_S3_INVALID_PART_ORDER);
	/* an ETag that is not ours is reported, not refused here */
	ASSERT_EQ(complete("<CompleteMultipartUpload><Part><PartNumber>1"
			   "</PartNumber><ETag>\"abc\"</ETag></Part>"
			   "</CompleteMultipartUpload>"), KS3_S3_OK);
	EXPECT_TRUE(parts[0].has_etag);
	EXPECT_FALSE(parts[0].etag_valid);
	/* two checksums in one part */
	EXPECT_EQ(complete("<CompleteMultipartUpload><Part><PartNumber>1"
			   "</PartNumber><ChecksumCRC32>AAAAAA==</ChecksumCRC32>"
			   "<ChecksumCRC32C>AAAAAA==</ChecksumCRC32C></Part>"
			   "</CompleteMultipartUpload>"),
		  KS3_S3_MALFORMED_XML);
	/* the callback's failure */
	fail_at = 0;
	EXPECT_EQ(complete("<CompleteMultipartUpload><Part><PartNumber>1"
			   "</PartNumber></Part></CompleteMultipartUpload>"),
		  KS3_S3_INTERNAL_ERROR);
	fail_at = -1;
}

TEST(complete_too_many_parts)
{
	static const char part[] = "<Part><PartNumber>%u</PartNumber></Part>";
	size_t cap = 64 + (KS3_PARTS_MAX + 1) * 48, len;
	char *doc = malloc(cap);
	unsigned int i;

	ASSERT_NOT_NULL(doc);
	len = snprintf(doc, cap, "<CompleteMultipartUpload>");
	for (i = 1; i <= KS3_PARTS_MAX; i++)
		len += snprintf(doc + len, cap - len, part, i);
	snprintf(doc + len, cap - len, "</CompleteMultipartUpload>");
	EXPECT_EQ(complete(doc), KS3_S3_OK);
	EXPECT_EQ(nparts, KS3_PARTS_MAX);
	len += snprintf(doc + len, cap - len, part, KS3_PARTS_MAX + 1);
	snprintf(doc + len, cap - len, "</CompleteMultipartUpload>");
	EXPECT_EQ(complete(doc), KS3_S3_MALFORMED_XML);
	free(doc);
}

TEST(tokenizer)
{
	/* DOCTYPE (entity definitions) refused outright */
	EXPECT_EQ(complete("<!DOCTYPE x [<!ENTITY a \"b\">]>"
			   "<CompleteMultipartUpload><Part><PartNumber>1"
			   "</PartNumber></Part></CompleteMultipartUpload>"),
		  KS3_S3_MALFORMED_XML);
	/* comments, CDATA, attributes, prefixes, empty elements */
	ASSERT_EQ(complete("<!-- c --><s3:CompleteMultipartUpload a='1' b=\"2\">"
			   "<s3:Part><!-- x --><s3:PartNumber><![CDATA[7]]>"
			   "</s3:PartNumber><Unknown><Deep/></Unknown>"
			   "<ETag/></s3:Part></s3:CompleteMultipartUpload>"),
		  KS3_S3_OK);
	EXPECT_EQ(parts[0].number, 7);
	EXPECT_TRUE(parts[0].has_etag);
	EXPECT_FALSE(parts[0].etag_valid);
	/* mismatched prefix on the end tag */
	EXPECT_EQ(complete("<a:CompleteMultipartUpload><Part><PartNumber>1"
			   "</PartNumber></Part></b:CompleteMultipartUpload>"),
		  KS3_S3_MALFORMED_XML);
	/* bad entity, unterminated comment, attribute without value */
	EXPECT_EQ(complete("<CompleteMultipartUpload><Part><PartNumber>&one;"
			   "</PartNumber></Part></CompleteMultipartUpload>"),
		  KS3_S3_MALFORMED_XML);
	EXPECT_EQ(complete("<CompleteMultipartUpload><!-- "),
		  KS3_S3_MALFORMED_XML);
	EXPECT_EQ(complete("<CompleteMultipartUpload a><Part><PartNumber>1"
			   "</PartNumber></Part></CompleteMultipartUpload>"),
		  KS3_S3_MALFORMED_XML);
	/* depth is bounded */
	EXPECT_EQ(complete("<CompleteMultipartUpload><Part><PartNumber>1"
			   "</PartNumber><a><b><c><d><e><f><g><h></h></g></f>"
			   "</e></d></c></b></a></Part>"
			   "</CompleteMultipartUpload>"),
		  KS3_S3_MALFORMED_XML);
	/* text outside the root */
	EXPECT_EQ(complete("x<CompleteMultipartUpload><Part><PartNumber>1"
			   "</PartNumber></Part></CompleteMultipartUpload>"),
		  KS3_S3_MALFORMED_XML);
}

TEST(text_entities)
{
	struct ks3_xml_tok t = { .type = KS3_XML_TEXT };
	char out[16];
	size_t len = 0;

	t.p = "a&lt;&#x263A;&#65;&amp;";
	t.len = strlen(t.p);
	ASSERT_EQ(ks3_xml_text_append(&t, out, sizeof(out), &len), 0);
	EXPECT_EQ(len, 7);
	EXPECT_MEMEQ(out, "a<\xe2\x98\xba" "A&", 7);
	len = 0;
	t.p = "&#0;";
	t.len = 4;
	EXPECT_EQ(ks3_xml_text_append(&t, out, sizeof(out), &len), -EBADMSG);
	t.p = "&#xD800;";
	t.len = 8;
	EXPECT_EQ(ks3_xml_text_append(&t, out, sizeof(out), &len), -EBADMSG);
	t.p = "&#x110000;";
	t.len = 10;
	EXPECT_EQ(ks3_xml_text_append(&t, out, sizeof(out), &len), -EBADMSG);
	t.p = "&amp";
	t.len = 4;
	EXPECT_EQ(ks3_xml_text_append(&t, out, sizeof(out), &len), -EBADMSG);
	t.p = "0123456789abcdefg";
	t.len = 17;
	len = 0;
	EXPECT_EQ(ks3_xml_text_append(&t, out, sizeof(out), &len), -ENOSPC);
}

TEST(delete_basic)
{
	bool quiet = true;

	ASSERT_EQ(del("<Delete" NS "><Object><Key>a b</Key></Object>"
		      "<Object><Key>x&amp;y&#13;</Key><VersionId>null</VersionId>"
		      "</Object></Delete>", &quiet), KS3_S3_OK);
	EXPECT_FALSE(quiet);
	ASSERT_EQ(nobjs, 2);
	EXPECT_EQ(objs[0].key_len, 3);
	EXPECT_MEMEQ(objs[0].key, "a b", 3);
	EXPECT_FALSE(objs[0].has_version);
	EXPECT_EQ(objs[1].key_len, 4);
	EXPECT_MEMEQ(objs[1].key, "x&y\r", 4);
	EXPECT_TRUE(objs[1].has_version);
	EXPECT_EQ(objs[1].version_len, 4);

	ASSERT_EQ(del("<Delete><Quiet>true</Quiet><Object><Key>k</Key>"
		      "</Object></Delete>", &quiet), KS3_S3_OK);
	EXPECT_TRUE(quiet);
	/* Quiet after the objects counts too */
	ASSERT_EQ(del("<Delete><Object><Key>k</Key></Object><Quiet>True</Quiet>"
		      "</Delete>", &quiet), KS3_S3_OK);
	EXPECT_TRUE(quiet);
}

TEST(delete_errors)
{
	char *doc, key[1100];
	size_t cap, len;
	bool quiet;
	int i;

	EXPECT_EQ(del("<Delete></Delete>", &quiet), KS3_S3_MALFORMED_XML);
	EXPECT_EQ(del("<Delete><Object></Object></Delete>", &quiet),
		  KS3_S3_MALFORMED_XML);
	EXPECT_EQ(del("<Delete><Object><Key></Key></Object></Delete>", &quiet),
		  KS3_S3_MALFORMED_XML);
	EXPECT_EQ(del("<Delete><Quiet>maybe</Quiet><Object><Key>k</Key>"
		      "</Object></Delete>", &quiet), KS3_S3_MALFORMED_XML);
	EXPECT_EQ(del("<Delete><Object><Key>a&#0;</Key></Object></Delete>",
		      &quiet), KS3_S3_MALFORMED_XML);
	EXPECT_EQ(del("<Delete><Object><Key>k</Key></Object>", &quiet),
		  KS3_S3_MALFORMED_XML);
	/* 1024-byte key fits, 1025 does not */
	memset(key, 'k', sizeof(key));
	cap = 4096;
	doc = malloc(cap);
	ASSERT_NOT_NULL(doc);
	snprintf(doc, cap, "<Delete><Object><Key>%.*s</Key></Object></Delete>",
		 1024, key);
	EXPECT_EQ(del(doc, &quiet), KS3_S3_OK);
	EXPECT_EQ(objs[0].key_len, 1024);
	snprintf(doc, cap, "<Delete><Object><Key>%.*s</Key></Object></Delete>",
		 1025, key);
	EXPECT_EQ(del(doc, &quiet), KS3_S3_MALFORMED_XML);
	free(doc);
	/* 1000 objects, not 1001 */
	cap = 64 + 1001 * 40;
	doc = malloc(cap);
	ASSERT_NOT_NULL(doc);
	len = snprintf(doc, cap, "<Delete>");
	for (i = 0; i < 1000; i++)
		len += snprintf(doc + len, cap - len,
				"<Object><Key>k%d</Key></Object>", i);
	snprintf(doc + len, cap - len, "</Delete>");
	EXPECT_EQ(del(doc, &quiet), KS3_S3_OK);
	EXPECT_EQ(nobjs, 1000);
	len += snprintf(doc + len, cap - len, "<Object><Key>x</Key></Object>");
	snprintf(doc + len, cap - len, "</Delete>");
	EXPECT_EQ(del(doc, &quiet), KS3_S3_MALFORMED_XML);
	free(doc);
}
