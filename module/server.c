// SPDX-License-Identifier: GPL-2.0
/*
 * struct ks3_server: the state of one ks3 instance, shared by every layer.
 */
#include "ks3.h"

void ks3_server_init(struct ks3_server *srv)
{
	srv->loaded_at = ktime_get();
	mutex_init(&srv->lock);
	srv->state = KS3_STATE_NO_DEVICE;
	srv->device[0] = '\0';
	atomic_set(&srv->listeners, 0);
	atomic_set(&srv->connections, 0);
}

void ks3_server_destroy(struct ks3_server *srv)
{
	mutex_destroy(&srv->lock);
}

u64 ks3_server_uptime_ms(const struct ks3_server *srv)
{
	return ktime_to_ms(ktime_sub(ktime_get(), srv->loaded_at));
}
