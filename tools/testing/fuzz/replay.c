// SPDX-License-Identifier: GPL-2.0
/*
 * Runs a libFuzzer target over stored inputs without libFuzzer, so `make
 * test` checks every fuzz target's seeds and past findings (tests/fuzz/
 * NAME/) with any compiler. Speaks the unit test protocol of unit.h: one
 * "ok"/"not ok" line and a "1 passed, 0 failed" summary. A failing input
 * aborts in the target, which the runner reports with its stderr.
 *
 * usage: NAME [DIR_OR_FILE...]   (default: KS3_CORPUS_DIR/NAME, the
 *                                  repository's tests/fuzz/NAME)
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long replay_inputs;

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		printf("# %s: %s\n", path, strerror(errno));
		return -1;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	/* An exact-size copy: ASan catches reads past the input. */
	{
		uint8_t *exact = malloc(len ? len : 1);

		if (!exact)
			abort();
		memcpy(exact, buf, len);
		free(buf);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	replay_inputs++;
	return 0;
}

static int replay_path(const char *path)
{
	struct dirent **names;
	struct stat st;
	int i, n, ret = 0;

	if (stat(path, &st)) {
		printf("# %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path);
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0) {
		printf("# %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		char *sub;

		if (names[i]->d_name[0] != '.' &&
		    asprintf(&sub, "%s/%s", path, names[i]->d_name) >= 0) {
			if (replay_path(sub))
				ret = -1;
			free(sub);
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	char *dflt = NULL;
	int i, ret = 0;

	if (argc < 2) {
		if (asprintf(&dflt, "%s/%s", KS3_CORPUS_DIR, name) < 0)
			abort();
		ret = replay_path(dflt);
		free(dflt);
	}
	for (i = 1; i < argc; i++)
		if (replay_path(argv[i]))
			ret = -1;
	if (!ret && replay_inputs == 0) {
		printf("# no inputs found\n");
		ret = -1;
	}
	printf("%s - corpus (%lu inputs)\n", ret ? "not ok" : "ok",
	       replay_inputs);
	printf("%d passed, %d failed\n", ret ? 0 : 1, ret ? 1 : 0);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
