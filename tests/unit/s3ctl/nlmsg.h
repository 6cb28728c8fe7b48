/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Crafting netlink messages for s3ctl's tests: what the kernel would send,
 * and what it must never send.
 */
#ifndef S3CTL_TEST_NLMSG_H
#define S3CTL_TEST_NLMSG_H

#include <stdint.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/ks3.h>
#include <linux/netlink.h>

#define TEST_FAMILY	0x1234
#define TEST_SEQ	77
#define TEST_PORTID	4242

/* A buffer netlink-aligned like the kernel's, big enough for a datagram. */
struct nlbuf {
	union {
		struct nlmsghdr hdr;
		uint64_t align;
		char raw[8192];
	};
	size_t len;		/* of the messages appended so far */
};

static inline struct nlmsghdr *nlbuf_msg(struct nlbuf *b, uint16_t type,
					 uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(b->raw + b->len);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = TEST_SEQ;
	nlh->nlmsg_pid = TEST_PORTID;
	return nlh;
}

/* Counts @nlh into the datagram once its attributes are in. */
static inline void nlbuf_done(struct nlbuf *b, const struct nlmsghdr *nlh)
{
	b->len += MNL_ALIGN(nlh->nlmsg_len);
}

static inline struct nlmsghdr *nlbuf_genl(struct nlbuf *b, uint8_t cmd)
{
	struct nlmsghdr *nlh = nlbuf_msg(b, TEST_FAMILY, 0);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = cmd;
	g->version = KS3_GENL_VERSION;
	return nlh;
}

/* An NLMSG_ERROR for @error, the request capped, extack TLVs to follow. */
static inline struct nlmsghdr *nlbuf_error(struct nlbuf *b, int error,
					   uint16_t flags)
{
	struct nlmsghdr *nlh = nlbuf_msg(b, NLMSG_ERROR, flags);
	struct nlmsgerr *err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));

	err->error = error;
	err->msg.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	err->msg.nlmsg_type = TEST_FAMILY;
	err->msg.nlmsg_seq = TEST_SEQ;
	return nlh;
}

static inline void nlbuf_ack(struct nlbuf *b)
{
	nlbuf_done(b, nlbuf_error(b, 0, NLM_F_CAPPED));
}

/* A reply to KS3_CMD_GET_STATUS as module/control/genl.c fills it. */
static inline struct nlmsghdr *nlbuf_status(struct nlbuf *b,
					    const char *device)
{
	struct nlmsghdr *nlh = nlbuf_genl(b, KS3_CMD_GET_STATUS);

	mnl_attr_put_strz(nlh, KS3_A_VERSION, "0.1.0");
	mnl_attr_put_u32(nlh, KS3_A_STATE, KS3_STATE_ATTACHED);
	/* nla_put_u64_64bit(): a PAD attribute 8-aligns the u64 */
	mnl_attr_put(nlh, KS3_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, KS3_A_UPTIME_MS, 90061000);
	mnl_attr_put_u32(nlh, KS3_A_LISTENERS, 2);
	mnl_attr_put_u32(nlh, KS3_A_CONNECTIONS, 17);
	if (device)
		mnl_attr_put_strz(nlh, KS3_A_DEVICE, device);
	return nlh;
}

#endif /* S3CTL_TEST_NLMSG_H */
