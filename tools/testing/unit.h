/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ks3 unit tests: TEST(name) { ... } registers a test; EXPECT_* record a
 * failure with file:line and go on, ASSERT_* record it and end the test.
 * unit.c's main() runs every test of the binary, printing
 *	ok - name	or	not ok - name
 * per test, then exactly one line "N passed, M failed"; it exits 1 if any
 * test failed. Diagnostics are lines starting with "# ".
 */
#ifndef KS3_UNIT_H
#define KS3_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
	struct unit_test *next;
};

void unit_register(struct unit_test *t);
/* Records a failure of the running test; returns false for ASSERT_*. */
bool unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prints a "# " diagnostic line. */
void unit_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* printable copy of @len bytes of @s for diagnostics (static buffer) */
const char *unit_quote(const void *s, size_t len);

#define TEST(name)							\
	static void unit_test_##name(void);				\
	static struct unit_test unit_entry_##name = {			\
		#name, unit_test_##name, NULL };			\
	__attribute__((constructor)) static void unit_reg_##name(void)	\
	{								\
		unit_register(&unit_entry_##name);			\
	}								\
	static void unit_test_##name(void)

/* @fatal is 0 (EXPECT: go on) or 1 (ASSERT: return from the test). */
#define UNIT_END_0
#define UNIT_END_1 return
#define UNIT_CHECK_(fatal, cond, ...)					\
	do {								\
		if (!(cond)) {						\
			unit_fail(__FILE__, __LINE__, __VA_ARGS__);	\
			UNIT_END_##fatal;				\
		}							\
	} while (0)

#define UNIT_TRUE_(fatal, c)						\
	UNIT_CHECK_(fatal, (c), "%s is false", #c)
#define UNIT_FALSE_(fatal, c)						\
	UNIT_CHECK_(fatal, !(c), "%s is true", #c)

/*
 * Integers of any type and signedness, compared by value (__int128 holds
 * every 64-bit value of either sign); each argument is evaluated once.
 */
#define UNIT_CMP_(fatal, a, op, b)					\
	do {								\
		__int128 unit_a_ = (__int128)(a);			\
		__int128 unit_b_ = (__int128)(b);			\
		UNIT_CHECK_(fatal, unit_a_ op unit_b_,			\
			    "%s %s %s: %lld vs %lld", #a, #op, #b,	\
			    (long long)unit_a_, (long long)unit_b_);	\
	} while (0)

#define UNIT_PTREQ_(fatal, a, b)					\
	do {								\
		const void *unit_a_ = (a), *unit_b_ = (b);		\
		UNIT_CHECK_(fatal, unit_a_ == unit_b_,			\
			    "%s == %s: %p vs %p", #a, #b, unit_a_, unit_b_); \
	} while (0)

/* Strings; NULL equals only NULL. */
#define UNIT_STREQ_(fatal, a, b)					\
	do {								\
		const char *unit_a_ = (a), *unit_b_ = (b);		\
		bool unit_eq_ = unit_a_ && unit_b_ ?			\
			!strcmp(unit_a_, unit_b_) : unit_a_ == unit_b_;	\
		UNIT_CHECK_(fatal, unit_eq_,				\
			    "%s == %s: \"%s\" vs \"%s\"", #a, #b,	\
			    unit_a_ ? unit_a_ : "(null)",		\
			    unit_b_ ? unit_b_ : "(null)");		\
	} while (0)

#define UNIT_MEMEQ_(fatal, a, b, n)					\
	UNIT_CHECK_(fatal, !memcmp((a), (b), (n)),			\
		    "%s == %s (%zu bytes): %s", #a, #b, (size_t)(n),	\
		    unit_quote((a), (n)))

#define EXPECT_TRUE(c)		UNIT_TRUE_(0, c)
#define EXPECT_FALSE(c)		UNIT_FALSE_(0, c)
#define EXPECT_EQ(a, b)		UNIT_CMP_(0, a, ==, b)
#define EXPECT_NE(a, b)		UNIT_CMP_(0, a, !=, b)
#define EXPECT_LT(a, b)		UNIT_CMP_(0, a, <, b)
#define EXPECT_LE(a, b)		UNIT_CMP_(0, a, <=, b)
#define EXPECT_GT(a, b)		UNIT_CMP_(0, a, >, b)
#define EXPECT_GE(a, b)		UNIT_CMP_(0, a, >=, b)
#define EXPECT_PTR_EQ(a, b)	UNIT_PTREQ_(0, a, b)
#define EXPECT_NULL(p)		UNIT_CHECK_(0, (p) == NULL, "%s is not NULL", #p)
#define EXPECT_NOT_NULL(p)	UNIT_CHECK_(0, (p) != NULL, "%s is NULL", #p)
#define EXPECT_STREQ(a, b)	UNIT_STREQ_(0, a, b)
#define EXPECT_MEMEQ(a, b, n)	UNIT_MEMEQ_(0, a, b, n)

#define ASSERT_TRUE(c)		UNIT_TRUE_(1, c)
#define ASSERT_FALSE(c)		UNIT_FALSE_(1, c)
#define ASSERT_EQ(a, b)		UNIT_CMP_(1, a, ==, b)
#define ASSERT_NE(a, b)		UNIT_CMP_(1, a, !=, b)
#define ASSERT_PTR_EQ(a, b)	UNIT_PTREQ_(1, a, b)
#define ASSERT_NULL(p)		UNIT_CHECK_(1, (p) == NULL, "%s is not NULL", #p)
#define ASSERT_NOT_NULL(p)	UNIT_CHECK_(1, (p) != NULL, "%s is NULL", #p)
#define ASSERT_STREQ(a, b)	UNIT_STREQ_(1, a, b)

#endif /* KS3_UNIT_H */
