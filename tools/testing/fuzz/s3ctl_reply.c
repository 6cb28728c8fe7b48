// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: s3ctl reading what the kernel sends. The input is one
 * received datagram, run through s3ctl_genl_rx() with the status and
 * version reply parsers, and every parsed reply printed both ways.
 * Checked on every input:
 * - nothing reads outside the datagram (it sits in an exact-size block);
 * - the exchange ends in 1 (more to come), 0 (done) or a negative errno
 *   that matches the error's code, and the message is a terminated line;
 * - a parsed reply holds only terminated strings within the policy limits,
 *   and printing it succeeds.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>

#include "cmd_status.h"
#include "cmd_version.h"
#include "genl.h"

#define FUZZ_FAMILY	0x1d
#define FUZZ_SEQ	1
#define FUZZ_PORTID	0

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "s3ctl_reply fuzz: %s failed at %s:%d\n", \
			#cond, __FILE__, __LINE__);			\
		abort();						\
	}								\
} while (0)

static FILE *fuzz_null;

static void fuzz_print(bool json, const struct s3ctl_status *st,
		       const struct s3ctl_version *v)
{
	struct s3ctl ctx = {
		.out = fuzz_null, .err = fuzz_null, .json = json,
		.cmd = "fuzz",
	};

	if (st)
		FUZZ_CHECK(s3ctl_status_print(&ctx, st) == S3CTL_EXIT_OK);
	if (v)
		FUZZ_CHECK(s3ctl_version_print(&ctx, v) == S3CTL_EXIT_OK);
}

static int fuzz_cb(const struct nlmsghdr *nlh, void *data,
		   struct s3ctl_nlerr *e)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct s3ctl_status st;
	struct s3ctl_version v;
	int ret;

	(void)data;
	if (g->cmd == KS3_CMD_GET_VERSION) {
		ret = s3ctl_version_parse(nlh, &v, e);
		if (!ret) {
			FUZZ_CHECK(strlen(v.version) <= S3CTL_VERSION_MAX);
			FUZZ_CHECK(strlen(v.kernel_release) <= S3CTL_RELEASE_MAX);
			fuzz_print(false, NULL, &v);
			fuzz_print(true, NULL, &v);
		}
	} else {
		ret = s3ctl_status_parse(nlh, &st, e);
		if (!ret) {
			FUZZ_CHECK(strlen(st.version) <= S3CTL_VERSION_MAX);
			FUZZ_CHECK(strlen(st.device) <= S3CTL_DEVICE_MAX);
			fuzz_print(false, &st, NULL);
			fuzz_print(true, &st, NULL);
		}
	}
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct s3ctl_nlerr e;
	struct s3ctl_genl_rx rx = {
		.seq = FUZZ_SEQ, .portid = FUZZ_PORTID, .family = FUZZ_FAMILY,
		.cb = fuzz_cb, .e = &e,
	};
	uint8_t *buf;
	int ret;

	if (!fuzz_null) {
		fuzz_null = fopen("/dev/null", "w");
		FUZZ_CHECK(fuzz_null);
	}
	buf = malloc(size ? size : 1);
	FUZZ_CHECK(buf);
	memcpy(buf, data, size);
	s3ctl_nlerr_init(&e);

	ret = s3ctl_genl_rx(&rx, buf, size);
	FUZZ_CHECK(ret == 1 || ret == 0 || (ret < 0 && ret > -4096));
	if (ret < 0)
		FUZZ_CHECK(e.code == -ret);
	FUZZ_CHECK(memchr(e.msg, '\0', sizeof(e.msg)) != NULL);
	FUZZ_CHECK(!strchr(e.msg, '\n'));

	free(buf);
	return 0;
}
