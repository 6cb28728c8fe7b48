// SPDX-License-Identifier: GPL-2.0
/*
 * S3 bucket naming rules (general purpose buckets, the strict post-2018
 * rules that AWS applies in every region). ks3 stores only names that pass,
 * so the check lives with the storage engine; callers report the returned
 * reason verbatim (S3 InvalidBucketName message, s3ctl error line).
 */
#include "bucket_name.h"

static const char *const ks3_bucket_reserved_prefix[] = {
	"xn--", "sthree-", "amzn-s3-demo-",
};

static const char *const ks3_bucket_reserved_suffix[] = {
	"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3",
};

static bool ks3_bucket_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-';
}

static bool ks3_bucket_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Four dot-separated decimal groups of 1-3 digits, as in 192.168.5.4. */
static bool ks3_bucket_looks_like_ipv4(const char *name, size_t len)
{
	unsigned int groups = 1, digits = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (name[i] == '.') {
			if (digits == 0)
				return false;
			groups++;
			digits = 0;
		} else if (name[i] >= '0' && name[i] <= '9') {
			if (++digits > 3)
				return false;
		} else {
			return false;
		}
	}
	return groups == 4 && digits > 0;
}

static bool ks3_bucket_has_prefix(const char *name, size_t len,
				  const char *prefix)
{
	size_t plen = strlen(prefix);

	return len >= plen && memcmp(name, prefix, plen) == 0;
}

static bool ks3_bucket_has_suffix(const char *name, size_t len,
				  const char *suffix)
{
	size_t slen = strlen(suffix);

	return len >= slen && memcmp(name + len - slen, suffix, slen) == 0;
}

const char *ks3_bucket_name_problem(const char *name, size_t len)
{
	size_t i;

	if (len < KS3_BUCKET_NAME_MIN || len > KS3_BUCKET_NAME_MAX)
		return "bucket name must be between 3 and 63 characters long";
	for (i = 0; i < len; i++) {
		if (!ks3_bucket_char_ok(name[i]))
			return "bucket name may contain only a-z, 0-9, dots and hyphens";
		if (name[i] == '.' && i + 1 < len && name[i + 1] == '.')
			return "bucket name must not contain two adjacent dots";
	}
	if (!ks3_bucket_alnum(name[0]) || !ks3_bucket_alnum(name[len - 1]))
		return "bucket name must begin and end with a letter or digit";
	if (ks3_bucket_looks_like_ipv4(name, len))
		return "bucket name must not be formatted as an IP address";
	for (i = 0; i < ARRAY_SIZE(ks3_bucket_reserved_prefix); i++)
		if (ks3_bucket_has_prefix(name, len,
					  ks3_bucket_reserved_prefix[i]))
			return "bucket name must not start with a reserved prefix";
	for (i = 0; i < ARRAY_SIZE(ks3_bucket_reserved_suffix); i++)
		if (ks3_bucket_has_suffix(name, len,
					  ks3_bucket_reserved_suffix[i]))
			return "bucket name must not end with a reserved suffix";
	return NULL;
}
