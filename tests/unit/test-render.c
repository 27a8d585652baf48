/*
 * The renderer: a golden file for every engine x profile pair there is
 * (found as dbarena finds them, so a new engine file gets goldens without
 * a line of C; UPDATE_GOLDEN=1 writes them, review the diff; GOLDEN_DIR
 * points elsewhere than tests/golden), and the properties the issue
 * tracker promised users, asserted directly.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "config.h"
#include "render.h"


static void
fixed_opts(struct create_opts *o)
{
	memset(o, 0, sizeof *o);
	o->name = "golden";
	o->created = "2026-01-01T00:00:00Z";
	o->port = 15000;
	o->owner = "0123456789abcdef0123456789abcdef";
}

/* 0, or -1 with the renderer's message in *why (when why is not NULL). */
static int
render_pair_why(const char *en, const char *pn, const struct create_opts *o,
    struct plan *pl, char **why)
{
	struct engine	 e;
	struct profile	 pr;
	char		*err = NULL;
	int		 rc;

	if (engine_load(en, &e, &err) != 0)
		fail_msg("%s", err);
	if (profile_load(pn, &pr, &err) != 0)
		fail_msg("%s", err);
	rc = render(&e, &pr, o, pl, &err);
	if (rc != 0 && why != NULL)
		*why = err;
	else if (rc != 0)
		free(err);
	engine_free(&e);
	profile_free(&pr);
	return (rc);
}

static int
render_pair(const char *en, const char *pn, const struct create_opts *o,
    struct plan *pl)
{
	return (render_pair_why(en, pn, o, pl, NULL));
}

/*
 * The docker arguments a plan runs, as the adapter writes them: refilled
 * on every call, so a pointer into it lasts until the next.
 */
static const struct strvec *
run_argv(const struct plan *pl)
{
	static struct strvec	argv = STRVEC_INIT;

	strvec_clear(&argv);
	docker_run_argv(&pl->run, &argv);
	return (&argv);
}

static const struct strvec *
volume_argv(const struct plan *pl)
{
	static struct strvec	argv = STRVEC_INIT;

	strvec_clear(&argv);
	if (pl->volume.name != NULL)
		docker_volume_create_args(&argv, &pl->volume);
	return (&argv);
}

static void
dump(struct strbuf *sb, const struct plan *pl)
{
	const struct strvec	*argv;
	size_t			 i;

	strbuf_adds(sb, "[volume]\n");
	argv = volume_argv(pl);
	for (i = 0; i < argv->n; i++)
		strbuf_addf(sb, "%s\n", argv->v[i]);
	strbuf_adds(sb, "[run]\n");
	argv = run_argv(pl);
	for (i = 0; i < argv->n; i++)
		strbuf_addf(sb, "%s\n", argv->v[i]);
	strbuf_adds(sb, "[secret environment]\n");
	for (i = 0; i < pl->secret_env.n; i++)
		strbuf_addf(sb, "%s\n", pl->secret_env.v[i]);
	strbuf_addf(sb, "[connect]\n%s\n", pl->db.url != NULL ? pl->db.url :
	    "");
}

/* A heading, then the words a line each; the words are cleared. */
static void
dump_words(struct strbuf *sb, const char *heading, struct strvec *kv)
{
	size_t	i;

	strbuf_addf(sb, "[%s]\n", heading);
	for (i = 0; i < kv->n; i++)
		strbuf_addf(sb, "%s\n", kv->v[i]);
	strvec_clear(kv);
}

/*
 * What the engine's clients get: env's exports, exec's environment and
 * the option file, written where env and exec would put it.
 */
