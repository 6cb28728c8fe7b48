// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink transport for s3ctl (see genl.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "genl.h"

struct s3ctl_genl {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;
	uint8_t hdr_version;
	uint32_t family_version;
	char tx[S3CTL_GENL_TX_SIZE];
	char rx[S3CTL_GENL_RX_SIZE];
};

static const struct s3ctl_attr_policy s3ctl_extack_policy[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG]	  = { S3CTL_ATTR_STRING, 0, "extack message" },
	[NLMSGERR_ATTR_MISS_TYPE] = { S3CTL_ATTR_U32, 0, "extack missing type" },
};

static const struct s3ctl_attr_policy s3ctl_ctrl_policy[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID]	= { S3CTL_ATTR_U16, 0, "family id" },
	[CTRL_ATTR_FAMILY_NAME]	= { S3CTL_ATTR_STRING, GENL_NAMSIZ - 1, "family name" },
	[CTRL_ATTR_VERSION]	= { S3CTL_ATTR_U32, 0, "family version" },
};

/* Fills @e from the extended ack attributes @off bytes into @nlh's payload. */
static void s3ctl_genl_parse_extack(const struct nlmsghdr *nlh, size_t off,
				    struct s3ctl_nlerr *e)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct s3ctl_nlerr ignored;
	uint32_t miss;
	char *p;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    off > mnl_nlmsg_get_payload_len(nlh))
		return;
	/* A garbled extack loses the detail, not the errno. */
	if (s3ctl_attr_parse(nlh, off, s3ctl_extack_policy, NLMSGERR_ATTR_MAX,
			     tb, &ignored))
		return;
	if (tb[NLMSGERR_ATTR_MSG]) {
		snprintf(e->msg, sizeof(e->msg), "%s",
			 mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]));
		/* It becomes one line on a terminal: no control characters. */
		for (p = e->msg; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = '?';
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
		miss = mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
		if (miss <= INT_MAX)
			e->miss_type = (int)miss;
	}
}

/* @error as the kernel sent it: 0, or a negative errno. */
static int s3ctl_genl_kernel_error(const struct nlmsghdr *nlh, int error,
				   size_t extack_off, struct s3ctl_nlerr *e)
{
	if (error == 0)
		return 0;
	if (error > 0 || error < -4095)
		return s3ctl_nlerr_set(e, EPROTO,
			"malformed netlink reply: error code %d", error);
	s3ctl_nlerr_init(e);
	e->code = -error;
	s3ctl_genl_parse_extack(nlh, extack_off, e);
	return error;
}

int s3ctl_genl_parse_error(const struct nlmsghdr *nlh, struct s3ctl_nlerr *e)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t off;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err))
		return s3ctl_nlerr_set(e, EPROTO,
			"malformed netlink reply: truncated error message");
	/* The request comes back whole unless NETLINK_CAP_ACK took effect. */
	if (nlh->nlmsg_flags & NLM_F_CAPPED)
		off = sizeof(*err);
	else
		off = sizeof(err->error) + (size_t)err->msg.nlmsg_len;
	return s3ctl_genl_kernel_error(nlh, err->error, off, e);
}

/* NLMSG_DONE ends a dump; its payload, if any, is the dump's error. */
static int s3ctl_genl_parse_done(const struct nlmsghdr *nlh,
				 struct s3ctl_nlerr *e)
{
	int error;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(error))
		return 0;
	memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
	return s3ctl_genl_kernel_error(nlh, error, sizeof(error), e);
}

static int s3ctl_genl_data(struct s3ctl_genl_rx *rx,
			   const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_type != rx->family)
		return s3ctl_nlerr_set(rx->e, EPROTO,
			"malformed netlink reply: message type %u, expected %u",
			nlh->nlmsg_type, rx->family);
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return s3ctl_nlerr_set(rx->e, EPROTO,
			"malformed netlink reply: truncated generic netlink header");
	return rx->cb(nlh, rx->data, rx->e);
}

/*
 * Not mnl_nlmsg_ok(): libmnl 1.0.4 compares (int)nlmsg_len, so a length of
 * 2 GiB or more passes as negative and walks off the buffer.
 */
static bool s3ctl_nlmsg_ok(const struct nlmsghdr *nlh, size_t left)
{
	return left >= sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= left;
}

int s3ctl_genl_rx(struct s3ctl_genl_rx *rx, const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	size_t left = len, step;

	while (s3ctl_nlmsg_ok(nlh, left)) {
		if (nlh->nlmsg_pid && rx->portid && nlh->nlmsg_pid != rx->portid)
			return s3ctl_nlerr_set(rx->e, EPROTO,
				"netlink reply addressed to port %u, not %u",
				nlh->nlmsg_pid, rx->portid);
		if (nlh->nlmsg_seq != rx->seq)
			return s3ctl_nlerr_set(rx->e, EPROTO,
				"netlink reply to request %u, not %u",
				nlh->nlmsg_seq, rx->seq);

		switch (nlh->nlmsg_type) {
		case NLMSG_ERROR:
			if (rx->cb_ret)
				return rx->cb_ret;
			return s3ctl_genl_parse_error(nlh, rx->e);
		case NLMSG_DONE:
			if (rx->cb_ret)
				return rx->cb_ret;
			return s3ctl_genl_parse_done(nlh, rx->e);
		case NLMSG_OVERRUN:
			return s3ctl_nlerr_set(rx->e, ENOBUFS,
					       "netlink reply overrun");
		default:
			if (nlh->nlmsg_type < NLMSG_MIN_TYPE || rx->cb_ret)
				break;	/* NOOP and the like; or draining */
			rx->cb_ret = s3ctl_genl_data(rx, nlh);
			if (rx->cb_ret > 0)
				rx->cb_ret = 0;
			break;
		}
		/* The last message may lack its padding. */
		step = MNL_ALIGN(nlh->nlmsg_len);
		if (step > left)
			step = left;
		left -= step;
		nlh = (const struct nlmsghdr *)((const char *)nlh + step);
	}
	if (left != 0)
		return s3ctl_nlerr_set(rx->e, EPROTO,
			"malformed netlink reply: %zu stray bytes after the last message",
			left);
	return 1;
}

