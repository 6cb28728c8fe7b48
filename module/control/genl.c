// SPDX-License-Identifier: GPL-2.0
/*
 * The admin plane: generic netlink family "ks3". One table maps each command
 * to its handler; every command needs CAP_NET_ADMIN (GENL_ADMIN_PERM) and
 * attributes are validated strictly against one family policy before a
 * handler runs. Handlers only translate attributes: the work lives in the
 * subsystem they drive (server.c for the store's life cycle, storage/ for
 * keys and buckets), and every refusal carries an extack message that
 * s3ctl prints.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <net/genetlink.h>

#include "compat.h"
#include "ks3.h"
#include "control/config.h"
#include "http/listener.h"
#include "s3/digest.h"
#include "s3/s3.h"
#include "storage/bucket_name.h"
#include "storage/store.h"

static struct ks3_server *ks3_genl_srv;

/* Attributes that only replies carry: a request holding one is refused. */
#define KS3_REPLY_ONLY { .type = NLA_REJECT, \
			 .reject_message = "attribute only valid in replies" }

static const struct nla_policy ks3_genl_policy[KS3_A_MAX + 1] = {
	[KS3_A_VERSION]		= { .type = NLA_NUL_STRING, .len = 64 },
	[KS3_A_GENL_VERSION]	= { .type = NLA_U32 },
	[KS3_A_KERNEL_RELEASE]	= { .type = NLA_NUL_STRING, .len = 64 },
	[KS3_A_STATE]		= NLA_POLICY_MAX(NLA_U32, __KS3_STATE_MAX - 1),
	[KS3_A_UPTIME_MS]	= { .type = NLA_U64 },
	[KS3_A_LISTENERS]	= { .type = NLA_U32 },
	[KS3_A_CONNECTIONS]	= { .type = NLA_U32 },
	[KS3_A_DEVICE]		= { .type = NLA_NUL_STRING,
				    .len = KS3_DEVICE_PATH_MAX - 1 },
	[KS3_A_FORCE]		= { .type = NLA_FLAG },
	[KS3_A_UUID]		= KS3_REPLY_ONLY,
	[KS3_A_TOTAL_BYTES]	= KS3_REPLY_ONLY,
	[KS3_A_DATA_BYTES]	= KS3_REPLY_ONLY,
	[KS3_A_FREE_BYTES]	= KS3_REPLY_ONLY,
	[KS3_A_JOURNAL_USED]	= KS3_REPLY_ONLY,
	[KS3_A_JOURNAL_BLOCKS]	= KS3_REPLY_ONLY,
	[KS3_A_NR_BUCKETS]	= KS3_REPLY_ONLY,
	[KS3_A_NR_KEYS]		= KS3_REPLY_ONLY,
	[KS3_A_READ_ONLY]	= KS3_REPLY_ONLY,
	[KS3_A_RO_REASON]	= KS3_REPLY_ONLY,
	[KS3_A_CHECKPOINTS]	= KS3_REPLY_ONLY,
	[KS3_A_COMMITS]		= KS3_REPLY_ONLY,
	[KS3_A_KEY_ID]		= KS3_REPLY_ONLY,
	[KS3_A_ACCESS_KEY]	= { .type = NLA_NUL_STRING,
				    .len = KS3_ACCESS_KEY_LEN },
	[KS3_A_SECRET_KEY]	= KS3_REPLY_ONLY,
	[KS3_A_KEY_NAME]	= { .type = NLA_NUL_STRING,
				    .len = KS3_KEY_NAME_LEN_MAX },
	[KS3_A_KEY_ENABLED]	= KS3_REPLY_ONLY,
	[KS3_A_CREATE_TIME]	= KS3_REPLY_ONLY,
	[KS3_A_GRANTS]		= KS3_REPLY_ONLY,
	[KS3_A_GRANT]		= KS3_REPLY_ONLY,
	[KS3_A_CAPS]		= NLA_POLICY_MASK(NLA_U32, KS3_CAP_ALL),
	[KS3_A_BUCKET_NAME]	= { .type = NLA_NUL_STRING,
				    .len = KS3_BUCKET_NAME_LEN_MAX },
	[KS3_A_BUCKET_ID]	= KS3_REPLY_ONLY,
	[KS3_A_OWNER]		= { .type = NLA_NUL_STRING,
				    .len = KS3_ACCESS_KEY_LEN },
	[KS3_A_OWNER_ID]	= KS3_REPLY_ONLY,
	[KS3_A_NR_OBJECTS]	= KS3_REPLY_ONLY,
	[KS3_A_BYTES]		= KS3_REPLY_ONLY,
	[KS3_A_QUOTA_BYTES]	= { .type = NLA_U64 },
	[KS3_A_QUOTA_OBJECTS]	= { .type = NLA_U64 },
	[KS3_A_LISTEN_ADDR]	= { .type = NLA_BINARY,
				    .len = sizeof(struct in6_addr) },
	[KS3_A_LISTEN_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
	[KS3_A_ACCEPTED]	= KS3_REPLY_ONLY,
	[KS3_A_CONFIG_NAME]	= { .type = NLA_NUL_STRING,
				    .len = KS3_CONFIG_NAME_MAX },
	[KS3_A_CONFIG_VALUE]	= { .type = NLA_NUL_STRING,
				    .len = KS3_CONFIG_VALUE_MAX },
	[KS3_A_CONFIG_DEFAULT]	= KS3_REPLY_ONLY,
	[KS3_A_CONFIG_IS_SET]	= KS3_REPLY_ONLY,
	[KS3_A_DIGESTS]		= KS3_REPLY_ONLY,
	[KS3_A_DIGEST]		= KS3_REPLY_ONLY,
	[KS3_A_DIGEST_ALG]	= KS3_REPLY_ONLY,
	[KS3_A_DIGEST_DRIVER]	= KS3_REPLY_ONLY,
};

/*
 * NL_SET_ERR_MSG() takes a literal; @msg is a static sentence chosen at
 * run time (by server.c or the storage layer).
 */
static void ks3_genl_msg(struct netlink_ext_ack *extack, const char *msg)
{
	if (extack && msg)
		extack->_msg = msg;
}

int ks3_genl_fill_version(struct sk_buff *skb)
{
	if (nla_put_string(skb, KS3_A_VERSION, KS3_VERSION) ||
	    nla_put_u32(skb, KS3_A_GENL_VERSION, KS3_GENL_VERSION) ||
	    nla_put_string(skb, KS3_A_KERNEL_RELEASE, init_utsname()->release))
		return -EMSGSIZE;
	return 0;
}

static int ks3_genl_fill_store(struct sk_buff *skb, struct ks3_store *s)
{
	struct ks3_store_stats st;

	ks3_store_stats(s, &st);
	if (nla_put(skb, KS3_A_UUID, sizeof(st.uuid), st.uuid) ||
	    nla_put_u64_64bit(skb, KS3_A_TOTAL_BYTES, st.total_bytes,
			      KS3_A_PAD) ||
	    nla_put_u64_64bit(skb, KS3_A_DATA_BYTES, st.data_bytes,
			      KS3_A_PAD) ||
	    nla_put_u64_64bit(skb, KS3_A_FREE_BYTES, st.free_bytes,
			      KS3_A_PAD) ||
	    nla_put_u64_64bit(skb, KS3_A_JOURNAL_USED, st.journal_used,
			      KS3_A_PAD) ||
	    nla_put_u64_64bit(skb, KS3_A_JOURNAL_BLOCKS, st.journal_blocks,
			      KS3_A_PAD) ||
	    nla_put_u32(skb, KS3_A_NR_BUCKETS, st.nr_buckets) ||
	    nla_put_u32(skb, KS3_A_NR_KEYS, st.nr_keys) ||
	    nla_put_u64_64bit(skb, KS3_A_CHECKPOINTS, st.nr_checkpoints,
			      KS3_A_PAD) ||
	    nla_put_u64_64bit(skb, KS3_A_COMMITS, st.nr_commits, KS3_A_PAD))
		return -EMSGSIZE;
	if (st.read_only &&
	    (nla_put_flag(skb, KS3_A_READ_ONLY) ||
	     nla_put_string(skb, KS3_A_RO_REASON, st.ro_reason)))
		return -EMSGSIZE;
	return 0;
}

/* Which driver runs each digest (s3/digest.c decides, this only lists). */
static int ks3_genl_fill_digests(struct sk_buff *skb)
{
	const char *alg, *driver;
	struct nlattr *digests, *nest;
	unsigned int i;

	digests = nla_nest_start(skb, KS3_A_DIGESTS);
	if (!digests)
		return -EMSGSIZE;
	for (i = 0; !ks3_digest_impl(i, &alg, &driver); i++) {
		nest = nla_nest_start(skb, KS3_A_DIGEST);
		if (!nest ||
		    nla_put_string(skb, KS3_A_DIGEST_ALG, alg) ||
		    nla_put_string(skb, KS3_A_DIGEST_DRIVER, driver)) {
			nla_nest_cancel(skb, digests);
			return -EMSGSIZE;
		}
		nla_nest_end(skb, nest);
	}
	nla_nest_end(skb, digests);
	return 0;
}

int ks3_genl_fill_status(struct sk_buff *skb, struct ks3_server *srv)
{
	int ret = -EMSGSIZE;

	mutex_lock(&srv->lock);
	if (nla_put_string(skb, KS3_A_VERSION, KS3_VERSION) ||
	    nla_put_u32(skb, KS3_A_STATE, ks3_server_state(srv)) ||
	    nla_put_u64_64bit(skb, KS3_A_UPTIME_MS,
			      ks3_server_uptime_ms(srv), KS3_A_PAD) ||
	    nla_put_u32(skb, KS3_A_LISTENERS, atomic_read(&srv->listeners)) ||
	    nla_put_u32(skb, KS3_A_CONNECTIONS,
			atomic_read(&srv->connections)))
		goto out_unlock;
	if (srv->device[0] && nla_put_string(skb, KS3_A_DEVICE, srv->device))
		goto out_unlock;
	if (ks3_genl_fill_digests(skb))
		goto out_unlock;
	ret = srv->store ? ks3_genl_fill_store(skb, srv->store) : 0;
out_unlock:
	mutex_unlock(&srv->lock);
	return ret;
}

static struct genl_family ks3_genl_family;

/* Builds a reply for @info's command with @fill and sends it. */
static int ks3_genl_reply(struct genl_info *info,
			  int (*fill)(struct sk_buff *skb, void *arg),
			  void *arg)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ks3_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err_free;
	}
	ret = fill(msg, arg);
	if (ret)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return ret;
}