static void
dump_client(struct strbuf *sb, const char *en, const struct plan *pl)
{
	struct engine	 e;
	struct strvec	 kv = STRVEC_INIT;
	const char	*dir = NULL, *cdir = NULL;
	char		*err = NULL;

	if (engine_load(en, &e, &err) != 0)
		fail_msg("%s", err);
	if (e.set[E_OPTION_FILE].value != NULL) {
		dir = "/run/user/1000/dbarena/golden";
		cdir = "/run/dbarena-client";
	}
	if (render_client_env(&e, &pl->db, dir, &kv, &err) != 0)
		fail_msg("%s: %s", en, err);
	dump_words(sb, "client env", &kv);
	if (render_exec_env(&e, &pl->db, cdir, &kv, &err) != 0)
		fail_msg("%s: %s", en, err);
	dump_words(sb, "exec env", &kv);
	if (e.set[E_OPTION_FILE].value != NULL)
		strbuf_addf(sb, "[option file %s]\n",
		    e.set[E_OPTION_FILE].value);
	else
		strbuf_adds(sb, "[option file]\n");
	if (render_option_text(&e, E_OPTION_TEXT, &pl->db, sb, &err) != 0)
		fail_msg("%s: %s", en, err);
	strbuf_adds(sb, "[exec option file]\n");
	if (render_option_text(&e, E_EXEC_OPTION_TEXT, &pl->db, sb, &err) != 0)
		fail_msg("%s: %s", en, err);
	engine_free(&e);
}

/*
 * got against the golden file NAME.txt (written first with
 * UPDATE_GOLDEN), in tests/golden or GOLDEN_DIR.
 */
static void
check_golden(const char *name, const char *got)
{
	struct strbuf	 want = STRBUF_INIT;
	char		*path, buf[4096];
	size_t		 n;
	FILE		*f;

	path = getenv("GOLDEN_DIR") != NULL ?
	    xasprintf("%s/%s.txt", getenv("GOLDEN_DIR"), name) :
	    xasprintf("%s/golden/%s.txt", test_srcdir(), name);
	if (getenv("UPDATE_GOLDEN") != NULL) {
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(got, f);
		fclose(f);
	}
	f = fopen(path, "r");
	if (f == NULL)
		fail_msg("missing golden %s", path);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		strbuf_add(&want, buf, n);
	fclose(f);
	if (strcmp(got, want.buf) != 0)
		fail_msg("%s differs; got:\n%s", path, got);
	free(path);
	strbuf_release(&want);
}

/* One engine and profile rendered, or the refusal, as its golden says. */
static void
golden_pair(const char *en, const char *pn, const struct create_opts *o,
    const char *name)
{
	struct strbuf	 got = STRBUF_INIT;
	struct plan	 pl;
	char		*why, *rel, *at;

	/* A refusal is a golden too: its message, and no plan. */
	if (render_pair_why(en, pn, o, &pl, &why) == 0) {
		dump(&got, &pl);
		dump_client(&got, en, &pl);
		plan_free(&pl);
	} else {
		/* From the last "/engines/": no build path. */
		for (rel = why; (at = strstr(rel, "/engines/")) != NULL;
		    rel = at + 1)
			;
		strbuf_addf(&got, "[refused]\n%s\n", rel);
		free(why);
	}
	check_golden(name, got.buf);
	strbuf_release(&got);
}

/*
 * Every engine with every profile; and every engine joining a network
 * (--network appnet), which adds to the one docker run and nothing else.
 */
static void
test_goldens(void **state)
{
	struct create_opts	 o;
	struct strvec		 engines = STRVEC_INIT, profiles = STRVEC_INIT;
	struct strvec		 paths = STRVEC_INIT;
	char			*name;
	size_t			 i, j;

	(void)state;
	fixed_opts(&o);
	config_list("engines", &engines, &paths);
	config_list("profiles", &profiles, &paths);
	assert_true(engines.n >= 4 && profiles.n >= 4);
	for (i = 0; i < engines.n; i++) {
		for (j = 0; j < profiles.n; j++) {
			name = xasprintf("%s-%s", engines.v[i],
			    profiles.v[j]);
			golden_pair(engines.v[i], profiles.v[j], &o, name);
			free(name);
		}
		o.network = "appnet";
		name = xasprintf("%s-fast-network", engines.v[i]);
		golden_pair(engines.v[i], "fast", &o, name);
		free(name);
		o.network = NULL;
	}
	strvec_clear(&engines);
	strvec_clear(&profiles);
	strvec_clear(&paths);
}

static int
has(const struct strvec *sv, const char *s)
{
	size_t	i;

	for (i = 0; i < sv->n; i++) {
		if (strcmp(sv->v[i], s) == 0)
			return (1);
	}
	return (0);
}

static int
has_prefix(const struct strvec *sv, const char *s)
{
	size_t	i;

	for (i = 0; i < sv->n; i++) {
		if (strncmp(sv->v[i], s, strlen(s)) == 0)
			return (1);
	}
	return (0);
}

