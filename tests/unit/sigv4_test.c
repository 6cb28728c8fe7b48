// SPDX-License-Identifier: GPL-2.0
/*
 * SigV4 verification against the AWS test suites (tests/data/sigv4,
 * tests/data/sigv4-aws-c-auth: header and presigned forms) and the S3 API
 * reference examples, then the ways a request must fail.
 */
#include <dirent.h>

#include "s3/sigv4.c"
#include "s3/checksum.c"
#include "s3/hmac.c"
#include "s3/uri.c"
#include "digest_openssl.c"

#include "unit.h"
#include "s3_testdata.h"
#include "s3_treq.h"

/* The value of "key": "value" in a flat JSON file, copied into @out. */
static bool json_str(const char *json, const char *key, char *out,
		     size_t size)
{
	char pat[64];
	const char *s, *e;

	snprintf(pat, sizeof(pat), "\"%s\": \"", key);
	s = strstr(json, pat);
	if (!s)
		return false;
	s += strlen(pat);
	e = strchr(s, '"');
	if (!e || (size_t)(e - s) >= size)
		return false;
	memcpy(out, s, e - s);
	out[e - s] = '\0';
	return true;
}

/* "2015-08-30T12:36:00Z" */
static s64 iso_time(const char *s)
{
	char b[17];
	s64 t = -1;

	if (strlen(s) != 20)
		return -1;
	memcpy(b, s, 4);
	memcpy(b + 4, s + 5, 2);
	memcpy(b + 6, s + 8, 2);
	b[8] = 'T';
	memcpy(b + 9, s + 11, 2);
	memcpy(b + 11, s + 14, 2);
	memcpy(b + 13, s + 17, 2);
	b[15] = 'Z';
	b[16] = '\0';
	if (ks3_sigv4_parse_amz_date(b, 16, &t))
		return -1;
	return t;
}

struct tkey {
	const char *akid;
	const char *secret;
};

