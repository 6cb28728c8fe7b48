// SPDX-License-Identifier: GPL-2.0
/*
 * The admin plane: generic netlink family "ks3". One table maps each command
 * to its handler; every command needs CAP_NET_ADMIN (GENL_ADMIN_PERM) and
 * attributes are validated strictly against one family policy before a
 * handler runs. Handlers only translate attributes: the work lives in the
 * subsystem they drive.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/utsname.h>
#include <net/genetlink.h>

#include "compat.h"
#include "ks3.h"

static struct ks3_server *ks3_genl_srv;

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
};

int ks3_genl_fill_version(struct sk_buff *skb)
{
	if (nla_put_string(skb, KS3_A_VERSION, KS3_VERSION) ||
	    nla_put_u32(skb, KS3_A_GENL_VERSION, KS3_GENL_VERSION) ||
	    nla_put_string(skb, KS3_A_KERNEL_RELEASE, init_utsname()->release))
		return -EMSGSIZE;
	return 0;
}

int ks3_genl_fill_status(struct sk_buff *skb, struct ks3_server *srv)
{
	int ret = -EMSGSIZE;

	mutex_lock(&srv->lock);
	if (nla_put_string(skb, KS3_A_VERSION, KS3_VERSION) ||
	    nla_put_u32(skb, KS3_A_STATE, srv->state) ||
	    nla_put_u64_64bit(skb, KS3_A_UPTIME_MS,
			      ks3_server_uptime_ms(srv), KS3_A_PAD) ||
	    nla_put_u32(skb, KS3_A_LISTENERS, atomic_read(&srv->listeners)) ||
	    nla_put_u32(skb, KS3_A_CONNECTIONS,
			atomic_read(&srv->connections)))
		goto out_unlock;
	if (srv->device[0] && nla_put_string(skb, KS3_A_DEVICE, srv->device))
		goto out_unlock;
	ret = 0;
out_unlock:
	mutex_unlock(&srv->lock);
	return ret;
}

static struct genl_family ks3_genl_family;

/* Builds a reply for @info's command with @fill and sends it. */
static int ks3_genl_reply(struct genl_info *info,
			  int (*fill)(struct sk_buff *skb,
				      struct ks3_server *srv))
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
	ret = fill(msg, ks3_genl_srv);
	if (ret)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return ret;
}

static int ks3_genl_fill_version_srv(struct sk_buff *skb,
				     struct ks3_server *srv)
{
	return ks3_genl_fill_version(skb);
}

static int ks3_genl_get_version(struct sk_buff *skb, struct genl_info *info)
{
	return ks3_genl_reply(info, ks3_genl_fill_version_srv);
}

static int ks3_genl_get_status(struct sk_buff *skb, struct genl_info *info)
{
	return ks3_genl_reply(info, ks3_genl_fill_status);
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
