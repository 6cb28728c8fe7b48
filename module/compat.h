/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version branch of ks3 lives here and nowhere else. Gate on
 * LINUX_VERSION_CODE, never on #ifdef FEATURE: Debian's 6.1.y carries
 * backports that define newer macros with older behaviour.
 */
#ifndef _KS3_COMPAT_H
#define _KS3_COMPAT_H

#include <linux/blkdev.h>
#include <linux/bvec.h>
#include <linux/crc32c.h>
#include <linux/crc64.h>
#include <linux/net.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/uio.h>
#include <net/sock.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "ks3 needs Linux 6.1 or newer"
#endif

/*
 * Generic netlink: .resv_start_op exists from 6.1 and must be set for
 * strict validation of every command; nothing else ks3 uses differs up to
 * 6.18. Multicast groups restricted to CAP_NET_ADMIN (6.7, backported to
 * 6.1.y) are not used yet.
 */

/*
 * Exclusive open of a block device by path, read-write. The API changed in
 * 6.5 (blk_mode_t, holder ops), 6.7 (bdev_handle) and 6.9 (a struct file;
 * bdev_fput releases the claim synchronously, so a detach followed by an
 * immediate re-attach does not see -EBUSY).
 */
struct ks3_bdev_handle {
	struct block_device *bdev;
	void *priv;		/* bdev_handle (6.7, 6.8) or file (6.9+) */
	void *holder;
};

static inline int ks3_bdev_open(struct ks3_bdev_handle *h, const char *path,
				void *holder)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	struct file *f = bdev_file_open_by_path(path,
						BLK_OPEN_READ | BLK_OPEN_WRITE,
						holder, NULL);

	if (IS_ERR(f))
		return PTR_ERR(f);
	h->priv = f;
	h->bdev = file_bdev(f);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	struct bdev_handle *bh = bdev_open_by_path(path,
						   BLK_OPEN_READ |
						   BLK_OPEN_WRITE,
						   holder, NULL);

	if (IS_ERR(bh))
		return PTR_ERR(bh);
	h->priv = bh;
	h->bdev = bh->bdev;
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	h->bdev = blkdev_get_by_path(path, BLK_OPEN_READ | BLK_OPEN_WRITE,
				     holder, NULL);
	if (IS_ERR(h->bdev))
		return PTR_ERR(h->bdev);
#else
	h->bdev = blkdev_get_by_path(path, FMODE_READ | FMODE_WRITE |
				     FMODE_EXCL, holder);
	if (IS_ERR(h->bdev))
		return PTR_ERR(h->bdev);
#endif
	h->holder = holder;
	return 0;
}

static inline void ks3_bdev_close(struct ks3_bdev_handle *h)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	bdev_fput(h->priv);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	bdev_release(h->priv);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	blkdev_put(h->bdev, h->holder);
#else
	blkdev_put(h->bdev, FMODE_READ | FMODE_WRITE | FMODE_EXCL);
#endif
	h->bdev = NULL;
}

/*
 * CRC-64/NVME, S3's CRC64NVME: 6.1 exports it as crc64_rocksoft_generic()
 * (lib/crc64.c, module crc64); 6.14 renamed it crc64_nvme() (an inline
 * over the arch-optimised code). Both invert in and out: start from 0 and
 * feed each result back in.
 */
static inline u64 ks3_compat_crc64_nvme(u64 crc, const void *p, size_t len)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
	return crc64_nvme(crc, p, len);
#else
	return crc64_rocksoft_generic(crc, p, len);
#endif
}

/*
 * Shrinkers: 6.1 registers a struct shrinker the caller embeds, with no
 * private pointer; 6.7 allocates them (shrinker_alloc/shrinker_register/
 * shrinker_free) and carries ->private_data.
 */
typedef unsigned long (*ks3_shrink_fn)(struct shrinker *sh,
				       struct shrink_control *sc);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
static inline struct shrinker *
ks3_shrinker_create(const char *name, ks3_shrink_fn count,
		    ks3_shrink_fn scan, void *priv)
{
	struct shrinker *sh = shrinker_alloc(0, "%s", name);

	if (!sh)
		return NULL;
	sh->count_objects = count;
	sh->scan_objects = scan;
	sh->private_data = priv;
	shrinker_register(sh);
	return sh;
}

static inline void *ks3_shrinker_priv(struct shrinker *sh)
{
	return sh->private_data;
}