static void
test_postgres_cdc_fast(void **state)
{
	struct create_opts	o;
	struct plan		pl;
	size_t			i;

	(void)state;
	fixed_opts(&o);
	o.password = "s3cret-Pw";
	assert_int_equal(render_pair("postgres", "cdc-fast", &o, &pl), 0);
	assert_true(has(run_argv(&pl), "wal_level=logical"));
	assert_true(has(run_argv(&pl), "fsync=off"));
	assert_true(has(run_argv(&pl), "synchronous_commit=off"));
	assert_true(has(run_argv(&pl), "full_page_writes=off"));
	assert_true(has(run_argv(&pl), "max_replication_slots=10"));
	assert_true(has(run_argv(&pl), "--tmpfs"));
	assert_true(has_prefix(run_argv(&pl), "/var/lib/postgresql/data:"));
	assert_true(has(run_argv(&pl), "--memory"));
	assert_true(has(run_argv(&pl), "dbarena.managed=true"));
	assert_true(has(run_argv(&pl), "127.0.0.1:15000:5432"));
	assert_true(has(run_argv(&pl), "POSTGRES_PASSWORD"));
	assert_true(has(&pl.secret_env, "POSTGRES_PASSWORD=s3cret-Pw"));
	/* The password is in no argument at all. */
	for (i = 0; i < run_argv(&pl)->n; i++)
		assert_null(strstr(run_argv(&pl)->v[i], "s3cret"));
	assert_string_equal(pl.db.url,
	    "postgresql://postgres:s3cret-Pw@127.0.0.1:15000/dbarena");
	plan_free(&pl);
}

static void
test_mysql_family_cdc(void **state)
{
	struct create_opts	o;
	struct plan		pl;

	(void)state;
	fixed_opts(&o);
	assert_int_equal(render_pair("mariadb", "cdc-fast", &o, &pl), 0);
	assert_true(has(run_argv(&pl), "--binlog-format=ROW"));
	assert_true(has_prefix(run_argv(&pl), "--log-bin"));
	assert_true(has(run_argv(&pl), "--server-id=1"));
	plan_free(&pl);
	assert_int_equal(render_pair("mysql", "fast", &o, &pl), 0);
	assert_true(has(run_argv(&pl), "--skip-log-bin"));
	assert_true(has(run_argv(&pl), "--innodb-flush-log-at-trx-commit=0"));
	plan_free(&pl);
}

/* --ttl is a label gc reads back; CDC databases say so for cdc. */
static void
test_expiry_and_cdc_labels(void **state)
{
	struct create_opts	o;
	struct plan		pl;

	(void)state;
	fixed_opts(&o);
	assert_int_equal(render_pair("postgres", "fast", &o, &pl), 0);
	assert_false(has_prefix(run_argv(&pl), "dbarena.expires="));
	assert_false(has_prefix(run_argv(&pl), "dbarena.cdc="));
	plan_free(&pl);
	o.expires = "2026-01-01T02:00:00Z";
	assert_int_equal(render_pair("mariadb", "cdc-fast", &o, &pl), 0);
	assert_true(has(run_argv(&pl), "dbarena.expires=2026-01-01T02:00:00Z"));
	assert_true(has(run_argv(&pl), "dbarena.cdc=on"));
	assert_true(has(run_argv(&pl), "dbarena.server-id=1"));
	plan_free(&pl);
}

/* The label "dbarena.KEY=value" is in the run argv. */
static void
assert_label(const struct plan *pl, const char *key, const char *value)
{
	char	*l = xasprintf("dbarena.%s=%s", key, value);

	assert_true(has(run_argv(pl), l));
	free(l);
}

/*
 * The plan's database is the one its labels describe: create reports,
 * waits for and checks what inspect, start and cdc read back later.
 */
