/*
 * Profile and engine loading: every kind of bad file is an error that
 * names FILE:LINE and the key; inheritance merges and says where each
 * value came from; loops are caught.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "config.h"

static char	tmpdir[] = "/tmp/dbarena-test-config-XXXXXX";

static char *
write_profile(const char *name, const char *text)
{
	char	*path;
	FILE	*f;

	path = xasprintf("%s/dbarena/profiles/%s.ini", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return (path);
}

static int
setup(void **state)
{
	char	*d;

	(void)state;
	if (mkdtemp(tmpdir) == NULL)
		return (-1);
	d = xasprintf("mkdir -p %s/dbarena/profiles %s/dbarena/engines",
	    tmpdir, tmpdir);
	if (system(d) != 0)
		return (-1);
	free(d);
	setenv("XDG_CONFIG_HOME", tmpdir, 1);
	config_set_dirs("/nonexistent", NULL);
	return (0);
}

static int
teardown(void **state)
{
	char	*d = xasprintf("rm -rf %s", tmpdir);

	(void)state;
	if (system(d) != 0)
		return (-1);
	free(d);
	return (0);
}

static void
expect_error(const char *name, const char *text, const char *want)
{
	struct profile	 pr;
	char		*err = NULL, *path;

	path = write_profile(name, text);
	assert_int_equal(profile_load(path, &pr, &err), -1);
	assert_non_null(err);
	if (strstr(err, want) == NULL)
		fail_msg("error '%s' lacks '%s'", err, want);
	free(err);
	free(path);
}

static void
test_unknown_key(void **state)
{
	char	*want;

	(void)state;
	want = xasprintf("%s/dbarena/profiles/u.ini:3: unknown key 'fsnyc' "
	    "in [server]", tmpdir);
	expect_error("u", "[server]\ndurability = off\nfsnyc = off\n", want);
	free(want);
	expect_error("s", "[nosuch]\nkey = 1\n", ":2: unknown key 'key' in "
	    "[nosuch]");
}

static void
test_bad_values(void **state)
{
	(void)state;
	expect_error("b1", "[storage]\ntype = floppy\n", ":2: bad value "
	    "'floppy' for 'type' in [storage]: expected one of "
	    "tmpfs|volume|container");
	expect_error("b2", "[resources]\nmemory = lots\n",
	    "expected a memory size of 6m or more");
	expect_error("b2m", "[resources]\nmemory = 5m\n",
	    "expected a memory size of 6m or more");
	expect_error("b2r", "[image]\nregistry = -x\n",
	    "expected a registry host");
	expect_error("b3", "[cdc]\nslots = 0\n", "a whole number from 1-1000");
	expect_error("b4", "[health]\ntimeout = soon\n", "a duration");
	expect_error("b5", "[server]\nflags = -c 'x\n", "unterminated");
	expect_error("b6", "[environment]\nBAD-NAME = 1\n",
	    "bad environment variable name");
	expect_error("b6a", "[environment]\n1BAD = 1\n",
	    ":2: bad environment variable name '1BAD'");
	expect_error("b7", "[server]\ndurability = on\ndurability = off\n",
	    ":3: duplicate key 'durability'");
	expect_error("b8", "[environment]\nA = 1\nA = 2\n",
	    ":3: duplicate key 'A' in [environment]");
	expect_error("b9", "[health]\ntimeout = 0\n", "a duration");
	expect_error("b10", "[profile]\ninherits = other.ini\n",
	    "expected a profile name (not a file)");
	expect_error("b11", "[resources]\nmemory = 1.5g\n", "a memory size");
}

static void
test_malformed(void **state)
{
	struct strbuf	 big = STRBUF_INIT;
	int		 i;

	(void)state;
	expect_error("m1", "[server\ndurability = on\n", ":1: syntax error");
	expect_error("m2", "[server]\njust words\n", ":2: syntax error");
	for (i = 0; i < 300; i++)
		strbuf_addch(&big, 'x');
	{
		char	*t = xasprintf("[profile]\ndescription = %s\n",
		    big.buf);

		expect_error("m3", t, ":2: line longer than");
		free(t);
	}
	strbuf_reset(&big);
	for (i = 0; i < 30000; i++)
		strbuf_adds(&big, "; comment\n");
	expect_error("m4", big.buf, "larger than");
	strbuf_release(&big);
}

static void
test_binary(void **state)
{
	struct profile	 pr;
	char		*err = NULL, *path;
	FILE		*f;

	(void)state;
	path = xasprintf("%s/dbarena/profiles/bin.ini", tmpdir);
	f = fopen(path, "w");
	fwrite("[server]\0\x01\x02", 1, 11, f);
	fclose(f);
	assert_int_equal(profile_load(path, &pr, &err), -1);
	assert_non_null(strstr(err, "binary file"));
	free(err);
	free(path);
}

static void
test_inherit(void **state)
{
	struct profile	 pr;
	char		*err = NULL, *p1, *p2;

	(void)state;
	p1 = write_profile("base", "[server]\ndurability = on\n"
	    "[resources]\nmemory = 1g\n[environment]\nA = base\nB = base\n");
	p2 = write_profile("child", "[profile]\ninherits = base\n"
	    "[resources]\nmemory = 2g\n[environment]\nB = child\n");
	assert_int_equal(profile_load("child", &pr, &err), 0);
	assert_string_equal(pr.set[P_MEMORY].value, "2g");
	assert_non_null(strstr(pr.set[P_MEMORY].origin, "child.ini:4"));
	assert_string_equal(pr.set[P_DURABILITY].value, "on");
	assert_non_null(strstr(pr.set[P_DURABILITY].origin, "base.ini:2"));
	assert_string_equal(kvlist_get(&pr.env, "A"), "base");
	assert_string_equal(kvlist_get(&pr.env, "B"), "child");
	profile_free(&pr);
	free(p1);
	free(p2);
}

static void
test_inherit_own_name(void **state)
{
	struct profile	 pr;
	char		*err = NULL, *p;

	(void)state;
	/* A user's fast.ini that extends the shipped fast.ini. */
	p = write_profile("fast", "[profile]\ninherits = fast\n"
	    "[resources]\ncpus = 2\n");
	assert_int_equal(profile_load("fast", &pr, &err), 0);
	assert_string_equal(pr.set[P_CPUS].value, "2");
	assert_string_equal(pr.set[P_STORAGE].value, "tmpfs");
	profile_free(&pr);
	unlink(p);
	free(p);
}

