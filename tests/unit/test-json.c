/* The JSON writer and the row emitter: commas, nesting, escaping, tables. */
#include <sys/wait.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "json.h"
#include "rows.h"

/* Commas and colons come from where a value is, at any depth. */
static void
test_nesting(void **state)
{
	struct json_writer	jw = JSON_WRITER_INIT;

	(void)state;
	jw_object_begin(&jw, NULL);
	jw_string(&jw, "a", "x");
	jw_int(&jw, "n", -42);
	jw_object_begin(&jw, "empty");
	jw_end(&jw);
	jw_array_begin(&jw, "list");
	jw_string(&jw, NULL, "1");
	jw_string(&jw, NULL, NULL);
	jw_bool(&jw, NULL, 1);
	jw_array_begin(&jw, NULL);
	jw_end(&jw);
	jw_object_begin(&jw, NULL);
	jw_bool(&jw, "f", 0);
	jw_end(&jw);
	jw_end(&jw);
	jw_double(&jw, "s", 1, 2.25);
	jw_raw(&jw, "raw", "{\"k\":[]}");
	jw_string(&jw, "null", NULL);
	jw_string(&jw, "empty_string", "");
	jw_end(&jw);
	assert_string_equal(jw.json.buf, "{\"a\":\"x\",\"n\":-42,\"empty\":{},"
	    "\"list\":[\"1\",null,true,[],{\"f\":false}],\"s\":2.2,"
	    "\"raw\":{\"k\":[]},\"null\":null,\"empty_string\":\"\"}");
	assert_int_equal(jw.open.len, 0);
	jw_release(&jw);
	jw_array_begin(&jw, NULL);
	jw_end(&jw);
	assert_string_equal(jw.json.buf, "[]");
	jw_release(&jw);
}

/*
 * Keys and values escaped as strbuf_add_json_string has always done it:
 * quotes, backslashes and controls escaped, UTF-8 kept, each stray byte
 * U+FFFD, so that any label or password still gives valid JSON.
 */
static void
test_escaping(void **state)
{
	struct json_writer	jw = JSON_WRITER_INIT;

	(void)state;
	jw_object_begin(&jw, NULL);
	jw_string(&jw, "k\"\\\n", "a\"b\\c\nd\x01\t\r\x1b\x7f");
	jw_string(&jw, "caf\xc3\xa9", "\xe2\x82\xac\xff\xc3");
	jw_end(&jw);
	assert_string_equal(jw.json.buf, "{\"k\\\"\\\\\\n\":"
	    "\"a\\\"b\\\\c\\nd\\u0001\\t\\r\\u001b\x7f\","
	    "\"caf\xc3\xa9\":\"\xe2\x82\xac\\ufffd\\ufffd\"}");
	jw_release(&jw);
}

/* A key where none belongs, or none where one does, dies loudly. */
static void
misuse(void (*fn)(struct json_writer *))
{
	struct json_writer	jw = JSON_WRITER_INIT;
	pid_t			pid;
	int			status;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		freopen("/dev/null", "w", stderr);
		fn(&jw);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
}

static void
key_in_array(struct json_writer *jw)
{
	jw_array_begin(jw, NULL);
	jw_int(jw, "k", 1);
}

static void
no_key_in_object(struct json_writer *jw)
{
	jw_object_begin(jw, NULL);
	jw_int(jw, NULL, 1);
}

static void
end_too_often(struct json_writer *jw)
{
	jw_array_begin(jw, NULL);
	jw_end(jw);
	jw_end(jw);
}

static void
two_at_top(struct json_writer *jw)
{
	jw_int(jw, NULL, 1);
	jw_int(jw, NULL, 2);
}

static void
test_misuse(void **state)
{
	(void)state;
	misuse(key_in_array);
	misuse(no_key_in_object);
	misuse(end_too_often);
	misuse(two_at_top);
}

static const struct column cols[] = {
	{ "NAME", 6, "name", 0 },
	{ NULL, 0, "volume", 0 },
	{ "FILE", 8, NULL, COL_VERBATIM },
	{ "UP", 4, "up", 0 },
	{ NULL, 0, "tags", 0 },
	{ "PORT", 0, "port", 0 },
};

static void
add_rows(struct rows *r)
{
	struct strvec	tags = STRVEC_INIT, none = STRVEC_INIT;

	strvec_push(&tags, "a");
	strvec_push(&tags, "b\"");
	rows_str(r, "db1");
	rows_str(r, NULL);
	rows_str(r, "x\ty");
	rows_bool(r, 1);
	rows_strv(r, &tags);
	rows_int(r, 5432);
	/* Labels are anyone's: a tab or newline cannot forge a row. */
	rows_str(r, "a\nb\tc");
	rows_str(r, "");
	rows_str(r, "f");
	rows_bool(r, 0);
	rows_strv(r, &none);
	rows_int(r, -1);
	strvec_clear(&tags);
}

static void
test_rows(void **state)
{
	struct rows	r;
	struct strbuf	out = STRBUF_INIT;

	(void)state;
	rows_init(&r, cols, sizeof cols / sizeof cols[0]);
	add_rows(&r);
	rows_emit(&r, FORMAT_TEXT, &out);
	assert_string_equal(out.buf,
	    "NAME   FILE     UP   PORT\n"
	    "db1    x\ty      yes  5432\n"
	    "a\\nb\\tc f        no   -1\n");
	strbuf_reset(&out);
	rows_emit(&r, FORMAT_JSON, &out);
	assert_string_equal(out.buf,
	    "[{\"name\":\"db1\",\"volume\":null,\"up\":true,"
	    "\"tags\":[\"a\",\"b\\\"\"],\"port\":5432},"
	    "{\"name\":\"a\\nb\\tc\",\"volume\":\"\",\"up\":false,"
	    "\"tags\":[],\"port\":-1}]\n");
	rows_release(&r);
	strbuf_release(&out);
}

/* No rows: the header alone, or an empty array. */
static void
test_rows_empty(void **state)
{
	struct rows	r;
	struct strbuf	out = STRBUF_INIT;

	(void)state;
	rows_init(&r, cols, sizeof cols / sizeof cols[0]);
	rows_emit(&r, FORMAT_TEXT, &out);
	assert_string_equal(out.buf, "NAME   FILE     UP   PORT\n");
	strbuf_reset(&out);
	rows_emit(&r, FORMAT_JSON, &out);
	assert_string_equal(out.buf, "[]\n");
	rows_release(&r);
	strbuf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_rows_empty),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