static void
test_plan_database(void **state)
{
	struct create_opts	o;
	struct plan		pl;
	char			port[16];

	(void)state;
	fixed_opts(&o);
	o.expires = "2026-01-01T02:00:00Z";
	o.bind = "0.0.0.0";
	o.user = "app";
	assert_int_equal(render_pair("postgres", "cdc-fast", &o, &pl), 0);
	assert_string_equal(pl.db.name, "golden");
	assert_string_equal(pl.db.user, "app");
	assert_string_equal(pl.db.cdc, "on");
	assert_string_equal(pl.db.server_id, "1");
	assert_int_equal(pl.db.host_port, 15000);
	assert_label(&pl, "engine", pl.db.engine);
	assert_label(&pl, "version", pl.db.version);
	assert_label(&pl, "profile", pl.db.profile);
	assert_label(&pl, "created", pl.db.created);
	assert_label(&pl, "expires", pl.db.expires);
	assert_label(&pl, "user", pl.db.user);
	assert_label(&pl, "database", pl.db.database);
	assert_label(&pl, "storage", pl.db.storage);
	assert_label(&pl, "bind", pl.db.host_ip);
	assert_label(&pl, "cdc", pl.db.cdc);
	assert_label(&pl, "server-id", pl.db.server_id);
	snprintf(port, sizeof port, "%d", pl.db.port);
	assert_label(&pl, "port", port);
	/* Where a client connects; not started yet, so not ready either. */
	assert_string_equal(pl.db.host, "127.0.0.1");
	assert_string_equal(database_status(&pl.db), "stopped");
	plan_free(&pl);
}

static void
test_sqlserver_no_tmpfs(void **state)
{
	struct create_opts	o;
	struct plan		pl;
	size_t			i;

	(void)state;
	fixed_opts(&o);
	assert_int_equal(render_pair("sqlserver", "fast", &o, &pl), 0);
	assert_false(has(run_argv(&pl), "--tmpfs"));
	assert_true(has(run_argv(&pl), "ACCEPT_EULA=Y"));
	assert_true(has(run_argv(&pl), "SQLCMDPASSWORD"));
	for (i = 0; i < run_argv(&pl)->n; i++)
		assert_null(strstr(run_argv(&pl)->v[i], "Pass123"));
	plan_free(&pl);
}

/*
 * SQL Server's pre-login answer only says the process listens: readiness
 * is confirmed by this login, run in the container (no SQL Server runs
 * here, so the words are checked instead). sqlcmd takes the password from
 * SQLCMDPASSWORD in the container's environment, never from argv.
 */
static void
test_sqlserver_login_check(void **state)
{
	static const char *const want[] = {
		"/opt/mssql-tools18/bin/sqlcmd", "-C", "-S", "127.0.0.1",
		"-U", "sa", "-b", "-Q", "SELECT 1"
	};
	static const char *const versions[] = { "2019", "2022" };
	struct engine	 e;
	struct strvec	 argv = STRVEC_INIT;
	char		*err = NULL;
	size_t		 i, v;

	(void)state;
	if (engine_load("sqlserver", &e, &err) != 0)
		fail_msg("%s", err);
	assert_string_equal(e.set[E_PROBE].value, "tds");
	for (v = 0; v < 2; v++) {
		assert_int_equal(render_health_argv(&e, versions[v], "sa",
		    "master", &argv), 0);
		assert_int_equal(argv.n, sizeof want / sizeof want[0]);
		for (i = 0; i < argv.n; i++)
			assert_string_equal(argv.v[i], want[i]);
		strvec_clear(&argv);
	}
	engine_free(&e);
}

/*
 * exec and shell give the client its user and database, not only the
 * password: psql otherwise connects as "root". An engine file without
 * exec_env still passes the password.
 */
static void
test_exec_env(void **state)
{
	struct engine	 e;
	struct database	 d;
	struct strvec	 kv = STRVEC_INIT;
	char		*err = NULL;

	(void)state;
	memset(&d, 0, sizeof d);
	d.user = "u";
	d.password = "p w";
	d.database = "db";
	if (engine_load("postgres", &e, &err) != 0)
		fail_msg("%s", err);
	assert_int_equal(render_exec_env(&e, &d, NULL, &kv, &err), 0);
	assert_int_equal(kv.n, 3);
	assert_string_equal(kv.v[0], "PGUSER=u");
	assert_string_equal(kv.v[1], "PGPASSWORD=p w");
	assert_string_equal(kv.v[2], "PGDATABASE=db");
	strvec_clear(&kv);
	free(e.set[E_EXEC_ENV].value);
	e.set[E_EXEC_ENV].value = NULL;
	assert_int_equal(render_exec_env(&e, &d, NULL, &kv, &err), 0);
	assert_int_equal(kv.n, 1);
	assert_string_equal(kv.v[0], "PGPASSWORD=p w");
	strvec_clear(&kv);
	engine_free(&e);
}

