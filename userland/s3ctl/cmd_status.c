// SPDX-License-Identifier: GPL-2.0
/*
 * `s3ctl status`: what the module is doing, in one block.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd_status.h"
#include "output.h"

static const char *const s3ctl_state_names[] = {
	[KS3_STATE_NO_DEVICE]	= "no-device",
	[KS3_STATE_ATTACHED]	= "attached",
	[KS3_STATE_READ_ONLY]	= "read-only",
};

_Static_assert(sizeof(s3ctl_state_names) / sizeof(s3ctl_state_names[0]) ==
	       __KS3_STATE_MAX, "a ks3_state without a name");

const char *s3ctl_state_name(uint32_t state)
{
	if (state >= __KS3_STATE_MAX)
		return NULL;
	return s3ctl_state_names[state];
}

/* The store's part of the reply: all of it when KS3_A_UUID is there. */
static int s3ctl_status_parse_store(const struct nlattr **tb,
				    struct s3ctl_status *st,
				    struct s3ctl_nlerr *e)
{
	static const unsigned int required[] = {
		KS3_A_TOTAL_BYTES, KS3_A_DATA_BYTES, KS3_A_FREE_BYTES,
		KS3_A_JOURNAL_USED, KS3_A_JOURNAL_BLOCKS, KS3_A_NR_BUCKETS,
		KS3_A_NR_KEYS, KS3_A_CHECKPOINTS, KS3_A_COMMITS,
	};
	int ret;

	st->has_store = tb[KS3_A_UUID];
	st->read_only = false;
	st->ro_reason[0] = '\0';
	if (!st->has_store)
		return 0;
	if (mnl_attr_get_payload_len(tb[KS3_A_UUID]) != sizeof(st->uuid))
		return s3ctl_nlerr_set(e, EPROTO,
			"malformed netlink reply: attribute 'uuid' is not 16 bytes");
	ret = s3ctl_attr_require_all(tb, s3ctl_ks3_policy, required,
				     sizeof(required) / sizeof(required[0]), e);
	if (ret)
		return ret;
	memcpy(st->uuid, mnl_attr_get_payload(tb[KS3_A_UUID]),
	       sizeof(st->uuid));
	st->total_bytes = mnl_attr_get_u64(tb[KS3_A_TOTAL_BYTES]);
	st->data_bytes = mnl_attr_get_u64(tb[KS3_A_DATA_BYTES]);
	st->free_bytes = mnl_attr_get_u64(tb[KS3_A_FREE_BYTES]);
	st->journal_used = mnl_attr_get_u64(tb[KS3_A_JOURNAL_USED]);
	st->journal_blocks = mnl_attr_get_u64(tb[KS3_A_JOURNAL_BLOCKS]);
	st->nr_buckets = mnl_attr_get_u32(tb[KS3_A_NR_BUCKETS]);
	st->nr_keys = mnl_attr_get_u32(tb[KS3_A_NR_KEYS]);
	st->checkpoints = mnl_attr_get_u64(tb[KS3_A_CHECKPOINTS]);
	st->commits = mnl_attr_get_u64(tb[KS3_A_COMMITS]);
	st->read_only = tb[KS3_A_READ_ONLY];
	if (tb[KS3_A_RO_REASON])
		snprintf(st->ro_reason, sizeof(st->ro_reason), "%s",
			 mnl_attr_get_str(tb[KS3_A_RO_REASON]));
	return 0;
}

/* KS3_A_DIGESTS: one KS3_A_DIGEST nest per algorithm. */
static int s3ctl_status_parse_digests(const struct nlattr *nest,
				      struct s3ctl_status *st,
				      struct s3ctl_nlerr *e)
{
	static const unsigned int required[] = {
		KS3_A_DIGEST_ALG, KS3_A_DIGEST_DRIVER,
	};
	const struct nlattr *tb[KS3_A_MAX + 1], *a;
	struct s3ctl_digest *d;
	int ret;

	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) != KS3_A_DIGEST)
			continue;
		ret = s3ctl_ks3_parse_nested(a, tb, e);
		if (!ret)
			ret = s3ctl_attr_require_all(tb, s3ctl_ks3_policy,
				required, sizeof(required) / sizeof(required[0]),
				e);
		if (ret)
			return ret;
		if (st->nr_digests == S3CTL_DIGESTS_MAX)
			continue;
		d = &st->digests[st->nr_digests++];
		snprintf(d->alg, sizeof(d->alg), "%s",
			 mnl_attr_get_str(tb[KS3_A_DIGEST_ALG]));
		snprintf(d->driver, sizeof(d->driver), "%s",
			 mnl_attr_get_str(tb[KS3_A_DIGEST_DRIVER]));
	}
	return 0;
}

int s3ctl_status_parse(const struct nlmsghdr *nlh, struct s3ctl_status *st,
		       struct s3ctl_nlerr *e)
{
	static const unsigned int required[] = {
		KS3_A_VERSION, KS3_A_STATE, KS3_A_UPTIME_MS, KS3_A_LISTENERS,
		KS3_A_CONNECTIONS,
	};
	const struct nlattr *tb[KS3_A_MAX + 1];
	int ret;