static struct nlmsghdr *s3ctl_genl_put(struct s3ctl_genl *g, uint16_t type,
				       uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(g->tx);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++g->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

struct nlmsghdr *s3ctl_genl_request(struct s3ctl_genl *g, uint8_t cmd)
{
	return s3ctl_genl_put(g, g->family, cmd, g->hdr_version);
}

int s3ctl_genl_call(struct s3ctl_genl *g, struct nlmsghdr *req,
		    s3ctl_genl_cb_t cb, void *data, struct s3ctl_nlerr *e)
{
	struct s3ctl_genl_rx rx = {
		.seq = req->nlmsg_seq, .portid = g->portid,
		.family = req->nlmsg_type, .cb = cb, .data = data, .e = e,
	};
	ssize_t n;
	int ret = 1;

	s3ctl_nlerr_init(e);
	if (mnl_socket_sendto(g->nl, req, req->nlmsg_len) < 0)
		return s3ctl_nlerr_set(e, errno,
			"cannot send netlink request: %s", strerror(errno));
	do {
		n = mnl_socket_recvfrom(g->nl, g->rx, sizeof(g->rx));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOSPC)
			return s3ctl_nlerr_set(e, EMSGSIZE,
				"netlink reply larger than %d bytes",
				S3CTL_GENL_RX_SIZE);
		if (n < 0)
			return s3ctl_nlerr_set(e, errno,
				"cannot receive netlink reply: %s",
				strerror(errno));
		if (n == 0)
			return s3ctl_nlerr_set(e, EPROTO,
				"netlink socket closed before the ack");
		ret = s3ctl_genl_rx(&rx, g->rx, (size_t)n);
	} while (n < 0 || ret > 0);
	return ret;
}

static int s3ctl_genl_family_cb(const struct nlmsghdr *nlh, void *data,
				struct s3ctl_nlerr *e)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct s3ctl_genl *g = data;
	int ret;

	ret = s3ctl_attr_parse(nlh, GENL_HDRLEN, s3ctl_ctrl_policy,
			       CTRL_ATTR_MAX, tb, e);
	if (!ret)
		ret = s3ctl_attr_require(tb, s3ctl_ctrl_policy,
					 CTRL_ATTR_FAMILY_ID, e);
	if (ret)
		return ret;
	g->family = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION])
		g->family_version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	return 0;
}

static int s3ctl_genl_resolve(struct s3ctl_genl *g, const char *family,
			      struct s3ctl_nlerr *e)
{
	struct nlmsghdr *nlh;
	int ret;

	nlh = s3ctl_genl_put(g, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	if (!mnl_attr_put_strz_check(nlh, sizeof(g->tx), CTRL_ATTR_FAMILY_NAME,
				     family))
		return s3ctl_nlerr_set(e, ENAMETOOLONG,
				       "family name too long");
	ret = s3ctl_genl_call(g, nlh, s3ctl_genl_family_cb, g, e);
	if (!ret && g->family < NLMSG_MIN_TYPE)
		ret = s3ctl_nlerr_set(e, EPROTO,
			"malformed netlink reply: family id %u", g->family);
	return ret;
}

int s3ctl_genl_open(const char *family, uint8_t version,
		    struct s3ctl_genl **gp, struct s3ctl_nlerr *e)
{
	struct s3ctl_genl *g;
	int one = 1;
	int ret;

	s3ctl_nlerr_init(e);
	g = calloc(1, sizeof(*g));
	if (!g)
		return s3ctl_nlerr_set(e, ENOMEM, "out of memory");
	g->hdr_version = version;
	g->seq = (uint32_t)time(NULL);
	g->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!g->nl) {
		ret = s3ctl_nlerr_set(e, errno,
			"cannot open a generic netlink socket: %s",
			strerror(errno));
		goto err_free;
	}
	if (mnl_socket_bind(g->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = s3ctl_nlerr_set(e, errno,
			"cannot bind the generic netlink socket: %s",
			strerror(errno));
		goto err_close;
	}
	/* Best effort: without them errors still carry their errno. */
	mnl_socket_setsockopt(g->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(g->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	g->portid = mnl_socket_get_portid(g->nl);

	ret = s3ctl_genl_resolve(g, family, e);
	if (ret)
		goto err_close;
	*gp = g;
	return 0;

err_close:
	mnl_socket_close(g->nl);
err_free:
	free(g);
	return ret;
}

void s3ctl_genl_close(struct s3ctl_genl *g)
{
	if (!g)
		return;
	mnl_socket_close(g->nl);
	free(g);
}

uint32_t s3ctl_genl_family_version(const struct s3ctl_genl *g)
{
	return g->family_version;
}