/*
 * MariaDB's and MySQL's clients read no user or database from their
 * environment: exec points them at an option file, whose values survive
 * what the option-file reader undoes (quotes, backslashes, a tab, '#',
 * which would start a comment outside quotes). The database is in
 * [mysql], which mariadb-dump and the other tools do not read.
 */
static void
test_option_file(void **state)
{
	static const char *const engines[] = { "mariadb", "mysql" };
	struct engine	 e;
	struct database	 d;
	struct strvec	 kv = STRVEC_INIT;
	struct strbuf	 text = STRBUF_INIT;
	char		*err = NULL;
	size_t		 i;

	(void)state;
	memset(&d, 0, sizeof d);
	d.user = "app";
	d.password = "a\"b\\c#d'e\tf g";
	d.database = "db";
	d.host = "db.example";
	d.host_port = 15001;
	for (i = 0; i < 2; i++) {
		if (engine_load(engines[i], &e, &err) != 0)
			fail_msg("%s", err);
		assert_string_equal(e.set[E_OPTION_FILE].value, "my.cnf");
		assert_int_equal(render_option_text(&e, E_EXEC_OPTION_TEXT,
		    &d, &text, &err), 0);
		assert_string_equal(text.buf, "[client]\nuser=\"app\"\n"
		    "password=\"a\\\"b\\\\c#d'e\\tf g\"\n"
		    "[mysql]\ndatabase=\"db\"\n");
		/* On this machine, where to connect: over TCP. */
		strbuf_reset(&text);
		assert_int_equal(render_option_text(&e, E_OPTION_TEXT, &d,
		    &text, &err), 0);
		assert_non_null(strstr(text.buf, "[client]\nprotocol=\"tcp\"\n"
		    "host=\"db.example\"\nport=\"15001\"\nuser=\"app\"\n"));
		assert_int_equal(render_exec_env(&e, &d, "/run/x", &kv, &err),
		    0);
		assert_int_equal(kv.n, 3);
		assert_string_equal(kv.v[1], "MARIADB_HOME=/run/x");
		assert_string_equal(kv.v[2], "MYSQL_HOME=/run/x");
		strvec_clear(&kv);
		/* With no file written, {option_dir} stands for nothing. */
		assert_int_equal(render_exec_env(&e, &d, NULL, &kv, &err), -1);
		assert_non_null(strstr(err, "{option_dir}"));
		free(err);
		err = NULL;
		strvec_clear(&kv);
		strbuf_reset(&text);
		engine_free(&e);
	}
	if (engine_load("postgres", &e, &err) != 0)
		fail_msg("%s", err);
	assert_int_equal(render_option_text(&e, E_OPTION_TEXT, &d, &text,
	    &err), 0);
	assert_int_equal(text.len, 0);
	engine_free(&e);
	strbuf_release(&text);
}

/* The readiness timeout: 60 s by default, the profile's, or --timeout. */
static void
test_health_timeout(void **state)
{
	struct create_opts	o;
	struct plan		pl;
	struct strvec		engines = STRVEC_INIT, paths = STRVEC_INIT;
	size_t			i;

	(void)state;
	fixed_opts(&o);
	config_list("engines", &engines, &paths);
	for (i = 0; i < engines.n; i++) {
		assert_int_equal(render_pair(engines.v[i], "fast", &o, &pl), 0);
		assert_int_equal(pl.timeout_ms, 60000);
		plan_free(&pl);
	}
	strvec_clear(&engines);
	strvec_clear(&paths);
	assert_int_equal(render_pair("postgres", "durable", &o, &pl), 0);
	assert_int_equal(pl.timeout_ms, 120000);
	plan_free(&pl);
	o.timeout_ms = 5000;
	assert_int_equal(render_pair("postgres", "durable", &o, &pl), 0);
	assert_int_equal(pl.timeout_ms, 5000);
	plan_free(&pl);
}