static int ks3_genl_fill_version_arg(struct sk_buff *skb, void *arg)
{
	return ks3_genl_fill_version(skb);
}

static int ks3_genl_fill_status_arg(struct sk_buff *skb, void *arg)
{
	return ks3_genl_fill_status(skb, arg);
}

static int ks3_genl_get_version(struct sk_buff *skb, struct genl_info *info)
{
	return ks3_genl_reply(info, ks3_genl_fill_version_arg, NULL);
}

static int ks3_genl_get_status(struct sk_buff *skb, struct genl_info *info)
{
	return ks3_genl_reply(info, ks3_genl_fill_status_arg, ks3_genl_srv);
}

/* A string attribute the policy checked: NUL-terminated within bounds. */
static const char *ks3_genl_str(struct genl_info *info, int type)
{
	return info->attrs[type] ? nla_data(info->attrs[type]) : NULL;
}

static int ks3_genl_dev_attach(struct sk_buff *skb, struct genl_info *info)
{
	const char *msg;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KS3_A_DEVICE))
		return -EINVAL;
	ret = ks3_server_attach(ks3_genl_srv,
				ks3_genl_str(info, KS3_A_DEVICE), &msg);
	if (ret)
		ks3_genl_msg(info->extack, msg);
	return ret;
}

static int ks3_genl_dev_detach(struct sk_buff *skb, struct genl_info *info)
{
	const char *msg;
	int ret;

	ret = ks3_server_detach(ks3_genl_srv,
				nla_get_flag(info->attrs[KS3_A_FORCE]), &msg);
	if (ret)
		ks3_genl_msg(info->extack, msg);
	else
		ks3_s3_key_cache_flush();
	return ret;
}

