// SPDX-License-Identifier: GPL-2.0
/*
 * ks3-replay-log: lists a dm-log-writes log and replays a range of it onto
 * a target image, modelling a power cut: see usage() and docs/crash.md.
 */
#include "dmlog.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fputs("usage: ks3-replay-log --log LOG --list\n"
	      "       ks3-replay-log --log LOG --find-mark NAME\n"
	      "       ks3-replay-log --log LOG --replay TARGET [--from N] (--to N | --end-mark NAME)\n"
	      "                      [--volatile keep|drop|random] [--seed N] [--tear-next]\n"
	      "\n"
	      "--list prints one line per entry: INDEX FLAGS SECTOR NR_SECTORS [MARK]\n"
	      "  (FLAGS: F flush, U fua, D discard, M mark, m metadata, - none;\n"
	      "  sectors in the log's sector size, printed first as '# sectorsize S\n"
	      "  entries N').\n"
	      "--replay applies entries [from, to) to TARGET (entry `to` and later\n"
	      "  are not applied: the cut came before `to` completed). Plain writes\n"
	      "  after the last FLUSH entry in the range were still in the device's\n"
	      "  cache: --volatile keeps them (default), drops them, or keeps, drops\n"
	      "  or tears each at random (--seed). --tear-next writes a random part of\n"
	      "  entry `to` when it is a write (the write in flight at the cut).\n"
	      "  Prints 'applied A dropped D torn T volatile V'.\n", f);
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || !*s || *end || *s == '-' ? -1 : 0;
}

static void flags_str(uint64_t fl, char *out)
{
	char *p = out;

	if (fl & DMLOG_FLUSH)
		*p++ = 'F';
	if (fl & DMLOG_FUA)
		*p++ = 'U';
	if (fl & DMLOG_DISCARD)
		*p++ = 'D';
	if (fl & DMLOG_MARK)
		*p++ = 'M';
	if (fl & DMLOG_METADATA)
		*p++ = 'm';
	if (p == out)
		*p++ = '-';
	*p = 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "log", required_argument, NULL, 'l' },
		{ "list", no_argument, NULL, 'L' },
		{ "find-mark", required_argument, NULL, 'k' },
		{ "replay", required_argument, NULL, 'r' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "end-mark", required_argument, NULL, 'e' },
		{ "volatile", required_argument, NULL, 'v' },
		{ "seed", required_argument, NULL, 's' },
		{ "tear-next", no_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *logpath = NULL, *target = NULL, *find = NULL, *end_mark = NULL;
	struct dmlog_replay r = { .mode = DMLOG_KEEP };
	bool list = false, have_to = false;
	struct dmlog log;
	char err[256];
	int c, fd, tfd, ret = 1;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			logpath = optarg;
			break;
		case 'L':
			list = true;
			break;
		case 'k':
			find = optarg;
			break;
		case 'r':
			target = optarg;
			break;
		case 'f':
			if (parse_u64(optarg, &r.from))
				goto bad;
			break;
		case 't':
			if (parse_u64(optarg, &r.to))
				goto bad;
			have_to = true;
			break;
		case 'e':
			end_mark = optarg;
			break;
		case 'v':
			if (!strcmp(optarg, "keep"))
				r.mode = DMLOG_KEEP;
			else if (!strcmp(optarg, "drop"))
				r.mode = DMLOG_DROP;
			else if (!strcmp(optarg, "random"))
				r.mode = DMLOG_RANDOM;
			else
				goto bad;
			break;
		case 's':
			if (parse_u64(optarg, &r.seed))
				goto bad;
			break;
		case 'T':
			r.tear_next = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			goto bad;
		}
	}
	if (optind != argc || !logpath || (list + !!find + !!target) != 1 ||
	    (target && have_to == !!end_mark))
		goto bad;

	fd = open(logpath, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "ks3-replay-log: %s: %s\n", logpath, strerror(errno));
		return 1;
	}
	if (dmlog_open(&log, fd, err, sizeof(err))) {
		fprintf(stderr, "ks3-replay-log: %s: %s\n", logpath, err);
		close(fd);
		return 1;
	}
	if (list) {
		uint64_t i;
		char fl[8];

		printf("# sectorsize %" PRIu32 " entries %" PRIu64 "\n", log.sectorsize,
		       log.nr_entries);
		for (i = 0; i < log.nr_entries; i++) {
			const struct dmlog_entry *e = &log.e[i];

			flags_str(e->flags, fl);
			printf("%" PRIu64 " %s %" PRIu64 " %" PRIu64 "%s%s\n", i, fl,
			       e->sector, e->nr_sectors,
			       e->flags & DMLOG_MARK ? " " : "", e->mark);
		}
		ret = 0;
	} else if (find) {
		long i = dmlog_find_mark(&log, find, 0);

		if (i < 0) {
			fprintf(stderr, "ks3-replay-log: no mark '%s' in the log\n", find);
		} else {
			printf("%ld\n", i);
			ret = 0;
		}
	} else {
		if (end_mark) {
			long i = dmlog_find_mark(&log, end_mark, r.from);

			if (i < 0) {
				fprintf(stderr, "ks3-replay-log: no mark '%s' in the log\n",
					end_mark);
				goto out;
			}
			r.to = (uint64_t)i;
		}
		tfd = open(target, O_WRONLY);
		if (tfd < 0) {
			fprintf(stderr, "ks3-replay-log: %s: %s\n", target, strerror(errno));
			goto out;
		}
		if (dmlog_replay(&log, tfd, &r, err, sizeof(err))) {
			fprintf(stderr, "ks3-replay-log: %s\n", err);
			close(tfd);
			goto out;
		}
		if (fsync(tfd)) {
			fprintf(stderr, "ks3-replay-log: fsync %s: %s\n", target, strerror(errno));
			close(tfd);
			goto out;
		}
		close(tfd);
		printf("applied %" PRIu64 " dropped %" PRIu64 " torn %" PRIu64 " volatile %"
		       PRIu64 "\n", r.applied, r.dropped, r.torn, r.volatile_writes);
		ret = 0;
	}
out:
	dmlog_close(&log);
	close(fd);
	return ret;
bad:
	usage(stderr);
	return 2;
}