static void
test_durable_volume(void **state)
{
	struct create_opts	o;
	struct plan		pl;

	(void)state;
	fixed_opts(&o);
	o.name = "dbarena-postgres-16-abcd";
	assert_int_equal(render_pair("postgres", "durable", &o, &pl), 0);
	assert_string_equal(pl.db.volume, "dbarena-postgres-16-abcd-data");
	assert_true(has(run_argv(&pl),
	    "dbarena-postgres-16-abcd-data:/var/lib/postgresql/data"));
	assert_true(has(run_argv(&pl), "fsync=on"));
	assert_true(has(run_argv(&pl), "2g"));
	assert_true(has(volume_argv(&pl), "dbarena.managed=true"));
	plan_free(&pl);
}

static void
test_overrides(void **state)
{
	struct create_opts	o;
	struct plan		pl;
	struct strvec		env = STRVEC_INIT;

	(void)state;
	fixed_opts(&o);
	strvec_push(&env, "TZ=UTC");
	strvec_push(&env, "MY_API_TOKEN=abc");
	o.env = &env;
	o.memory = "3g";
	o.cpus = "1.5";
	o.bind = "0.0.0.0";
	o.registry = "127.0.0.1:5000/";
	o.version = "15";
	assert_int_equal(render_pair("postgres", "fast", &o, &pl), 0);
	assert_string_equal(pl.db.image, "127.0.0.1:5000/postgres:15-alpine");
	assert_true(has(run_argv(&pl), "3g"));
	assert_true(has(run_argv(&pl), "1.5"));
	/* Every --env value goes by name, whatever its variable is called. */
	assert_true(has(run_argv(&pl), "TZ"));
	assert_false(has(run_argv(&pl), "TZ=UTC"));
	assert_true(has(&pl.secret_env, "TZ=UTC"));
	assert_true(has(run_argv(&pl), "MY_API_TOKEN"));
	assert_true(has(&pl.secret_env, "MY_API_TOKEN=abc"));
	assert_true(has(run_argv(&pl), "0.0.0.0:15000:5432"));
	assert_non_null(strstr(pl.db.url, "@127.0.0.1:15000/"));
	plan_free(&pl);
	strvec_clear(&env);

	o.version = NULL;
	assert_int_equal(render_pair("sqlserver", "fast", &o, &pl), 0);
	assert_string_equal(pl.db.image,
	    "127.0.0.1:5000/mssql/server:2022-latest");
	plan_free(&pl);
	o.version = "9.6";
	assert_int_equal(render_pair("postgres", "fast", &o, &pl), -1);
}

/*
 * A password with a tab works end to end: it travels in the secret
 * environment and is percent-encoded in the URL. A newline (the images'
 * entrypoints read one line) or a byte that is not UTF-8 (docker would
 * store U+FFFD) is refused before anything runs; so for the user and
 * the database.
 */
static void
test_password_characters(void **state)
{
	struct create_opts	 o;
	struct plan		 pl;
	char			*why = NULL;

	(void)state;
	fixed_opts(&o);
	o.password = "a\tb caf\xc3\xa9";
	assert_int_equal(render_pair("postgres", "fast", &o, &pl), 0);
	assert_true(has(&pl.secret_env, "POSTGRES_PASSWORD=a\tb caf\xc3\xa9"));
	assert_non_null(strstr(pl.db.url, ":a%09b%20caf%C3%A9@"));
	plan_free(&pl);
	o.password = "a\nb";
	assert_int_equal(render_pair_why("postgres", "fast", &o, &pl, &why),
	    -1);
	assert_non_null(strstr(why, "control character (0x0a)"));
	free(why);
	o.password = "a\xff" "b";
	assert_int_equal(render_pair_why("mariadb", "fast", &o, &pl, &why),
	    -1);
	assert_non_null(strstr(why, "password is not valid UTF-8 (byte 0xff)"));
	free(why);
	o.password = NULL;
	o.database = "d\xc3";
	assert_int_equal(render_pair_why("postgres", "fast", &o, &pl, &why),
	    -1);
	assert_non_null(strstr(why, "database is not valid UTF-8"));
	free(why);
	o.database = NULL;
	o.user = "u\r";
	assert_int_equal(render_pair_why("postgres", "fast", &o, &pl, &why),
	    -1);
	assert_non_null(strstr(why, "user holds a control character (0x0d)"));
	free(why);
}