static void
test_loop(void **state)
{
	struct profile	 pr;
	char		*err = NULL, *p1, *p2;

	(void)state;
	p1 = write_profile("loop-a", "[profile]\ninherits = loop-b\n");
	p2 = write_profile("loop-b", "[profile]\ninherits = loop-a\n");
	assert_int_equal(profile_load("loop-a", &pr, &err), -1);
	assert_non_null(strstr(err, "inheritance loop"));
	free(err);
	err = NULL;
	assert_int_equal(profile_load("no-such-profile", &pr, &err), -1);
	assert_non_null(strstr(err, "unknown profile 'no-such-profile'"));
	free(err);
	err = NULL;
	/* An unknown parent is reported at the line that names it. */
	free(write_profile("orphan", "[profile]\n\ninherits = gone\n"));
	assert_int_equal(profile_load("orphan", &pr, &err), -1);
	assert_non_null(strstr(err, "orphan.ini:3: inherits: unknown profile "
	    "'gone'"));
	free(err);
	free(p1);
	free(p2);
}

/*
 * Every shipped file of a kind loads: found in the data directory (the
 * last on the search path; the tests' own files are in the first), not
 * listed here. Returns how many there are.
 */
static size_t
load_shipped(const char *kind)
{
	struct strvec	 dirs = STRVEC_INIT, names = STRVEC_INIT;
	struct strvec	 paths = STRVEC_INIT;
	struct profile	 pr;
	struct engine	 e;
	const char	*shipped;
	char		*err = NULL;
	size_t		 i, n = 0;
	int		 rc;

	config_search_dirs(kind, &dirs);
	shipped = dirs.v[dirs.n - 1];
	config_list(kind, &names, &paths);
	for (i = 0; i < names.n; i++) {
		if (strncmp(paths.v[i], shipped, strlen(shipped)) != 0)
			continue;
		if (strcmp(kind, "engines") == 0) {
			if ((rc = engine_load(paths.v[i], &e, &err)) == 0)
				engine_free(&e);
		} else if ((rc = profile_load(paths.v[i], &pr, &err)) == 0)
			profile_free(&pr);
		if (rc != 0)
			fail_msg("%s", err);
		n++;
	}
	strvec_clear(&dirs);
	strvec_clear(&names);
	strvec_clear(&paths);
	return (n);
}

