// SPDX-License-Identifier: GPL-2.0
/*
 * dmlog.c against synthetic dm-log-writes logs built here the way
 * drivers/md/dm-log-writes.c lays them out.
 */
#include "dmlog.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SS 512u
#define TARGET_SECTORS 64u

struct synth {
	FILE *f;
	int fd;
	uint64_t pos, n;
};

static void put_le64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void synth_super(struct synth *s, uint64_t nr_entries, uint32_t ss)
{
	unsigned char sec[SS] = { 0 };

	put_le64(sec, DMLOG_MAGIC);
	put_le64(sec + 8, DMLOG_VERSION);
	put_le64(sec + 16, nr_entries);
	sec[24] = (unsigned char)ss;
	sec[25] = (unsigned char)(ss >> 8);
	sec[26] = (unsigned char)(ss >> 16);
	sec[27] = (unsigned char)(ss >> 24);
	if (pwrite(s->fd, sec, SS, 0) != SS)
		abort();
}

static void synth_open(struct synth *s)
{
	s->f = tmpfile();
	if (!s->f)
		abort();
	s->fd = fileno(s->f);
	s->pos = SS;
	s->n = 0;
}

/* An entry; a write's data is NR sectors, each filled with byte FILL. */
static void synth_entry(struct synth *s, uint64_t sector, uint64_t nr, uint64_t flags,
			const char *mark, unsigned char fill)
{
	unsigned char sec[SS] = { 0 };
	uint64_t i;

	put_le64(sec, sector);
	put_le64(sec + 8, nr);
	put_le64(sec + 16, flags);
	put_le64(sec + 24, mark ? strlen(mark) : 0);
	if (mark)
		memcpy(sec + 32, mark, strlen(mark));
	if (pwrite(s->fd, sec, SS, (off_t)s->pos) != SS)
		abort();
	s->pos += SS;
	if (!(flags & (DMLOG_DISCARD | DMLOG_MARK))) {
		for (i = 0; i < nr; i++) {
			memset(sec, fill + (int)i, SS);
			if (pwrite(s->fd, sec, SS, (off_t)s->pos) != SS)
				abort();
			s->pos += SS;
		}
	}
	s->n++;
}

/* w(0..1) a, w(2) b, FLUSH, FUA w(4) c, mark, w(8..11) d, discard(0), w(1) e */
static void synth_sample(struct synth *s)
{
	synth_open(s);
	synth_entry(s, 0, 2, 0, NULL, 0x10);		/* 0 */
	synth_entry(s, 2, 1, DMLOG_METADATA, NULL, 0x20); /* 1 */
	synth_entry(s, 0, 0, DMLOG_FLUSH, NULL, 0);	/* 2 */
	synth_entry(s, 4, 1, DMLOG_FUA | DMLOG_FLUSH, NULL, 0x30); /* 3 */
	synth_entry(s, 0, 0, DMLOG_MARK, "ack-1", 0);	/* 4 */
	synth_entry(s, 8, 4, 0, NULL, 0x40);		/* 5 */
	synth_entry(s, 0, 1, DMLOG_DISCARD, NULL, 0);	/* 6 */
	synth_entry(s, 1, 1, 0, NULL, 0x50);		/* 7 */
	synth_entry(s, 0, 0, DMLOG_FLUSH, NULL, 0);	/* 8 */
	synth_super(s, s->n, SS);
}

static FILE *target(void)
{
	FILE *f = tmpfile();
	static unsigned char zero[TARGET_SECTORS * SS];

	if (!f || pwrite(fileno(f), zero, sizeof(zero), 0) != (ssize_t)sizeof(zero))
		abort();
	return f;
}

/* The byte at the start of target sector @s. */
static int tbyte(FILE *f, uint64_t s)
{
	unsigned char b;

	if (pread(fileno(f), &b, 1, (off_t)(s * SS)) != 1)
		return -1;
	return b;
}

