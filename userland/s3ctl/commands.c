// SPDX-License-Identifier: GPL-2.0
/*
 * Every s3ctl command: objects, their verbs and handlers. A new command is
 * one line here and a handler in cmd_<object>.c.
 */
#include "s3ctl.h"

static const struct s3ctl_verb s3ctl_status_verbs[] = {
	{ "show", s3ctl_cmd_status_show, "",
	  "show the module's state, uptime, listeners and connections" },
	{ 0 },
};

static const struct s3ctl_verb s3ctl_version_verbs[] = {
	{ "show", s3ctl_cmd_version_show, "",
	  "show the versions of s3ctl, ks3.ko and the kernel it runs on" },
	{ 0 },
};

const struct s3ctl_object s3ctl_objects[] = {
	{ "status", s3ctl_status_verbs, "show", "module state and activity" },
	{ "version", s3ctl_version_verbs, "show", "s3ctl and ks3.ko versions" },
	{ 0 },
};