static const struct tkey tkeys[] = {
	{ "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
	{ "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
};
static int secret_calls;
/* When set, the secret of every key (a key whose secret was changed). */
static const char *secret_override;
static bool keys_deleted;		/* every key is gone */

static int tget_secret(void *arg, const char *akid, size_t akid_len,
		       char *secret, size_t size)
{
	const char *sec;
	unsigned int i;

	(void)arg;
	secret_calls++;
	if (keys_deleted)
		return -ENOENT;
	for (i = 0; i < ARRAY_SIZE(tkeys); i++) {
		if (strlen(tkeys[i].akid) != akid_len ||
		    memcmp(tkeys[i].akid, akid, akid_len))
			continue;
		sec = secret_override ? secret_override : tkeys[i].secret;
		if (strlen(sec) > size)
			return -ENOSPC;
		memcpy(secret, sec, strlen(sec));
		return strlen(sec);
	}
	return -ENOENT;
}

/*
 * The signing-key cache verify_text() hands to ks3_sigv4_verify(), as the
 * kernel's per-CPU one: NULL for none. Gets and puts must pair.
 */
static struct ks3_sigv4_key_cache *tcache;
static int cache_gets, cache_puts;

static struct ks3_sigv4_key_cache *tcache_get(void *arg)
{
	(void)arg;
	if (tcache)
		cache_gets++;
	return tcache;
}

static void tcache_put(void *arg, struct ks3_sigv4_key_cache *c)
{
	(void)arg;
	if (c != tcache)
		abort();
	cache_puts++;
}

/* Entries in use. */
static unsigned int tcache_used(const struct ks3_sigv4_key_cache *c)
{
	unsigned int i, n = 0;

	for (i = 0; i < KS3_SIGV4_KEY_CACHE_SIZE; i++)
		n += c->e[i].secret_len != 0;
	return n;
}

static struct ks3_sigv4 sv;	/* ~5 KiB: static, like the handler's heap copy */

static enum ks3_sigv4_err verify_text(const char *text, const char *region,
				      const char *service, s64 now,
				      const char *default_payload)
{
	struct ks3_sigv4_params p = {
		.region = region, .service = service, .now = now,
		.get_secret = tget_secret, .default_payload = default_payload,
		.key_cache_get = tcache_get, .key_cache_put = tcache_put,
	};
	struct treq t;
	enum ks3_sigv4_err err;

	if (treq_parse(&t, text, strlen(text))) {
		treq_free(&t);
		return KS3_SIGV4_ERR_NR;
	}
	err = ks3_sigv4_verify(&sv, &t.req, &p);
	treq_free(&t);
	return err;
}

static void body_sha256_hex(const char *body, size_t len, char *hex)
{
	u8 d[32];

	if (ks3_digest_oneshot(KS3_DIGEST_SHA256, body, len, d))
		abort();
	ks3_hex_encode(hex, d, 32);
	hex[64] = '\0';
}

static bool is_token_case(const char *name)
{
	return strstr(name, "session-token") || strstr(name, "post-sts-");
}

/* One request file; returns 1 if it verified as expected. */
static int run_case(const char *dir, const char *reqfile, const char *sigfile,
		    const char *ctxfile, const char *name)
{
	char rel[512], region[64], service[32], ts[32], hex[65];
	char *text, *sig, *ctx;
	struct treq t;
	s64 now;
	enum ks3_sigv4_err err;
	int ok = 0;

	snprintf(rel, sizeof(rel), "%s/%s", dir, reqfile);
	text = td_read(rel, NULL);
	snprintf(rel, sizeof(rel), "%s/%s", dir, sigfile);
	sig = td_read_line(rel);
	snprintf(rel, sizeof(rel), "%s/%s", dir, ctxfile);
	ctx = td_read(rel, NULL);
	if (!text || !sig || !ctx || !json_str(ctx, "region", region, 64) ||
	    !json_str(ctx, "service", service, 32) ||
	    !json_str(ctx, "timestamp", ts, 32)) {
		unit_fail(__FILE__, __LINE__, "%s: cannot read the case", dir);
		goto out;
	}
	now = iso_time(ts);
	if (treq_parse(&t, text, strlen(text)))
		goto out;
	body_sha256_hex(t.body, t.body_len, hex);
	treq_free(&t);
	err = verify_text(text, region, service, now, hex);
	if (is_token_case(name)) {
		ok = err == KS3_SIGV4_TOKEN_UNSUPPORTED;
	} else {
		char got[65];

		ks3_hex_encode(got, sv.stream.seed, 32);
		got[64] = '\0';
		ok = err == KS3_SIGV4_OK && !strcmp(got, sig);
	}
	if (!ok)
		unit_fail(__FILE__, __LINE__, "%s/%s: err %d", dir, reqfile,
			  err);
out:
	free(text);
	free(sig);
	free(ctx);
	return ok;
}

static void aws_c_auth_suite_run(void)
{
	DIR *d;
	struct dirent *e;
	char dir[300];
	int cases = 0, ok = 0;
	char **names = NULL;
	size_t n = 0, i;

	td_path(dir, sizeof(dir), "sigv4-aws-c-auth");
	ASSERT_NOT_NULL(d = opendir(dir));
	while ((e = readdir(d))) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	for (i = 0; i < n; i++) {
		size_t l = strlen(names[i]);

		/* S3 never normalises paths: those expectations do not apply */
		if (l > 11 && !strcmp(names[i] + l - 11, "-normalized"))
			goto next;
		snprintf(dir, sizeof(dir), "sigv4-aws-c-auth/%s", names[i]);
		ok += run_case(dir, "header-signed-request.txt",
			       "header-signature.txt", "context.json",
			       names[i]);
		ok += run_case(dir, "query-signed-request.txt",
			       "query-signature.txt", "context.json",
			       names[i]);
		cases += 2;
next:
		free(names[i]);
	}
	free(names);
	/* 38 cases, 7 of them -normalized: 31 in both forms */
	EXPECT_EQ(cases, 62);
	EXPECT_EQ(ok, cases);
}

TEST(aws_c_auth_suite)
{
	aws_c_auth_suite_run();
}

/* Set 1, the botocore copy: .sreq is the signed request, .authz the header. */
static void botocore_suite_run(void)
{
	static const char *const skip[] = { "get-relative",
		"get-relative-relative", "get-slash", "get-slash-dot-slash",
		"get-slash-pointless-dot", "get-slashes", "get-space" };
	DIR *d;
	struct dirent *e;
	int cases = 0, ok = 0;
	char dir[300];

	td_path(dir, sizeof(dir), "sigv4");
	ASSERT_NOT_NULL(d = opendir(dir));
	while ((e = readdir(d))) {
		char rel[600], *authz, *text, *sig, hex[65], got[65];
		struct treq t;
		unsigned int i;
		bool skipped = false;
		enum ks3_sigv4_err err;

		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		for (i = 0; i < ARRAY_SIZE(skip); i++)
			skipped |= !strcmp(e->d_name, skip[i]);
		if (skipped)
			continue;
		snprintf(rel, sizeof(rel), "sigv4/%s/%s.authz", e->d_name,
			 e->d_name);
		authz = td_read_line(rel);
		snprintf(rel, sizeof(rel), "sigv4/%s/%s.sreq", e->d_name,
			 e->d_name);
		text = td_read(rel, NULL);
		if (!authz || !text || !(sig = strstr(authz, "Signature=")) ||
		    treq_parse(&t, text, strlen(text))) {
			unit_fail(__FILE__, __LINE__, "%s: unreadable",
				  e->d_name);
			free(authz);
			free(text);
			continue;
		}
		sig += 10;
		body_sha256_hex(t.body, t.body_len, hex);
		treq_free(&t);
		err = verify_text(text, "us-east-1", "service",
				  1440938160, hex);
		ks3_hex_encode(got, sv.stream.seed, 32);
		got[64] = '\0';
		cases++;
		if (is_token_case(e->d_name) ?
		    err == KS3_SIGV4_TOKEN_UNSUPPORTED :
		    (err == KS3_SIGV4_OK && !strcmp(got, sig)))
			ok++;
		else
			unit_fail(__FILE__, __LINE__, "%s: err %d", e->d_name,
				  err);
		free(authz);
		free(text);
	}
	closedir(d);
	EXPECT_EQ(cases, 27);
	EXPECT_EQ(ok, cases);
}

TEST(botocore_suite)
{
	botocore_suite_run();
}

#define S3_NOW 1369353600	/* 2013-05-24T00:00:00Z */

static enum ks3_sigv4_err s3_verify(const char *text, s64 now)
{
	return verify_text(text, "us-east-1", "s3", now, NULL);
}

static void expect_seed(const char *sigfile, int line)
{
	char *sig = td_read_line(sigfile), got[65];

	ks3_hex_encode(got, sv.stream.seed, 32);
	got[64] = '\0';
	if (!sig || strcmp(sig, got))
		unit_fail(__FILE__, line, "%s: got %s", sigfile, got);
	free(sig);
}

static void s3_examples_run(void)
{
	static const char *const ex[] = { "get-object", "put-object",
		"get-bucket-lifecycle", "list-objects", "presigned-get-object" };
	char rel[128], *text;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ex); i++) {
		snprintf(rel, sizeof(rel), "s3-examples/%s/request.txt", ex[i]);
		text = td_read(rel, NULL);
		ASSERT_NOT_NULL(text);
		EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_OK);
		snprintf(rel, sizeof(rel), "s3-examples/%s/signature.txt",
			 ex[i]);
		expect_seed(rel, __LINE__);
		EXPECT_EQ(sv.presigned, i == 4);
		EXPECT_STREQ(sv.akid, "AKIAIOSFODNN7EXAMPLE");
		EXPECT_MEMEQ(sv.stream.scope, "20130524/us-east-1/s3/aws4_request",
			     sv.stream.scope_len);
		free(text);
	}
	/* put-object hashes its body: the handler checks it at the end */
	text = td_read("s3-examples/put-object/request.txt", NULL);
	ASSERT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_OK);
	EXPECT_EQ(sv.payload, KS3_SIGV4_PAYLOAD_SHA256);
	{
		u8 d[32];

		ks3_digest_oneshot(KS3_DIGEST_SHA256, "Welcome to Amazon S3.",
				   21, d);
		EXPECT_EQ(ks3_sigv4_check_payload(&sv, d), KS3_SIGV4_OK);
		d[0] ^= 1;
		EXPECT_EQ(ks3_sigv4_check_payload(&sv, d),
			  KS3_SIGV4_CONTENT_SHA256_MISMATCH);
	}
	free(text);
	text = td_read("s3-examples/presigned-get-object/request.txt", NULL);
	ASSERT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_OK);
	EXPECT_EQ(sv.payload, KS3_SIGV4_PAYLOAD_UNSIGNED);
	EXPECT_EQ(sv.expires, 86400);
	free(text);
}