TEST(parses_entries_and_marks)
{
	struct synth s;
	struct dmlog log;
	char err[256] = "";

	synth_sample(&s);
	ASSERT_EQ(dmlog_open(&log, s.fd, err, sizeof(err)), 0);
	EXPECT_EQ(log.sectorsize, SS);
	ASSERT_EQ(log.nr_entries, 9);
	EXPECT_EQ(log.e[0].sector, 0);
	EXPECT_EQ(log.e[0].nr_sectors, 2);
	EXPECT_EQ(log.e[0].data_off, 2 * SS);
	EXPECT_EQ(log.e[1].data_off, 5 * SS);
	EXPECT_EQ(log.e[3].flags, DMLOG_FUA | DMLOG_FLUSH);
	EXPECT_STREQ(log.e[4].mark, "ack-1");
	EXPECT_EQ(log.e[5].data_off, 11 * SS);
	EXPECT_EQ(log.e[6].flags, DMLOG_DISCARD);
	/* a discard carries no data: the next entry header follows it */
	EXPECT_EQ(log.e[7].data_off, 17 * SS);
	EXPECT_TRUE(dmlog_is_write(&log.e[0]));
	EXPECT_FALSE(dmlog_is_write(&log.e[2]));
	EXPECT_FALSE(dmlog_is_write(&log.e[4]));
	EXPECT_FALSE(dmlog_is_write(&log.e[6]));
	EXPECT_EQ(dmlog_find_mark(&log, "ack-1", 0), 4);
	EXPECT_EQ(dmlog_find_mark(&log, "ack-1", 5), -1);
	EXPECT_EQ(dmlog_find_mark(&log, "nope", 0), -1);
	dmlog_close(&log);
	fclose(s.f);
}

TEST(rejects_bad_logs)
{
	struct synth s;
	struct dmlog log;
	char err[256] = "";
	unsigned char junk[8] = { 1 };

	synth_sample(&s);
	/* more entries than the log holds: truncated */
	synth_super(&s, s.n + 1, SS);
	EXPECT_EQ(dmlog_open(&log, s.fd, err, sizeof(err)), -1);
	EXPECT_TRUE(strstr(err, "past the end") != NULL);
	/* a bad sector size */
	synth_super(&s, s.n, 1000);
	EXPECT_EQ(dmlog_open(&log, s.fd, err, sizeof(err)), -1);
	/* unknown flags */
	synth_super(&s, s.n, SS);
	put_le64(junk, 0x100);
	if (pwrite(s.fd, junk, 8, SS + 16) != 8)
		abort();
	EXPECT_EQ(dmlog_open(&log, s.fd, err, sizeof(err)), -1);
	EXPECT_TRUE(strstr(err, "unknown flags") != NULL);
	/* bad magic */
	memset(junk, 0, sizeof(junk));
	if (pwrite(s.fd, junk, 8, 0) != 8)
		abort();
	EXPECT_EQ(dmlog_open(&log, s.fd, err, sizeof(err)), -1);
	EXPECT_TRUE(strstr(err, "not a dm-log-writes log") != NULL);
	fclose(s.f);
}