static void
test_shipped(void **state)
{
	(void)state;
	assert_true(load_shipped("profiles") > 0);
	assert_true(load_shipped("engines") > 0);
}

static void
test_engine_versions(void **state)
{
	const struct engine_version	*v;
	struct engine			 e;
	char				*err = NULL;

	(void)state;
	assert_int_equal(engine_load("postgres", &e, &err), 0);
	v = engine_find_version(&e, "18");
	assert_non_null(v);
	assert_string_equal(engine_get(&e, E_DATA_DIR, v),
	    "/var/lib/postgresql/18/docker");
	v = engine_find_version(&e, "16");
	assert_string_equal(v->tag.value, "16-alpine");
	assert_string_equal(engine_get(&e, E_DATA_DIR, v),
	    "/var/lib/postgresql/data");
	assert_null(engine_find_version(&e, "9.6"));
	engine_free(&e);
}

static void
test_engine_errors(void **state)
{
	struct engine	 e;
	char		*err = NULL, *path;
	FILE		*f;

	(void)state;
	path = xasprintf("%s/dbarena/engines/bad.ini", tmpdir);
	f = fopen(path, "w");
	fputs("[engine]\nimage = x\nport = 5432\ndata_dir = /d\n"
	    "default_version = 1\n[version \"2\"]\ntag = 2\n", f);
	fclose(f);
	assert_int_equal(engine_load("bad", &e, &err), -1);
	assert_non_null(strstr(err, "default_version '1' has no"));
	free(err);
	f = fopen(path, "w");
	fputs("[engine]\nimage = x\nready_log = (unclosed\n", f);
	fclose(f);
	assert_int_equal(engine_load("bad", &e, &err), -1);
	assert_non_null(strstr(err, "bad.ini:3: bad value"));
	free(err);
	f = fopen(path, "w");
	fputs("[engine]\nimage = x\n", f);
	fclose(f);
	assert_int_equal(engine_load("bad", &e, &err), -1);
	assert_non_null(strstr(err, "missing key 'default_version'"));
	free(err);
	assert_int_equal(engine_load("../etc/passwd", &e, &err), -1);
	free(err);
	free(path);
}