static inline void ks3_shrinker_destroy(struct shrinker *sh)
{
	shrinker_free(sh);
}
#else
struct ks3_compat_shrinker {
	struct shrinker shrinker;
	void *priv;
};

static inline struct shrinker *
ks3_shrinker_create(const char *name, ks3_shrink_fn count,
		    ks3_shrink_fn scan, void *priv)
{
	struct ks3_compat_shrinker *w = kzalloc(sizeof(*w), GFP_KERNEL);

	if (!w)
		return NULL;
	w->shrinker.count_objects = count;
	w->shrinker.scan_objects = scan;
	w->shrinker.seeks = DEFAULT_SEEKS;
	w->priv = priv;
	if (register_shrinker(&w->shrinker, "%s", name)) {
		kfree(w);
		return NULL;
	}
	return &w->shrinker;
}

static inline void *ks3_shrinker_priv(struct shrinker *sh)
{
	return container_of(sh, struct ks3_compat_shrinker, shrinker)->priv;
}

static inline void ks3_shrinker_destroy(struct shrinker *sh)
{
	unregister_shrinker(sh);
	kfree(container_of(sh, struct ks3_compat_shrinker, shrinker));
}
#endif

/*
 * Sends @len bytes of the pages in @bv, starting @skip bytes in, without
 * copying them: TCP (or kTLS) takes its own page references, so the pages
 * must never change afterwards. 6.1 has ->sendpage, one page at a time;
 * 6.5 removed it for sendmsg(MSG_SPLICE_PAGES) over a bvec iterator.
 * @flags: MSG_DONTWAIT, MSG_MORE when more of the response follows.
 * Returns the bytes sent (> 0), -EAGAIN if none could be, or an error.
 */
static inline int ks3_sock_send_pages(struct socket *sock,
				      const struct bio_vec *bv,
				      unsigned int nr, size_t skip,
				      size_t len, int flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	struct msghdr msg = { .msg_flags = flags | MSG_SPLICE_PAGES |
					   MSG_NOSIGNAL };

	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, bv, nr, skip + len);
	iov_iter_advance(&msg.msg_iter, skip);
	return sock_sendmsg(sock, &msg);
#else
	struct sock *sk = sock->sk;
	size_t sent = 0;
	unsigned int i;
	int ret = 0;

	while (skip >= bv->bv_len) {
		skip -= bv->bv_len;
		bv++;
	}
	/*
	 * The socket lock is taken once per 16 pages, not once per page;
	 * releasing it in between lets TCP process the ACKs that arrived
	 * meanwhile (backlog), so the send window keeps opening.
	 */
	lock_sock(sk);
	for (i = 1; sent < len; i++) {
		size_t n = min_t(size_t, len - sent, bv->bv_len - skip);
		int more = sent + n < len ? MSG_MORE : 0;

		ret = kernel_sendpage_locked(sk, bv->bv_page,
					     bv->bv_offset + skip, n,
					     flags | more | MSG_NOSIGNAL);
		if (ret <= 0)
			break;
		sent += ret;
		if (ret < n)
			break;
		skip = 0;
		bv++;
		if (!(i % 16) && sent < len) {
			release_sock(sk);
			lock_sock(sk);
		}
	}
	release_sock(sk);
	if (sent)
		return sent;
	return ret ? ret : -EPIPE;
#endif
}

/*
 * Which code the CRC library functions run. Up to 6.13 crc32_le() is
 * generic C (the CPU's instructions are reached through the crypto API's
 * "crc32", i.e. crc32-pclmul), crc32c() goes through libcrc32c's crypto
 * transform (crc32c_impl() names its driver: crc32c-intel if that was
 * loaded before libcrc32c) and crc64_rocksoft_generic() is generic C with
 * no accelerated driver at all. From 6.14 the library functions select the
 * CPU's instructions themselves and the crypto API is only a wrapper.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
#define KS3_COMPAT_CRC32_LIB_FAST	true
#else
#define KS3_COMPAT_CRC32_LIB_FAST	false
#endif

static inline const char *ks3_compat_crc32c_driver(void)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
	return "crc32c-lib";
#else
	return crc32c_impl();
#endif
}

static inline const char *ks3_compat_crc64_nvme_driver(void)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
	return "crc64-nvme-lib";
#else
	return "crc64-rocksoft-generic";
#endif
}

#endif /* _KS3_COMPAT_H */
