/* SPDX-License-Identifier: GPL-2.0 */
#ifndef S3CTL_CMD_LISTEN_H
#define S3CTL_CMD_LISTEN_H

#include <stdint.h>

#include "ks3_policy.h"
#include "s3ctl.h"

/* An S3 listener's address: what KS3_A_LISTEN_ADDR/PORT carry. */
struct s3ctl_listen_addr {
	int family;			/* AF_INET or AF_INET6 */
	uint8_t addr[16];		/* network order; 4 bytes for IPv4 */
	uint16_t port;			/* host order, 1..65535 */
};

/* "[" IPv6 "]:" port, with the brackets: INET6_ADDRSTRLEN + 8. */
#define S3CTL_LISTEN_ADDR_MAX	56

/*
 * Parses IPV4:PORT or [IPV6]:PORT (numeric addresses only). Returns 0,
 * or -EINVAL with @why (@len bytes) saying what is wrong.
 */
int s3ctl_listen_addr_parse(const char *s, struct s3ctl_listen_addr *a,
			    char *why, size_t len);
/* The address alone ("127.0.0.1", "::1"), as inet_ntop writes it. */
void s3ctl_listen_addr_host(char *buf, size_t len,
			    const struct s3ctl_listen_addr *a);
/* "127.0.0.1:9000", "[::1]:9000". */
void s3ctl_listen_addr_format(char *buf, size_t len,
			      const struct s3ctl_listen_addr *a);

struct s3ctl_listener {
	struct s3ctl_listen_addr addr;
	uint64_t accepted;
};

/* A LISTEN_LIST dump as it arrives. */
struct s3ctl_listener_list {
	size_t n;
	size_t cap;
	struct s3ctl_listener *listeners;
};

int s3ctl_listener_list_parse(const struct nlmsghdr *nlh,
			      struct s3ctl_listener_list *l,
			      struct s3ctl_nlerr *e);
int s3ctl_listener_list_print(struct s3ctl *ctx,
			      const struct s3ctl_listener_list *l);
void s3ctl_listener_list_free(struct s3ctl_listener_list *l);

#endif /* S3CTL_CMD_LISTEN_H */
