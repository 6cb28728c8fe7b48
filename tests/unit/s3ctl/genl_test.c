// SPDX-License-Identifier: GPL-2.0
/*
 * s3ctl's generic netlink exchange (userland/s3ctl/genl.c): crafted
 * datagrams through s3ctl_genl_rx(), then the real kernel's nlctrl family,
 * which every Linux has, for the socket path and extended acks.
 */
#include <errno.h>

#include "genl.h"
#include "nlmsg.h"
#include "unit.h"

struct seen {
	unsigned int calls;
	uint8_t cmd;
	int fail;		/* returned by the callback when set */
};

static int seen_cb(const struct nlmsghdr *nlh, void *data,
		   struct s3ctl_nlerr *e)
{
	struct seen *s = data;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	s->calls++;
	s->cmd = g->cmd;
	if (s->fail)
		return s3ctl_nlerr_set(e, s->fail, "callback failed");
	return 0;
}

static void rx_init(struct s3ctl_genl_rx *rx, struct seen *s,
		    struct s3ctl_nlerr *e)
{
	memset(s, 0, sizeof(*s));
	s3ctl_nlerr_init(e);
	*rx = (struct s3ctl_genl_rx){
		.seq = TEST_SEQ, .portid = TEST_PORTID, .family = TEST_FAMILY,
		.cb = seen_cb, .data = s, .e = e,
	};
}

TEST(reply_then_ack_in_two_datagrams)
{
	struct s3ctl_genl_rx rx;
	struct s3ctl_nlerr e;
	struct seen s;
	struct nlbuf b = { .len = 0 };

	rx_init(&rx, &s, &e);
	nlbuf_done(&b, nlbuf_status(&b, NULL));
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), 1);
	EXPECT_EQ(s.calls, 1);
	EXPECT_EQ(s.cmd, KS3_CMD_GET_STATUS);

	b.len = 0;
	nlbuf_ack(&b);
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), 0);
	EXPECT_EQ(s.calls, 1);
	EXPECT_EQ(e.code, 0);
}

TEST(reply_and_ack_in_one_datagram)
{
	struct s3ctl_genl_rx rx;
	struct s3ctl_nlerr e;
	struct seen s;
	struct nlbuf b = { .len = 0 };

	rx_init(&rx, &s, &e);
	nlbuf_done(&b, nlbuf_status(&b, NULL));
	nlbuf_done(&b, nlbuf_status(&b, NULL));
	nlbuf_ack(&b);
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), 0);
	EXPECT_EQ(s.calls, 2);
}

TEST(noop_ignored)
{
	struct s3ctl_genl_rx rx;
	struct s3ctl_nlerr e;
	struct seen s;
	struct nlbuf b = { .len = 0 };

	rx_init(&rx, &s, &e);
	nlbuf_done(&b, nlbuf_msg(&b, NLMSG_NOOP, 0));
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), 1);
	EXPECT_EQ(s.calls, 0);
}

TEST(error_without_extack_keeps_errno)
{
	struct s3ctl_genl_rx rx;
	struct s3ctl_nlerr e;
	struct seen s;
	struct nlbuf b = { .len = 0 };

	rx_init(&rx, &s, &e);
	nlbuf_done(&b, nlbuf_error(&b, -EPERM, NLM_F_CAPPED));
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), -EPERM);
	EXPECT_EQ(e.code, EPERM);
	EXPECT_STREQ(e.msg, "");
	EXPECT_EQ(e.miss_type, -1);
}

TEST(extack_message_capped)
{
	struct s3ctl_genl_rx rx;
	struct s3ctl_nlerr e;
	struct seen s;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh;

	rx_init(&rx, &s, &e);
	nlh = nlbuf_error(&b, -EBUSY, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "device is attached");
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
	nlbuf_done(&b, nlh);
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), -EBUSY);
	EXPECT_EQ(e.code, EBUSY);
	EXPECT_STREQ(e.msg, "device is attached");
}

/* Without NETLINK_CAP_ACK the whole request comes back before the TLVs. */
TEST(extack_message_after_echoed_request)
{
	struct s3ctl_genl_rx rx;
	struct s3ctl_nlerr e;
	struct seen s;
	struct nlbuf b = { .len = 0 }, req = { .len = 0 };
	struct nlmsghdr *r, *nlh;
	struct nlmsgerr *err;

	r = nlbuf_genl(&req, KS3_CMD_GET_STATUS);
	mnl_attr_put_strz(r, KS3_A_DEVICE, "/dev/some-long-device-name");

	rx_init(&rx, &s, &e);
	nlh = nlbuf_msg(&b, NLMSG_ERROR, NLM_F_ACK_TLVS);
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(int) + r->nlmsg_len);
	err->error = -EINVAL;
	memcpy(&err->msg, r, r->nlmsg_len);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "Unknown attribute type");
	nlbuf_done(&b, nlh);
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), -EINVAL);
	EXPECT_STREQ(e.msg, "Unknown attribute type");
}