/* {password} in argv words (flags, command, health) renders empty. */
static void
test_password_never_in_argv(void **state)
{
	struct create_opts	 o;
	struct plan		 pl;
	struct engine		 e;
	struct profile		 pr;
	struct strvec		 env = STRVEC_INIT;
	char			 path[] = "/tmp/dbarena-render-XXXXXX.ini";
	char			*err = NULL;
	size_t			 i;
	int			 fd;

	(void)state;
	fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	assert_true(write(fd, "[server]\nflags = -c x={password}\n", 33) == 33);
	close(fd);
	fixed_opts(&o);
	strvec_push(&env, "POSTGRES_PASSWORD=s3cr3t");
	o.env = &env;
	assert_int_equal(engine_load("postgres", &e, &err), 0);
	assert_int_equal(profile_load(path, &pr, &err), 0);
	assert_int_equal(render(&e, &pr, &o, &pl, &err), 0);
	for (i = 0; i < run_argv(&pl)->n; i++)
		assert_null(strstr(run_argv(&pl)->v[i], "s3cr3t"));
	assert_true(has(run_argv(&pl), "x="));
	assert_true(has(&pl.secret_env, "POSTGRES_PASSWORD=s3cr3t"));
	assert_string_equal(pl.db.password, "s3cr3t");
	plan_free(&pl);
	engine_free(&e);
	profile_free(&pr);
	strvec_clear(&env);
	unlink(path);
}

static void
test_image_refs(void **state)
{
	char	*s;

	(void)state;
	s = render_image("postgres", "16-alpine", NULL);
	assert_string_equal(s, "postgres:16-alpine");
	free(s);
	s = render_image("library/postgres", "16", "mirror.example:5000");
	assert_string_equal(s, "mirror.example:5000/library/postgres:16");
	free(s);
	s = render_image("localhost/x/y", "1", "m");
	assert_string_equal(s, "m/x/y:1");
	free(s);
	s = render_url("mysql://{user}:{password}@{host}:{port}/{database}",
	    "127.0.0.1", 3306, "root", "p@ss/w:rd", "db");
	assert_string_equal(s, "mysql://root:p%40ss%2Fw%3Ard@127.0.0.1:3306/db");
	free(s);
}

static const struct {
	enum engine_key	 key;
	const char	*name;
} snap_keys[] = {
	{ E_SNAP_SESSION, "session" },
	{ E_SNAP_LOCK, "lock" }, { E_SNAP_LIST, "list" },
	{ E_SNAP_SIZE, "size" },
	{ E_SNAP_SESSIONS, "sessions" }, { E_SNAP_END_SESSION, "end_session" },
	{ E_SNAP_SLOTS, "slots" }, { E_SNAP_DROP_SLOT, "drop_slot" },
	{ E_SNAP_CREATE_SLOT, "create_slot" }, { E_SNAP_COPY, "copy" },
	{ E_SNAP_EMPTY, "empty" }, { E_SNAP_TABLES, "tables" },
	{ E_SNAP_TABLE_DDL, "table_ddl" }, { E_SNAP_COLUMNS, "columns" },
	{ E_SNAP_COPY_BEGIN, "copy_begin" },
	{ E_SNAP_COPY_TABLE, "copy_table" }, { E_SNAP_SEAL, "seal" },
	{ E_SNAP_SWAP, "swap" }, { E_SNAP_SWAP_PAIR, "swap_pair" },
	{ E_SNAP_RENAME, "rename" },
	{ E_SNAP_RENAME_TABLES, "rename_tables" },
	{ E_SNAP_RESTORE, "restore" }, { E_SNAP_DROP, "drop" },
};

