/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The S3 layer: what the connection layer calls for each request.
 */
#ifndef _KS3_S3_S3_H
#define _KS3_S3_S3_H

#include "http/http.h"

extern const struct ks3_http_handler ks3_s3_handler;
/*
 * Module init/exit (main.c): the request context cache and the per-CPU
 * SigV4 signing-key caches.
 */
int ks3_s3_init(void);
void ks3_s3_exit(void);

/*
 * Wipe every CPU's signing-key cache (and the secrets in it), for when an
 * access key is deleted or the store detached. Not needed for correctness:
 * a key that is gone never reaches the cache. Sleeps.
 */
void ks3_s3_key_cache_flush(void);

#endif /* _KS3_S3_S3_H */
