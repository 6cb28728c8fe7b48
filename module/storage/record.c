// SPDX-License-Identifier: GPL-2.0
/*
 * Journal record and checkpoint framing (see record.h).
 */
#include <linux/crc32c.h>
#include <linux/kernel.h>
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
