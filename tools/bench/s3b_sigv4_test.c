// SPDX-License-Identifier: GPL-2.0
/*
 * s3bench's SigV4 signer against published vectors: the AWS test suite's
 * get-vanilla (generic service) and the S3 API Reference's ListObjects
 * example (the header set s3bench signs: host, x-amz-content-sha256,
 * x-amz-date). Copies of both are in the shared testdata (sigv4/get-vanilla,
 * s3-examples/list-objects).
 */
#include <string.h>

#include "s3b_sigv4.h"
#include "unit.h"

TEST(sigv4_aws_suite_get_vanilla)
{
	static const char creq[] =
		"GET\n/\n\nhost:example.amazonaws.com\n"
		"x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
		S3B_EMPTY_SHA256;
	unsigned char key[32];
	char sig[65];

	s3b_signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830",
			"us-east-1", "service", key);
	s3b_signature(key, "20150830T123600Z",
		      "20150830/us-east-1/service/aws4_request", creq,
		      strlen(creq), sig);
	EXPECT_STREQ(sig, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(sigv4_s3_list_objects_example)
{
	static const char want[] =
		"GET\n/\nmax-keys=2&prefix=J\n"
		"host:examplebucket.s3.amazonaws.com\n"
		"x-amz-content-sha256:" S3B_EMPTY_SHA256 "\n"
		"x-amz-date:20130524T000000Z\n\n"
		"host;x-amz-content-sha256;x-amz-date\n" S3B_EMPTY_SHA256;
	unsigned char key[32];
	char creq[1024], sig[65];
	int n;

	n = s3b_canonical_request(creq, sizeof(creq), "GET", "/",
				  "max-keys=2&prefix=J",
				  "examplebucket.s3.amazonaws.com",
				  S3B_EMPTY_SHA256, "20130524T000000Z");
	ASSERT_TRUE(n > 0);
	EXPECT_STREQ(creq, want);
	s3b_signing_key("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524",
			"us-east-1", "s3", key);
	s3b_signature(key, "20130524T000000Z",
		      "20130524/us-east-1/s3/aws4_request", creq, (size_t)n,
		      sig);
	EXPECT_STREQ(sig, "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(sigv4_canonical_request_too_long)
{
	char creq[16];

	EXPECT_TRUE(s3b_canonical_request(creq, sizeof(creq), "GET", "/", "",
					  "h", S3B_EMPTY_SHA256, "x") < 0);
}
