/* strbuf, strvec, quoting and the option value parsers. */
#include <string.h>

#include "unit.h"
#include "util.h"

static void
test_strbuf_basics(void **state)
{
	struct strbuf	sb = STRBUF_INIT;
	char		*p;
	int		 i;

	(void)state;
	assert_string_equal(sb.buf, "");
	for (i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i);
	assert_int_equal(sb.len, strlen(sb.buf));
	assert_memory_equal(sb.buf, "0,1,2,", 6);
	strbuf_reset(&sb);
	strbuf_adds(&sb, "  hello \n");
	strbuf_rtrim(&sb);
	assert_string_equal(sb.buf, "  hello");
	strbuf_remove(&sb, 0, 2);
	assert_string_equal(sb.buf, "hello");
	p = strbuf_detach(&sb);
	assert_string_equal(p, "hello");
	assert_string_equal(sb.buf, "");
	free(p);
	strbuf_release(&sb);
}

static void
test_shell_quote(void **state)
{
	struct strbuf	sb = STRBUF_INIT;

	(void)state;
	strbuf_add_shell_quoted(&sb, "plain-word_1.0:x=y");
	assert_string_equal(sb.buf, "plain-word_1.0:x=y");
	strbuf_reset(&sb);
	strbuf_add_shell_quoted(&sb, "it's $(rm -rf /); `x`");
	assert_string_equal(sb.buf, "'it'\\''s $(rm -rf /); `x`'");
	strbuf_reset(&sb);
	strbuf_add_shell_quoted(&sb, "");
	assert_string_equal(sb.buf, "''");
	strbuf_release(&sb);
}

static void
test_json_string(void **state)
{
	struct strbuf	sb = STRBUF_INIT;

	(void)state;
	strbuf_add_json_string(&sb, "a\"b\\c\nd\x01");
	assert_string_equal(sb.buf, "\"a\\\"b\\\\c\\nd\\u0001\"");
	strbuf_release(&sb);
}

/*
 * JSON output is valid UTF-8 whatever the bytes: a password with 0xFF in
 * it once made "--format json" unparseable. Well-formed characters pass
 * as they are; each stray byte becomes U+FFFD.
 */
static void
test_json_utf8(void **state)
{
	static const struct {
		const char	*in, *want;
	} cases[] = {
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x98",
		    "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x98\"" },
		{ "a\xff" "b", "\"a\\ufffdb\"" },
		/* truncated, overlong, a surrogate, past U+10FFFF */
		{ "\xc3", "\"\\ufffd\"" },
		{ "\xc0\xaf", "\"\\ufffd\\ufffd\"" },
		{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },
		{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
		{ "\xe2\x82x", "\"\\ufffd\\ufffdx\"" },
		{ "tab\there\x1b[2J\x7f", "\"tab\\there\\u001b[2J\x7f\"" },
	};
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		strbuf_reset(&sb);
		strbuf_add_json_string(&sb, cases[i].in);
		assert_string_equal(sb.buf, cases[i].want);
	}
	assert_int_equal(utf8_len("\xf0\x9f\x90\x98"), 4);
	assert_int_equal(utf8_len("\xf0\x9f\x90"), 0);
	assert_int_equal(utf8_len(""), 0);
	strbuf_release(&sb);
}

/*
 * Table text: no value forges a line or reaches the terminal as a control
 * sequence; printable text, backslashes and all, is left alone.
 */
static void
test_escaped(void **state)
{
	struct strbuf	sb = STRBUF_INIT, cell = STRBUF_INIT;

	(void)state;
	strbuf_add_escaped(&sb, "a\tb\n2\r\x1b[31m\x7f\xff\xc2\x9b"
	    "caf\xc3\xa9 C:\\x");
	assert_string_equal(sb.buf, "a\\tb\\n2\\r\\x1b[31m\\x7f\\xff\\u009b"
	    "caf\xc3\xa9 C:\\x");
	assert_string_equal(strbuf_escaped(&cell, "x\ny"), "x\\ny");
	assert_string_equal(strbuf_escaped(&cell, NULL), "");
	assert_string_equal(strbuf_escaped(&cell, "plain"), "plain");
	strbuf_release(&sb);
	strbuf_release(&cell);
}

static void
test_split(void **state)
{
	struct strvec	 sv = STRVEC_INIT;
	char		*err = NULL;

	(void)state;
	assert_int_equal(strvec_split(&sv,
	    "sqlcmd -Q \"SELECT 1\"  -x 'a b'c", &err), 0);
	assert_int_equal(sv.n, 5);
	assert_string_equal(sv.v[2], "SELECT 1");
	assert_string_equal(sv.v[3], "-x");
	assert_string_equal(sv.v[4], "a bc");
	strvec_clear(&sv);
	/* A failed split leaves what was there, and only that. */
	strvec_push(&sv, "kept");
	assert_int_equal(strvec_split(&sv, "a b 'c", &err), -1);
	assert_non_null(err);
	assert_int_equal(sv.n, 1);
	assert_string_equal(sv.v[0], "kept");
	assert_null(sv.v[1]);
	free(err);
	strvec_clear(&sv);
	assert_int_equal(strvec_split(&sv, "   ", NULL), 0);
	assert_int_equal(sv.n, 0);
	strvec_clear(&sv);
}

static void
test_parsers(void **state)
{
	unsigned long long	sz;
	unsigned long		u;
	long long		ms;
	char			buf[32];

	(void)state;
	assert_int_equal(parse_size("512m", &sz), 0);
	assert_true(sz == 512ULL * 1024 * 1024);
	assert_int_equal(parse_size("1.5g", &sz), -1);
	assert_int_equal(parse_size("2GB", &sz), 0);
	format_size(sz, buf, sizeof buf);
	assert_string_equal(buf, "2g");
	assert_int_equal(parse_size("1536m", &sz), 0);
	format_size(sz, buf, sizeof buf);
	assert_string_equal(buf, "1536m");
	format_size(1000, buf, sizeof buf);
	assert_string_equal(buf, "1000");
	assert_int_equal(parse_size("-1m", &sz), -1);
	assert_int_equal(parse_size("12q", &sz), -1);
	assert_int_equal(parse_size("", &sz), -1);
	assert_int_equal(parse_size("0", &sz), -1);
	assert_int_equal(parse_uint("5432", 1, 65535, &u), 0);
	assert_int_equal(u, 5432);
	assert_int_equal(parse_uint("70000", 1, 65535, &u), -1);
	assert_int_equal(parse_uint("12a", 1, 65535, &u), -1);
	assert_int_equal(parse_duration_ms("90", &ms), 0);
	assert_true(ms == 90000);
	assert_int_equal(parse_duration_ms("500ms", &ms), 0);
	assert_true(ms == 500);
	assert_int_equal(parse_duration_ms("2m", &ms), 0);
	assert_true(ms == 120000);
	assert_int_equal(parse_duration_ms("2 m", &ms), -1);
	assert_true(valid_name("dbarena-postgres-16-ab12"));
	assert_true(valid_name("a.b_c-d"));
	assert_false(valid_name("-lead"));
	assert_false(valid_name("semi;colon"));
	assert_false(valid_name("$(x)"));
	assert_false(valid_name(""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strbuf_basics),
		cmocka_unit_test(test_shell_quote),
		cmocka_unit_test(test_json_string),
		cmocka_unit_test(test_json_utf8),
		cmocka_unit_test(test_escaped),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_parsers),
	};

	return (cmocka_run_group_tests_name("strbuf", tests, NULL, NULL));
}
