/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink for s3ctl: one socket, the family id resolved once by
 * name, and request/reply exchanges that always end in the kernel's ack so
 * every failure carries its errno and extack message.
 */
#ifndef S3CTL_GENL_H
#define S3CTL_GENL_H

#include <stdint.h>

#include "nlattr.h"

/* Room for one request; put user-sized attributes with mnl_attr_put_*_check(). */
#define S3CTL_GENL_TX_SIZE	8192
/* Room for one received datagram: a full dump skb (see netlink_dump()). */
#define S3CTL_GENL_RX_SIZE	32768

struct s3ctl_genl;

/*
 * Opens a socket and resolves @family; requests will carry @version in
 * their genl header. Returns 0, or -errno with @e filled in: -ENOENT means
 * the kernel has no such family.
 */
int s3ctl_genl_open(const char *family, uint8_t version,
		    struct s3ctl_genl **gp, struct s3ctl_nlerr *e);
void s3ctl_genl_close(struct s3ctl_genl *g);
uint32_t s3ctl_genl_family_version(const struct s3ctl_genl *g);

/*
 * Starts a request for @cmd in @g's send buffer (valid until the next
 * request); add attributes with mnl_attr_put_*() and pass it to
 * s3ctl_genl_call().
 */
struct nlmsghdr *s3ctl_genl_request(struct s3ctl_genl *g, uint8_t cmd);

/*
 * Called for each reply message of the family; the attributes start
 * GENL_HDRLEN into the payload. Returns 0 or -errno with @e filled in.
 */
typedef int (*s3ctl_genl_cb_t)(const struct nlmsghdr *nlh, void *data,
			       struct s3ctl_nlerr *e);

/* Sends @req and feeds the replies to @cb until the ack. 0 or -errno. */
int s3ctl_genl_call(struct s3ctl_genl *g, struct nlmsghdr *req,
		    s3ctl_genl_cb_t cb, void *data, struct s3ctl_nlerr *e);

/* One exchange in progress; exposed so tests can feed it datagrams. */
struct s3ctl_genl_rx {
	uint32_t seq;		/* of the request */
	uint32_t portid;	/* ours: replies must be addressed to it */
	uint16_t family;	/* nlmsg_type of the data messages */
	s3ctl_genl_cb_t cb;
	void *data;
	struct s3ctl_nlerr *e;
	int cb_ret;		/* first failure of @cb: reported at the ack */
};

/*
 * Processes one received datagram. Returns 1 when more is to come, 0 when
 * the exchange is complete (ack or NLMSG_DONE), -errno on failure. After
 * @cb fails, the rest of the replies are read and dropped up to the ack, so
 * the socket stays usable; the exchange then ends with @cb's error.
 */
int s3ctl_genl_rx(struct s3ctl_genl_rx *rx, const void *buf, size_t len);

/* Decodes an NLMSG_ERROR: 0 for an ack, else -errno with @e filled in. */
int s3ctl_genl_parse_error(const struct nlmsghdr *nlh,
			   struct s3ctl_nlerr *e);

#endif /* S3CTL_GENL_H */
