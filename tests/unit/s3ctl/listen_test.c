// SPDX-License-Identifier: GPL-2.0
/*
 * s3ctl listen and config without a kernel (userland/s3ctl/cmd_listen.c,
 * cmd_config.c): ADDR:PORT parsing, good and bad; usage errors refused
 * before anything is sent; dump messages as module/control/genl.c fills
 * them, malformed ones refused; human and JSON output.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <sys/socket.h>

#include <jansson.h>

#include "capture.h"
#include "cmd_config.h"
#include "cmd_listen.h"
#include "nlmsg.h"
#include "unit.h"

/* Parses @s, expecting success, and formats it back. */
static void expect_addr(const char *s, int family, const char *host,
			unsigned int port, const char *back)
{
	struct s3ctl_listen_addr a;
	char why[128], buf[S3CTL_LISTEN_ADDR_MAX];

	why[0] = '\0';
	EXPECT_EQ(s3ctl_listen_addr_parse(s, &a, why, sizeof(why)), 0);
	EXPECT_STREQ(why, "");
	EXPECT_EQ(a.family, family);
	EXPECT_EQ(a.port, port);
	s3ctl_listen_addr_host(buf, sizeof(buf), &a);
	EXPECT_STREQ(buf, host);
	s3ctl_listen_addr_format(buf, sizeof(buf), &a);
	EXPECT_STREQ(buf, back);
}

static void expect_bad_addr(const char *s, const char *reason)
{
	struct s3ctl_listen_addr a;
	char why[128] = "";

	EXPECT_EQ(s3ctl_listen_addr_parse(s, &a, why, sizeof(why)), -EINVAL);
	EXPECT_STREQ(why, reason);
}

TEST(listen_address_parse)
{
	struct s3ctl_listen_addr a;
	char why[128];

	expect_addr("127.0.0.1:9000", AF_INET, "127.0.0.1", 9000,
		    "127.0.0.1:9000");
	expect_addr("0.0.0.0:9000", AF_INET, "0.0.0.0", 9000, "0.0.0.0:9000");
	expect_addr("10.1.2.3:1", AF_INET, "10.1.2.3", 1, "10.1.2.3:1");
	expect_addr("[::1]:9000", AF_INET6, "::1", 9000, "[::1]:9000");
	expect_addr("[::]:65535", AF_INET6, "::", 65535, "[::]:65535");
	expect_addr("[fe80:0:0:0:0:0:0:1]:443", AF_INET6, "fe80::1", 443,
		    "[fe80::1]:443");
	/* the bytes go to the kernel in network order */
	ASSERT_EQ(s3ctl_listen_addr_parse("192.168.1.2:80", &a, why,
					  sizeof(why)), 0);
	EXPECT_EQ(a.addr[0], 192);
	EXPECT_EQ(a.addr[3], 2);
	ASSERT_EQ(s3ctl_listen_addr_parse("[2001:db8::7]:80", &a, why,
					  sizeof(why)), 0);
	EXPECT_EQ(a.addr[0], 0x20);
	EXPECT_EQ(a.addr[1], 0x01);
	EXPECT_EQ(a.addr[15], 7);
}