/*
 * Keys and buckets: the attached store, with srv->lock held so it cannot
 * be detached under the handler; NULL (and the reason set) if none.
 */
static struct ks3_store *ks3_genl_store_lock(struct netlink_ext_ack *extack)
{
	struct ks3_server *srv = ks3_genl_srv;

	mutex_lock(&srv->lock);
	if (srv->store)
		return srv->store;
	mutex_unlock(&srv->lock);
	NL_SET_ERR_MSG(extack, "no store is attached (s3ctl dev attach DEVICE)");
	return NULL;
}

static void ks3_genl_store_unlock(void)
{
	mutex_unlock(&ks3_genl_srv->lock);
}

/* Messages for what any store change can fail with. */
static void ks3_genl_store_error(struct netlink_ext_ack *extack, int err)
{
	switch (err) {
	case -EROFS:
		NL_SET_ERR_MSG(extack, "the store is read-only (see s3ctl status)");
		break;
	case -EIO:
		NL_SET_ERR_MSG(extack, "I/O error writing the journal");
		break;
	case -ENOMEM:
		NL_SET_ERR_MSG(extack, "out of memory");
		break;
	}
}

/* KEY_CREATE's reply; @arg is the new key, its secret included. */
static int ks3_genl_fill_new_key(struct sk_buff *skb, void *arg)
{
	const struct ks3_key *k = arg;

	if (nla_put_u32(skb, KS3_A_KEY_ID, k->id) ||
	    nla_put_string(skb, KS3_A_ACCESS_KEY, k->access_key) ||
	    nla_put_string(skb, KS3_A_SECRET_KEY, k->secret_key) ||
	    nla_put_string(skb, KS3_A_KEY_NAME, k->name) ||
	    nla_put_u64_64bit(skb, KS3_A_CREATE_TIME, k->create_time,
			      KS3_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static int ks3_genl_key_create(struct sk_buff *skb, struct genl_info *info)
{
	struct ks3_store *s;
	struct ks3_key *k;
	const char *name;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KS3_A_KEY_NAME))
		return -EINVAL;
	name = ks3_genl_str(info, KS3_A_KEY_NAME);
	if (!ks3_key_name_valid(name, strlen(name))) {
		NL_SET_ERR_MSG(info->extack,
			       "a key name is 1 to 64 printable ASCII characters");
		return -EINVAL;
	}
	/* Holds the secret: off the stack, and wiped. */
	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	s = ks3_genl_store_lock(info->extack);
	if (!s) {
		ret = -ENODEV;
		goto out_free;
	}
	ret = ks3_key_create(s, name, strlen(name), k);
	ks3_genl_store_unlock();
	if (ret == -EEXIST)
		NL_SET_ERR_MSG(info->extack, "no unused access key found; try again");
	else if (ret)
		ks3_genl_store_error(info->extack, ret);
	else
		ret = ks3_genl_reply(info, ks3_genl_fill_new_key, k);
out_free:
	kfree_sensitive(k);
	return ret;
}

static int ks3_genl_key_delete(struct sk_buff *skb, struct genl_info *info)
{
	struct ks3_store *s;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KS3_A_ACCESS_KEY))
		return -EINVAL;
	s = ks3_genl_store_lock(info->extack);
	if (!s)
		return -ENODEV;
	ret = ks3_key_delete(s, ks3_genl_str(info, KS3_A_ACCESS_KEY));
	ks3_genl_store_unlock();
	/* its secret may still sit in the SigV4 key caches */
	if (!ret)
		ks3_s3_key_cache_flush();
	if (ret == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "no such access key");
	else
		ks3_genl_store_error(info->extack, ret);
	return ret;
}

