/*
 * The child-process API against real programs: exit codes, signals,
 * timeouts, environment edits, a missing program (and how dbarena reads
 * it), and a child that floods both pipes at once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "child.h"
#include "docker.h"

static int
run_sh(const char *script, struct strbuf *out, struct strbuf *err,
    long long timeout, struct child *c)
{
	strvec_push(&c->argv, "sh");
	strvec_push(&c->argv, "-c");
	strvec_push(&c->argv, script);
	c->timeout_ms = timeout;
	return (child_capture(c, out, err));
}

static void
test_exit_codes(void **state)
{
	struct child	c = CHILD_INIT, d = CHILD_INIT;

	(void)state;
	assert_int_equal(run_sh("exit 3", NULL, NULL, 0, &c), 3);
	child_clear(&c);
	assert_int_equal(run_sh("kill -TERM $$", NULL, NULL, 0, &d), 143);
	child_clear(&d);
}

static void
test_capture_both(void **state)
{
	struct child	c = CHILD_INIT;
	struct strbuf	out = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	/* 1 MiB on each pipe: more than any pipe buffer holds. */
	assert_int_equal(run_sh("head -c 1048576 /dev/zero | tr '\\0' o; "
	    "head -c 1048576 /dev/zero | tr '\\0' e >&2; echo done",
	    &out, &err, 20000, &c), 0);
	assert_int_equal(out.len, 1048576 + 5);
	assert_int_equal(err.len, 1048576);
	child_clear(&c);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void
test_timeout_kills(void **state)
{
	struct child	c = CHILD_INIT;
	long long	t = now_ms();

	(void)state;
	assert_int_equal(run_sh("exec sleep 30", NULL, NULL, 300, &c), 137);
	assert_true(c.timed_out);
	assert_true(now_ms() - t < 5000);
	child_clear(&c);
}

/* Collected after its deadline, a child that ended in time did not time out. */
static void
test_collected_late(void **state)
{
	struct child	c = CHILD_INIT;
	struct strbuf	out = STRBUF_INIT;

	(void)state;
	strvec_push(&c.argv, "echo");
	strvec_push(&c.argv, "in time");
	c.timeout_ms = 200;
	assert_int_equal(child_start_capture(&c, 0), 0);
	sleep_ms(500);
	assert_int_equal(child_drain(&c, &out, NULL), 0);
	assert_false(c.timed_out);
	assert_string_equal(out.buf, "in time\n");
	child_clear(&c);
	strbuf_release(&out);
}

static void
test_environment(void **state)
{
	struct child	c = CHILD_INIT;
	struct strbuf	out = STRBUF_INIT;

	(void)state;
	setenv("DBARENA_TEST_GONE", "x", 1);
	strvec_push(&c.env, "DBARENA_TEST_SET=secret value");
	strvec_push(&c.env, "DBARENA_TEST_GONE");
	assert_int_equal(run_sh("echo \"$DBARENA_TEST_SET|"
	    "${DBARENA_TEST_GONE-unset}\"", &out, NULL, 5000, &c), 0);
	assert_string_equal(out.buf, "secret value|unset\n");
	child_clear(&c);
	strbuf_release(&out);
}

/*
 * Bytes on stdin from memory (what "docker cp -" reads): all of them,
 * more than a pipe holds, whatever the child's pace, a NUL included.
 */
static void
test_stdin_data(void **state)
{
	struct child	 c = CHILD_INIT;
	struct strbuf	 in = STRBUF_INIT, out = STRBUF_INIT;
	int		 i;

	(void)state;
	for (i = 0; i < 20000; i++)
		strbuf_addf(&in, "line %d\n", i);
	strbuf_add(&in, "\0end", 4);
	c.in = CHILD_DATA;
	c.in_data = in.buf;
	c.in_len = in.len;
	assert_int_equal(run_sh("sleep 0.1; wc -c", &out, NULL, 5000, &c), 0);
	assert_int_equal(strtol(out.buf, NULL, 10), (long)in.len);
	child_clear(&c);
	strbuf_release(&in);
	strbuf_release(&out);
}

/*
 * A program that is not installed: -1 with ENOENT, or, where the spawn
 * cannot report a failed exec (valgrind), exit 127 with nothing said.
 * Either way it must read as "not installed", never as a run that failed.
 */