/* An engine file of text; its load fails with an error holding want. */
static void
expect_engine_error(const char *text, const char *want)
{
	struct engine	 e;
	char		*err = NULL, *path;
	FILE		*f;

	path = xasprintf("%s/dbarena/engines/bad.ini", tmpdir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(engine_load("bad", &e, &err), -1);
	assert_non_null(err);
	if (strstr(err, want) == NULL)
		fail_msg("error '%s' lacks '%s'", err, want);
	free(err);
	free(path);
}

#define ENGINE_HEAD	"[engine]\nimage = x\nport = 1\ndata_dir = /d\n" \
	"default_version = 1\n[version \"1\"]\ntag = 1\n"

/* What C used to know: the host client, the probe's user, init errors. */
static void
test_engine_client_keys(void **state)
{
	struct engine	 e;
	char		*err = NULL;

	(void)state;
	assert_int_equal(engine_load("postgres", &e, &err), 0);
	assert_string_equal(e.set[E_LOCAL_CLIENT].value, "psql");
	assert_string_equal(e.set[E_LOCAL_PACKAGE].value,
	    "postgresql-client");
	assert_string_equal(e.set[E_USER].value, "postgres");
	assert_non_null(strstr(e.set[E_INIT_ERROR].value, "(<stdin>)"));
	engine_free(&e);
	assert_int_equal(engine_load("mysql", &e, &err), 0);
	assert_string_equal(e.set[E_LOCAL_CLIENT].value, "mariadb mysql");
	engine_free(&e);
	/* All optional: SQL Server's client is in no Debian package. */
	assert_int_equal(engine_load("sqlserver", &e, &err), 0);
	assert_null(e.set[E_LOCAL_CLIENT].value);
	assert_null(e.set[E_LOCAL_PACKAGE].value);
	engine_free(&e);
}

static void
test_engine_client_errors(void **state)
{
	(void)state;
	expect_engine_error(ENGINE_HEAD
	    "[client]\nlocal_client = /usr/bin/psql\n",
	    "bad.ini:9: bad value '/usr/bin/psql' for 'local_client' in "
	    "[client]: expected program names without a path");
	expect_engine_error(ENGINE_HEAD "[client]\nlocal_client = -x\n",
	    "expected program names without a path");
	expect_engine_error(ENGINE_HEAD "[client]\nlocal_client = ''\n",
	    "expected program names without a path");
	expect_engine_error(ENGINE_HEAD "[client]\nlocal_client = psql\n"
	    "local_package = Postgres_Client\n", "bad.ini:10: bad value "
	    "'Postgres_Client' for 'local_package' in [client]: expected a "
	    "package name such as postgresql-client");
	expect_engine_error(ENGINE_HEAD "[client]\nlocal_package = x-client\n",
	    "bad.ini:9: local_package names no client: missing key "
	    "'local_client' in [client]");
	expect_engine_error(ENGINE_HEAD "[client]\ninit_error = ^(a)(b)\n",
	    "expected a PCRE2 pattern with at most 1 capture group");
	expect_engine_error(ENGINE_HEAD "[client]\ninit_error = (unclosed\n",
	    "bad.ini:9: bad value '(unclosed' for 'init_error'");
	/* The option file is made in dbarena's directory, never beside it. */
	expect_engine_error(ENGINE_HEAD "[client]\noption_file = ../my.cnf\n"
	    "option_text = x\n", "bad.ini:9: bad value '../my.cnf' for "
	    "'option_file' in [client]: expected a file name without a "
	    "directory");
	expect_engine_error(ENGINE_HEAD "[client]\noption_file = ..\n"
	    "option_text = x\n", "expected a file name without a directory");
	expect_engine_error(ENGINE_HEAD "[client]\noption_file = my.cnf\n",
	    "an option file needs its name and its text: missing key "
	    "'option_text or exec_option_text' in [client]");
	expect_engine_error(ENGINE_HEAD "[client]\noption_text = x\n",
	    "missing key 'option_file'");
	expect_engine_error(ENGINE_HEAD "[client]\noption_file = f\n"
	    "option_file = g\noption_text = x\n", "duplicate key 'option_file'");
}

/*
 * option_text is a file's text: its continuation lines stay lines (a
 * section header among them), where a word list's become one line.
 */
static void
test_engine_option_text(void **state)
{
	struct engine	 e;
	char		*err = NULL, *path;
	FILE		*f;

	(void)state;
	path = xasprintf("%s/dbarena/engines/opt.ini", tmpdir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(ENGINE_HEAD "[client]\noption_file = my.cnf\n"
	    "option_text = [client]\n\tuser=\"{user}\"\n"
	    "\t[mysql]\n\tdatabase=\"{database}\"\n"
	    "env = A=1\n\tB=2\n", f);
	fclose(f);
	if (engine_load("opt", &e, &err) != 0)
		fail_msg("%s", err);
	assert_string_equal(e.set[E_OPTION_FILE].value, "my.cnf");
	assert_string_equal(e.set[E_OPTION_TEXT].value, "[client]\n"
	    "user=\"{user}\"\n[mysql]\ndatabase=\"{database}\"");
	assert_string_equal(e.set[E_ENV].value, "A=1 B=2");
	engine_free(&e);
	free(path);
}

static void
test_engine_probe(void **state)
{
	(void)state;
	/* The probe kinds are probe.c's table, and so is the message. */
	expect_engine_error(ENGINE_HEAD "[engine]\nprobe = oracle\n",
	    "expected one of postgres|mysql|tds|none");
	/* No "postgres" in C any more: the file names the probe's login. */
	expect_engine_error("[engine]\nimage = x\nport = 1\ndata_dir = /d\n"
	    "probe = postgres\ndefault_version = 1\n[version \"1\"]\ntag = 1\n",
	    "bad.ini:5: probe 'postgres' logs in as the default user: missing "
	    "key 'user' in [credentials]");
}

/* What init_error_line makes of a client's output with a shipped pattern. */
static const char *
shipped_error_line(const char *engine, const char *text, const char *file,
    struct strbuf *line)
{
	struct engine	 e;
	const char	*end;
	char		*err = NULL;

	if (engine_load(engine, &e, &err) != 0)
		fail_msg("%s", err);
	end = init_error_line(e.set[E_INIT_ERROR].value, text, file, line);
	engine_free(&e);
	return (end);
}

/* Clients' output, the line the engine files' init_error finds, the rest. */
static void
test_init_error_line(void **state)
{
	static const char psql[] = "psql:<stdin>:2: NOTICE:  table \"t\" "
	    "does not exist, skipping\npsql:<stdin>:3: ERROR:  syntax error "
	    "at or near \"SELEC\"\nLINE 1: SELEC 1;\n        ^\n";
	static const char maria[] = "ERROR 1064 (42000) at line 2: You have "
	    "an error in your SQL syntax\n";
	static const char sqlcmd[] = "starting\nMsg 102, Level 15, State 1, "
	    "Server x, Line 2\nIncorrect syntax near 'SELEC'.\n";
	struct strbuf	 line = STRBUF_INIT;
	const char	*end;

	(void)state;
	end = shipped_error_line("postgres", psql, "bad.sql", &line);
	assert_string_equal(line.buf, "psql:bad.sql:3: ERROR:  syntax error "
	    "at or near \"SELEC\"");
	assert_true(strncmp(end, "\nLINE 1: SELEC 1;", 17) == 0);
	end = shipped_error_line("mariadb", maria, "m.sql", &line);
	assert_string_equal(line.buf, "ERROR 1064 (42000) at line 2: You have "
	    "an error in your SQL syntax");
	assert_string_equal(end, "\n");
	shipped_error_line("mysql", maria, "m.sql", &line);
	assert_string_equal(line.buf, "ERROR 1064 (42000) at line 2: You have "
	    "an error in your SQL syntax");
	end = shipped_error_line("sqlserver", sqlcmd, "s.sql", &line);
	assert_string_equal(line.buf, "Msg 102, Level 15, State 1, Server x, "
	    "Line 2");
	assert_string_equal(end, "\nIncorrect syntax near 'SELEC'.\n");
	/* No pattern, or no match: the first line that is not blank. */
	init_error_line(NULL, "\n  \nsomething broke\nmore\n", "x.sql", &line);
	assert_string_equal(line.buf, "something broke");
	shipped_error_line("postgres", "psql: error: connection failed\n",
	    "x.sql", &line);
	assert_string_equal(line.buf, "psql: error: connection failed");
	init_error_line("^ERROR", "", "x.sql", &line);
	assert_string_equal(line.buf, "");
	strbuf_release(&line);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_inherit),
		cmocka_unit_test(test_inherit_own_name),
		cmocka_unit_test(test_loop),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_engine_versions),
		cmocka_unit_test(test_engine_errors),
		cmocka_unit_test(test_engine_client_keys),
		cmocka_unit_test(test_engine_client_errors),
		cmocka_unit_test(test_engine_option_text),
		cmocka_unit_test(test_engine_probe),
		cmocka_unit_test(test_init_error_line),
	};

	return (cmocka_run_group_tests_name("config", tests, setup, teardown));
}
