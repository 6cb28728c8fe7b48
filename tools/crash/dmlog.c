// SPDX-License-Identifier: GPL-2.0
/*
 * Reader and replayer of dm-log-writes logs: see dmlog.h.
 */
#include "dmlog.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COPY_BUF (1u << 20)

static void seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static uint64_t get_le64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* pread of exactly @len bytes; 0, or -1 on error or a short read. */
static int pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	unsigned char *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static int pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
	const unsigned char *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

bool dmlog_is_write(const struct dmlog_entry *e)
{
	return !(e->flags & (DMLOG_MARK | DMLOG_DISCARD)) && e->nr_sectors;
}

int dmlog_open(struct dmlog *log, int fd, char *err, size_t errlen)
{
	unsigned char super[512];
	unsigned char *sec = NULL;
	off_t end;
	uint64_t pos, i, ss;

	memset(log, 0, sizeof(*log));
	log->fd = fd;
	end = lseek(fd, 0, SEEK_END);
	if (end < 0) {
		seterr(err, errlen, "cannot size the log: %s", strerror(errno));
		return -1;
	}
	log->log_bytes = (uint64_t)end;
	if (pread_full(fd, super, sizeof(super), 0)) {
		seterr(err, errlen, "cannot read the log super (log of %" PRIu64 " bytes)",
		       log->log_bytes);
		return -1;
	}
	if (get_le64(super) != DMLOG_MAGIC) {
		seterr(err, errlen, "not a dm-log-writes log (magic %#" PRIx64 ")",
		       get_le64(super));
		return -1;
	}
	if (get_le64(super + 8) != DMLOG_VERSION) {
		seterr(err, errlen, "unknown log version %" PRIu64, get_le64(super + 8));
		return -1;
	}
	log->nr_entries = get_le64(super + 16);
	log->sectorsize = get_le32(super + 24);
	ss = log->sectorsize;
	if (ss < 512 || ss > 65536 || (ss & (ss - 1))) {
		seterr(err, errlen, "bad log sector size %" PRIu64, ss);
		return -1;
	}
	if (log->nr_entries > log->log_bytes / ss) {
		seterr(err, errlen, "log claims %" PRIu64 " entries, more than fit in %" PRIu64
		       " bytes", log->nr_entries, log->log_bytes);
		return -1;
	}
	log->e = calloc(log->nr_entries ? log->nr_entries : 1, sizeof(*log->e));
	sec = malloc(ss);
	if (!log->e || !sec) {
		seterr(err, errlen, "out of memory");
		goto fail;
	}
	pos = ss;
	for (i = 0; i < log->nr_entries; i++) {
		struct dmlog_entry *e = &log->e[i];

		if (pos > log->log_bytes || log->log_bytes - pos < ss ||
		    pread_full(fd, sec, ss, pos)) {
			seterr(err, errlen, "entry %" PRIu64 " at byte %" PRIu64
			       " is past the end of the log (truncated?)", i, pos);
			goto fail;
		}
		e->sector = get_le64(sec);
		e->nr_sectors = get_le64(sec + 8);
		e->flags = get_le64(sec + 16);
		e->data_len = get_le64(sec + 24);
		if (e->flags & ~(uint64_t)DMLOG_KNOWN_FLAGS) {
			seterr(err, errlen, "entry %" PRIu64 ": unknown flags %#" PRIx64,
			       i, e->flags);
			goto fail;
		}
		pos += ss;
		if (e->flags & DMLOG_MARK) {
			if (e->data_len > ss - 32 || e->data_len >= DMLOG_MARK_MAX ||
			    e->nr_sectors) {
				seterr(err, errlen, "entry %" PRIu64 ": bad mark (%" PRIu64
				       " bytes, %" PRIu64 " sectors)", i, e->data_len,
				       e->nr_sectors);
				goto fail;
			}
			memcpy(e->mark, sec + 32, e->data_len);
			e->mark[e->data_len] = 0;
			continue;
		}
		if (e->data_len) {
			seterr(err, errlen, "entry %" PRIu64 ": inline data on a non-mark entry",
			       i);
			goto fail;
		}
		e->data_off = pos;
		if (e->flags & DMLOG_DISCARD)
			continue;
		if (e->nr_sectors > (log->log_bytes - pos) / ss) {
			seterr(err, errlen, "entry %" PRIu64 ": %" PRIu64
			       " sectors of data run past the end of the log", i,
			       e->nr_sectors);
			goto fail;
		}
		pos += e->nr_sectors * ss;
	}
	free(sec);
	return 0;
fail:
	free(sec);
	free(log->e);
	log->e = NULL;
	return -1;
}

