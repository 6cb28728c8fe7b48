// SPDX-License-Identifier: GPL-2.0
/*
 * Every s3ctl command: objects, their verbs and handlers. A new command is
 * an entry here and a handler in cmd_<object>.c.
 */
#include "s3ctl.h"

static const struct s3ctl_verb s3ctl_status_verbs[] = {
	{ .name = "show",
	  .run = s3ctl_cmd_status_show,
	  .args = "",
	  .summary = "show the module's state, uptime, listeners, connections and store" },
	{ 0 },
};

static const struct s3ctl_verb s3ctl_version_verbs[] = {
	{ .name = "show",
	  .run = s3ctl_cmd_version_show,
	  .args = "",
	  .summary = "show the versions of s3ctl, ks3.ko and the kernel it runs on" },
	{ 0 },
};

static const struct s3ctl_option s3ctl_force_opts[] = {
	{ .name = "--force" },
	{ 0 },
};

static const struct s3ctl_verb s3ctl_dev_verbs[] = {
	{ .name = "format",
	  .run = s3ctl_cmd_dev_format,
	  .args = "DEV [--force]",
	  .summary = "make DEV (a block device or image file) an empty ks3 store; --force overwrites what is on it",
	  .opts = s3ctl_force_opts },
	{ .name = "attach",
	  .run = s3ctl_cmd_dev_attach,
	  .args = "DEV",
	  .summary = "attach the ks3 store on block device DEV" },
	{ .name = "detach",
	  .run = s3ctl_cmd_dev_detach,
	  .args = "[--force]",
	  .summary = "detach the store; --force waits for S3 requests in flight",
	  .opts = s3ctl_force_opts },
	{ 0 },
};

static const struct s3ctl_verb s3ctl_key_verbs[] = {
	{ .name = "create",
	  .run = s3ctl_cmd_key_create,
	  .args = "NAME",
	  .summary = "create an access key; its secret is shown this one time" },
	{ .name = "list",
	  .run = s3ctl_cmd_key_list,
	  .args = "",
	  .summary = "list access keys and their bucket permissions (never secrets)" },
	{ .name = "delete",
	  .run = s3ctl_cmd_key_delete,
	  .args = "ACCESS_KEY",
	  .summary = "delete an access key" },
	{ .name = "allow",
	  .run = s3ctl_cmd_key_allow,
	  .args = "ACCESS_KEY BUCKET PERMS",
	  .summary = "add permissions: PERMS is a comma list of read,write,list,owner, or all" },
	{ .name = "deny",
	  .run = s3ctl_cmd_key_deny,
	  .args = "ACCESS_KEY BUCKET PERMS",
	  .summary = "take permissions away (the same PERMS)" },
	{ 0 },
};

static const struct s3ctl_option s3ctl_bucket_create_opts[] = {
	{ .name = "--owner", .has_arg = true },
	{ 0 },
};

static const struct s3ctl_option s3ctl_bucket_quota_opts[] = {
	{ .name = "--bytes", .has_arg = true },
	{ .name = "--objects", .has_arg = true },
	{ 0 },
};

static const struct s3ctl_verb s3ctl_bucket_verbs[] = {
	{ .name = "create",
	  .run = s3ctl_cmd_bucket_create,
	  .args = "NAME [--owner ACCESS_KEY]",
	  .summary = "create a bucket, owned by the key given",
	  .opts = s3ctl_bucket_create_opts },
	{ .name = "delete",
	  .run = s3ctl_cmd_bucket_delete,
	  .args = "NAME",
	  .summary = "delete an empty bucket" },
	{ .name = "list",
	  .run = s3ctl_cmd_bucket_list,
	  .args = "",
	  .summary = "list buckets with their owner, usage and quotas" },
	{ .name = "quota",
	  .run = s3ctl_cmd_bucket_quota,
	  .args = "NAME [--bytes N[KMGT]] [--objects N]",
	  .summary = "set a bucket's quotas (0: none); those not given stay",
	  .opts = s3ctl_bucket_quota_opts },
	{ 0 },
};

static const struct s3ctl_verb s3ctl_fsck_verbs[] = {
	{ .name = "check",
	  .run = s3ctl_cmd_fsck,
	  .args = "DEV",
	  .summary = "check the detached store on DEV offline: exit 0 clean, 1 problems found" },
	{ 0 },
};

static const struct s3ctl_verb s3ctl_listen_verbs[] = {
	{ .name = "add",
	  .run = s3ctl_cmd_listen_add,
	  .args = "ADDR:PORT",
	  .summary = "serve S3 on ADDR:PORT (127.0.0.1:9000, 0.0.0.0:9000, [::1]:9000, [::]:9000)" },
	{ .name = "del",
	  .run = s3ctl_cmd_listen_del,
	  .args = "ADDR:PORT",
	  .summary = "stop listening on ADDR:PORT; its open connections go on" },
	{ .name = "list",
	  .run = s3ctl_cmd_listen_list,
	  .args = "",
	  .summary = "list the listeners and the connections each accepted" },
	{ 0 },
};

static const struct s3ctl_verb s3ctl_config_verbs[] = {
	{ .name = "get",
	  .run = s3ctl_cmd_config_get,
	  .args = "[NAME]",
	  .summary = "show the settings: value in use, default, whether the store sets it" },
	{ .name = "set",
	  .run = s3ctl_cmd_config_set,
	  .args = "NAME VALUE",
	  .summary = "set a setting on the attached store; it applies at once" },
	{ .name = "unset",
	  .run = s3ctl_cmd_config_unset,
	  .args = "NAME",
	  .summary = "put a setting back to its default" },
	{ 0 },
};

const struct s3ctl_object s3ctl_objects[] = {
	{ .name = "status", .verbs = s3ctl_status_verbs,
	  .default_verb = "show", .summary = "module state and activity" },
	{ .name = "version", .verbs = s3ctl_version_verbs,
	  .default_verb = "show", .summary = "s3ctl and ks3.ko versions" },
	{ .name = "dev", .verbs = s3ctl_dev_verbs,
	  .summary = "format, attach and detach a store" },
	{ .name = "key", .verbs = s3ctl_key_verbs, .default_verb = "list",
	  .summary = "access keys and their permissions" },
	{ .name = "bucket", .verbs = s3ctl_bucket_verbs,
	  .default_verb = "list", .summary = "buckets and their quotas" },
	{ .name = "listen", .verbs = s3ctl_listen_verbs,
	  .default_verb = "list", .summary = "S3 listeners (not kept on the device)" },
	{ .name = "config", .verbs = s3ctl_config_verbs,
	  .default_verb = "get", .summary = "settings, kept on the store" },
	{ .name = "fsck", .verbs = s3ctl_fsck_verbs, .default_verb = "check",
	  .summary = "check a store offline", .verb_optional = true },
	{ 0 },
};
