// SPDX-License-Identifier: GPL-2.0
/*
 * Journal record and checkpoint framing (see record.h).
 */
#include <linux/crc32c.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <asm/byteorder.h>

#include "op.h"
#include "record.h"

u32 ks3_rec_crc(u32 seed, const void *buf, size_t len)
{
	static const __le32 zero;
	const u8 *p = buf;
	u32 crc;

	/* Every framed structure starts with magic and crc, 8 bytes. */
	crc = crc32c(seed, p, sizeof(__le32));
	crc = crc32c(crc, &zero, sizeof(zero));
	return crc32c(crc, p + 2 * sizeof(__le32), len - 2 * sizeof(__le32));
}

u64 ks3_jrec_bytes_max(u64 journal_blocks)
{
	return (journal_blocks / 4) << KS3_BLOCK_SHIFT;
}

u64 ks3_jrec_blocks(u64 payload_len)
{
	return ks3_size_blocks(sizeof(struct ks3_disk_jrec) + payload_len);
}

void ks3_jrec_init(struct ks3_disk_jrec *rec, u64 seq, u32 payload_len,
		   u32 nr_ops, u64 commit_time)
{
	rec->magic = cpu_to_le32(KS3_JREC_MAGIC);
	rec->crc = 0;
	rec->seq = cpu_to_le64(seq);
	rec->payload_len = cpu_to_le32(payload_len);
	rec->nr_ops = cpu_to_le32(nr_ops);
	rec->commit_time = cpu_to_le64(commit_time);
}

void ks3_jrec_seal(struct ks3_disk_jrec *rec, u32 seed)
{
	rec->crc = cpu_to_le32(ks3_rec_crc(seed, rec, sizeof(*rec) +
					   le32_to_cpu(rec->payload_len)));
}

enum ks3_jrec_verdict ks3_jrec_check_head(const struct ks3_disk_jrec *rec,
					  u64 seq, u64 journal_blocks,
					  u64 room, u64 *blocks)
{
	u64 payload_len = le32_to_cpu(rec->payload_len);

	if (le32_to_cpu(rec->magic) != KS3_JREC_MAGIC)
		return KS3_JREC_BAD_MAGIC;
	if (le64_to_cpu(rec->seq) != seq)
		return KS3_JREC_BAD_SEQ;
	if (payload_len > ks3_jrec_bytes_max(journal_blocks) - sizeof(*rec))
		return KS3_JREC_BAD_LEN;
	*blocks = ks3_jrec_blocks(payload_len);
	if (*blocks > room)
		return KS3_JREC_BAD_LEN;
	return KS3_JREC_OK;
}

enum ks3_jrec_verdict ks3_jrec_check(const struct ks3_disk_jrec *rec,
				     u64 payload_len, u32 seed)
{
	if (le32_to_cpu(rec->payload_len) != payload_len ||
	    le32_to_cpu(rec->crc) !=
	    ks3_rec_crc(seed, rec, sizeof(*rec) + payload_len))
		return KS3_JREC_BAD_CRC;
	return KS3_JREC_OK;
}

const char *ks3_jrec_verdict_str(enum ks3_jrec_verdict v)
{
	switch (v) {
	case KS3_JREC_OK:
		return "valid";
	case KS3_JREC_BAD_MAGIC:
		return "no record magic";
	case KS3_JREC_BAD_SEQ:
		return "sequence out of order (a record from an earlier lap)";
	case KS3_JREC_BAD_LEN:
		return "record length out of range";
	case KS3_JREC_BAD_CRC:
		return "record checksum mismatch (torn or damaged)";
	}
	return "unknown";
}

static bool ks3_jblock_zero(const void *block)
{
	const u8 *p = block;
	size_t i;

	for (i = 0; i < KS3_BLOCK_SIZE; i++)
		if (p[i])
			return false;
	return true;
}

/*
 * Whether a whole record with sequence @seq starts at journal block @at,
 * whose first block is @head, inside @room blocks: 1, 0, or -errno. The
 * header is checked first, so most blocks cost no further read.
 */
static int ks3_jrec_valid_at(ks3_jread_t read, void *ctx, u64 journal_blocks,
			     u32 seed, u64 at, const struct ks3_disk_jrec *head,
			     u64 seq, u64 room)
{
	struct ks3_disk_jrec *rec;
	u64 blocks, payload_len;
	int ret;

	if (ks3_jrec_check_head(head, seq, journal_blocks, room, &blocks) !=
	    KS3_JREC_OK)
		return 0;
	payload_len = le32_to_cpu(head->payload_len);
	rec = kvmalloc(blocks << KS3_BLOCK_SHIFT, GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	ret = read(ctx, at, rec, blocks);
	if (!ret)
		ret = ks3_jrec_check(rec, payload_len, seed) == KS3_JREC_OK;
	kvfree(rec);
	return ret;
}

/*
 * Whether the block replay stopped at ends the chain for certain (1): a
 * block never written, or the start of a whole record of another lap.
 * 0 when it may be a damaged record @seq, or -errno.
 */
static int ks3_jrec_plain_end(ks3_jread_t read, void *ctx, u64 journal_blocks,
			      u32 seed, u64 pos,
			      const struct ks3_disk_jrec *head, u64 seq,
			      u64 room)
{
	if (ks3_jblock_zero(head))
		return 1;
	if (le32_to_cpu(head->magic) != KS3_JREC_MAGIC ||
	    le64_to_cpu(head->seq) == seq)
		return 0;
	return ks3_jrec_valid_at(read, ctx, journal_blocks, seed, pos, head,
				 le64_to_cpu(head->seq), room);
}

int ks3_jrec_look_ahead(ks3_jread_t read, void *ctx, u64 journal_blocks,
			u32 seed, u64 pos, u64 seq, u64 room, u64 *next)
{
	u64 span = ks3_jrec_bytes_max(journal_blocks) >> KS3_BLOCK_SHIFT;
	const struct ks3_disk_jrec *head;
	u64 last, base, n, i, at;
	u8 *buf;
	int ret = 0;

	if (!room || room > journal_blocks || pos >= journal_blocks)
		return 0;
	/* Record @seq + 1 would start 1 to @span blocks after @pos. */
	last = min(span, room - 1);
	buf = kvmalloc((size_t)KS3_JSCAN_BLOCKS << KS3_BLOCK_SHIFT,
		       GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (base = 0; base <= last && !ret; base += n) {
		n = min_t(u64, KS3_JSCAN_BLOCKS, last + 1 - base);
		ret = read(ctx, (pos + base) % journal_blocks, buf, n);
		if (ret)
			break;
		for (i = 0; i < n && !ret; i++) {
			head = (const void *)(buf + (i << KS3_BLOCK_SHIFT));
			at = (pos + base + i) % journal_blocks;
			if (!base && !i) {
				ret = ks3_jrec_plain_end(read, ctx,
							 journal_blocks, seed,
							 pos, head, seq, room);
				if (ret)
					goto out_end;
				continue;
			}
			ret = ks3_jrec_valid_at(read, ctx, journal_blocks,
						seed, at, head, seq + 1,
						room - base - i);
			if (ret > 0)
				*next = at;
		}
	}
	kvfree(buf);
	return ret;
out_end:
	kvfree(buf);
	/* A plain end (1) is no damage; an error stays one. */
	return min(ret, 0);
}