/* One engine's [snapshot], every statement rendered with fixed names. */
static void
dump_snapshot(struct strbuf *sb, const struct engine *e, const char *version)
{
	struct snap_vars	 sv;
	struct strvec		 argv = STRVEC_INIT;
	struct strbuf		 one = STRBUF_INIT;
	char			*err = NULL;
	size_t			 i;

	memset(&sv, 0, sizeof sv);
	sv.database = "app";
	sv.user = "owner";
	sv.source = "dbarena_snap_app_default";
	sv.target = "dbarena_tmp_app";
	sv.tmp = "dbarena_tmp_app";
	sv.old = "dbarena_old_app";
	sv.table = "t1";
	sv.from = "app";
	sv.to = "dbarena_old_app";
	sv.slot = "s1";
	sv.plugin = "pgoutput";
	sv.id = "42";
	sv.pairs = "`app`.`t1` TO `dbarena_old_app`.`t1`";
	sv.columns = "`id`, `v`";
	sv.wait = "60";
	sv.wait_ms = "60000";
	strbuf_addf(sb, "[version %s]\nlibrary = %s\n", version,
	    e->set[E_SNAP_LIBRARY].value != NULL ?
	    e->set[E_SNAP_LIBRARY].value : "-");
	if (render_snapshot_exec(e, E_SNAP_EXEC, "owner", "maint", "SESSION",
	    &argv, &err) != 0)
		fail_msg("%s", err);
	strbuf_adds(sb, "exec =");
	for (i = 0; i < argv.n; i++)
		strbuf_addf(sb, " [%s]", argv.v[i]);
	strbuf_addch(sb, '\n');
	strvec_clear(&argv);
	if (render_snapshot_exec(e, E_SNAP_EXEC_STDIN, "owner", "maint",
	    "SESSION", &argv, &err) != 0)
		fail_msg("%s", err);
	if (argv.n > 0) {
		strbuf_adds(sb, "exec_stdin =");
		for (i = 0; i < argv.n; i++)
			strbuf_addf(sb, " [%s]", argv.v[i]);
		strbuf_addch(sb, '\n');
	}
	for (i = 0; i < sizeof snap_keys / sizeof snap_keys[0]; i++) {
		if (render_snapshot_sql(e, version, snap_keys[i].key, &sv, &one,
		    &err) != 0)
			fail_msg("%s: %s", snap_keys[i].name, err);
		if (one.len > 0)
			strbuf_addf(sb, "%s = %s\n", snap_keys[i].name, one.buf);
	}
	strvec_clear(&argv);
	strbuf_release(&one);
}

/*
 * Every engine's [snapshot] statements, as they go to the server: for
 * its default version and, where one overrides them, each other.
 */
static void
test_snapshot_goldens(void **state)
{
	struct strvec	 engines = STRVEC_INIT, paths = STRVEC_INIT;
	struct strbuf	 got = STRBUF_INIT;
	struct engine	 e;
	char		*err = NULL, *name;
	size_t		 i, v;

	(void)state;
	config_list("engines", &engines, &paths);
	for (i = 0; i < engines.n; i++) {
		if (engine_load(engines.v[i], &e, &err) != 0)
			fail_msg("%s", err);
		strbuf_reset(&got);
		dump_snapshot(&got, &e, e.set[E_DEFAULT_VERSION].value);
		for (v = 0; v < e.nversions; v++)
			if (e.versions[v].snapshot_copy.value != NULL)
				dump_snapshot(&got, &e, e.versions[v].version);
		name = xasprintf("snapshot-%s", engines.v[i]);
		check_golden(name, got.buf);
		free(name);
		engine_free(&e);
	}
	strvec_clear(&engines);
	strvec_clear(&paths);
	strbuf_release(&got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_goldens),
		cmocka_unit_test(test_snapshot_goldens),
		cmocka_unit_test(test_postgres_cdc_fast),
		cmocka_unit_test(test_mysql_family_cdc),
		cmocka_unit_test(test_expiry_and_cdc_labels),
		cmocka_unit_test(test_plan_database),
		cmocka_unit_test(test_sqlserver_no_tmpfs),
		cmocka_unit_test(test_health_timeout),
		cmocka_unit_test(test_sqlserver_login_check),
		cmocka_unit_test(test_exec_env),
		cmocka_unit_test(test_option_file),
		cmocka_unit_test(test_durable_volume),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_password_characters),
		cmocka_unit_test(test_password_never_in_argv),
		cmocka_unit_test(test_image_refs),
	};

	/* Only shipped files, unless a test brings engines of its own. */
	setenv("XDG_CONFIG_HOME", getenv("TEST_XDG_CONFIG_HOME") != NULL ?
	    getenv("TEST_XDG_CONFIG_HOME") : "/nonexistent", 1);
	config_set_dirs("/nonexistent", NULL);
	return (cmocka_run_group_tests_name("render", tests, NULL, NULL));
}