/* Found by fuzz/s3ctl_reply: the message must stay one line. */
TEST(extack_control_characters_replaced)
{
	struct s3ctl_genl_rx rx;
	struct s3ctl_nlerr e;
	struct seen s;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh;

	rx_init(&rx, &s, &e);
	nlh = nlbuf_error(&b, -EINVAL, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "two\nlines\x1b[0m\x7f");
	nlbuf_done(&b, nlh);
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), -EINVAL);
	EXPECT_STREQ(e.msg, "two?lines?[0m?");
}

TEST(extack_missing_attribute_type)
{
	struct s3ctl_genl_rx rx;
	struct s3ctl_nlerr e;
	struct seen s;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh;

	rx_init(&rx, &s, &e);
	nlh = nlbuf_error(&b, -EINVAL, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, KS3_A_DEVICE);
	nlbuf_done(&b, nlh);
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), -EINVAL);
	EXPECT_STREQ(e.msg, "");
	EXPECT_EQ(e.miss_type, KS3_A_DEVICE);
}

TEST(garbled_extack_keeps_errno)
{
	struct s3ctl_genl_rx rx;
	struct s3ctl_nlerr e;
	struct seen s;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh;

	rx_init(&rx, &s, &e);
	nlh = nlbuf_error(&b, -ENOSPC, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	mnl_attr_put(nlh, NLMSGERR_ATTR_MSG, 3, "abc");	/* no NUL */
	nlbuf_done(&b, nlh);
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), -ENOSPC);
	EXPECT_EQ(e.code, ENOSPC);
	EXPECT_STREQ(e.msg, "");
}

TEST(truncated_error_rejected)
{
	struct s3ctl_genl_rx rx;
	struct s3ctl_nlerr e;
	struct seen s;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh;

	rx_init(&rx, &s, &e);
	nlh = nlbuf_msg(&b, NLMSG_ERROR, 0);
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = -EIO;
	nlbuf_done(&b, nlh);
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: truncated error message");
}

TEST(bogus_error_codes_rejected)
{
	struct s3ctl_genl_rx rx;
	struct s3ctl_nlerr e;
	struct seen s;
	struct nlbuf b = { .len = 0 };

	rx_init(&rx, &s, &e);
	nlbuf_done(&b, nlbuf_error(&b, 5, NLM_F_CAPPED));
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: error code 5");

	b.len = 0;
	nlbuf_done(&b, nlbuf_error(&b, -2147483647 - 1, NLM_F_CAPPED));
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), -EPROTO);
}

TEST(wrong_sequence_or_port_rejected)
{
	struct s3ctl_genl_rx rx;
	struct s3ctl_nlerr e;
	struct seen s;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh;

	rx_init(&rx, &s, &e);
	nlh = nlbuf_status(&b, NULL);
	nlh->nlmsg_seq = TEST_SEQ - 1;
	nlbuf_done(&b, nlh);
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), -EPROTO);
	EXPECT_STREQ(e.msg, "netlink reply to request 76, not 77");
	EXPECT_EQ(s.calls, 0);

	b.len = 0;
	nlh = nlbuf_status(&b, NULL);
	nlh->nlmsg_pid = TEST_PORTID + 1;
	nlbuf_done(&b, nlh);
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), -EPROTO);
	EXPECT_STREQ(e.msg, "netlink reply addressed to port 4243, not 4242");

	/* port 0 is the kernel speaking for nobody in particular: fine */
	b.len = 0;
	nlh = nlbuf_status(&b, NULL);
	nlh->nlmsg_pid = 0;
	nlbuf_done(&b, nlh);
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), 1);
	EXPECT_EQ(s.calls, 1);
}

TEST(wrong_family_or_short_genl_header_rejected)
{
	struct s3ctl_genl_rx rx;
	struct s3ctl_nlerr e;
	struct seen s;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh;

	rx_init(&rx, &s, &e);
	nlh = nlbuf_status(&b, NULL);
	nlh->nlmsg_type = TEST_FAMILY + 1;
	nlbuf_done(&b, nlh);
	nlbuf_ack(&b);
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: message type 4661, expected 4660");
	EXPECT_EQ(s.calls, 0);

	rx_init(&rx, &s, &e);
	b.len = 0;
	nlh = nlbuf_msg(&b, TEST_FAMILY, 0);
	mnl_nlmsg_put_extra_header(nlh, 2);
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	nlbuf_done(&b, nlh);
	nlbuf_ack(&b);
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: truncated generic netlink header");
}

