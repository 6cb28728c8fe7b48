/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Framing of journal records and checkpoints: their crcs, their sizes and
 * the checks replay makes of a record before it trusts it. Pure code: also
 * built in userland, so s3ctl fsck judges a record exactly as replay does.
 */
#ifndef _KS3_STORAGE_RECORD_H
#define _KS3_STORAGE_RECORD_H

#include <linux/types.h>
#include <linux/ks3_disk.h>

/*
 * crc32c from @seed of the @len bytes at @buf, a structure that starts
 * with a __le32 magic and a __le32 crc, the crc taken as zero. Journal
 * records and checkpoints are sealed with it, header and payload together.
 */
u32 ks3_rec_crc(u32 seed, const void *buf, size_t len);

/* Bytes a journal record may take: a quarter of the journal. */
u64 ks3_jrec_bytes_max(u64 journal_blocks);

/* Blocks a journal record with @payload_len bytes of operations takes. */
u64 ks3_jrec_blocks(u64 payload_len);

/* Fills the header of a record; ks3_jrec_seal() once the payload is in. */
void ks3_jrec_init(struct ks3_disk_jrec *rec, u64 seq, u32 payload_len,
		   u32 nr_ops, u64 commit_time);
/* Sets the crc of @rec, whose payload follows it in memory. */
void ks3_jrec_seal(struct ks3_disk_jrec *rec, u32 seed);

/* Why replay stops at a record. */
enum ks3_jrec_verdict {
	KS3_JREC_OK,
	KS3_JREC_BAD_MAGIC,	/* not a record: never written, or zeroed */
	KS3_JREC_BAD_SEQ,	/* a record from an earlier lap */
	KS3_JREC_BAD_LEN,	/* a length no record can have */
	KS3_JREC_BAD_CRC,	/* torn, or damaged */
};

/*
 * Checks the header of the record expected to have sequence @seq, in a
 * journal of @journal_blocks blocks of which @room are left to scan. On
 * KS3_JREC_OK, *@blocks is the record's size, header included.
 */
enum ks3_jrec_verdict ks3_jrec_check_head(const struct ks3_disk_jrec *rec,
					  u64 seq, u64 journal_blocks,
					  u64 room, u64 *blocks);
/*
 * Checks the crc of a whole record whose header passed the check above
 * with @payload_len: the record is read again in full, and the length that
 * sized the buffer is the one trusted.
 */
enum ks3_jrec_verdict ks3_jrec_check(const struct ks3_disk_jrec *rec,
				     u64 payload_len, u32 seed);

/* A sentence for @v, for logs and fsck. */
const char *ks3_jrec_verdict_str(enum ks3_jrec_verdict v);

/*
 * Reads @blocks journal blocks from journal block @at on, wrapping at the
 * journal's end, into @buf: 0 or -errno. The look-ahead below reads
 * through it, so the module and s3ctl fsck run the same check.
 */
typedef int (*ks3_jread_t)(void *ctx, u64 at, void *buf, u64 blocks);

/* Blocks the look-ahead reads at once: few large reads, bounded memory. */
#define KS3_JSCAN_BLOCKS	64

/*
 * Replay stopped at journal block @pos, where record @seq should start;
 * @room blocks of the journal, @pos's included, are not in the chain.
 * Tells where that leaves the journal:
 *  0: a torn or stale tail, how a power cut leaves it. A block never
 *     written (zeroes) or a whole record of another lap ends the chain
 *     at once; otherwise no valid record @seq + 1 starts anywhere a
 *     record @seq could have ended (a quarter of the journal at most).
 *  1: damage in the middle: record @seq + 1 is valid, at journal block
 *     *@next. It was written after record @seq was durable (a commit
 *     starts only when the one before it completed), so record @seq was
 *     whole once and has been damaged since.
 *  -errno: the journal could not be read, or memory could not be had.
 */
int ks3_jrec_look_ahead(ks3_jread_t read, void *ctx, u64 journal_blocks,
			u32 seed, u64 pos, u64 seq, u64 room, u64 *next);

/*
 * How replay's refusal and s3ctl fsck name a damaged record that has a
 * valid successor (printf: the two sequence numbers), in the same words.
 */
#define KS3_JREC_DAMAGED_FMT \
	"record %llu is damaged but record %llu after it is valid"

#endif /* _KS3_STORAGE_RECORD_H */