TEST(listen_address_parse_refuses)
{
	expect_bad_addr("127.0.0.1", "missing :PORT");
	expect_bad_addr("127.0.0.1:", "the port must be 1 to 65535");
	expect_bad_addr("127.0.0.1:0", "the port must be 1 to 65535");
	expect_bad_addr("127.0.0.1:65536", "the port must be 1 to 65535");
	expect_bad_addr("127.0.0.1:123456", "the port must be 1 to 65535");
	expect_bad_addr("127.0.0.1:+80", "the port must be 1 to 65535");
	expect_bad_addr("127.0.0.1:80 ", "the port must be 1 to 65535");
	expect_bad_addr("127.0.0.1:http", "the port must be 1 to 65535");
	expect_bad_addr(":9000", "missing the address (0.0.0.0 for every one)");
	expect_bad_addr("[]:9000", "missing the address ([::] for every one)");
	expect_bad_addr("localhost:9000",
			"'localhost' is not an IPv4 address (names are not resolved)");
	expect_bad_addr("127.1:9000",
			"'127.1' is not an IPv4 address (names are not resolved)");
	expect_bad_addr("256.0.0.1:9000",
			"'256.0.0.1' is not an IPv4 address (names are not resolved)");
	expect_bad_addr("::1:9000",
			"an IPv6 address goes in brackets, as in [::1]:9000");
	expect_bad_addr("[::1]", "missing :PORT");
	expect_bad_addr("[::1]9000", "expected ':' after ']'");
	expect_bad_addr("[::1:9000", "missing ']' after the IPv6 address");
	expect_bad_addr("[1.2.3.4]:9000", "'1.2.3.4' is not an IPv6 address");
	expect_bad_addr("[fe80::1%eth0]:9000",
			"'fe80::1%eth0' is not an IPv6 address");
	expect_bad_addr("[0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000]:1",
			"not an IPv6 address");
	expect_bad_addr("", "missing :PORT");
}

struct result {
	int status;
	struct capture out, err;
};

static void run_argv(struct result *r, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	r->status = s3ctl_main(argc, argv, capture_start(&r->out),
			       capture_start(&r->err));
	capture_text(&r->out);
	capture_text(&r->err);
}

/* A usage error: exit 2, nothing on stdout, exactly @line on stderr. */
#define EXPECT_USAGE(line, ...) do {					\
	struct result r_;						\
	run_argv(&r_, (char *[]){ "s3ctl", __VA_ARGS__, NULL });	\
	EXPECT_EQ(r_.status, S3CTL_EXIT_USAGE);				\
	EXPECT_STREQ(r_.out.buf, "");					\
	EXPECT_STREQ(r_.err.buf, line "\n");				\
	capture_free(&r_.out);						\
	capture_free(&r_.err);						\
} while (0)

TEST(listen_and_config_usage_errors)
{
	EXPECT_USAGE("s3ctl: listen add: missing ADDR:PORT", "listen", "add");
	EXPECT_USAGE("s3ctl: listen add: unexpected argument '[::]:9000'",
		     "listen", "add", "0.0.0.0:9000", "[::]:9000");
	EXPECT_USAGE("s3ctl: listen add: invalid address '0.0.0.0': missing :PORT (IPV4:PORT or [IPV6]:PORT)",
		     "listen", "add", "0.0.0.0");
	EXPECT_USAGE("s3ctl: listen add: invalid address '::1:9000': an IPv6 address goes in brackets, as in [::1]:9000 (IPV4:PORT or [IPV6]:PORT)",
		     "listen", "add", "::1:9000");
	EXPECT_USAGE("s3ctl: listen del: invalid address '127.0.0.1:70000': the port must be 1 to 65535 (IPV4:PORT or [IPV6]:PORT)",
		     "listen", "del", "127.0.0.1:70000");
	/* list is the default verb: errors name the object */
	EXPECT_USAGE("s3ctl: listen: unexpected argument 'x'",
		     "listen", "list", "x");
	EXPECT_USAGE("s3ctl: listen: unknown verb 'show' (try 's3ctl listen help')",
		     "listen", "show");
	EXPECT_USAGE("s3ctl: config set: missing NAME VALUE",
		     "config", "set", "region");
	EXPECT_USAGE("s3ctl: config set: unexpected argument 'c'",
		     "config", "set", "a", "b", "c");
	EXPECT_USAGE("s3ctl: config set: a setting name is 1 to 32 characters (s3ctl config get lists them)",
		     "config", "set", "", "1");
	EXPECT_USAGE("s3ctl: config: unexpected argument 'b'",
		     "config", "get", "a", "b");
	EXPECT_USAGE("s3ctl: config unset: missing NAME", "config", "unset");
	EXPECT_USAGE("s3ctl: config: a setting name is 1 to 32 characters (s3ctl config get lists them)",
		     "config", "get", "123456789012345678901234567890123");
}