static void chunked_example(const char *dir, enum ks3_sigv4_payload mode,
			    unsigned int trailer)
{
	static const unsigned int sizes[3] = { 65536, 1024, 0 };
	char rel[128], *text, *sig, got[65];
	static u8 data[65536];
	u8 prev[32], d[32], s[32];
	unsigned int i;

	snprintf(rel, sizeof(rel), "s3-examples/%s/request-headers.txt", dir);
	text = td_read(rel, NULL);
	ASSERT_NOT_NULL(text);
	ASSERT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_OK);
	free(text);
	snprintf(rel, sizeof(rel), "s3-examples/%s/signature.txt", dir);
	expect_seed(rel, __LINE__);
	EXPECT_EQ(sv.payload, mode);
	EXPECT_TRUE(sv.has_decoded_length);
	EXPECT_EQ(sv.decoded_length, 66560);
	memset(data, 'a', sizeof(data));
	memcpy(prev, sv.stream.seed, 32);
	for (i = 0; i < 3; i++) {
		ks3_digest_oneshot(KS3_DIGEST_SHA256, data, sizes[i], d);
		ASSERT_EQ(ks3_sigv4_chunk_signature(&sv.stream, prev, d, s), 0);
		snprintf(rel, sizeof(rel), "s3-examples/%s/chunk-%u-signature.txt",
			 dir, i + 1);
		sig = td_read_line(rel);
		ks3_hex_encode(got, s, 32);
		got[64] = '\0';
		EXPECT_STREQ(got, sig);
		free(sig);
		memcpy(prev, s, 32);
	}
	if (trailer) {
		size_t len;

		snprintf(rel, sizeof(rel), "s3-examples/%s/trailer-canonical.txt",
			 dir);
		text = td_read(rel, &len);
		ASSERT_NOT_NULL(text);
		ks3_digest_oneshot(KS3_DIGEST_SHA256, text, len, d);
		free(text);
		ASSERT_EQ(ks3_sigv4_trailer_signature(&sv.stream, prev, d, s), 0);
		snprintf(rel, sizeof(rel), "s3-examples/%s/trailer-signature.txt",
			 dir);
		sig = td_read_line(rel);
		ks3_hex_encode(got, s, 32);
		got[64] = '\0';
		EXPECT_STREQ(got, sig);
		free(sig);
	}
}

TEST(s3_examples)
{
	s3_examples_run();
}

TEST(s3_chunked_signatures)
{
	chunked_example("chunked-put-object", KS3_SIGV4_PAYLOAD_STREAMING, 0);
	chunked_example("chunked-put-object-trailer",
			KS3_SIGV4_PAYLOAD_STREAMING_TRAILER, 1);
}

/* get-object's request with one line replaced (or removed: @with NULL). */
static char *edit(const char *file, const char *prefix, const char *with)
{
	char *text = td_read(file, NULL), *out, *line;
	size_t plen = strlen(prefix);

	if (!text)
		abort();
	out = malloc(strlen(text) + (with ? strlen(with) : 0) + 2);
	out[0] = '\0';
	for (line = text; *line;) {
		char *nl = strchr(line, '\n');
		size_t l = nl ? (size_t)(nl - line + 1) : strlen(line);

		if (!strncmp(line, prefix, plen)) {
			if (with) {
				strcat(out, with);
				strcat(out, "\n");
			}
		} else {
			strncat(out, line, l);
		}
		line += l;
	}
	free(text);
	return out;
}

#define GET_OBJ "s3-examples/get-object/request.txt"
#define GET_AUTH "Authorization: AWS4-HMAC-SHA256 "
#define GET_CRED "Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"
#define GET_SH "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date"
#define GET_SIG "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"

