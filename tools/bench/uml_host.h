/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host libc functions User-Mode Linux exports to modules
 * (arch/um/os-Linux/user_syms.c), for ks3_uml_bench.c to read the host's
 * /proc/thread-self/schedstat. Only meaningful with CONFIG_UML.
 */
#ifndef _KS3_UML_HOST_H
#define _KS3_UML_HOST_H

#ifdef CONFIG_UML
int open(const char *path, int flags, ...);
long read(int fd, void *buf, unsigned long n);
int close(int fd);
#endif

#endif /* _KS3_UML_HOST_H */