struct ks3_genl_caps {
	const char *access_key;
	const char *bucket;
	u32 caps;
};

static int ks3_genl_fill_caps(struct sk_buff *skb, void *arg)
{
	const struct ks3_genl_caps *c = arg;

	if (nla_put_string(skb, KS3_A_ACCESS_KEY, c->access_key) ||
	    nla_put_string(skb, KS3_A_BUCKET_NAME, c->bucket) ||
	    nla_put_u32(skb, KS3_A_CAPS, c->caps))
		return -EMSGSIZE;
	return 0;
}

/* KEY_ALLOW and KEY_DENY: add or take away capabilities. */
static int ks3_genl_key_caps(struct genl_info *info, bool allow)
{
	struct ks3_genl_caps c;
	struct ks3_store *s;
	u32 caps;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KS3_A_ACCESS_KEY) ||
	    GENL_REQ_ATTR_CHECK(info, KS3_A_BUCKET_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, KS3_A_CAPS))
		return -EINVAL;
	caps = nla_get_u32(info->attrs[KS3_A_CAPS]);
	if (!caps) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KS3_A_CAPS],
				    "no capabilities given");
		return -EINVAL;
	}
	c.access_key = ks3_genl_str(info, KS3_A_ACCESS_KEY);
	c.bucket = ks3_genl_str(info, KS3_A_BUCKET_NAME);
	s = ks3_genl_store_lock(info->extack);
	if (!s)
		return -ENODEV;
	ret = ks3_key_change_caps(s, c.access_key, c.bucket, strlen(c.bucket),
				  allow ? caps : 0, allow ? 0 : caps, &c.caps);
	ks3_genl_store_unlock();
	if (ret == -ENOKEY)
		NL_SET_ERR_MSG(info->extack, "no such access key");
	else if (ret == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "no such bucket");
	else if (ret)
		ks3_genl_store_error(info->extack, ret);
	else
		ret = ks3_genl_reply(info, ks3_genl_fill_caps, &c);
	return ret;
}

static int ks3_genl_key_allow(struct sk_buff *skb, struct genl_info *info)
{
	return ks3_genl_key_caps(info, true);
}

static int ks3_genl_key_deny(struct sk_buff *skb, struct genl_info *info)
{
	return ks3_genl_key_caps(info, false);
}

static int ks3_genl_bucket_create(struct sk_buff *skb, struct genl_info *info)
{
	const char *name, *owner, *problem;
	struct ks3_store *s;
	u32 owner_id = 0;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KS3_A_BUCKET_NAME))
		return -EINVAL;
	name = ks3_genl_str(info, KS3_A_BUCKET_NAME);
	problem = ks3_bucket_name_problem(name, strlen(name));
	if (problem) {
		ks3_genl_msg(info->extack, problem);
		return -EINVAL;
	}
	owner = ks3_genl_str(info, KS3_A_OWNER);
	s = ks3_genl_store_lock(info->extack);
	if (!s)
		return -ENODEV;
	ret = owner ? ks3_key_id(s, owner, &owner_id) : 0;
	if (ret)
		NL_SET_ERR_MSG(info->extack, "no such access key for the owner");
	else
		ret = ks3_bucket_create(s, name, strlen(name), owner_id);
	ks3_genl_store_unlock();
	if (ret == -EEXIST)
		NL_SET_ERR_MSG(info->extack, "the bucket already exists");
	else if (ret == -ENOSPC)
		NL_SET_ERR_MSG(info->extack, "no bucket ids left");
	else if (ret != -ENOKEY)
		ks3_genl_store_error(info->extack, ret);
	return ret;
}

static int ks3_genl_bucket_delete(struct sk_buff *skb, struct genl_info *info)
{
	struct ks3_store *s;
	const char *name;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KS3_A_BUCKET_NAME))
		return -EINVAL;
	name = ks3_genl_str(info, KS3_A_BUCKET_NAME);
	s = ks3_genl_store_lock(info->extack);
	if (!s)
		return -ENODEV;
	ret = ks3_bucket_delete(s, name, strlen(name));
	ks3_genl_store_unlock();
	if (ret == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "no such bucket");
	else if (ret == -ENOTEMPTY)
		NL_SET_ERR_MSG(info->extack, "the bucket is not empty");
	else
		ks3_genl_store_error(info->extack, ret);
	return ret;
}