TEST(config_set_value_too_long)
{
	char value[KS3_CONFIG_VALUE_MAX + 2];

	memset(value, 'a', sizeof(value) - 1);
	value[sizeof(value) - 1] = '\0';
	EXPECT_USAGE("s3ctl: config set: a value is at most 256 bytes",
		     "config", "set", "region", value);
}

static struct nlmsghdr *listener_msg(struct nlbuf *b, const char *addr,
				     uint16_t port, uint64_t accepted)
{
	struct nlmsghdr *nlh = nlbuf_genl(b, KS3_CMD_LISTEN_LIST);
	uint8_t bytes[16];
	int family = strchr(addr, ':') ? AF_INET6 : AF_INET;

	if (inet_pton(family, addr, bytes) != 1)
		abort();
	mnl_attr_put(nlh, KS3_A_LISTEN_ADDR, family == AF_INET6 ? 16 : 4,
		     bytes);
	mnl_attr_put_u16(nlh, KS3_A_LISTEN_PORT, port);
	mnl_attr_put(nlh, KS3_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, KS3_A_ACCEPTED, accepted);
	return nlh;
}

TEST(listen_list_parse_and_output)
{
	struct s3ctl_listener_list l = { 0 };
	struct capture out, err;
	struct s3ctl_nlerr e;
	struct s3ctl ctx;
	struct nlbuf b;

	s3ctl_nlerr_init(&e);
	b.len = 0;
	ASSERT_EQ(s3ctl_listener_list_parse(listener_msg(&b, "0.0.0.0", 9000,
							 12), &l, &e), 0);
	b.len = 0;
	ASSERT_EQ(s3ctl_listener_list_parse(listener_msg(&b, "::1", 9443, 0),
					    &l, &e), 0);
	ASSERT_EQ(l.n, 2);
	EXPECT_EQ(l.listeners[0].addr.family, AF_INET);
	EXPECT_EQ(l.listeners[1].addr.family, AF_INET6);
	EXPECT_EQ(l.listeners[0].accepted, 12);

	ctx = (struct s3ctl){ .out = capture_start(&out),
			      .err = capture_start(&err) };
	EXPECT_EQ(s3ctl_listener_list_print(&ctx, &l), S3CTL_EXIT_OK);
	EXPECT_STREQ(capture_text(&out),
		"ADDRESS  PORT  ACCEPTED\n"
		"0.0.0.0  9000  12\n"
		"::1      9443  0\n");
	EXPECT_STREQ(capture_text(&err), "");
	capture_free(&out);
	capture_free(&err);

	ctx = (struct s3ctl){ .out = capture_start(&out),
			      .err = capture_start(&err), .json = true };
	EXPECT_EQ(s3ctl_listener_list_print(&ctx, &l), S3CTL_EXIT_OK);
	EXPECT_STREQ(capture_text(&out),
		"[{\"family\":\"ipv4\",\"address\":\"0.0.0.0\",\"port\":9000,\"accepted\":12},"
		"{\"family\":\"ipv6\",\"address\":\"::1\",\"port\":9443,\"accepted\":0}]\n");
	capture_free(&out);
	capture_free(&err);
	s3ctl_listener_list_free(&l);

	/* none: an empty array */
	ctx = (struct s3ctl){ .out = capture_start(&out),
			      .err = capture_start(&err), .json = true };
	EXPECT_EQ(s3ctl_listener_list_print(&ctx, &l), S3CTL_EXIT_OK);
	EXPECT_STREQ(capture_text(&out), "[]\n");
	capture_free(&out);
	capture_free(&err);
}

