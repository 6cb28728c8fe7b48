// SPDX-License-Identifier: GPL-2.0
/*
 * The runner behind unit.h: linked into every unit test binary.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

static struct unit_test *unit_head, **unit_tail = &unit_head;
static bool unit_failed;

void unit_register(struct unit_test *t)
{
	/* Constructors run in definition order: keep it. */
	*unit_tail = t;
	unit_tail = &t->next;
}

bool unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	unit_failed = true;
	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return false;
}

void unit_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

const char *unit_quote(const void *s, size_t len)
{
	static char buf[256];
	const unsigned char *p = s;
	size_t i, o = 0;

	for (i = 0; i < len && o + 5 < sizeof(buf); i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
			buf[o++] = (char)p[i];
		else
			o += (size_t)snprintf(buf + o, sizeof(buf) - o,
					      "\\x%02x", p[i]);
	}
	buf[o] = '\0';
	return buf;
}

int main(int argc, char **argv)
{
	unsigned int passed = 0, failed = 0;
	struct unit_test *t;

	for (t = unit_head; t; t = t->next) {
		/* An argument runs only the tests it names. */
		if (argc > 1) {
			int i;

			for (i = 1; i < argc; i++)
				if (!strcmp(argv[i], t->name))
					break;
			if (i == argc)
				continue;
		}
		unit_failed = false;
		t->fn();
		fflush(stderr);
		printf("%s - %s\n", unit_failed ? "not ok" : "ok", t->name);
		fflush(stdout);
		if (unit_failed)
			failed++;
		else
			passed++;
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