static enum ks3_sigv4_err with_auth(const char *value)
{
	char line[600];
	char *text;
	enum ks3_sigv4_err err;

	snprintf(line, sizeof(line), "Authorization: %s", value);
	text = edit(GET_OBJ, "Authorization:", line);
	err = s3_verify(text, S3_NOW);
	free(text);
	return err;
}

TEST(authorization_forms)
{
	/* the published form, spaces after commas, any order */
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_CRED "," GET_SH "," GET_SIG),
		  KS3_SIGV4_OK);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_CRED ", " GET_SH ",  " GET_SIG),
		  KS3_SIGV4_OK);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_SIG "," GET_CRED "," GET_SH),
		  KS3_SIGV4_OK);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_SH ", " GET_SIG ", " GET_CRED),
		  KS3_SIGV4_OK);
	/* malformed */
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_CRED "," GET_SH),
		  KS3_SIGV4_MALFORMED);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_CRED "," GET_SH "," GET_SIG ","),
		  KS3_SIGV4_MALFORMED);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_CRED "," GET_CRED "," GET_SH "," GET_SIG),
		  KS3_SIGV4_MALFORMED);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_CRED ";" GET_SH "," GET_SIG),
		  KS3_SIGV4_MALFORMED);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_CRED "," GET_SH "," GET_SIG ",Foo=bar"),
		  KS3_SIGV4_MALFORMED);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request," GET_SH "," GET_SIG),
		  KS3_SIGV4_MALFORMED);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_CRED "," GET_SH ",Signature="),
		  KS3_SIGV4_MALFORMED);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 "), KS3_SIGV4_MALFORMED);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 Credential"), KS3_SIGV4_MALFORMED);
	/* scopes */
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3," GET_SH "," GET_SIG),
		  KS3_SIGV4_MALFORMED);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request/x," GET_SH "," GET_SIG),
		  KS3_SIGV4_MALFORMED);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws5_request," GET_SH "," GET_SIG),
		  KS3_SIGV4_MALFORMED);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/ec2/aws4_request," GET_SH "," GET_SIG),
		  KS3_SIGV4_MALFORMED);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 Credential=/20130524/us-east-1/s3/aws4_request," GET_SH "," GET_SIG),
		  KS3_SIGV4_MALFORMED);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/2013052/us-east-1/s3/aws4_request," GET_SH "," GET_SIG),
		  KS3_SIGV4_MALFORMED);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130525/us-east-1/s3/aws4_request," GET_SH "," GET_SIG),
		  KS3_SIGV4_BAD_DATE);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/eu-west-1/s3/aws4_request," GET_SH "," GET_SIG),
		  KS3_SIGV4_WRONG_REGION);
	EXPECT_STREQ(sv.region, "eu-west-1");
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 Credential=AKIDNOSUCHKEY/20130524/us-east-1/s3/aws4_request," GET_SH "," GET_SIG),
		  KS3_SIGV4_INVALID_ACCESS_KEY);
	EXPECT_STREQ(sv.akid, "AKIDNOSUCHKEY");
	/* signed headers: sorted, unique, with host, lower case, present */
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_CRED ",SignedHeaders=range;host;x-amz-content-sha256;x-amz-date," GET_SIG),
		  KS3_SIGV4_MALFORMED);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_CRED ",SignedHeaders=host;host;range;x-amz-content-sha256;x-amz-date," GET_SIG),
		  KS3_SIGV4_MALFORMED);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_CRED ",SignedHeaders=range;x-amz-content-sha256;x-amz-date," GET_SIG),
		  KS3_SIGV4_MALFORMED);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_CRED ",SignedHeaders=Host;range;x-amz-content-sha256;x-amz-date," GET_SIG),
		  KS3_SIGV4_MALFORMED);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_CRED ",SignedHeaders=host;;range;x-amz-content-sha256;x-amz-date," GET_SIG),
		  KS3_SIGV4_MALFORMED);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_CRED ",SignedHeaders=host;x-amz-content-sha256;x-amz-date," GET_SIG),
		  KS3_SIGV4_SIGNATURE_MISMATCH);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_CRED ",SignedHeaders=host;range;x-amz-content-sha256;x-amz-date;zzz," GET_SIG),
		  KS3_SIGV4_SIGNATURE_MISMATCH);
	/* x-amz-content-sha256 may go unsigned (then the signature differs) */
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_CRED ",SignedHeaders=host;range;x-amz-date," GET_SIG),
		  KS3_SIGV4_SIGNATURE_MISMATCH);
	/* x-amz-date present but not signed */
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_CRED ",SignedHeaders=host;range;x-amz-content-sha256," GET_SIG),
		  KS3_SIGV4_UNSIGNED_HEADER);
	/* signatures */
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_CRED "," GET_SH ",Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb42"),
		  KS3_SIGV4_SIGNATURE_MISMATCH);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_CRED "," GET_SH ",Signature=F0E8BDB87C964420E857BD35B5D6ED310BD44F0170ABA48DD91039C6036BDB41"),
		  KS3_SIGV4_SIGNATURE_MISMATCH);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256 " GET_CRED "," GET_SH ",Signature=f0e8bdb87c"),
		  KS3_SIGV4_SIGNATURE_MISMATCH);
	/* other schemes */
	EXPECT_EQ(with_auth("AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg="),
		  KS3_SIGV4_UNSUPPORTED);
	EXPECT_EQ(with_auth("AWS4-ECDSA-P256-SHA256 " GET_CRED "," GET_SH "," GET_SIG),
		  KS3_SIGV4_UNSUPPORTED);
	EXPECT_EQ(with_auth("AWS4-HMAC-SHA256" GET_CRED), KS3_SIGV4_UNSUPPORTED);
	EXPECT_EQ(with_auth("Bearer abc"), KS3_SIGV4_UNSUPPORTED);
}