static int ks3_genl_bucket_set_quota(struct sk_buff *skb,
				     struct genl_info *info)
{
	struct nlattr *qb = info->attrs[KS3_A_QUOTA_BYTES];
	struct nlattr *qo = info->attrs[KS3_A_QUOTA_OBJECTS];
	u64 bytes, objects;
	struct ks3_store *s;
	const char *name;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KS3_A_BUCKET_NAME))
		return -EINVAL;
	if (!qb && !qo) {
		NL_SET_ERR_MSG(info->extack, "no quota given");
		return -EINVAL;
	}
	bytes = qb ? nla_get_u64(qb) : 0;
	objects = qo ? nla_get_u64(qo) : 0;
	name = ks3_genl_str(info, KS3_A_BUCKET_NAME);
	s = ks3_genl_store_lock(info->extack);
	if (!s)
		return -ENODEV;
	ret = ks3_bucket_change_quota(s, name, strlen(name), qb ? &bytes : NULL,
				      qo ? &objects : NULL);
	ks3_genl_store_unlock();
	if (ret == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "no such bucket");
	else
		ks3_genl_store_error(info->extack, ret);
	return ret;
}

/*
 * Dumps. cb->args[0] is the id of the next bucket or key to send, so a
 * dump resumes in the right place whatever changed between its parts;
 * cb->args[1] is, for keys, the bucket id of the next grant of key
 * args[0] when its grants did not all fit one message; cb->args[2] is the
 * attach generation the dump started on, plus one.
 */
struct ks3_genl_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	struct ks3_store *s;
	unsigned int msgs;		/* messages completed in @skb */
	u32 grant_pos;			/* where the last key's grants stopped */
	unsigned int grants;		/* grants in the message being built */
};

static struct ks3_store *ks3_genl_dump_lock(struct netlink_callback *cb)
{
	struct ks3_server *srv = ks3_genl_srv;

	bool same;

	mutex_lock(&srv->lock);
	if (!cb->args[2])
		cb->args[2] = srv->generation + 1;
	same = cb->args[2] == srv->generation + 1;
	if (srv->store && same)
		return srv->store;
	mutex_unlock(&srv->lock);
	if (same)
		NL_SET_ERR_MSG(cb->extack,
			       "no store is attached (s3ctl dev attach DEVICE)");
	else
		NL_SET_ERR_MSG(cb->extack,
			       "the store was detached during the listing");
	return NULL;
}

static void *ks3_genl_dump_put(struct ks3_genl_dump *d, u8 cmd)
{
	return genlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid,
			   d->cb->nlh->nlmsg_seq, &ks3_genl_family,
			   NLM_F_MULTI, cmd);
}

/* What a dumpit returns once the walk stopped with @ret. */
static int ks3_genl_dump_end(struct ks3_genl_dump *d, int ret)
{
	/* A full skb is the normal end of a part: the rest follows. */
	if (ret == -EMSGSIZE && d->msgs)
		return d->skb->len;
	return ret ?: d->skb->len;
}

/* A bucket's name as a string attribute: name_len bytes, then a NUL. */
static int ks3_genl_put_name(struct sk_buff *skb, const struct ks3_bucket *b)
{
	struct nlattr *attr = nla_reserve(skb, KS3_A_BUCKET_NAME,
					  b->name_len + 1);

	if (!attr)
		return -EMSGSIZE;
	memcpy(nla_data(attr), b->name, b->name_len);
	((char *)nla_data(attr))[b->name_len] = '\0';
	return 0;
}