	ret = s3ctl_ks3_parse(nlh, tb, e);
	if (!ret)
		ret = s3ctl_attr_require_all(tb, s3ctl_ks3_policy, required,
					     sizeof(required) / sizeof(required[0]),
					     e);
	if (ret)
		return ret;
	/* Lengths were checked against the policy: these fit. */
	snprintf(st->version, sizeof(st->version), "%s",
		 mnl_attr_get_str(tb[KS3_A_VERSION]));
	st->state = mnl_attr_get_u32(tb[KS3_A_STATE]);
	st->uptime_ms = mnl_attr_get_u64(tb[KS3_A_UPTIME_MS]);
	st->listeners = mnl_attr_get_u32(tb[KS3_A_LISTENERS]);
	st->connections = mnl_attr_get_u32(tb[KS3_A_CONNECTIONS]);
	snprintf(st->device, sizeof(st->device), "%s",
		 tb[KS3_A_DEVICE] ? mnl_attr_get_str(tb[KS3_A_DEVICE]) : "");
	st->nr_digests = 0;
	if (tb[KS3_A_DIGESTS]) {
		ret = s3ctl_status_parse_digests(tb[KS3_A_DIGESTS], st, e);
		if (ret)
			return ret;
	}
	return s3ctl_status_parse_store(tb, st, e);
}

/*
 * JSON: {"md5": "md5-generic", ...}, null from a module that does not say.
 * Humans: the drivers in one line (their names say the algorithm).
 */
static void s3ctl_status_digests(struct s3ctl_record *r,
				 const struct s3ctl_status *st)
{
	char text[S3CTL_DIGESTS_MAX * (S3CTL_DIGEST_DRIVER_MAX + 3)];
	json_t *obj = NULL;
	size_t len = 0;
	unsigned int i;

	text[0] = '\0';
	if (st->nr_digests)
		obj = json_object();
	for (i = 0; i < st->nr_digests; i++) {
		if (obj && json_object_set_new(obj, st->digests[i].alg,
				s3ctl_json_string(st->digests[i].driver))) {
			json_decref(obj);
			obj = NULL;
		}
		len += snprintf(text + len, sizeof(text) - len, "%s%s",
				i ? ", " : "", st->digests[i].driver);
	}
	if (!st->nr_digests)
		obj = json_null();
	s3ctl_record_json_text(r, "digests", "digests", obj,
			       st->nr_digests ? text : NULL);
}

static void s3ctl_status_store(struct s3ctl_record *r,
			       const struct s3ctl_status *st)
{
	char uuid[37], total[32], data[32], free[32], text[160];

	s3ctl_format_uuid(uuid, st->uuid);
	s3ctl_record_str(r, "uuid", "uuid", uuid);
	s3ctl_format_bytes(total, sizeof(total), st->total_bytes);
	s3ctl_format_bytes(data, sizeof(data), st->data_bytes);
	s3ctl_format_bytes(free, sizeof(free), st->free_bytes);
	s3ctl_record_u64_text(r, "total_bytes", "size", st->total_bytes,
			      total);
	s3ctl_record_u64_text(r, "data_bytes", "data", st->data_bytes, data);
	s3ctl_record_u64_text(r, "free_bytes", "free", st->free_bytes, free);
	snprintf(text, sizeof(text), "%" PRIu64 " of %" PRIu64 " blocks used",
		 st->journal_used, st->journal_blocks);
	s3ctl_record_u64_text(r, "journal_used_blocks", "journal",
			      st->journal_used, text);
	if (r->json)
		s3ctl_record_u64(r, "journal_blocks", NULL, st->journal_blocks);
	s3ctl_record_u64(r, "buckets", "buckets", st->nr_buckets);
	s3ctl_record_u64(r, "keys", "keys", st->nr_keys);
	s3ctl_record_u64(r, "checkpoints", "checkpoints", st->checkpoints);
	s3ctl_record_u64(r, "commits", "commits", st->commits);
	if (r->json) {
		s3ctl_record_bool(r, "read_only", NULL, st->read_only);
		s3ctl_record_str(r, "read_only_reason", NULL,
				 st->read_only ? st->ro_reason : NULL);
	} else if (st->read_only) {
		s3ctl_record_str(r, NULL, "read-only", st->ro_reason[0] ?
				 st->ro_reason : "yes");
	}
}

int s3ctl_status_print(struct s3ctl *ctx, const struct s3ctl_status *st)
{
	const char *state = s3ctl_state_name(st->state);
	struct s3ctl_record r;
	char unknown[32], uptime[64];

	if (!state) {
		/* From a newer module: say so rather than guess. */
		snprintf(unknown, sizeof(unknown), "unknown (%u)", st->state);
		state = ctx->json ? "unknown" : unknown;
	}
	s3ctl_format_duration(uptime, sizeof(uptime), st->uptime_ms);

	s3ctl_record_init(&r, ctx->json);
	s3ctl_record_str(&r, "version", "version", st->version);
	s3ctl_record_str(&r, "state", "state", state);
	s3ctl_record_u64_text(&r, "uptime_ms", "uptime", st->uptime_ms, uptime);
	s3ctl_record_u64(&r, "listeners", "listeners", st->listeners);
	s3ctl_record_u64(&r, "connections", "connections", st->connections);
	s3ctl_record_str(&r, "device", "device",
			 st->device[0] ? st->device : NULL);
	s3ctl_status_digests(&r, st);
	if (st->has_store)
		s3ctl_status_store(&r, st);
	if (s3ctl_record_print(&r, ctx->out)) {
		s3ctl_error(ctx, "out of memory");
		return S3CTL_EXIT_FAIL;
	}
	return S3CTL_EXIT_OK;
}

static int s3ctl_status_cb(const struct nlmsghdr *nlh, void *data,
			   struct s3ctl_nlerr *e)
{
	return s3ctl_status_parse(nlh, data, e);
}

int s3ctl_cmd_status_show(struct s3ctl *ctx, int argc, char **argv)
{
	struct s3ctl_status st;
	int ret;

	ret = s3ctl_expect_no_args(ctx, argc, argv);
	if (ret)
		return ret;
	ret = s3ctl_query(ctx, KS3_CMD_GET_STATUS, s3ctl_status_cb, &st);
	if (ret)
		return ret;
	return s3ctl_status_print(ctx, &st);
}