TEST(request_shape)
{
	char *text;

	/* anonymous */
	text = edit(GET_OBJ, "Authorization:", NULL);
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_NO_AUTH);
	free(text);
	/* two Authorization fields */
	text = edit(GET_OBJ, "Host:", "Host: examplebucket.s3.amazonaws.com\nAuthorization: x");
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_MALFORMED);
	free(text);
	/* an unsigned x-amz-* header */
	text = edit(GET_OBJ, "Host:", "Host: examplebucket.s3.amazonaws.com\nx-amz-meta-a: b");
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_UNSIGNED_HEADER);
	free(text);
	/* an unsigned non-amz header is fine */
	text = edit(GET_OBJ, "Host:", "Host: examplebucket.s3.amazonaws.com\nUser-Agent: t");
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_OK);
	free(text);
	/* a changed signed header value */
	text = edit(GET_OBJ, "Range:", "Range: bytes=0-10");
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_SIGNATURE_MISMATCH);
	free(text);
	/* extra spaces inside a value collapse: still the same signature */
	text = edit(GET_OBJ, "Range:", "Range:   bytes=0-9  ");
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_OK);
	free(text);
	/* x-amz-content-sha256 missing, bad, repeated */
	text = edit(GET_OBJ, "x-amz-content-sha256:", NULL);
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_SIGNATURE_MISMATCH);
	free(text);
	text = edit(GET_OBJ, "x-amz-content-sha256:", "x-amz-content-sha256: e3b0");
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_BAD_CONTENT_SHA256);
	free(text);
	text = edit(GET_OBJ, "x-amz-content-sha256:", "x-amz-content-sha256: STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD");
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_BAD_CONTENT_SHA256);
	free(text);
	/* a path with another spelling of the same bytes still verifies */
	text = edit(GET_OBJ, "GET ", "GET /test%2etxt HTTP/1.1");
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_OK);
	free(text);
	text = edit(GET_OBJ, "GET ", "GET /test.txt/ HTTP/1.1");
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_SIGNATURE_MISMATCH);
	free(text);
	text = edit(GET_OBJ, "GET ", "GET /test.txt%zz HTTP/1.1");
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_SIGNATURE_MISMATCH);
	free(text);
	/* a query added after signing */
	text = edit(GET_OBJ, "GET ", "GET /test.txt?acl HTTP/1.1");
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_SIGNATURE_MISMATCH);
	free(text);
	/* a security token */
	text = edit(GET_OBJ, "Host:", "Host: examplebucket.s3.amazonaws.com\nX-Amz-Security-Token: abc");
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_TOKEN_UNSUPPORTED);
	free(text);
	/* both header and query auth */
	text = edit(GET_OBJ, "GET ", "GET /test.txt?X-Amz-Signature=00 HTTP/1.1");
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_BOTH_AUTH);
	free(text);
	/* no date at all, a bad one */
	text = edit(GET_OBJ, "x-amz-date:", NULL);
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_NO_DATE);
	free(text);
	text = edit(GET_OBJ, "x-amz-date:", "x-amz-date: 20130524T000060Z");
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_NO_DATE);
	free(text);
}

TEST(skew_edges)
{
	char *text = td_read(GET_OBJ, NULL);

	ASSERT_NOT_NULL(text);
	EXPECT_EQ(s3_verify(text, S3_NOW + 900), KS3_SIGV4_OK);
	EXPECT_EQ(s3_verify(text, S3_NOW + 901), KS3_SIGV4_SKEWED);
	EXPECT_EQ(s3_verify(text, S3_NOW - 900), KS3_SIGV4_OK);
	EXPECT_EQ(s3_verify(text, S3_NOW - 901), KS3_SIGV4_SKEWED);
	free(text);
	/* the Date header when there is no x-amz-date (put-object has both) */
	text = edit("s3-examples/put-object/request.txt", "x-amz-date:", NULL);
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_SIGNATURE_MISMATCH);
	EXPECT_EQ(sv.time, S3_NOW);
	EXPECT_MEMEQ(sv.stream.amz_date, "20130524T000000Z", 16);
	EXPECT_EQ(s3_verify(text, S3_NOW + 901), KS3_SIGV4_SKEWED);
	free(text);
}

