// SPDX-License-Identifier: GPL-2.0
/*
 * s3ctl's output helpers (userland/s3ctl/output.c): the aligned human
 * block, compact JSON, and what they do with awkward values.
 */
#include <errno.h>

#include "capture.h"
#include "output.h"
#include "unit.h"

TEST(human_block_is_aligned)
{
	struct s3ctl_record r;
	struct capture c;

	s3ctl_record_init(&r, false);
	s3ctl_record_str(&r, "version", "version", "0.1.0");
	s3ctl_record_u64(&r, "connections", "connections", 17);
	s3ctl_record_u64_text(&r, "uptime_ms", "uptime", 61000, "1m 1s");
	s3ctl_record_str(&r, "device", "device", NULL);	/* left out */
	EXPECT_EQ(s3ctl_record_print(&r, capture_start(&c)), 0);
	EXPECT_STREQ(capture_text(&c),
		     "version:     0.1.0\n"
		     "connections: 17\n"
		     "uptime:      1m 1s\n");
	capture_free(&c);
}

TEST(json_object_is_compact_and_ordered)
{
	struct s3ctl_record r;
	struct capture c;

	s3ctl_record_init(&r, true);
	s3ctl_record_str(&r, "version", "version", "0.1.0");
	s3ctl_record_u64(&r, "connections", "connections", 17);
	s3ctl_record_u64_text(&r, "uptime_ms", "uptime", 61000, "1m 1s");
	s3ctl_record_str(&r, "device", "device", NULL);
	EXPECT_EQ(s3ctl_record_print(&r, capture_start(&c)), 0);
	EXPECT_STREQ(capture_text(&c),
		     "{\"version\":\"0.1.0\",\"connections\":17,"
		     "\"uptime_ms\":61000,\"device\":null}\n");
	capture_free(&c);
}

TEST(json_keeps_u64_beyond_int64_as_string)
{
	struct s3ctl_record r;
	struct capture c;

	s3ctl_record_init(&r, true);
	s3ctl_record_u64(&r, "max", "max", UINT64_MAX);
	s3ctl_record_u64(&r, "big", "big", INT64_MAX);
	EXPECT_EQ(s3ctl_record_print(&r, capture_start(&c)), 0);
	EXPECT_STREQ(capture_text(&c),
		     "{\"max\":\"18446744073709551615\",\"big\":9223372036854775807}\n");
	capture_free(&c);
}

TEST(json_escapes_and_repairs_strings)
{
	struct s3ctl_record r;
	struct capture c;

	s3ctl_record_init(&r, true);
	s3ctl_record_str(&r, "quote", "q", "a\"b\\c\n");
	s3ctl_record_str(&r, "utf8", "u", "caf\xc3\xa9");
	s3ctl_record_str(&r, "latin1", "l", "caf\xe9-\xc3\xa9");
	EXPECT_EQ(s3ctl_record_print(&r, capture_start(&c)), 0);
	EXPECT_STREQ(capture_text(&c),
		     "{\"quote\":\"a\\\"b\\\\c\\n\",\"utf8\":\"caf\xc3\xa9\","
		     "\"latin1\":\"caf?-??\"}\n");
	capture_free(&c);
}

TEST(json_string_helper)
{
	json_t *j = s3ctl_json_string("\xff\xfe ok");

	ASSERT_NOT_NULL(j);
	EXPECT_STREQ(json_string_value(j), "?? ok");
	json_decref(j);
	j = s3ctl_json_string("");
	ASSERT_NOT_NULL(j);
	EXPECT_STREQ(json_string_value(j), "");
	json_decref(j);
}

TEST(human_text_escapes_control_characters)
{
	struct capture c;

	s3ctl_print_text(capture_start(&c), "a\tb\x1b[31m\x7f\xc3\xa9");
	EXPECT_STREQ(capture_text(&c), "a\\x09b\\x1b[31m\\x7f\xc3\xa9");
	capture_free(&c);
}

TEST(too_many_fields_fail_the_print)
{
	struct s3ctl_record r;
	struct capture c;
	unsigned int i;

	s3ctl_record_init(&r, false);
	for (i = 0; i <= S3CTL_RECORD_MAX; i++)
		s3ctl_record_u64(&r, "k", "k", i);
	EXPECT_EQ(s3ctl_record_print(&r, capture_start(&c)), -ENOMEM);
	EXPECT_STREQ(capture_text(&c), "");	/* nothing half-printed */
	capture_free(&c);
}

TEST(duplicate_json_key_last_wins)
{
	struct s3ctl_record r;
	struct capture c;

	s3ctl_record_init(&r, true);
	s3ctl_record_u64(&r, "k", "k", 1);
	s3ctl_record_u64(&r, "k", "k", 2);
	EXPECT_EQ(s3ctl_record_print(&r, capture_start(&c)), 0);
	EXPECT_STREQ(capture_text(&c), "{\"k\":2}\n");
	capture_free(&c);
}

TEST(free_without_print)
{
	struct s3ctl_record r;

	s3ctl_record_init(&r, false);
	s3ctl_record_str(&r, "a", "a", "x");
	s3ctl_record_free(&r);
	EXPECT_EQ(r.n, 0);
	s3ctl_record_init(&r, true);
	s3ctl_record_str(&r, "a", "a", "x");
	s3ctl_record_free(&r);
	EXPECT_NULL(r.obj);
}

static void expect_duration(uint64_t ms, const char *want, int line)
{
	char buf[64];

	s3ctl_format_duration(buf, sizeof(buf), ms);
	if (strcmp(buf, want))
		unit_fail(__FILE__, line, "%llu ms: \"%s\", want \"%s\"",
			  (unsigned long long)ms, buf, want);
}

TEST(durations)
{
	expect_duration(0, "0s", __LINE__);
	expect_duration(999, "0s", __LINE__);
	expect_duration(1000, "1s", __LINE__);
	expect_duration(59999, "59s", __LINE__);
	expect_duration(60000, "1m 0s", __LINE__);
	expect_duration(61000, "1m 1s", __LINE__);
	expect_duration(3600000, "1h 0m 0s", __LINE__);
	expect_duration(86399999, "23h 59m 59s", __LINE__);
	expect_duration(86400000, "1d 0h 0m 0s", __LINE__);
	expect_duration(90061000, "1d 1h 1m 1s", __LINE__);
	expect_duration(UINT64_MAX, "213503982334d 14h 25m 51s", __LINE__);
}

TEST(duration_truncates_to_buffer)
{
	char buf[4];

	s3ctl_format_duration(buf, sizeof(buf), 90061000);
	EXPECT_STREQ(buf, "1d ");
}
