// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ks3: where the userland TLS handshake agent (s3ctl tlsd) attaches.
 * The kernel never parses a handshake: accepted TLS connections will be
 * handed to the agent as file descriptors through this device, the way
 * net/handshake does on newer kernels. One agent at a time; only an
 * opener with CAP_NET_ADMIN. The hand-off ioctls come with the TLS
 * listener; until then every ioctl is unknown.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "compat.h"
#include "ks3.h"

static atomic_t ks3_tls_agent_attached = ATOMIC_INIT(0);

static int ks3_tls_agent_open(struct inode *inode, struct file *file)
{
	if (!file_ns_capable(file, &init_user_ns, CAP_NET_ADMIN))
		return -EPERM;
	if (atomic_cmpxchg(&ks3_tls_agent_attached, 0, 1) != 0)
		return -EBUSY;
	return 0;
}

static int ks3_tls_agent_release(struct inode *inode, struct file *file)
{
	atomic_set(&ks3_tls_agent_attached, 0);
	return 0;
}

static long ks3_tls_agent_ioctl(struct file *file, unsigned int cmd,
				unsigned long arg)
{
	return -ENOTTY;
}

static const struct file_operations ks3_tls_agent_fops = {
	.owner		= THIS_MODULE,
	.open		= ks3_tls_agent_open,
	.release	= ks3_tls_agent_release,
	.unlocked_ioctl	= ks3_tls_agent_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice ks3_tls_agent_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= KS3_MISC_NAME,
	.fops	= &ks3_tls_agent_fops,
	.mode	= 0600,
};

int ks3_tls_agent_register(void)
{
	return misc_register(&ks3_tls_agent_dev);
}

void ks3_tls_agent_unregister(void)
{
	misc_deregister(&ks3_tls_agent_dev);
}
