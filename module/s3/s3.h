/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The S3 layer: what the connection layer calls for each request.
 */
#ifndef _KS3_S3_S3_H
#define _KS3_S3_S3_H

#include "http/http.h"

extern const struct ks3_http_handler ks3_s3_handler;

/* Module init/exit (main.c): the per-CPU SigV4 signing-key caches. */
int ks3_s3_init(void);
void ks3_s3_exit(void);

#endif /* _KS3_S3_S3_H */
