/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reader and replayer of dm-log-writes logs (drivers/md/dm-log-writes.c,
 * Documentation/admin-guide/device-mapper/log-writes.rst).
 *
 * Log layout, all little-endian, in units of the logged device's logical
 * sector size S (the super names it):
 *   sector 0:   struct log_write_super { magic, version, nr_entries, sectorsize }
 *   then per entry: one sector holding struct log_write_entry { sector,
 *   nr_sectors, flags, data_len } (a mark's name follows the header in that
 *   sector), then nr_sectors sectors of the data written, except for marks
 *   and discards, which carry none.
 * Entries are in the order the writes reached stable storage: plain writes
 * are logged when the FLUSH after them completes, just before it; FUA
 * writes as soon as they complete.
 */
#ifndef KS3_DMLOG_H
#define KS3_DMLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DMLOG_MAGIC 0x6a736677736872ULL
#define DMLOG_VERSION 1ULL

#define DMLOG_FLUSH (1u << 0)
#define DMLOG_FUA (1u << 1)
#define DMLOG_DISCARD (1u << 2)
#define DMLOG_MARK (1u << 3)
#define DMLOG_METADATA (1u << 4)
#define DMLOG_KNOWN_FLAGS 0x1fu

#define DMLOG_MARK_MAX 512

struct dmlog_entry {
	uint64_t sector;	/* in units of the log's sector size */
	uint64_t nr_sectors;
	uint64_t flags;
	uint64_t data_len;	/* a mark's name length */
	uint64_t data_off;	/* byte offset of the data in the log */
	char mark[DMLOG_MARK_MAX]; /* a mark's name, NUL-terminated */
};

struct dmlog {
	int fd;
	uint32_t sectorsize;
	uint64_t nr_entries;
	uint64_t log_bytes;
	struct dmlog_entry *e;
};

/*
 * Reads the super and every entry header of the log open on @fd (a file
 * or a block device). Returns 0, or -1 with a one-line reason in @err.
 */
int dmlog_open(struct dmlog *log, int fd, char *err, size_t errlen);
void dmlog_close(struct dmlog *log);

/* True for an entry that writes data (not a mark, flush or discard). */
bool dmlog_is_write(const struct dmlog_entry *e);

/* Index of the first mark named @name at or after @from, or -1. */
long dmlog_find_mark(const struct dmlog *log, const char *name, uint64_t from);

/* What to do with the writes the device may still have held in its cache. */
enum dmlog_volatile {
	DMLOG_KEEP,	/* every volatile write reached the media */
	DMLOG_DROP,	/* none did */
	/* each: kept, dropped or torn (a random subset of its sectors),
	 * chosen from the seed
	 */
	DMLOG_RANDOM,
};

struct dmlog_replay {
	uint64_t from, to;	/* entries [from, to) */
	enum dmlog_volatile mode;
	/* entry @to, a write in flight at the cut, lands partly: a random
	 * subset of its sectors
	 */
	bool tear_next;
	uint64_t seed;
	/* out: what was done */
	uint64_t applied, dropped, torn, volatile_writes;
};

/*
 * Applies entries [r->from, r->to) of @log to @target_fd. Plain writes
 * (no FLUSH, no FUA) after the last FLUSH entry of the range are volatile:
 * the cut came before the flush that would have made them durable, and
 * r->mode decides their fate. FUA writes are durable when logged.
 * Discards zero their range. Returns 0, or -1 with the reason in @err.
 */
int dmlog_replay(const struct dmlog *log, int target_fd, struct dmlog_replay *r,
		 char *err, size_t errlen);

#endif
