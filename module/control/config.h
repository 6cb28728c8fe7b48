/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Settings (s3ctl config): one table of names, ranges and defaults over
 * struct ks3_config, values kept on the attached store as strings
 * (storage/store.c ks3_setting_set), loaded into srv->config at attach.
 */
#ifndef _KS3_CONTROL_CONFIG_H
#define _KS3_CONTROL_CONFIG_H

#include <linux/types.h>
#include <linux/ks3_disk.h>

struct ks3_config;
struct ks3_server;
struct ks3_store;

/* Longest value as ks3_config_format() writes it, NUL included. */
#define KS3_CONFIG_TEXT_MAX	(KS3_CONFIG_VALUE_MAX + 1)

/* The number of settings; they are numbered 0..ks3_config_count() - 1. */
unsigned int ks3_config_count(void);
const char *ks3_config_name(unsigned int i);
/* The number of setting @name, or -ENOENT. */
int ks3_config_lookup(const char *name);
/* Writes setting @i of @c as text (what config set takes) to @buf. */
void ks3_config_format(const struct ks3_config *c, unsigned int i, char *buf,
		       size_t size);
/*
 * Parses @value for setting @i into @c, then checks @c as a whole. On
 * failure @c may be changed and *@msg is a static sentence for the admin.
 */
int ks3_config_parse(struct ks3_config *c, unsigned int i, const char *value,
		     const char **msg);

/*
 * Makes the settings of @s, over the defaults, the live ones (attach; a
 * stored value that does not check, written by another version, is left
 * out with a warning). ks3_config_reset() makes the defaults live
 * (detach). The caller holds srv->lock.
 */
void ks3_config_load(struct ks3_server *srv, struct ks3_store *s);
void ks3_config_reset(struct ks3_server *srv);
/* Whether @s holds a value for setting @i. */
bool ks3_config_is_set(struct ks3_store *s, unsigned int i);
/*
 * Sets setting @name to @value (NULL: back to the default) on the attached
 * store, then in the live settings. The caller holds srv->lock and checked
 * srv->store. *@msg as for ks3_config_parse(), or NULL.
 */
int ks3_config_change(struct ks3_server *srv, const char *name,
		      const char *value, const char **msg);

#endif /* _KS3_CONTROL_CONFIG_H */