TEST(replays_prefixes)
{
	struct synth s;
	struct dmlog log;
	struct dmlog_replay r = { 0 };
	char err[256] = "";
	FILE *t;

	synth_sample(&s);
	ASSERT_EQ(dmlog_open(&log, s.fd, err, sizeof(err)), 0);

	/* everything */
	t = target();
	r.from = 0;
	r.to = log.nr_entries;
	ASSERT_EQ(dmlog_replay(&log, fileno(t), &r, err, sizeof(err)), 0);
	EXPECT_EQ(tbyte(t, 0), 0);	/* discarded after it was written */
	EXPECT_EQ(tbyte(t, 1), 0x50);	/* rewritten last */
	EXPECT_EQ(tbyte(t, 2), 0x20);
	EXPECT_EQ(tbyte(t, 4), 0x30);
	EXPECT_EQ(tbyte(t, 8), 0x40);
	EXPECT_EQ(tbyte(t, 11), 0x43);
	EXPECT_EQ(r.volatile_writes, 0);
	fclose(t);

	/* up to the mark, in two steps */
	t = target();
	r.from = 0;
	r.to = 2;
	ASSERT_EQ(dmlog_replay(&log, fileno(t), &r, err, sizeof(err)), 0);
	/* entries 0 and 1 come before the flush that would make them durable */
	EXPECT_EQ(r.volatile_writes, 2);
	EXPECT_EQ(tbyte(t, 0), 0x10);
	r.from = 2;
	r.to = 4;
	ASSERT_EQ(dmlog_replay(&log, fileno(t), &r, err, sizeof(err)), 0);
	EXPECT_EQ(tbyte(t, 4), 0x30);
	EXPECT_EQ(tbyte(t, 8), 0);
	fclose(t);

	/* out of range */
	r.from = 3;
	r.to = 2;
	EXPECT_EQ(dmlog_replay(&log, 0, &r, err, sizeof(err)), -1);
	r.from = 0;
	r.to = log.nr_entries + 1;
	EXPECT_EQ(dmlog_replay(&log, 0, &r, err, sizeof(err)), -1);
	dmlog_close(&log);
	fclose(s.f);
}

TEST(drops_and_tears_volatile_writes)
{
	struct synth s;
	struct dmlog log;
	struct dmlog_replay r = { 0 };
	char err[256] = "";
	uint64_t seed, i, kept = 0, torn = 0, dropped = 0;
	FILE *t;

	synth_sample(&s);
	ASSERT_EQ(dmlog_open(&log, s.fd, err, sizeof(err)), 0);

	/* cut before the final flush: entries 5..7 were in the cache */
	t = target();
	r.from = 0;
	r.to = 8;
	r.mode = DMLOG_DROP;
	ASSERT_EQ(dmlog_replay(&log, fileno(t), &r, err, sizeof(err)), 0);
	EXPECT_EQ(r.volatile_writes, 3);
	EXPECT_EQ(r.dropped, 3);
	EXPECT_EQ(tbyte(t, 0), 0x10);	/* durable since the flush at 2 */
	EXPECT_EQ(tbyte(t, 4), 0x30);	/* FUA */
	EXPECT_EQ(tbyte(t, 8), 0);
	EXPECT_EQ(tbyte(t, 1), 0x11);
	fclose(t);

	/*
	 * random: over many seeds, each fate happens; a torn write never
	 * lands whole
	 */
	for (seed = 1; seed <= 200; seed++) {
		int n = 0;

		t = target();
		memset(&r, 0, sizeof(r));
		r.to = 8;
		r.mode = DMLOG_RANDOM;
		r.seed = seed;
		ASSERT_EQ(dmlog_replay(&log, fileno(t), &r, err, sizeof(err)), 0);
		for (i = 8; i < 12; i++)
			n += tbyte(t, i) == (int)(0x40 + i - 8);
		if (n == 4)
			kept++;
		else if (n == 0 && !r.torn)
			dropped++;
		else
			torn++;
		EXPECT_EQ(r.applied + r.dropped, 3 + 3);
		fclose(t);
	}
	EXPECT_TRUE(kept > 0);
	EXPECT_TRUE(dropped > 0);
	EXPECT_TRUE(torn > 0);

	/* tear-next: part of entry 5 lands, never all of it */
	for (seed = 1; seed <= 50; seed++) {
		int n = 0;

		t = target();
		memset(&r, 0, sizeof(r));
		r.to = 5;
		r.tear_next = true;
		r.seed = seed;
		ASSERT_EQ(dmlog_replay(&log, fileno(t), &r, err, sizeof(err)), 0);
		EXPECT_EQ(r.torn, 1);
		for (i = 8; i < 12; i++)
			n += tbyte(t, i) == (int)(0x40 + i - 8);
		EXPECT_TRUE(n < 4);
		fclose(t);
	}
	dmlog_close(&log);
	fclose(s.f);
}