TEST(callback_error_wins_and_rest_is_drained)
{
	struct s3ctl_genl_rx rx;
	struct s3ctl_nlerr e;
	struct seen s;
	struct nlbuf b = { .len = 0 };

	rx_init(&rx, &s, &e);
	s.fail = EPROTO;
	nlbuf_done(&b, nlbuf_status(&b, NULL));
	nlbuf_done(&b, nlbuf_status(&b, NULL));
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), 1);
	EXPECT_EQ(s.calls, 1);			/* the second is dropped */

	b.len = 0;
	nlbuf_done(&b, nlbuf_error(&b, -EBUSY, NLM_F_CAPPED));
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), -EPROTO);
	EXPECT_STREQ(e.msg, "callback failed");
}

TEST(done_ends_a_dump)
{
	struct s3ctl_genl_rx rx;
	struct s3ctl_nlerr e;
	struct seen s;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh;

	rx_init(&rx, &s, &e);
	nlbuf_done(&b, nlbuf_status(&b, NULL));
	nlh = nlbuf_msg(&b, NLMSG_DONE, NLM_F_MULTI);
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = 0;
	nlbuf_done(&b, nlh);
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), 0);
	EXPECT_EQ(s.calls, 1);

	/* a dump that failed half way says so in its DONE */
	b.len = 0;
	nlh = nlbuf_msg(&b, NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS);
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = -EMSGSIZE;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "dump failed");
	nlbuf_done(&b, nlh);
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), -EMSGSIZE);
	EXPECT_STREQ(e.msg, "dump failed");
}

TEST(overrun_and_stray_bytes_rejected)
{
	struct s3ctl_genl_rx rx;
	struct s3ctl_nlerr e;
	struct seen s;
	struct nlbuf b = { .len = 0 };

	rx_init(&rx, &s, &e);
	nlbuf_done(&b, nlbuf_msg(&b, NLMSG_OVERRUN, 0));
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), -ENOBUFS);

	b.len = 0;
	nlbuf_done(&b, nlbuf_status(&b, NULL));
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len + 8), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: 8 stray bytes after the last message");

	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, 10), -EPROTO);
}

/* Found by fuzz/s3ctl_reply: libmnl's mnl_nlmsg_ok() takes this as fine. */
TEST(message_length_over_2g_rejected)
{
	struct s3ctl_genl_rx rx;
	struct s3ctl_nlerr e;
	struct seen s;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh;

	rx_init(&rx, &s, &e);
	nlh = nlbuf_status(&b, NULL);
	nlbuf_done(&b, nlh);
	nlbuf_ack(&b);
	nlh->nlmsg_len = 0xfffffe24;
	EXPECT_EQ(s3ctl_genl_rx(&rx, b.raw, b.len), -EPROTO);
	EXPECT_EQ(s.calls, 0);
}

/* The rest talks to the running kernel. */

TEST(live_resolves_nlctrl)
{
	struct s3ctl_genl *g = NULL;
	struct s3ctl_nlerr e;

	ASSERT_EQ(s3ctl_genl_open("nlctrl", 1, &g, &e), 0);
	EXPECT_GE(s3ctl_genl_family_version(g), 1);
	s3ctl_genl_close(g);
}

TEST(live_unknown_family_is_enoent)
{
	struct s3ctl_genl *g = NULL;
	struct s3ctl_nlerr e;

	EXPECT_EQ(s3ctl_genl_open("ks3nonesuch", 1, &g, &e), -ENOENT);
	EXPECT_EQ(e.code, ENOENT);
	EXPECT_NULL(g);
}

/* A family name longer than nlctrl's policy allows earns an extack. */
TEST(live_extack_from_kernel_then_socket_reusable)
{
	struct s3ctl_genl *g = NULL;
	struct s3ctl_nlerr e;
	struct nlmsghdr *nlh;
	struct seen s = { 0 };

	ASSERT_EQ(s3ctl_genl_open("nlctrl", 1, &g, &e), 0);
	nlh = s3ctl_genl_request(g, CTRL_CMD_GETFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME,
			  "longer-than-genl-namsiz");
	EXPECT_EQ(s3ctl_genl_call(g, nlh, seen_cb, &s, &e), -EINVAL);
	EXPECT_EQ(e.code, EINVAL);
	EXPECT_NE(e.msg[0], '\0');
	EXPECT_EQ(s.calls, 0);

	nlh = s3ctl_genl_request(g, CTRL_CMD_GETFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	EXPECT_EQ(s3ctl_genl_call(g, nlh, seen_cb, &s, &e), 0);
	EXPECT_EQ(s.calls, 1);
	EXPECT_EQ(s.cmd, CTRL_CMD_NEWFAMILY);
	s3ctl_genl_close(g);
}