static int ks3_genl_fill_bucket(void *arg, const struct ks3_bucket *b,
				const struct ks3_key *owner)
{
	struct ks3_genl_dump *d = arg;
	struct sk_buff *skb = d->skb;
	void *hdr;

	hdr = ks3_genl_dump_put(d, KS3_CMD_BUCKET_LIST);
	if (!hdr)
		return -EMSGSIZE;
	if (ks3_genl_put_name(skb, b) ||
	    nla_put_u32(skb, KS3_A_BUCKET_ID, b->id) ||
	    nla_put_u32(skb, KS3_A_OWNER_ID, b->owner_key) ||
	    (owner && nla_put_string(skb, KS3_A_OWNER, owner->access_key)) ||
	    nla_put_u64_64bit(skb, KS3_A_CREATE_TIME, b->create_time,
			      KS3_A_PAD) ||
	    nla_put_u64_64bit(skb, KS3_A_NR_OBJECTS, b->nr_objects,
			      KS3_A_PAD) ||
	    nla_put_u64_64bit(skb, KS3_A_BYTES, b->bytes, KS3_A_PAD) ||
	    nla_put_u64_64bit(skb, KS3_A_QUOTA_BYTES, b->quota_bytes,
			      KS3_A_PAD) ||
	    nla_put_u64_64bit(skb, KS3_A_QUOTA_OBJECTS, b->quota_objects,
			      KS3_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	d->msgs++;
	return 0;
}

static int ks3_genl_bucket_list(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	struct ks3_genl_dump d = { .skb = skb, .cb = cb };
	u32 pos = cb->args[0];
	int ret;

	d.s = ks3_genl_dump_lock(cb);
	if (!d.s)
		return -ENODEV;
	ret = ks3_bucket_for_each(d.s, &pos, ks3_genl_fill_bucket, &d);
	ks3_genl_store_unlock();
	cb->args[0] = pos;
	return ks3_genl_dump_end(&d, ret);
}

static int ks3_genl_fill_grant(void *arg, const struct ks3_bucket *b,
			       u32 caps)
{
	struct ks3_genl_dump *d = arg;
	struct sk_buff *skb = d->skb;
	struct nlattr *nest;

	nest = nla_nest_start(skb, KS3_A_GRANT);
	if (!nest)
		return -EMSGSIZE;
	if (ks3_genl_put_name(skb, b) ||
	    nla_put_u32(skb, KS3_A_BUCKET_ID, b->id) ||
	    nla_put_u32(skb, KS3_A_CAPS, caps)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	d->grants++;
	return 0;
}

static int ks3_genl_fill_key(void *arg, struct ks3_key *k)
{
	struct ks3_genl_dump *d = arg;
	struct sk_buff *skb = d->skb;
	struct nlattr *grants;
	u32 pos = 0;
	void *hdr;
	int ret;

	/* Resuming inside this key's grants? */
	if (k->id == d->cb->args[0])
		pos = d->cb->args[1];
	d->grant_pos = pos;
	d->grants = 0;
	hdr = ks3_genl_dump_put(d, KS3_CMD_KEY_LIST);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KS3_A_KEY_ID, k->id) ||
	    nla_put_string(skb, KS3_A_ACCESS_KEY, k->access_key) ||
	    nla_put_string(skb, KS3_A_KEY_NAME, k->name) ||
	    nla_put_u8(skb, KS3_A_KEY_ENABLED,
		       !!(k->flags & KS3_KEY_ENABLED)) ||
	    nla_put_u64_64bit(skb, KS3_A_CREATE_TIME, k->create_time,
			      KS3_A_PAD))
		goto err_cancel;
	grants = nla_nest_start(skb, KS3_A_GRANTS);
	if (!grants)
		goto err_cancel;
	ret = ks3_key_for_each_grant(d->s, k, &pos, ks3_genl_fill_grant, d);
	d->grant_pos = pos;
	if (ret && !d->grants)
		goto err_cancel;
	nla_nest_end(skb, grants);
	genlmsg_end(skb, hdr);
	d->msgs++;
	/* Stopped inside the grants: this key continues in the next part. */
	return ret;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int ks3_genl_key_list(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ks3_genl_dump d = { .skb = skb, .cb = cb };
	u32 pos = cb->args[0];
	int ret;

	d.s = ks3_genl_dump_lock(cb);
	if (!d.s)
		return -ENODEV;
	ret = ks3_key_for_each(d.s, &pos, ks3_genl_fill_key, &d);
	ks3_genl_store_unlock();
	cb->args[0] = pos;
	cb->args[1] = ret ? d.grant_pos : 0;
	return ks3_genl_dump_end(&d, ret);
}

/* LISTEN_ADDR and LISTEN_PORT as a socket address. */
static int ks3_genl_listen_addr(struct genl_info *info,
				struct sockaddr_storage *ss)
{
	struct nlattr *a = info->attrs[KS3_A_LISTEN_ADDR];
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	__be16 port;

	if (GENL_REQ_ATTR_CHECK(info, KS3_A_LISTEN_ADDR) ||
	    GENL_REQ_ATTR_CHECK(info, KS3_A_LISTEN_PORT))
		return -EINVAL;
	port = htons(nla_get_u16(info->attrs[KS3_A_LISTEN_PORT]));
	memset(ss, 0, sizeof(*ss));
	switch (nla_len(a)) {
	case sizeof(struct in_addr):
		a4->sin_family = AF_INET;
		a4->sin_port = port;
		memcpy(&a4->sin_addr, nla_data(a), sizeof(a4->sin_addr));
		return 0;
	case sizeof(struct in6_addr):
		a6->sin6_family = AF_INET6;
		a6->sin6_port = port;
		memcpy(&a6->sin6_addr, nla_data(a), sizeof(a6->sin6_addr));
		return 0;
	}
	NL_SET_ERR_MSG_ATTR(info->extack, a,
			    "an address is 4 bytes (IPv4) or 16 (IPv6)");
	return -EINVAL;
}

static int ks3_genl_listen_add(struct sk_buff *skb, struct genl_info *info)
{
	struct sockaddr_storage ss;
	const char *msg;
	int ret;

	ret = ks3_genl_listen_addr(info, &ss);
	if (ret)
		return ret;
	ret = ks3_listener_add(ks3_genl_srv, &ss, &msg);
	if (ret)
		ks3_genl_msg(info->extack, msg);
	return ret;
}

static int ks3_genl_listen_del(struct sk_buff *skb, struct genl_info *info)
{
	struct sockaddr_storage ss;
	const char *msg;
	int ret;

	ret = ks3_genl_listen_addr(info, &ss);
	if (ret)
		return ret;
	ret = ks3_listener_del(ks3_genl_srv, &ss, &msg);
	if (ret)
		ks3_genl_msg(info->extack, msg);
	return ret;
}

static int ks3_genl_fill_listener(void *arg, const struct sockaddr_storage *ss,
				  u64 accepted)
{
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *a4 = (const struct sockaddr_in *)ss;
	struct ks3_genl_dump *d = arg;
	struct sk_buff *skb = d->skb;
	void *hdr;
	int ret;

	hdr = ks3_genl_dump_put(d, KS3_CMD_LISTEN_LIST);
	if (!hdr)
		return -EMSGSIZE;
	if (ss->ss_family == AF_INET6)
		ret = nla_put(skb, KS3_A_LISTEN_ADDR, sizeof(a6->sin6_addr),
			      &a6->sin6_addr) ||
		      nla_put_u16(skb, KS3_A_LISTEN_PORT,
				  ntohs(a6->sin6_port));
	else
		ret = nla_put(skb, KS3_A_LISTEN_ADDR, sizeof(a4->sin_addr),
			      &a4->sin_addr) ||
		      nla_put_u16(skb, KS3_A_LISTEN_PORT, ntohs(a4->sin_port));
	if (ret || nla_put_u64_64bit(skb, KS3_A_ACCEPTED, accepted,
				     KS3_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	d->msgs++;
	return 0;
}

static int ks3_genl_listen_list(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	struct ks3_genl_dump d = { .skb = skb, .cb = cb };
	unsigned long pos = cb->args[0];
	int ret;

	ret = ks3_listener_for_each(ks3_genl_srv, &pos,
				    ks3_genl_fill_listener, &d);
	cb->args[0] = pos;
	return ks3_genl_dump_end(&d, ret);
}

/*
 * Settings. CONFIG_GET is a dump, one message per setting, cb->args[0]
 * the next one; it takes srv->lock for each part, to read what the
 * attached store holds.
 */
struct ks3_genl_config {
	struct ks3_config live;
	struct ks3_config defaults;
	char text[KS3_CONFIG_TEXT_MAX];
};

static int ks3_genl_fill_config(struct ks3_genl_dump *d,
				struct ks3_genl_config *c, unsigned int i,
				bool is_set)
{
	struct sk_buff *skb = d->skb;
	void *hdr;

	hdr = ks3_genl_dump_put(d, KS3_CMD_CONFIG_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, KS3_A_CONFIG_NAME, ks3_config_name(i)))
		goto err_cancel;
	ks3_config_format(&c->live, i, c->text, sizeof(c->text));
	if (nla_put_string(skb, KS3_A_CONFIG_VALUE, c->text))
		goto err_cancel;
	ks3_config_format(&c->defaults, i, c->text, sizeof(c->text));
	if (nla_put_string(skb, KS3_A_CONFIG_DEFAULT, c->text) ||
	    (is_set && nla_put_flag(skb, KS3_A_CONFIG_IS_SET)))
		goto err_cancel;
	genlmsg_end(skb, hdr);
	d->msgs++;
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int ks3_genl_config_get(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	struct ks3_genl_dump d = { .skb = skb, .cb = cb };
	struct ks3_server *srv = ks3_genl_srv;
	struct ks3_genl_config *c;
	unsigned int i;
	int ret = 0;

	c = kmalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	ks3_config_defaults(&c->defaults);
	mutex_lock(&srv->lock);
	ks3_server_get_config(srv, &c->live);
	for (i = cb->args[0]; i < ks3_config_count(); i++) {
		ret = ks3_genl_fill_config(&d, c, i, srv->store &&
					   ks3_config_is_set(srv->store, i));
		if (ret)
			break;
	}
	mutex_unlock(&srv->lock);
	kfree(c);
	cb->args[0] = i;
	return ks3_genl_dump_end(&d, ret);
}

/* CONFIG_SET and CONFIG_UNSET (@value NULL). */
static int ks3_genl_config_change(struct genl_info *info, const char *value)
{
	struct ks3_server *srv = ks3_genl_srv;
	const char *name, *msg;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KS3_A_CONFIG_NAME))
		return -EINVAL;
	name = ks3_genl_str(info, KS3_A_CONFIG_NAME);
	if (ks3_config_lookup(name) < 0) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[KS3_A_CONFIG_NAME],
				    "no such setting (s3ctl config get lists them)");
		return -ENOENT;
	}
	mutex_lock(&srv->lock);
	if (!srv->store) {
		mutex_unlock(&srv->lock);
		NL_SET_ERR_MSG(info->extack,
			       "settings live on the device: attach one first");
		return -ENODEV;
	}
	ret = ks3_config_change(srv, name, value, &msg);
	mutex_unlock(&srv->lock);
	if (msg)
		ks3_genl_msg(info->extack, msg);
	else
		ks3_genl_store_error(info->extack, ret);
	return ret;
}

