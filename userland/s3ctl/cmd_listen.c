// SPDX-License-Identifier: GPL-2.0
/*
 * `s3ctl listen add|del|list`: the S3 listeners of the running module.
 * They are runtime state: nothing is kept on the device, and a module
 * load starts with none.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd_listen.h"
#include "output.h"

/* Decimal 1..65535, digits only. */
static int s3ctl_port_parse(const char *s, uint16_t *port)
{
	unsigned long v = 0;
	size_t i;

	if (!s[0] || strlen(s) > 5)
		return -EINVAL;
	for (i = 0; s[i]; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -EINVAL;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v < 1 || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

int s3ctl_listen_addr_parse(const char *s, struct s3ctl_listen_addr *a,
			    char *why, size_t len)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *port, *end;
	size_t hlen;

	memset(a, 0, sizeof(*a));
	if (s[0] == '[') {
		end = strchr(s, ']');
		if (!end) {
			snprintf(why, len, "missing ']' after the IPv6 address");
			return -EINVAL;
		}
		if (end[1] != ':') {
			snprintf(why, len, end[1] ? "expected ':' after ']'" :
				 "missing :PORT");
			return -EINVAL;
		}
		hlen = (size_t)(end - s - 1);
		port = end + 2;
		a->family = AF_INET6;
	} else {
		end = strrchr(s, ':');
		if (!end) {
			snprintf(why, len, "missing :PORT");
			return -EINVAL;
		}
		if (strchr(s, ':') != end) {
			snprintf(why, len,
				 "an IPv6 address goes in brackets, as in [::1]:9000");
			return -EINVAL;
		}
		hlen = (size_t)(end - s);
		port = end + 1;
		a->family = AF_INET;
	}
	if (!hlen) {
		snprintf(why, len, "missing the address (%s for every one)",
			 a->family == AF_INET ? "0.0.0.0" : "[::]");
		return -EINVAL;
	}
	if (hlen >= sizeof(host)) {
		snprintf(why, len, "not an %s address",
			 a->family == AF_INET ? "IPv4" : "IPv6");
		return -EINVAL;
	}
	memcpy(host, s + (a->family == AF_INET6), hlen);
	host[hlen] = '\0';
	if (inet_pton(a->family, host, a->addr) != 1) {
		snprintf(why, len, "'%s' is not an %s address%s", host,
			 a->family == AF_INET ? "IPv4" : "IPv6",
			 a->family == AF_INET ? " (names are not resolved)" :
						"");
		return -EINVAL;
	}
	if (s3ctl_port_parse(port, &a->port)) {
		snprintf(why, len, "the port must be 1 to 65535");
		return -EINVAL;
	}
	return 0;
}

void s3ctl_listen_addr_host(char *buf, size_t len,
			    const struct s3ctl_listen_addr *a)
{
	if (!inet_ntop(a->family, a->addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

void s3ctl_listen_addr_format(char *buf, size_t len,
			      const struct s3ctl_listen_addr *a)
{
	char host[INET6_ADDRSTRLEN];

	s3ctl_listen_addr_host(host, sizeof(host), a);
	if (a->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", host, a->port);
	else
		snprintf(buf, len, "%s:%u", host, a->port);
}

static size_t s3ctl_listen_addr_len(const struct s3ctl_listen_addr *a)
{
	return a->family == AF_INET6 ? 16 : 4;
}

/* LISTEN_ADD and LISTEN_DEL: ADDR:PORT. */
static int s3ctl_listen_change(struct s3ctl *ctx, int argc, char **argv,
			       uint8_t cmd)
{
	struct s3ctl_listen_addr a;
	struct nlmsghdr *req;
	char why[128];
	int ret;

	ret = s3ctl_expect_args(ctx, argc, argv, 1, "ADDR:PORT");
	if (ret)
		return ret;
	if (s3ctl_listen_addr_parse(argv[0], &a, why, sizeof(why)))
		return s3ctl_usage_error(ctx,
			"invalid address '%s': %s (IPV4:PORT or [IPV6]:PORT)",
			argv[0], why);
	req = s3ctl_start(ctx, cmd);
	if (!req)
		return S3CTL_EXIT_FAIL;
	mnl_attr_put(req, KS3_A_LISTEN_ADDR, s3ctl_listen_addr_len(&a),
		     a.addr);
	mnl_attr_put_u16(req, KS3_A_LISTEN_PORT, a.port);
	return s3ctl_exec(ctx, req, false, NULL, NULL);
}

int s3ctl_cmd_listen_add(struct s3ctl *ctx, int argc, char **argv)
{
	return s3ctl_listen_change(ctx, argc, argv, KS3_CMD_LISTEN_ADD);
}

int s3ctl_cmd_listen_del(struct s3ctl *ctx, int argc, char **argv)
{
	return s3ctl_listen_change(ctx, argc, argv, KS3_CMD_LISTEN_DEL);
}

int s3ctl_listener_list_parse(const struct nlmsghdr *nlh,
			      struct s3ctl_listener_list *l,
			      struct s3ctl_nlerr *e)
{
	static const unsigned int required[] = {
		KS3_A_LISTEN_ADDR, KS3_A_LISTEN_PORT, KS3_A_ACCEPTED,
	};
	const struct nlattr *tb[KS3_A_MAX + 1];
	struct s3ctl_listener *li;
	uint16_t alen;
	int ret;

	ret = s3ctl_ks3_parse(nlh, tb, e);
	if (!ret)
		ret = s3ctl_attr_require_all(tb, s3ctl_ks3_policy, required,
					     sizeof(required) / sizeof(required[0]),
					     e);
	if (ret)
		return ret;
	alen = mnl_attr_get_payload_len(tb[KS3_A_LISTEN_ADDR]);
	if (alen != 4 && alen != 16)
		return s3ctl_nlerr_set(e, EPROTO,
			"malformed netlink reply: attribute 'listen_addr' is not 4 or 16 bytes");
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		li = realloc(l->listeners, l->cap * sizeof(*li));
		if (!li)
			return s3ctl_nlerr_set(e, ENOMEM, "out of memory");
		l->listeners = li;
	}
	li = &l->listeners[l->n++];
	memset(li, 0, sizeof(*li));
	li->addr.family = alen == 16 ? AF_INET6 : AF_INET;
	memcpy(li->addr.addr, mnl_attr_get_payload(tb[KS3_A_LISTEN_ADDR]),
	       alen);
	li->addr.port = mnl_attr_get_u16(tb[KS3_A_LISTEN_PORT]);
	li->accepted = mnl_attr_get_u64(tb[KS3_A_ACCEPTED]);
	return 0;
}

void s3ctl_listener_list_free(struct s3ctl_listener_list *l)
{
	free(l->listeners);
	memset(l, 0, sizeof(*l));
}

static json_t *s3ctl_listener_json(const struct s3ctl_listener *li)
{
	char host[INET6_ADDRSTRLEN];

	s3ctl_listen_addr_host(host, sizeof(host), &li->addr);
	return json_pack("{s:s,s:s,s:I,s:o?}",
			 "family", li->addr.family == AF_INET6 ? "ipv6" :
								  "ipv4",
			 "address", host,
			 "port", (json_int_t)li->addr.port,
			 "accepted", s3ctl_json_u64(li->accepted));
}

int s3ctl_listener_list_print(struct s3ctl *ctx,
			      const struct s3ctl_listener_list *l)
{
	static const char *const headers[] = { "ADDRESS", "PORT", "ACCEPTED" };
	char host[INET6_ADDRSTRLEN], port[8], accepted[24];
	struct s3ctl_table t;
	json_t *a, *o;
	size_t i;

	if (ctx->json) {
		a = json_array();
		for (i = 0; a && i < l->n; i++) {
			o = s3ctl_listener_json(&l->listeners[i]);
			if (!o || json_array_append_new(a, o)) {
				json_decref(a);
				a = NULL;
			}
		}
		if (s3ctl_json_print(a, ctx->out))
			goto err_oom;
		return S3CTL_EXIT_OK;
	}
	s3ctl_table_init(&t, 3, headers);
	for (i = 0; i < l->n; i++) {
		const struct s3ctl_listener *li = &l->listeners[i];

		s3ctl_listen_addr_host(host, sizeof(host), &li->addr);
		snprintf(port, sizeof(port), "%u", li->addr.port);
		snprintf(accepted, sizeof(accepted), "%" PRIu64, li->accepted);
		s3ctl_table_add(&t, (const char *const[]){ host, port,
							   accepted });
	}
	if (s3ctl_table_print(&t, ctx->out))
		goto err_oom;
	return S3CTL_EXIT_OK;
err_oom:
	s3ctl_error(ctx, "out of memory");
	return S3CTL_EXIT_FAIL;
}

static int s3ctl_listener_list_cb(const struct nlmsghdr *nlh, void *data,
				  struct s3ctl_nlerr *e)
{
	return s3ctl_listener_list_parse(nlh, data, e);
}

int s3ctl_cmd_listen_list(struct s3ctl *ctx, int argc, char **argv)
{
	struct s3ctl_listener_list l = { 0 };
	struct nlmsghdr *req;
	int ret;

	ret = s3ctl_expect_no_args(ctx, argc, argv);
	if (ret)
		return ret;
	req = s3ctl_start(ctx, KS3_CMD_LISTEN_LIST);
	if (!req)
		return S3CTL_EXIT_FAIL;
	ret = s3ctl_exec(ctx, req, true, s3ctl_listener_list_cb, &l);
	if (!ret)
		ret = s3ctl_listener_list_print(ctx, &l);
	s3ctl_listener_list_free(&l);
	return ret;
}