TEST(presign_edges)
{
	char *text = td_read("s3-examples/presigned-get-object/request.txt",
			     NULL);
	char *bad;

	ASSERT_NOT_NULL(text);
	EXPECT_EQ(s3_verify(text, S3_NOW + 86400), KS3_SIGV4_OK);
	EXPECT_EQ(s3_verify(text, S3_NOW + 86401), KS3_SIGV4_EXPIRED);
	EXPECT_EQ(s3_verify(text, S3_NOW - 900), KS3_SIGV4_OK);
	EXPECT_EQ(s3_verify(text, S3_NOW - 901), KS3_SIGV4_NOT_YET_VALID);
	/* other region for the same credential */
	EXPECT_EQ(verify_text(text, "eu-west-1", "s3", S3_NOW, NULL),
		  KS3_SIGV4_QUERY_WRONG_REGION);
	free(text);

#define PRE(q) "GET /test.txt?" q " HTTP/1.1\nHost: examplebucket.s3.amazonaws.com\n\n"
#define P_ALG "X-Amz-Algorithm=AWS4-HMAC-SHA256"
#define P_CRED "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
#define P_DATE "&X-Amz-Date=20130524T000000Z"
#define P_SH "&X-Amz-SignedHeaders=host"
#define P_SIG "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
	EXPECT_EQ(s3_verify(PRE(P_ALG P_CRED P_DATE "&X-Amz-Expires=86400" P_SH P_SIG), S3_NOW),
		  KS3_SIGV4_OK);
	/* order of parameters does not matter */
	EXPECT_EQ(s3_verify(PRE("X-Amz-Expires=86400&" P_ALG P_SIG P_CRED P_DATE P_SH), S3_NOW),
		  KS3_SIGV4_OK);
	EXPECT_EQ(s3_verify(PRE(P_ALG P_CRED P_DATE "&X-Amz-Expires=0" P_SH P_SIG), S3_NOW),
		  KS3_SIGV4_QUERY_MALFORMED);
	EXPECT_EQ(s3_verify(PRE(P_ALG P_CRED P_DATE "&X-Amz-Expires=604801" P_SH P_SIG), S3_NOW),
		  KS3_SIGV4_QUERY_MALFORMED);
	EXPECT_EQ(s3_verify(PRE(P_ALG P_CRED P_DATE "&X-Amz-Expires=-1" P_SH P_SIG), S3_NOW),
		  KS3_SIGV4_QUERY_MALFORMED);
	EXPECT_EQ(s3_verify(PRE(P_ALG P_CRED P_DATE "&X-Amz-Expires=86400&X-Amz-Expires=86400" P_SH P_SIG), S3_NOW),
		  KS3_SIGV4_QUERY_MALFORMED);
	/* 604800 is allowed: then only the signature is wrong */
	EXPECT_EQ(s3_verify(PRE(P_ALG P_CRED P_DATE "&X-Amz-Expires=604800" P_SH P_SIG), S3_NOW),
		  KS3_SIGV4_SIGNATURE_MISMATCH);
	EXPECT_EQ(s3_verify(PRE(P_CRED P_DATE "&X-Amz-Expires=86400" P_SH P_SIG), S3_NOW),
		  KS3_SIGV4_QUERY_MALFORMED);
	EXPECT_EQ(s3_verify(PRE("X-Amz-Algorithm=AWS4-HMAC-SHA1" P_CRED P_DATE "&X-Amz-Expires=86400" P_SH P_SIG), S3_NOW),
		  KS3_SIGV4_UNSUPPORTED);
	EXPECT_EQ(s3_verify(PRE(P_ALG P_CRED "&X-Amz-Date=20130524" "&X-Amz-Expires=86400" P_SH P_SIG), S3_NOW),
		  KS3_SIGV4_QUERY_MALFORMED);
	EXPECT_EQ(s3_verify(PRE(P_ALG P_CRED "&X-Amz-Date=20130525T000000Z" "&X-Amz-Expires=86400" P_SH P_SIG), S3_NOW + 86400),
		  KS3_SIGV4_QUERY_MALFORMED);
	EXPECT_EQ(s3_verify(PRE(P_ALG P_CRED P_DATE "&X-Amz-Expires=86400" P_SIG), S3_NOW),
		  KS3_SIGV4_QUERY_MALFORMED);
	EXPECT_EQ(s3_verify(PRE(P_ALG P_CRED P_DATE "&X-Amz-Expires=86400&X-Amz-SignedHeaders=x-amz-date" P_SIG), S3_NOW),
		  KS3_SIGV4_QUERY_MALFORMED);
	EXPECT_EQ(s3_verify(PRE(P_ALG P_CRED P_DATE "&X-Amz-Expires=86400" P_SH P_SIG "&X-Amz-Security-Token=abc"), S3_NOW),
		  KS3_SIGV4_TOKEN_UNSUPPORTED);
	/* a parameter added after signing */
	EXPECT_EQ(s3_verify(PRE(P_ALG P_CRED P_DATE "&X-Amz-Expires=86400" P_SH P_SIG "&acl"), S3_NOW),
		  KS3_SIGV4_SIGNATURE_MISMATCH);
	/* unsigned x-amz-* header, but x-amz-content-sha256 may go unsigned */
	bad = malloc(1024);
	snprintf(bad, 1024, "%sx-amz-acl: private\n\n", PRE(P_ALG P_CRED P_DATE "&X-Amz-Expires=86400" P_SH P_SIG));
	bad[strlen(bad) - strlen("x-amz-acl: private\n\n") - 1] = '\0';
	strcat(bad, "x-amz-acl: private\n\n");
	EXPECT_EQ(s3_verify(bad, S3_NOW), KS3_SIGV4_UNSIGNED_HEADER);
	snprintf(bad, 1024, "%s", PRE(P_ALG P_CRED P_DATE "&X-Amz-Expires=86400" P_SH P_SIG));
	bad[strlen(bad) - 1] = '\0';
	strcat(bad, "x-amz-content-sha256: UNSIGNED-PAYLOAD\n\n");
	EXPECT_EQ(s3_verify(bad, S3_NOW), KS3_SIGV4_OK);
	free(bad);
}