void dmlog_close(struct dmlog *log)
{
	free(log->e);
	log->e = NULL;
}

long dmlog_find_mark(const struct dmlog *log, const char *name, uint64_t from)
{
	uint64_t i;

	for (i = from; i < log->nr_entries; i++)
		if ((log->e[i].flags & DMLOG_MARK) && !strcmp(log->e[i].mark, name))
			return (long)i;
	return -1;
}

/* splitmix64 */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * Writes entry @e to @fd: all of it, or with @tear only a random subset of
 * its sectors (never all of them when there are several).
 */
static int apply_entry(const struct dmlog *log, const struct dmlog_entry *e, int fd,
		       unsigned char *buf, bool tear, uint64_t *seed, char *err,
		       size_t errlen)
{
	uint64_t ss = log->sectorsize, done = 0, total = e->nr_sectors * ss;
	uint64_t skip_one = tear ? rnd(seed) % e->nr_sectors : UINT64_MAX;

	if (e->flags & DMLOG_DISCARD) {
		if (tear)
			return 0;
		memset(buf, 0, COPY_BUF);
		while (done < total) {
			uint64_t n = total - done < COPY_BUF ? total - done : COPY_BUF;

			if (pwrite_full(fd, buf, n, e->sector * ss + done)) {
				seterr(err, errlen, "discard of sector %" PRIu64 ": %s",
				       e->sector, strerror(errno));
				return -1;
			}
			done += n;
		}
		return 0;
	}
	while (done < total) {
		uint64_t n = total - done < COPY_BUF ? total - done : COPY_BUF;
		uint64_t s;

		if (pread_full(log->fd, buf, n, e->data_off + done)) {
			seterr(err, errlen, "cannot read %" PRIu64 " bytes of log data at %" PRIu64,
			       n, e->data_off + done);
			return -1;
		}
		if (!tear) {
			if (pwrite_full(fd, buf, n, e->sector * ss + done))
				goto werr;
		} else {
			for (s = 0; s < n / ss; s++) {
				uint64_t idx = done / ss + s;

				if (idx == skip_one || !(rnd(seed) & 1))
					continue;
				if (pwrite_full(fd, buf + s * ss, ss, (e->sector + idx) * ss))
					goto werr;
			}
		}
		done += n;
	}
	return 0;
werr:
	seterr(err, errlen, "write of sector %" PRIu64 " to the target: %s", e->sector,
	       strerror(errno));
	return -1;
}

int dmlog_replay(const struct dmlog *log, int fd, struct dmlog_replay *r, char *err,
		 size_t errlen)
{
	uint64_t i, vol_from = r->from, seed = r->seed * 0x2545f4914f6cdd1dULL + 1;
	unsigned char *buf;
	int ret = -1;

	r->applied = r->dropped = r->torn = r->volatile_writes = 0;
	if (r->from > r->to || r->to > log->nr_entries) {
		seterr(err, errlen, "entries [%" PRIu64 ", %" PRIu64 ") are not in the log of %"
		       PRIu64, r->from, r->to, log->nr_entries);
		return -1;
	}
	for (i = r->from; i < r->to; i++)
		if (log->e[i].flags & DMLOG_FLUSH)
			vol_from = i + 1;
	buf = malloc(COPY_BUF);
	if (!buf) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	for (i = r->from; i < r->to; i++) {
		const struct dmlog_entry *e = &log->e[i];
		bool tear = false;

		if (e->flags & DMLOG_MARK)
			continue;
		if (!(e->flags & DMLOG_DISCARD) && !e->nr_sectors)
			continue;	/* an empty flush */
		if (i >= vol_from && !(e->flags & (DMLOG_FUA | DMLOG_FLUSH))) {
			uint64_t x;

			r->volatile_writes++;
			switch (r->mode) {
			case DMLOG_KEEP:
				break;
			case DMLOG_DROP:
				r->dropped++;
				continue;
			case DMLOG_RANDOM:
				x = rnd(&seed) % 4;
				if (x == 0) {
					r->dropped++;
					continue;
				}
				if (x == 1 && e->nr_sectors > 1 &&
				    !(e->flags & DMLOG_DISCARD)) {
					tear = true;
					r->torn++;
				}
				break;
			}
		}
		if (apply_entry(log, e, fd, buf, tear, &seed, err, errlen))
			goto out;
		r->applied++;
	}
	if (r->tear_next && r->to < log->nr_entries && dmlog_is_write(&log->e[r->to])) {
		if (apply_entry(log, &log->e[r->to], fd, buf, true, &seed, err, errlen))
			goto out;
		r->torn++;
	}
	ret = 0;
out:
	free(buf);
	return ret;
}