TEST(listen_list_refuses_malformed_messages)
{
	struct s3ctl_listener_list l = { 0 };
	struct nlmsghdr *nlh;
	struct s3ctl_nlerr e;
	struct nlbuf b = { .len = 0 };
	uint8_t six[6] = { 0 }, big[17] = { 0 };

	/* an address that is neither IPv4 nor IPv6 */
	s3ctl_nlerr_init(&e);
	nlh = nlbuf_genl(&b, KS3_CMD_LISTEN_LIST);
	mnl_attr_put(nlh, KS3_A_LISTEN_ADDR, sizeof(six), six);
	mnl_attr_put_u16(nlh, KS3_A_LISTEN_PORT, 80);
	mnl_attr_put_u64(nlh, KS3_A_ACCEPTED, 0);
	EXPECT_EQ(s3ctl_listener_list_parse(nlh, &l, &e), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: attribute 'listen_addr' is not 4 or 16 bytes");

	/* longer than the policy allows */
	b.len = 0;
	s3ctl_nlerr_init(&e);
	nlh = nlbuf_genl(&b, KS3_CMD_LISTEN_LIST);
	mnl_attr_put(nlh, KS3_A_LISTEN_ADDR, sizeof(big), big);
	mnl_attr_put_u16(nlh, KS3_A_LISTEN_PORT, 80);
	mnl_attr_put_u64(nlh, KS3_A_ACCEPTED, 0);
	EXPECT_EQ(s3ctl_listener_list_parse(nlh, &l, &e), -EPROTO);

	/* no port */
	b.len = 0;
	s3ctl_nlerr_init(&e);
	nlh = nlbuf_genl(&b, KS3_CMD_LISTEN_LIST);
	mnl_attr_put(nlh, KS3_A_LISTEN_ADDR, 4, six);
	mnl_attr_put_u64(nlh, KS3_A_ACCEPTED, 0);
	EXPECT_EQ(s3ctl_listener_list_parse(nlh, &l, &e), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: attribute 'listen_port' is missing");

	/* a u16 that is not 2 bytes */
	b.len = 0;
	s3ctl_nlerr_init(&e);
	nlh = nlbuf_genl(&b, KS3_CMD_LISTEN_LIST);
	mnl_attr_put(nlh, KS3_A_LISTEN_ADDR, 4, six);
	mnl_attr_put_u32(nlh, KS3_A_LISTEN_PORT, 80);
	mnl_attr_put_u64(nlh, KS3_A_ACCEPTED, 0);
	EXPECT_EQ(s3ctl_listener_list_parse(nlh, &l, &e), -EPROTO);
	EXPECT_EQ(l.n, 0);
	s3ctl_listener_list_free(&l);
}

static struct nlmsghdr *setting_msg(struct nlbuf *b, const char *name,
				    const char *value, const char *def,
				    bool is_set)
{
	struct nlmsghdr *nlh = nlbuf_genl(b, KS3_CMD_CONFIG_GET);

	mnl_attr_put_strz(nlh, KS3_A_CONFIG_NAME, name);
	mnl_attr_put_strz(nlh, KS3_A_CONFIG_VALUE, value);
	mnl_attr_put_strz(nlh, KS3_A_CONFIG_DEFAULT, def);
	if (is_set)
		mnl_attr_put(nlh, KS3_A_CONFIG_IS_SET, 0, NULL);
	return nlh;
}

TEST(config_get_parse_and_output)
{
	struct s3ctl_setting_list l = { 0 };
	struct capture out, err;
	struct s3ctl_nlerr e;
	struct s3ctl ctx;
	struct nlbuf b;

	s3ctl_nlerr_init(&e);
	b.len = 0;
	ASSERT_EQ(s3ctl_setting_list_parse(setting_msg(&b, "region",
			"eu-west-3", "us-east-1", true), &l, &e), 0);
	b.len = 0;
	ASSERT_EQ(s3ctl_setting_list_parse(setting_msg(&b, "vhost_domain", "",
						       "", false), &l, &e), 0);
	b.len = 0;
	ASSERT_EQ(s3ctl_setting_list_parse(setting_msg(&b, "max_connections",
			"1024", "1024", false), &l, &e), 0);
	ASSERT_EQ(l.n, 3);
	EXPECT_TRUE(l.settings[0].is_set);
	EXPECT_FALSE(l.settings[1].is_set);

	ctx = (struct s3ctl){ .out = capture_start(&out),
			      .err = capture_start(&err) };
	EXPECT_EQ(s3ctl_setting_list_print(&ctx, &l, NULL), S3CTL_EXIT_OK);
	EXPECT_STREQ(capture_text(&out),
		"NAME             VALUE      DEFAULT    SET\n"
		"region           eu-west-3  us-east-1  yes\n"
		"vhost_domain     -          -          no\n"
		"max_connections  1024       1024       no\n");
	capture_free(&out);
	capture_free(&err);

	ctx = (struct s3ctl){ .out = capture_start(&out),
			      .err = capture_start(&err), .json = true };
	EXPECT_EQ(s3ctl_setting_list_print(&ctx, &l, NULL), S3CTL_EXIT_OK);
	EXPECT_STREQ(capture_text(&out),
		"[{\"name\":\"region\",\"value\":\"eu-west-3\",\"default\":\"us-east-1\",\"set\":true},"
		"{\"name\":\"vhost_domain\",\"value\":\"\",\"default\":\"\",\"set\":false},"
		"{\"name\":\"max_connections\",\"value\":\"1024\",\"default\":\"1024\",\"set\":false}]\n");
	capture_free(&out);
	capture_free(&err);

	/* one setting: one row, or one object */
	ctx = (struct s3ctl){ .out = capture_start(&out),
			      .err = capture_start(&err), .json = true };
	EXPECT_EQ(s3ctl_setting_list_print(&ctx, &l, "max_connections"),
		  S3CTL_EXIT_OK);
	EXPECT_STREQ(capture_text(&out),
		"{\"name\":\"max_connections\",\"value\":\"1024\",\"default\":\"1024\",\"set\":false}\n");
	capture_free(&out);
	capture_free(&err);

	ctx = (struct s3ctl){ .out = capture_start(&out),
			      .err = capture_start(&err),
			      .cmd = "config get" };
	EXPECT_EQ(s3ctl_setting_list_print(&ctx, &l, "region"), S3CTL_EXIT_OK);
	EXPECT_STREQ(capture_text(&out),
		"NAME    VALUE      DEFAULT    SET\n"
		"region  eu-west-3  us-east-1  yes\n");
	capture_free(&out);
	capture_free(&err);

	/* a name the module does not have */
	ctx = (struct s3ctl){ .out = capture_start(&out),
			      .err = capture_start(&err),
			      .cmd = "config get" };
	EXPECT_EQ(s3ctl_setting_list_print(&ctx, &l, "colour"),
		  S3CTL_EXIT_FAIL);
	EXPECT_STREQ(capture_text(&out), "");
	EXPECT_STREQ(capture_text(&err),
		"s3ctl: config get: no such setting 'colour' (s3ctl config get lists them)\n");
	capture_free(&out);
	capture_free(&err);
	s3ctl_setting_list_free(&l);
}

TEST(config_get_refuses_malformed_messages)
{
	struct s3ctl_setting_list l = { 0 };
	struct nlmsghdr *nlh;
	struct s3ctl_nlerr e;
	struct nlbuf b = { .len = 0 };
	char longer[KS3_CONFIG_VALUE_MAX + 2];

	s3ctl_nlerr_init(&e);
	nlh = nlbuf_genl(&b, KS3_CMD_CONFIG_GET);
	mnl_attr_put_strz(nlh, KS3_A_CONFIG_NAME, "region");
	mnl_attr_put_strz(nlh, KS3_A_CONFIG_VALUE, "us-east-1");
	EXPECT_EQ(s3ctl_setting_list_parse(nlh, &l, &e), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: attribute 'config_default' is missing");

	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	b.len = 0;
	s3ctl_nlerr_init(&e);
	EXPECT_EQ(s3ctl_setting_list_parse(setting_msg(&b, "region", longer,
						       "", false), &l, &e),
		  -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: attribute 'config_value' is longer than 256 characters");
	EXPECT_EQ(l.n, 0);
	s3ctl_setting_list_free(&l);
}