TEST(dates)
{
	s64 t;
	char out[16];

	EXPECT_EQ(ks3_sigv4_parse_amz_date("20130524T000000Z", 16, &t), 0);
	EXPECT_EQ(t, S3_NOW);
	EXPECT_EQ(ks3_sigv4_parse_amz_date("20000229T235959Z", 16, &t), 0);
	EXPECT_EQ(t, 951868799);
	EXPECT_EQ(ks3_sigv4_parse_amz_date("20010229T000000Z", 16, &t), -EINVAL);
	EXPECT_EQ(ks3_sigv4_parse_amz_date("20130524T240000Z", 16, &t), -EINVAL);
	EXPECT_EQ(ks3_sigv4_parse_amz_date("20130524 000000Z", 16, &t), -EINVAL);
	EXPECT_EQ(ks3_sigv4_parse_amz_date("20130524T000000", 15, &t), -EINVAL);
	EXPECT_EQ(ks3_sigv4_parse_amz_date("2013052AT000000Z", 16, &t), -EINVAL);
	EXPECT_EQ(ks3_sigv4_parse_http_date("Fri, 24 May 2013 00:00:00 GMT", 29, &t), 0);
	EXPECT_EQ(t, S3_NOW);
	EXPECT_EQ(ks3_sigv4_parse_http_date("Fri, 24 Mai 2013 00:00:00 GMT", 29, &t), -EINVAL);
	EXPECT_EQ(ks3_sigv4_parse_http_date("Fri, 24 May 2013 00:00:00 UTC", 29, &t), -EINVAL);
	for (t = 0; t < 4102444800LL; t += 86400 * 7 + 3607) {
		s64 back;

		ks3_sigv4_format_amz_date(out, t);
		ASSERT_EQ(ks3_sigv4_parse_amz_date(out, 16, &back), 0);
		ASSERT_EQ(back, t);
	}
}

TEST(err_info)
{
	unsigned int i;

	for (i = KS3_SIGV4_MALFORMED; i < KS3_SIGV4_ERR_NR; i++) {
		const struct ks3_sigv4_err_info *e = ks3_sigv4_err_info(i);

		EXPECT_NE(strlen(e->code), 0);
		EXPECT_NE(strlen(e->message), 0);
		EXPECT_GE(e->status, 400);
	}
	EXPECT_STREQ(ks3_sigv4_err_info(KS3_SIGV4_EXPIRED)->message,
		     "Request has expired");
	EXPECT_STREQ(ks3_sigv4_err_info(KS3_SIGV4_ERR_NR)->code,
		     "InternalError");
}

/*
 * A client that signs its body's hash without sending x-amz-content-sha256
 * (curl before 8.0): with defer_unhashed everything but the signature is
 * checked at first, then the body's hash settles it.
 */
TEST(deferred_payload)
{
	struct ks3_sigv4_params p = {
		.region = "us-east-1", .service = "service",
		.now = iso_time("2015-08-30T12:36:00Z"),
		.get_secret = tget_secret, .defer_unhashed = true,
	};
	char *text, hex[65];
	struct treq t;

	text = td_read("sigv4/post-x-www-form-urlencoded/post-x-www-form-urlencoded.sreq",
		       NULL);
	ASSERT_NOT_NULL(text);
	ASSERT_EQ(treq_parse(&t, text, strlen(text)), 0);
	ASSERT_TRUE(t.body_len > 0);

	/* First pass: accepted, deferred, the key looked up. */
	secret_calls = 0;
	EXPECT_EQ(ks3_sigv4_verify(&sv, &t.req, &p), KS3_SIGV4_OK);
	EXPECT_TRUE(sv.deferred);
	EXPECT_EQ(sv.payload, KS3_SIGV4_PAYLOAD_SHA256);
	EXPECT_EQ(secret_calls, 1);

	/* Second pass with the body's hash: the signature holds. */
	body_sha256_hex(t.body, t.body_len, hex);
	p.defer_unhashed = false;
	p.default_payload = hex;
	EXPECT_EQ(ks3_sigv4_verify(&sv, &t.req, &p), KS3_SIGV4_OK);
	EXPECT_FALSE(sv.deferred);

	/* Another body: refused. */
	hex[0] = hex[0] == '0' ? '1' : '0';
	EXPECT_EQ(ks3_sigv4_verify(&sv, &t.req, &p),
		  KS3_SIGV4_SIGNATURE_MISMATCH);

	/* Deferral never covers an unknown key or a bad date. */
	p.defer_unhashed = true;
	p.default_payload = NULL;
	p.now += 3600;
	EXPECT_EQ(ks3_sigv4_verify(&sv, &t.req, &p), KS3_SIGV4_SKEWED);
	treq_free(&t);
	free(text);
}

/* AWS's example: "Examples of how to derive a signing key for SigV4". */
#define KEY_SECRET	"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define KEY_20150830	"c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"

static void cached_key(struct ks3_sigv4_key_cache *c, u8 *key,
		       const char *secret, const char *date8,
		       const char *region, const char *service)
{
	ASSERT_EQ(ks3_sigv4_cached_key(c, key, secret, strlen(secret), date8,
				       region, strlen(region), service,
				       strlen(service)), 0);
}

static void derived_key(u8 *key, const char *secret, const char *date8,
			const char *region, const char *service)
{
	ASSERT_EQ(ks3_sigv4_signing_key(key, secret, strlen(secret), date8,
					region, strlen(region), service,
					strlen(service)), 0);
}