static int ks3_genl_config_set(struct sk_buff *skb, struct genl_info *info)
{
	if (GENL_REQ_ATTR_CHECK(info, KS3_A_CONFIG_VALUE))
		return -EINVAL;
	return ks3_genl_config_change(info,
				      ks3_genl_str(info, KS3_A_CONFIG_VALUE));
}

static int ks3_genl_config_unset(struct sk_buff *skb, struct genl_info *info)
{
	return ks3_genl_config_change(info, NULL);
}

static const struct genl_ops ks3_genl_ops[] = {
	{
		.cmd	= KS3_CMD_GET_VERSION,
		.flags	= GENL_ADMIN_PERM,
		.doit	= ks3_genl_get_version,
	},
	{
		.cmd	= KS3_CMD_GET_STATUS,
		.flags	= GENL_ADMIN_PERM,
		.doit	= ks3_genl_get_status,
	},
	{
		.cmd	= KS3_CMD_DEV_ATTACH,
		.flags	= GENL_ADMIN_PERM,
		.doit	= ks3_genl_dev_attach,
	},
	{
		.cmd	= KS3_CMD_DEV_DETACH,
		.flags	= GENL_ADMIN_PERM,
		.doit	= ks3_genl_dev_detach,
	},
	{
		.cmd	= KS3_CMD_KEY_CREATE,
		.flags	= GENL_ADMIN_PERM,
		.doit	= ks3_genl_key_create,
	},
	{
		.cmd	= KS3_CMD_KEY_LIST,
		.flags	= GENL_ADMIN_PERM,
		.dumpit	= ks3_genl_key_list,
	},
	{
		.cmd	= KS3_CMD_KEY_DELETE,
		.flags	= GENL_ADMIN_PERM,
		.doit	= ks3_genl_key_delete,
	},
	{
		.cmd	= KS3_CMD_KEY_ALLOW,
		.flags	= GENL_ADMIN_PERM,
		.doit	= ks3_genl_key_allow,
	},
	{
		.cmd	= KS3_CMD_KEY_DENY,
		.flags	= GENL_ADMIN_PERM,
		.doit	= ks3_genl_key_deny,
	},
	{
		.cmd	= KS3_CMD_BUCKET_CREATE,
		.flags	= GENL_ADMIN_PERM,
		.doit	= ks3_genl_bucket_create,
	},
	{
		.cmd	= KS3_CMD_BUCKET_DELETE,
		.flags	= GENL_ADMIN_PERM,
		.doit	= ks3_genl_bucket_delete,
	},
	{
		.cmd	= KS3_CMD_BUCKET_LIST,
		.flags	= GENL_ADMIN_PERM,
		.dumpit	= ks3_genl_bucket_list,
	},
	{
		.cmd	= KS3_CMD_BUCKET_SET_QUOTA,
		.flags	= GENL_ADMIN_PERM,
		.doit	= ks3_genl_bucket_set_quota,
	},
	{
		.cmd	= KS3_CMD_LISTEN_ADD,
		.flags	= GENL_ADMIN_PERM,
		.doit	= ks3_genl_listen_add,
	},
	{
		.cmd	= KS3_CMD_LISTEN_DEL,
		.flags	= GENL_ADMIN_PERM,
		.doit	= ks3_genl_listen_del,
	},
	{
		.cmd	= KS3_CMD_LISTEN_LIST,
		.flags	= GENL_ADMIN_PERM,
		.dumpit	= ks3_genl_listen_list,
	},
	{
		.cmd	= KS3_CMD_CONFIG_GET,
		.flags	= GENL_ADMIN_PERM,
		.dumpit	= ks3_genl_config_get,
	},
	{
		.cmd	= KS3_CMD_CONFIG_SET,
		.flags	= GENL_ADMIN_PERM,
		.doit	= ks3_genl_config_set,
	},
	{
		.cmd	= KS3_CMD_CONFIG_UNSET,
		.flags	= GENL_ADMIN_PERM,
		.doit	= ks3_genl_config_unset,
	},
};

static struct genl_family ks3_genl_family __ro_after_init = {
	.name		= KS3_GENL_NAME,
	.version	= KS3_GENL_VERSION,
	.maxattr	= KS3_A_MAX,
	.policy		= ks3_genl_policy,
	.module		= THIS_MODULE,
	.ops		= ks3_genl_ops,
	.n_ops		= ARRAY_SIZE(ks3_genl_ops),
	.resv_start_op	= 0,	/* strict validation for every command */
	/*
	 * Attach replays a journal, which can take a while: not under
	 * genl_mutex, which every other family shares. srv->lock
	 * serialises ks3's own admin commands.
	 */
	.parallel_ops	= true,
};

int ks3_genl_register(struct ks3_server *srv)
{
	ks3_genl_srv = srv;
	return genl_register_family(&ks3_genl_family);
}

void ks3_genl_unregister(void)
{
	genl_unregister_family(&ks3_genl_family);
	ks3_genl_srv = NULL;
}