static void
test_missing_program(void **state)
{
	struct child	c = CHILD_INIT;
	struct strbuf	err = STRBUF_INIT;
	int		rc, saved;

	(void)state;
	strvec_push(&c.argv, "dbarena-no-such-program");
	rc = child_capture(&c, NULL, &err);
	saved = errno;
	child_clear(&c);
	assert_true(rc == -1 || rc == 127);
	if (rc == -1)
		assert_int_equal(saved, ENOENT);
	else
		assert_int_equal(err.len, 0);
	errno = saved;
	assert_int_equal(docker_classify(rc, err.buf), DERR_MISSING);
	strbuf_release(&err);
}

/*
 * The 127 branch on every build, not only under valgrind: a silent 127
 * is a program that was not found; a 127 that says something is the
 * program's own failure (docker: the container's command not found).
 */
static void
test_exit_127(void **state)
{
	struct child	c = CHILD_INIT, d = CHILD_INIT;
	struct strbuf	err = STRBUF_INIT, err2 = STRBUF_INIT;

	(void)state;
	assert_int_equal(run_sh("exit 127", NULL, &err, 5000, &c), 127);
	assert_int_equal(err.len, 0);
	assert_int_equal(docker_classify(127, err.buf), DERR_MISSING);
	assert_int_equal(run_sh("echo 'exec: \"psql\": executable file not "
	    "found in $PATH' >&2; exit 127", NULL, &err2, 5000, &d), 127);
	assert_true(err2.len > 0);
	assert_int_not_equal(docker_classify(127, err2.buf), DERR_MISSING);
	child_clear(&c);
	child_clear(&d);
	strbuf_release(&err);
	strbuf_release(&err2);
}

/*
 * Several children side by side, as images pull runs them: each one's
 * stderr reaches its own buffer, stdout is dropped where asked, and one
 * past its deadline is killed while the other runs on.
 */
static void
test_poll_several(void **state)
{
	struct child	 a = CHILD_INIT, b = CHILD_INIT, *c[2];
	struct strbuf	 aerr = STRBUF_INIT, bout = STRBUF_INIT;
	struct strbuf	 berr = STRBUF_INIT, *out[2], *err[2];
	long long	 t = now_ms();

	(void)state;
	strvec_push(&a.argv, "sh");
	strvec_push(&a.argv, "-c");
	strvec_push(&a.argv, "echo dropped; echo a-err >&2");
	strvec_push(&b.argv, "sh");
	strvec_push(&b.argv, "-c");
	strvec_push(&b.argv, "echo b-out; echo b-err >&2; exec sleep 30");
	a.out = a.err = b.out = b.err = CHILD_PIPE;
	b.timeout_ms = 300;
	assert_int_equal(child_start(&a), 0);
	assert_int_equal(child_start(&b), 0);
	c[0] = &a;
	c[1] = &b;
	out[0] = NULL;
	err[0] = &aerr;
	out[1] = &bout;
	err[1] = &berr;
	while (!child_done(&a) || !child_done(&b)) {
		assert_true(now_ms() - t < 10000);
		child_poll(c, out, err, 2, 100);
	}
	assert_int_equal(child_finish(&a), 0);
	assert_int_equal(a.timed_out, 0);
	assert_int_equal(child_finish(&b), 128 + 9);
	assert_int_equal(b.timed_out, 1);
	assert_string_equal(aerr.buf, "a-err\n");
	assert_string_equal(bout.buf, "b-out\n");
	assert_string_equal(berr.buf, "b-err\n");
	child_clear(&a);
	child_clear(&b);
	strbuf_release(&aerr);
	strbuf_release(&bout);
	strbuf_release(&berr);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_capture_both),
		cmocka_unit_test(test_timeout_kills),
		cmocka_unit_test(test_collected_late),
		cmocka_unit_test(test_environment),
		cmocka_unit_test(test_stdin_data),
		cmocka_unit_test(test_missing_program),
		cmocka_unit_test(test_exit_127),
		cmocka_unit_test(test_poll_several),
	};

	return (cmocka_run_group_tests_name("child", tests, NULL, NULL));
}