TEST(key_cache_matches_derivation)
{
	static struct ks3_sigv4_key_cache c;
	u8 key[32], want[32];
	char got[65];
	unsigned int i;

	ks3_sigv4_key_cache_clear(&c);
	/* a miss derives and keeps the key */
	cached_key(&c, key, KEY_SECRET, "20150830", "us-east-1", "iam");
	ks3_hex_encode(got, key, 32);
	got[64] = '\0';
	EXPECT_STREQ(got, KEY_20150830);
	EXPECT_EQ(tcache_used(&c), 1);

	/* a hit comes from the entry (made recognisable here) */
	c.e[0].key[0] ^= 0xff;
	cached_key(&c, key, KEY_SECRET, "20150830", "us-east-1", "iam");
	EXPECT_EQ(key[0], c.e[0].key[0]);
	c.e[0].key[0] ^= 0xff;
	EXPECT_EQ(tcache_used(&c), 1);

	/* the next day: another key, the old entry untouched */
	cached_key(&c, key, KEY_SECRET, "20150831", "us-east-1", "iam");
	derived_key(want, KEY_SECRET, "20150831", "us-east-1", "iam");
	EXPECT_MEMEQ(key, want, 32);
	EXPECT_EQ(tcache_used(&c), 2);

	/* a changed secret misses, whatever is cached for the old one */
	cached_key(&c, key, "another secret", "20150830", "us-east-1", "iam");
	derived_key(want, "another secret", "20150830", "us-east-1", "iam");
	EXPECT_MEMEQ(key, want, 32);
	EXPECT_EQ(tcache_used(&c), 3);
	/* one character longer or shorter is another secret too */
	cached_key(&c, key, KEY_SECRET "x", "20150830", "us-east-1", "iam");
	derived_key(want, KEY_SECRET "x", "20150830", "us-east-1", "iam");
	EXPECT_MEMEQ(key, want, 32);

	/* region and service are part of the match */
	cached_key(&c, key, KEY_SECRET, "20150830", "us-east-2", "iam");
	derived_key(want, KEY_SECRET, "20150830", "us-east-2", "iam");
	EXPECT_MEMEQ(key, want, 32);
	cached_key(&c, key, KEY_SECRET, "20150830", "us-east-1", "s3");
	derived_key(want, KEY_SECRET, "20150830", "us-east-1", "s3");
	EXPECT_MEMEQ(key, want, 32);

	/* bounded: many more keys than entries, each still right */
	for (i = 0; i < 3 * KS3_SIGV4_KEY_CACHE_SIZE; i++) {
		char secret[16];

		snprintf(secret, sizeof(secret), "secret-%u", i % 11);
		cached_key(&c, key, secret, "20150830", "us-east-1", "s3");
		derived_key(want, secret, "20150830", "us-east-1", "s3");
		EXPECT_MEMEQ(key, want, 32);
	}
	EXPECT_EQ(tcache_used(&c), KS3_SIGV4_KEY_CACHE_SIZE);
	cached_key(&c, key, KEY_SECRET, "20150830", "us-east-1", "iam");
	ks3_hex_encode(got, key, 32);
	got[64] = '\0';
	EXPECT_STREQ(got, KEY_20150830);

	/* an empty secret is derived but never cached (it marks free slots) */
	ks3_sigv4_key_cache_clear(&c);
	cached_key(&c, key, "", "20150830", "us-east-1", "iam");
	derived_key(want, "", "20150830", "us-east-1", "iam");
	EXPECT_MEMEQ(key, want, 32);
	EXPECT_EQ(tcache_used(&c), 0);
	/* too long a secret fails, as without the cache */
	{
		char longer[KS3_SIGV4_SECRET_MAX + 2];

		memset(longer, 'k', sizeof(longer) - 1);
		longer[sizeof(longer) - 1] = '\0';
		EXPECT_EQ(ks3_sigv4_cached_key(&c, key, longer, strlen(longer),
					       "20150830", "us-east-1", 9,
					       "iam", 3), -EINVAL);
		EXPECT_EQ(tcache_used(&c), 0);
	}
	ks3_sigv4_key_cache_clear(&c);
}

/*
 * The whole suites again through one cache: the same signatures, over
 * several dates, regions, services and keys (so entries are replaced too).
 */
TEST(suites_with_key_cache)
{
	static struct ks3_sigv4_key_cache c;

	ks3_sigv4_key_cache_clear(&c);
	tcache = &c;
	cache_gets = cache_puts = 0;
	aws_c_auth_suite_run();
	botocore_suite_run();
	s3_examples_run();
	/* and once more, now from a warm cache */
	aws_c_auth_suite_run();
	s3_examples_run();
	EXPECT_GT(cache_gets, 100);
	EXPECT_EQ(cache_gets, cache_puts);
	EXPECT_GT(tcache_used(&c), 1);
	tcache = NULL;
	ks3_sigv4_key_cache_clear(&c);
}

/* A key whose secret changes: the cached signing key is not used again. */
TEST(key_cache_secret_change)
{
	static struct ks3_sigv4_key_cache c;
	char *text = td_read(GET_OBJ, NULL);

	ASSERT_NOT_NULL(text);
	ks3_sigv4_key_cache_clear(&c);
	tcache = &c;
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_OK);
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_OK);
	EXPECT_EQ(tcache_used(&c), 1);
	secret_override = "a new secret for the same access key";
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_SIGNATURE_MISMATCH);
	EXPECT_EQ(tcache_used(&c), 2);
	secret_override = NULL;
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_OK);
	expect_seed("s3-examples/get-object/signature.txt", __LINE__);
	/* a deleted key: refused before the cache is asked */
	cache_gets = 0;
	keys_deleted = true;
	EXPECT_EQ(s3_verify(text, S3_NOW), KS3_SIGV4_INVALID_ACCESS_KEY);
	EXPECT_EQ(cache_gets, 0);
	keys_deleted = false;
	tcache = NULL;
	ks3_sigv4_key_cache_clear(&c);
	free(text);
}
