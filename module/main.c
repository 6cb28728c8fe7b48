// SPDX-License-Identifier: GPL-2.0
/*
 * ks3: an S3 object store in the kernel. Module init/exit only: each layer
 * registers itself here, top of the stack last, and goes away first.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/utsname.h>
#include <net/genetlink.h>

#include "compat.h"
#include "ks3.h"
#include "http/conn.h"
#include "http/listener.h"
#include "s3/digest.h"
#include "s3/s3.h"

static struct ks3_server ks3_srv;

static int __init ks3_init(void)
{
	int ret;

	ks3_server_init(&ks3_srv);
	ks3_srv.handler = &ks3_s3_handler;

	ret = ks3_digest_init_module();
	if (ret)
		goto err_out;
	ret = ks3_s3_init();
	if (ret)
		goto err_digest;
	ret = ks3_http_init();
	if (ret)
		goto err_s3;
	ret = ks3_tls_agent_register();
	if (ret)
		goto err_http;
	/* Last: once the family exists, admin requests can arrive. */
	ret = ks3_genl_register(&ks3_srv);
	if (ret)
		goto err_tls_agent;

	pr_info("version %s loaded on Linux %s\n", KS3_VERSION,
		init_utsname()->release);
	return 0;

err_tls_agent:
	ks3_tls_agent_unregister();
err_http:
	ks3_http_exit();
err_s3:
	ks3_s3_exit();
err_digest:
	ks3_digest_exit_module();
err_out:
	return ret;
}

static void __exit ks3_exit(void)
{
	ks3_genl_unregister();
	ks3_listeners_close_all(&ks3_srv);
	/* No new requests, then none in flight, then the store goes. */
	ks3_http_conns_close_all(&ks3_srv);
	ks3_tls_agent_unregister();
	ks3_server_destroy(&ks3_srv);
	ks3_http_exit();
	ks3_s3_exit();
	ks3_digest_exit_module();
	pr_info("unloaded\n");
}

module_init(ks3_init);
module_exit(ks3_exit);

MODULE_DESCRIPTION("ks3: S3-compatible object store");
MODULE_AUTHOR("The ks3 developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(KS3_VERSION);
MODULE_ALIAS_GENL_FAMILY(KS3_GENL_NAME);
