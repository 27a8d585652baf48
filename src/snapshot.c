/*
 * Snapshots and restores, in the server. A snapshot is a copy of the
 * user's database under a reserved name (dbarena_snap_<db>_<snapshot>),
 * so the server keeps it as long as its data (across stop and start of a
 * persistent database) and lists it: dbarena keeps no state file. A
 * restore never works on the live database: it copies the snapshot into
 * dbarena_tmp_<db>, ends the sessions on the database, and swaps the two
 * in one statement (PostgreSQL renames the databases in one transaction,
 * MariaDB and MySQL move every table in one RENAME TABLE), so a client
 * sees the old contents or the new, never half. An advisory lock on the
 * session keeps two of them from interleaving. The same copy makes a
 * database from a snapshot, the primitive a per-test database needs.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbarena.h"
#include "docker.h"
#include "render.h"
#include "snapshot.h"

#define END_WAIT_TRIES	500	/* 10 ms each: terminated sessions exit */
#define SWAP_TRIES	3	/* a session that connected meanwhile */
/*
 * Sessions that make clones at once. PostgreSQL's FILE_COPY checkpoints
 * for every copy, so more than the two cores here gain nothing (measured:
 * 20 copies, 414 ms on one session, 343 on two, 370 on four).
 */
#define CLONE_WORKERS	2
#define CLONE_DIGITS	6	/* room kept for a clone's number */
#define LOCK_WAIT_DEFAULT 60	/* seconds: DBARENA_LOCK_WAIT */

struct snap_ctx {
	struct snap_op		*op;
	struct sql		 s;
	struct strvec		 exec;
	struct snap_vars	 sv;
	struct strvec		 exec_stdin;
	char			*tmp;
	char			*old;
	char			*session;	/* exec: before every unit */
	struct sql_rows		 names;		/* the list unit's answer */
	int			 named;		/* still true */
	char			 wait[16];	/* seconds on a lock */
	char			 wait_ms[24];
};

/* A snapshot's own name: [a-z0-9][a-z0-9-]*, so never a '_'. */
int
snapshot_valid_name(const char *s)
{
	if (*s == '\0' || strchr("abcdefghijklmnopqrstuvwxyz0123456789",
	    *s) == NULL)
		return (0);
	return (s[strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-")] ==
	    '\0');
}

/* The database's name goes into identifiers and string literals. */
static int
valid_database(const char *s)
{
	return (*s != '\0' && s[strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")] == '\0');
}

static char *
object_name(const struct database *d, const char *snap)
{
	return (xasprintf("%s%s_%s", SNAP_PREFIX, d->database, snap));
}

/*
 * Can this database take one: a [snapshot] section, a running server, a
 * name that fits. An exit code, said.
 */
int
snapshot_check(struct snap_op *op, const char *snap)
{
	const struct database	*d = op->d;
	char			*obj;
	size_t			 len;

	if (op->e->set[E_SNAP_LIST].value == NULL) {
		error_msg("%s: %s: %s cannot snapshot: %s has no [snapshot] "
		    "section", op->verb, d->name, d->engine, op->e->path);
		return (EXIT_UNSUPPORTED);
	}
	if (strcmp(d->state, "running") != 0) {
		error_msg("%s: %s is not running", op->verb, d->name);
		hint_msg("start it with: dbarena start %s", d->name);
		return (EXIT_NOT_READY);
	}
	if (!valid_database(d->database)) {
		error_msg("%s: %s: cannot snapshot database '%s': only "
		    "letters, digits, '_' and '-'", op->verb, d->name,
		    d->database);
		return (EXIT_UNSUPPORTED);
	}
	/*
	 * The statements run from the engine's connect_database: a database
	 * of that name could be copied but never renamed or dropped from
	 * there (PostgreSQL: "current database cannot be renamed").
	 */
	if (op->e->set[E_SNAP_CONNECT].value != NULL &&
	    strcmp(op->e->set[E_SNAP_CONNECT].value, d->database) == 0) {
		error_msg("%s: %s: cannot snapshot database '%s': the "
		    "snapshot statements run from it", op->verb, d->name,
		    d->database);
		hint_msg("create the database with another --database");
		return (EXIT_UNSUPPORTED);
	}
	if (snap != NULL && !snapshot_valid_name(snap)) {
		error_msg("%s: bad snapshot name '%s': lower-case letters, "
		    "digits and '-'", op->verb, snap);
		return (EXIT_USAGE);
	}
	obj = object_name(d, snap != NULL ? snap : SNAP_DEFAULT);
	len = strlen(obj);
	free(obj);
	if (len > SNAP_NAME_MAX || strlen(SNAP_TMP_PREFIX) +
	    strlen(d->database) > SNAP_NAME_MAX) {
		error_msg("%s: snapshot name '%s' too long: %s%s_NAME must "
		    "fit in %d characters", op->verb, snap != NULL ? snap :
		    SNAP_DEFAULT, SNAP_PREFIX, d->database, SNAP_NAME_MAX);
		return (EXIT_USAGE);
	}
	return (EXIT_OK);
}

static int	render_unit(struct snap_ctx *, enum engine_key, struct strbuf *,
		    int *);
static int	run_text(struct snap_ctx *, const char *, struct sql_rows *,
		    int);

static long	lock_wait_s = LOCK_WAIT_DEFAULT;

/* DBARENA_LOCK_WAIT, read (and a bad one said) once a process. */
static void
lock_wait_read(void)
{
	const char	*env = getenv("DBARENA_LOCK_WAIT");
	long		 n;
	char		*end;

	if (env == NULL || *env == '\0')
		return;
	n = strtol(env, &end, 10);
	if (*end != '\0' || n < 1 || n > 86400)
		warn_msg("DBARENA_LOCK_WAIT=%s: not 1 to 86400 seconds; %d it "
		    "is", env, LOCK_WAIT_DEFAULT);
	else
		lock_wait_s = n;
}

/*
 * How long a statement waits on a lock, at most: DBARENA_LOCK_WAIT
 * seconds (1 to 86400), a minute unless set. The engine file's session
 * and lock units say how.
 */
static void
lock_wait(struct snap_ctx *c)
{
	static pthread_once_t	 once = PTHREAD_ONCE_INIT;

	(void)pthread_once(&once, lock_wait_read);
	snprintf(c->wait, sizeof c->wait, "%ld", lock_wait_s);
	snprintf(c->wait_ms, sizeof c->wait_ms, "%ld", lock_wait_s * 1000);
	c->sv.wait = c->wait;
	c->sv.wait_ms = c->wait_ms;
}

static void	ctx_close(struct snap_ctx *);

/* Do the exec words (NULL: none) give the client the session unit? */
static int
names_session(const char *words)
{
	return (words != NULL && strstr(words, "{session}") != NULL);
}

/*
 * Connects to dbname (NULL: [snapshot] connect_database), and runs the
 * engine's session unit. The exec fallback, whose every unit is a
 * session of its own, gives it to the client: in the exec words where
 * they name {session} (psql -c, mariadb --init-command), else before
 * every unit.
 */
static int
ctx_open(struct snap_ctx *c, struct snap_op *op, const char *dbname)
{
	const struct engine	*e = op->e;
	const struct database	*d = op->d;
	struct sql_target	 t;
	struct strbuf		 session = STRBUF_INIT;
	char			*err = NULL;
	int			 code;

	memset(c, 0, sizeof *c);
	c->op = op;
	c->sv.database = d->database;
	c->sv.user = d->user;
	lock_wait(c);
	if (dbname == NULL)
		dbname = e->set[E_SNAP_CONNECT].value;
	if (render_unit(c, E_SNAP_SESSION, &session, &code) == -1)
		goto out;
	if (render_snapshot_exec(e, E_SNAP_EXEC, d->user, dbname != NULL ?
	    dbname : "", session.buf, &c->exec, &err) == -1) {
		error_msg("%s: [snapshot] exec: %s", e->path, err);
		code = EXIT_CONFIG;
		goto out;
	}
	if (render_snapshot_exec(e, E_SNAP_EXEC_STDIN, d->user, dbname !=
	    NULL ? dbname : "", session.buf, &c->exec_stdin, &err) == -1) {
		error_msg("%s: [snapshot] exec_stdin: %s", e->path, err);
		code = EXIT_CONFIG;
		goto out;
	}
	/* One rule for both: the session in the words, or before each unit. */
	if (e->set[E_SNAP_EXEC_STDIN].value != NULL &&
	    names_session(e->set[E_SNAP_EXEC].value) !=
	    names_session(e->set[E_SNAP_EXEC_STDIN].value)) {
		error_msg("%s: [snapshot] exec and exec_stdin must both name "
		    "{session}, or neither", e->path);
		code = EXIT_CONFIG;
		goto out;
	}
	memset(&t, 0, sizeof t);
	t.library = e->set[E_SNAP_LIBRARY].value;
	t.host = d->host;
	t.port = d->host_port;
	t.user = d->user;
	t.password = d->password;
	t.database = dbname;
	t.container = d->name;
	t.password_env = e->set[E_PASSWORD_ENV].value;
	t.exec = &c->exec;
	t.exec_stdin = &c->exec_stdin;
	if (sql_open(&c->s, &t, &err) == -1) {
		error_msg("%s: %s: cannot connect: %s", op->verb, d->name, err);
		code = EXIT_FAIL;
		goto out;
	}
	op->via = c->s.via;
	c->tmp = xasprintf("%s%s", SNAP_TMP_PREFIX, d->database);
	c->old = xasprintf("%s%s", SNAP_OLD_PREFIX, d->database);
	c->sv.tmp = c->tmp;
	c->sv.old = c->old;
	code = EXIT_OK;
	if (session.len == 0)
		;
	else if (c->s.via != SQL_EXEC)
		code = run_text(c, session.buf, NULL, 0);
	else if (!names_session(e->set[E_SNAP_EXEC].value))
		c->session = strbuf_detach(&session);
out:
	/* Clears what a failure before the session's start left too. */
	if (code != EXIT_OK)
		ctx_close(c);
	free(err);
	strbuf_release(&session);
	return (code);
}

static void
ctx_close(struct snap_ctx *c)
{
	sql_close(&c->s);
	strvec_clear(&c->exec);
	strvec_clear(&c->exec_stdin);
	free(c->tmp);
	free(c->old);
	free(c->session);
	c->tmp = c->old = c->session = NULL;
	sql_rows_clear(&c->names);
	c->named = 0;
}

/* Renders one [snapshot] unit with c->sv; 1: there is none. */
static int
render_unit(struct snap_ctx *c, enum engine_key k, struct strbuf *out,
    int *code)
{
	char	*err = NULL;

	*code = EXIT_OK;
	if (render_snapshot_sql(c->op->e, c->op->d->version, k, &c->sv, out,
	    &err) == -1) {
		error_msg("%s: [snapshot]: %s", c->op->e->path, err);
		free(err);
		*code = EXIT_CONFIG;
		return (-1);
	}
	return (out->len == 0 ? 1 : 0);
}

/* A server's message on one line, without its trailing newline. */
static void
one_line(char *s)
{
	size_t	n = strlen(s);

	while (n > 0 && strchr(" \t\r\n", s[n - 1]) != NULL)
		s[--n] = '\0';
	for (; *s != '\0'; s++)
		if (*s == '\n' || *s == '\t')
			*s = ' ';
}

/*
 * Runs a unit as is; its failure said unless quiet. Over the exec
 * fallback every unit is a session of its own: the session unit first.
 */
static int
run_text(struct snap_ctx *c, const char *unit, struct sql_rows *rows,
    int quiet)
{
	char	*err = NULL, *both = NULL;
	int	 rc;

	if (c->session != NULL)
		unit = both = xasprintf("%s;\n%s", c->session, unit);
	c->s.docker_err = DERR_NONE;
	rc = sql_run(&c->s, unit, rows, &err);
	free(both);
	if (rc == 0)
		return (EXIT_OK);
	/*
	 * Over the exec fallback, docker itself may have failed (its daemon
	 * down, the container gone): its exit code, said as docker's.
	 */
	if (c->s.docker_err != DERR_NONE) {
		rc = quiet ? EXIT_FAIL : docker_report_error(c->s.docker_err,
		    "running the client in the container", err);
		free(err);
		return (rc);
	}
	if (!quiet) {
		one_line(err);
		error_msg("%s: %s: the server refused: %s", c->op->verb,
		    c->op->d->name, err);
	}
	free(err);
	return (EXIT_FAIL);
}

/* Does unit k leave the server's reserved names as they were? */
static int
keeps_names(enum engine_key k)
{
	switch (k) {
	case E_SNAP_SESSION:
	case E_SNAP_LOCK:
	case E_SNAP_LIST:
	case E_SNAP_SIZE:
	case E_SNAP_SESSIONS:
	case E_SNAP_SLOTS:
	case E_SNAP_TABLES:
	case E_SNAP_TABLE_DDL:
	case E_SNAP_COLUMNS:
		return (1);
	default:
		return (0);
	}
}

/*
 * Renders and runs the unit k, if the engine file has one. One that may
 * make, rename or drop a name forgets the listing.
 */
static int
run(struct snap_ctx *c, enum engine_key k, struct sql_rows *rows, int quiet)
{
	struct strbuf	unit = STRBUF_INIT;
	int		code;

	if (!keeps_names(k))
		c->named = 0;

	if (render_unit(c, k, &unit, &code) == 0)
		code = run_text(c, unit.buf, rows, quiet);
	strbuf_release(&unit);
	return (code);
}

/*
 * The lock. PostgreSQL waits for it until the session's lock timeout and
 * then fails; GET_LOCK answers 0 after its wait: both a holder that did
 * not let go (exit 6).
 */
static int
lock(struct snap_ctx *c)
{
	struct sql_rows	rows = SQL_ROWS_INIT;
	int		code;

	/*
	 * Not granted: refused by the server, or answered 0. Docker's own
	 * failure, over the exec fallback, keeps its code.
	 */
	if ((code = run(c, E_SNAP_LOCK, &rows, 0)) == EXIT_FAIL ||
	    (code == EXIT_OK && rows.n > 0 &&
	    strcmp(sql_cell(&rows, 0, 0), "0") == 0)) {
		error_msg("%s: %s: another snapshot, restore or clone holds "
		    "its lock", c->op->verb, c->op->d->name);
		hint_msg("or the server is still making the spare the last "
		    "one left; DBARENA_LOCK_WAIT=SECONDS waits longer");
		code = EXIT_CONFLICT;
	}
	sql_rows_clear(&rows);
	return (code);
}

void
snap_list_free(struct snap_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].object);
		free(l->v[i].size);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/*
 * This database's reserved objects of one kind (kind: SNAP_PREFIX or
 * CLONE_PREFIX), from the server: the names with its prefix whose rest
 * passes valid (a snapshot name has no '_', a clone's number is digits,
 * so database "a" never lists "dbarena_snap_a_b_c" of database "a_b").
 */
static int
list_prefix(struct snap_ctx *c, const char *prefix,
    int (*valid)(const char *), struct snap_list *l)
{
	const char	*obj;
	size_t		 i, plen = strlen(prefix);
	int		 code;

	memset(l, 0, sizeof *l);
	if (!c->named) {
		sql_rows_clear(&c->names);
		if ((code = run(c, E_SNAP_LIST, &c->names, 0)) != EXIT_OK)
			return (code);
		c->named = 1;
	}
	for (i = 0; i < c->names.n; i++) {
		obj = sql_cell(&c->names, i, 0);
		if (strncmp(obj, prefix, plen) != 0 || !valid(obj + plen))
			continue;
		l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
		l->v[l->n].name = xstrdup(obj + plen);
		l->v[l->n].object = xstrdup(obj);
		l->v[l->n].spares = 0;
		l->v[l->n++].size = NULL;
	}
	return (EXIT_OK);
}

static int
list_kind(struct snap_ctx *c, const char *kind, int (*valid)(const char *),
    struct snap_list *l)
{
	char	*prefix = xasprintf("%s%s_", kind, c->op->d->database);
	int	 code;

	code = list_prefix(c, prefix, valid, l);
	free(prefix);
	return (code);
}

static int
list(struct snap_ctx *c, struct snap_list *l)
{
	return (list_kind(c, SNAP_PREFIX, snapshot_valid_name, l));
}

static const struct snap_info *
find(const struct snap_list *l, const char *name)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return (&l->v[i]);
	return (NULL);
}

static int
in(const struct strvec *sv, const char *s)
{
	size_t	i;

	for (i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return (1);
	return (0);
}

/*
 * Ends every other session on the database and waits until they are
 * gone (ending one only asks it to go), counting each once.
 */
static int
end_sessions(struct snap_ctx *c)
{
	struct sql_rows	 rows = SQL_ROWS_INIT;
	struct strvec	 seen = STRVEC_INIT;
	size_t		 i;
	int		 tries, code = EXIT_OK;

	if (c->op->e->set[E_SNAP_SESSIONS].value == NULL)
		return (EXIT_OK);
	for (tries = 0; tries < END_WAIT_TRIES; tries++) {
		sql_rows_clear(&rows);
		if ((code = run(c, E_SNAP_SESSIONS, &rows, 0)) != EXIT_OK ||
		    rows.n == 0)
			break;
		for (i = 0; i < rows.n; i++) {
			if (in(&seen, sql_cell(&rows, i, 0)))
				continue;
			strvec_push(&seen, sql_cell(&rows, i, 0));
			c->sv.id = sql_cell(&rows, i, 0);
			/* It may have gone by itself meanwhile. */
			(void)run(c, E_SNAP_END_SESSION, NULL, 1);
			c->op->ended++;
		}
		c->sv.id = NULL;
		sleep_ms(10);
	}
	if (code == EXIT_OK && rows.n > 0) {
		error_msg("%s: %s: %zu session%s did not end", c->op->verb,
		    c->op->d->name, rows.n, rows.n == 1 ? "" : "s");
		code = EXIT_FAIL;
	}
	sql_rows_clear(&rows);
	strvec_clear(&seen);
	return (code);
}

/* The tables of a database (sv.source), for the per-table engines. */
static int
tables(struct snap_ctx *c, const char *db, struct sql_rows *rows)
{
	const char	*was = c->sv.source, *t;
	size_t		 i;
	int		 code;

	c->sv.source = db;
	code = run(c, E_SNAP_TABLES, rows, 0);
	c->sv.source = was;
	for (i = 0; code == EXIT_OK && i < rows->n; i++) {
		t = sql_cell(rows, i, 0);
		/*
		 * The names go into statements between the engines' quotes
		 * (`t`, "t", [t]): one holding a quote would end its quoting
		 * and be read as SQL. Refused, not escaped: such a name is
		 * nobody's intent, and refusing touches nothing.
		 */
		if (t[strcspn(t, "`\"[]\\;\n")] != '\0') {
			error_msg("%s: %s: table \"%s\" in %s has a quote or a "
			    "semicolon in its name: it cannot be copied",
			    c->op->verb, c->op->d->name, t, db);
			hint_msg("rename it, or leave it out of the database");
			code = EXIT_UNSUPPORTED;
		}
	}
	return (code);
}

/*
 * The engines without templates: every table's definition from the
 * server (so indexes, keys and foreign keys come too), then one unit
 * that makes each in the target and copies its rows.
 */
/* The column list of table t among cols (table, list); NULL: none. */
static const char *
columns_of(const struct sql_rows *cols, const char *t)
{
	size_t	i;

	for (i = 0; i < cols->n; i++)
		if (strcmp(sql_cell(cols, i, 0), t) == 0)
			return (sql_cell(cols, i, 1));
	return (NULL);
}

static int
copy_tables(struct snap_ctx *c)
{
	struct sql_rows	 names = SQL_ROWS_INIT, ddl = SQL_ROWS_INIT;
	struct sql_rows	 cols = SQL_ROWS_INIT;
	struct strbuf	 unit = STRBUF_INIT, one = STRBUF_INIT;
	size_t		 i;
	int		 code;

	if ((code = tables(c, c->sv.source, &names)) != EXIT_OK ||
	    names.n == 0)
		goto out;
	for (i = 0; i < names.n && code == EXIT_OK; i++) {
		c->sv.table = sql_cell(&names, i, 0);
		if (render_unit(c, E_SNAP_TABLE_DDL, &one, &code) == 0)
			strbuf_addf(&unit, "%s%s", i > 0 ? ";\n" : "", one.buf);
	}
	if (code != EXIT_OK ||
	    (code = run_text(c, unit.buf, &ddl, 0)) != EXIT_OK ||
	    (code = run(c, E_SNAP_COLUMNS, &cols, 0)) != EXIT_OK)
		goto out;
	strbuf_reset(&unit);
	if (render_unit(c, E_SNAP_COPY_BEGIN, &one, &code) == 0)
		strbuf_addf(&unit, "%s;\n", one.buf);
	for (i = 0; i < ddl.n && code == EXIT_OK; i++) {
		c->sv.table = sql_cell(&ddl, i, 0);
		c->sv.columns = columns_of(&cols, c->sv.table);
		if (c->sv.columns == NULL && cols.n > 0) {
			error_msg("%s: %s: table \"%s\" has no column to copy",
			    c->op->verb, c->op->d->name, c->sv.table);
			code = EXIT_UNSUPPORTED;
		} else if (render_unit(c, E_SNAP_COPY_TABLE, &one, &code) == 0)
			strbuf_addf(&unit, "%s;\n%s;\n", sql_cell(&ddl, i, 1),
			    one.buf);
	}
	if (code == EXIT_OK)
		code = run_text(c, unit.buf, NULL, 0);
out:
	c->sv.table = c->sv.columns = NULL;
	sql_rows_clear(&names);
	sql_rows_clear(&ddl);
	sql_rows_clear(&cols);
	strbuf_release(&unit);
	strbuf_release(&one);
	return (code);
}

/*
 * Makes target a copy of source (NULL: the engine's empty database).
 * A failed copy leaves no target behind; a target its first statement
 * did not make (it existed: another command's, made meanwhile) is not
 * this copy's to drop.
 */
static int
copy(struct snap_ctx *c, const char *source, const char *target, int quiet)
{
	int	code, made = 0;

	c->sv.source = source;
	c->sv.target = target;
	if (source == NULL)
		code = run(c, E_SNAP_EMPTY, NULL, 0);
	else if ((code = run(c, E_SNAP_COPY, NULL, quiet)) == EXIT_OK &&
	    c->op->e->set[E_SNAP_TABLES].value != NULL) {
		made = 1;
		code = copy_tables(c);
	}
	if (code != EXIT_OK && made)
		(void)run(c, E_SNAP_DROP, NULL, 1);
	c->sv.source = NULL;
	return (code);
}

/* Appends "from.t TO to.t" for every table of from to pairs. */
static int
add_pairs(struct snap_ctx *c, const char *from, const char *to,
    struct strbuf *pairs)
{
	struct sql_rows	 names = SQL_ROWS_INIT;
	struct strbuf	 one = STRBUF_INIT;
	size_t		 i;
	int		 code;

	if ((code = tables(c, from, &names)) != EXIT_OK)
		goto done;
	c->sv.from = from;
	c->sv.to = to;
	for (i = 0; i < names.n && code == EXIT_OK; i++) {
		c->sv.table = sql_cell(&names, i, 0);
		if (render_unit(c, E_SNAP_SWAP_PAIR, &one, &code) == 0)
			strbuf_addf(pairs, "%s%s", pairs->len > 0 ? ", " :
			    "", one.buf);
	}
done:
	c->sv.from = c->sv.to = c->sv.table = NULL;
	sql_rows_clear(&names);
	strbuf_release(&one);
	return (code);
}

/* "a.t TO old.t, tmp.t TO a.t, ...": every table out, every copy in. */
static int
swap_pairs(struct snap_ctx *c, struct strbuf *pairs)
{
	int	code;

	if ((code = add_pairs(c, c->sv.database, c->old, pairs)) == EXIT_OK)
		code = add_pairs(c, c->tmp, c->sv.database, pairs);
	return (code);
}

/*
 * The swap, in one statement. A session that connected since the others
 * were ended makes PostgreSQL refuse the rename: end it and try again.
 */
static int
swap(struct snap_ctx *c)
{
	struct strbuf	pairs = STRBUF_INIT;
	int		tries, code = EXIT_OK;

	if (c->op->e->set[E_SNAP_SWAP_PAIR].value != NULL) {
		if ((code = swap_pairs(c, &pairs)) != EXIT_OK ||
		    pairs.len == 0)
			goto out;
	}
	c->sv.pairs = pairs.buf;
	for (tries = 1; tries <= SWAP_TRIES; tries++) {
		if ((code = run(c, E_SNAP_SWAP, NULL, tries < SWAP_TRIES)) ==
		    EXIT_OK || tries == SWAP_TRIES ||
		    (code = end_sessions(c)) != EXIT_OK)
			break;
	}
out:
	c->sv.pairs = NULL;
	strbuf_release(&pairs);
	return (code);
}

/* The logical slots on the database: dropped now, made again after. */
static int
drop_slots(struct snap_ctx *c, struct sql_rows *slots)
{
	size_t	i;
	int	code;

	if ((code = run(c, E_SNAP_SLOTS, slots, 0)) != EXIT_OK)
		return (code);
	for (i = 0; i < slots->n && code == EXIT_OK; i++) {
		c->sv.slot = sql_cell(slots, i, 0);
		code = run(c, E_SNAP_DROP_SLOT, NULL, 0);
	}
	c->sv.slot = NULL;
	return (code);
}

/* A logical slot belongs to the database it is made in: connect there. */
static int
create_slots(struct snap_ctx *c, const struct sql_rows *slots)
{
	struct snap_ctx	 in;
	size_t		 i;
	int		 code;

	if (slots->n == 0)
		return (EXIT_OK);
	if ((code = ctx_open(&in, c->op, c->op->d->database)) != EXIT_OK)
		return (code);
	for (i = 0; i < slots->n && code == EXIT_OK; i++) {
		in.sv.slot = sql_cell(slots, i, 0);
		in.sv.plugin = sql_cell(slots, i, 1);
		if ((code = run(&in, E_SNAP_CREATE_SLOT, NULL, 0)) == EXIT_OK)
			c->op->slots++;
	}
	ctx_close(&in);
	return (code);
}

/* Opens the session, takes the lock, reads the snapshots. */
static int
begin(struct snap_ctx *c, struct snap_op *op, const char *snap,
    struct snap_list *l)
{
	int	code;

	memset(l, 0, sizeof *l);
	if ((code = snapshot_check(op, snap)) != EXIT_OK)
		return (code);
	if ((code = ctx_open(c, op, NULL)) != EXIT_OK)
		return (code);
	if ((code = lock(c)) == EXIT_OK)
		code = list(c, l);
	if (code != EXIT_OK)
		ctx_close(c);
	return (code);
}

/*
 * begin, and the snapshot snap among them (unknown: said, exit 5); NULL
 * looks for the initial one, which may be missing.
 */
static int
begin_at(struct snap_ctx *c, struct snap_op *op, const char *snap,
    struct snap_list *l, const struct snap_info **si)
{
	int	code;

	if ((code = begin(c, op, snap, l)) != EXIT_OK)
		return (code);
	if ((*si = find(l, snap != NULL ? snap : SNAP_INITIAL)) != NULL ||
	    snap == NULL)
		return (EXIT_OK);
	error_msg("%s: %s has no snapshot '%s'", op->verb, op->d->name, snap);
	hint_msg("see: dbarena snapshot list %s", op->d->name);
	snap_list_free(l);
	ctx_close(c);
	return (EXIT_NOT_FOUND);
}

static void
end(struct snap_ctx *c, struct snap_list *l)
{
	snap_list_free(l);
	ctx_close(c);
}

static int	spares_of(struct snap_ctx *, const char *, struct snap_list *);
static int	drop_all(struct snap_ctx *, const struct strvec *);
static int	take_spare(struct snap_ctx *, const char *, const char *);
static int	by_number(const void *, const void *);

/*
 * Drops every spare of snapshot snap (NULL: of every snapshot), by
 * number; gone (unless NULL) gets their names.
 */
static int
drop_spares(struct snap_ctx *c, const char *snap, struct strvec *gone)
{
	struct snap_list	spares;
	struct strvec		names = STRVEC_INIT;
	size_t			i;
	int			code;

	if ((code = spares_of(c, snap, &spares)) != EXIT_OK)
		return (code);
	if (spares.n > 1)
		qsort(spares.v, spares.n, sizeof *spares.v, by_number);
	for (i = 0; i < spares.n; i++)
		strvec_push(&names, spares.v[i].object);
	snap_list_free(&spares);
	code = drop_all(c, &names);
	if (gone != NULL)
		strvec_pushvec(gone, &names);
	strvec_clear(&names);
	return (code);
}
static void	keep_spare(struct snap_ctx *, const char *, const char *,
		    const struct snap_list *, size_t);

int
snapshot_take(struct snap_op *op, const char *snap)
{
	struct snap_ctx	 c;
	struct snap_list l;
	char		*obj;
	int		 code, tries, ends;

	if ((code = begin(&c, op, snap, &l)) != EXIT_OK)
		return (code);
	obj = object_name(op->d, snap);
	if (find(&l, snap) != NULL) {
		error_msg("%s: %s already has a snapshot '%s'", op->verb,
		    op->d->name, snap);
		hint_msg("remove it first: dbarena snapshot rm %s %s",
		    op->d->name, snap);
		code = EXIT_CONFLICT;
		goto out;
	}
	/*
	 * Spares of a snapshot of this name that is gone (a snapshot rm that
	 * failed part way) are not copies of this one: they go first.
	 */
	if ((code = drop_spares(&c, snap, NULL)) != EXIT_OK)
		goto out;
	/* A template must have no session: end them, again if one came. */
	for (tries = 1; tries <= SWAP_TRIES; tries++) {
		if (conf_bool(op->e->set[E_SNAP_TAKE_ENDS].value) &&
		    (code = end_sessions(&c)) != EXIT_OK)
			break;
		ends = conf_bool(op->e->set[E_SNAP_TAKE_ENDS].value);
		if ((code = copy(&c, op->d->database, obj, ends &&
		    tries < SWAP_TRIES)) == EXIT_OK || !ends)
			break;
	}
	c.sv.target = obj;
	if (code == EXIT_OK)
		code = run(&c, E_SNAP_SEAL, NULL, 0);
	if (code == EXIT_OK && op->keep_spare) {
		struct snap_list	none = { NULL, 0 };	/* it is new */

		keep_spare(&c, snap, obj, &none, 0);
	}
out:
	free(obj);
	end(&c, &l);
	return (code);
}

/* SQL Server restores in place, from its own snapshot. */
static int
restore_in_place(struct snap_ctx *c, const char *obj)
{
	int	code;

	if ((code = end_sessions(c)) != EXIT_OK)
		return (code);
	c->sv.source = obj;
	code = run(c, E_SNAP_RESTORE, NULL, 0);
	c->sv.source = NULL;
	return (code);
}

/*
 * The copy into tmp (a spare of the snapshot renamed, when there is one),
 * then the swap: sessions ended, logical slots dropped, one statement,
 * the old contents dropped, the slots made again (same name and plugin,
 * from now on). Last, one spare left for the next restore.
 */
static int
restore_swap(struct snap_ctx *c, const struct snap_info *si)
{
	struct sql_rows	 slots = SQL_ROWS_INIT;
	struct snap_list spares;
	int		 code, slots_code;

	memset(&spares, 0, sizeof spares);
	/* Listed before the drops, with the listing begin read. */
	if (si != NULL && (code = spares_of(c, si->name, &spares)) != EXIT_OK)
		return (code);
	c->sv.target = c->tmp;
	(void)run(c, E_SNAP_DROP, NULL, 1);
	c->sv.target = c->old;
	(void)run(c, E_SNAP_DROP, NULL, 1);
	if (spares.n > 1)
		qsort(spares.v, spares.n, sizeof *spares.v, by_number);
	if (spares.n > 0 && take_spare(c, spares.v[0].object, c->tmp) ==
	    EXIT_OK)
		c->op->spared = 1;
	if (!c->op->spared && (code = copy(c, si != NULL ? si->object : NULL,
	    c->tmp, 0)) != EXIT_OK)
		goto out;
	if ((code = end_sessions(c)) == EXIT_OK &&
	    (code = drop_slots(c, &slots)) == EXIT_OK) {
		code = swap(c);
		/*
		 * The slots come back whatever the swap did: on the new
		 * contents, or on the old ones a failed swap left in place.
		 */
		slots_code = create_slots(c, &slots);
		if (code == EXIT_OK) {
			c->sv.target = c->old;
			code = run(c, E_SNAP_DROP, NULL, 0);
			c->sv.target = c->tmp;
			if (code == EXIT_OK)
				code = run(c, E_SNAP_DROP, NULL, 0);
		}
		if (code == EXIT_OK)
			code = slots_code;
	}
	if (code != EXIT_OK) {
		/* A MariaDB swap that failed may leave {old} made, empty. */
		c->sv.target = c->tmp;
		(void)run(c, E_SNAP_DROP, NULL, 1);
		c->sv.target = c->old;
		(void)run(c, E_SNAP_DROP, NULL, 1);
	} else if (si != NULL)
		keep_spare(c, si->name, si->object, &spares,
		    spares.n - c->op->spared);
	sql_rows_clear(&slots);
out:
	snap_list_free(&spares);
	return (code);
}

/* No snapshot (si NULL) is the engine's empty database, if it has one. */
static int
has_source(const struct snap_op *op, const struct snap_info *si)
{
	if (si != NULL || op->e->set[E_SNAP_EMPTY].value != NULL)
		return (EXIT_OK);
	error_msg("%s: %s has no snapshot '%s' and %s cannot make an empty "
	    "database", op->verb, op->d->name, SNAP_INITIAL, op->d->engine);
	return (EXIT_NOT_FOUND);
}

/*
 * Puts snapshot snap back; NULL: the reset, to the initial snapshot when
 * create took one (after --init), else to the engine's empty database.
 */
int
snapshot_restore(struct snap_op *op, const char *snap)
{
	struct snap_ctx		 c;
	struct snap_list	 l;
	const struct snap_info	*si;
	int			 code;

	if ((code = begin_at(&c, op, snap, &l, &si)) != EXIT_OK)
		return (code);
	if ((code = has_source(op, si)) != EXIT_OK)
		;
	else if (op->e->set[E_SNAP_RESTORE].value != NULL)
		code = restore_in_place(&c, si->object);
	else {
		op->empty = si == NULL;
		code = restore_swap(&c, si);
	}
	end(&c, &l);
	return (code);
}

int
snapshot_list(struct snap_op *op, struct snap_list *l)
{
	struct snap_ctx	 c;
	struct snap_list spares;
	struct sql_rows	 rows = SQL_ROWS_INIT;
	size_t		i;
	int		code;

	memset(l, 0, sizeof *l);
	if ((code = snapshot_check(op, NULL)) != EXIT_OK ||
	    (code = ctx_open(&c, op, NULL)) != EXIT_OK)
		return (code);
	code = list(&c, l);
	/* Spares from the same listing; sizes walk the files, last. */
	for (i = 0; i < l->n && code == EXIT_OK; i++) {
		if ((code = spares_of(&c, l->v[i].name, &spares)) != EXIT_OK)
			break;
		l->v[i].spares = spares.n;
		snap_list_free(&spares);
	}
	for (i = 0; i < l->n && code == EXIT_OK; i++) {
		sql_rows_clear(&rows);
		c.sv.target = l->v[i].object;
		if ((code = run(&c, E_SNAP_SIZE, &rows, 0)) == EXIT_OK &&
		    rows.n > 0)
			l->v[i].size = xstrdup(sql_cell(&rows, 0, 0));
	}
	sql_rows_clear(&rows);
	ctx_close(&c);
	if (code != EXIT_OK)	/* nothing half listed for the caller */
		snap_list_free(l);
	return (code);
}

/* The snapshot, and its spares: copies of a snapshot that is gone. */
int
snapshot_remove(struct snap_op *op, const char *snap)
{
	struct snap_ctx		 c;
	struct snap_list	 l;
	const struct snap_info	*si;
	int			 code;

	if ((code = begin_at(&c, op, snap, &l, &si)) != EXIT_OK)
		return (code);
	/*
	 * The spares first: a failure part way leaves the snapshot, never
	 * a spare of one that is gone for a new one of its name to meet.
	 */
	if ((code = drop_spares(&c, snap, NULL)) == EXIT_OK) {
		c.sv.target = si->object;
		code = run(&c, E_SNAP_DROP, NULL, 0);
	}
	end(&c, &l);
	return (code);
}

/* A clone's own name: its number, digits only. */
static int
clone_number(const char *s)
{
	return (*s != '\0' && s[strspn(s, "0123456789")] == '\0');
}

static int
by_number(const void *a, const void *b)
{
	unsigned long	x = strtoul(((const struct snap_info *)a)->name,
			    NULL, 10);
	unsigned long	y = strtoul(((const struct snap_info *)b)->name,
			    NULL, 10);

	return (x < y ? -1 : x > y);
}

/* One session's share of the copies: every step-th, from first. */
struct clone_job {
	struct snap_op		 op;	/* its own: via is the session's */
	struct snap_ctx		*c;	/* the caller's session, or NULL */
	const char		*source;
	const struct strvec	*made;
	int			*codes;
	size_t			 first;
	size_t			 step;
	pthread_t		 thread;
	int			 started;
};

static void *
clone_work(void *arg)
{
	struct clone_job	*j = arg;
	struct snap_ctx		 own, *c = j->c;
	size_t			 i;
	int			 code = EXIT_OK;

	if (c == NULL && (code = ctx_open(&own, &j->op, NULL)) == EXIT_OK)
		c = &own;
	for (i = j->first; i < j->made->n; i += j->step)
		j->codes[i] = c != NULL ? copy(c, j->source, j->made->v[i],
		    0) : code;
	if (c == &own)
		ctx_close(&own);
	return (NULL);
}

/*
 * Every copy of source named in made, over up to CLONE_WORKERS sessions
 * at once (the caller's is the first; the exec fallback stays on it).
 * The first failure's code; done gets the names this call made, the only
 * ones its caller may drop again (a name another command made meanwhile
 * failed here, and is that command's).
 */
static int
clone_copies(struct snap_ctx *c, const char *source,
    const struct strvec *made, struct strvec *done)
{
	struct clone_job	 jobs[CLONE_WORKERS];
	size_t			 i, n;
	int			*codes, code = EXIT_OK;

	n = c->s.via == SQL_EXEC || made->n < 2 ? 1 :
	    made->n < CLONE_WORKERS ? made->n : CLONE_WORKERS;
	codes = xcalloc(made->n, sizeof *codes);
	for (i = 0; i < n; i++) {
		memset(&jobs[i], 0, sizeof jobs[i]);
		jobs[i].op = *c->op;
		jobs[i].c = i == 0 ? c : NULL;
		jobs[i].source = source;
		jobs[i].made = made;
		jobs[i].codes = codes;
		jobs[i].first = i;
		jobs[i].step = n;
		if (i > 0)
			jobs[i].started = pthread_create(&jobs[i].thread,
			    NULL, clone_work, &jobs[i]) == 0;
	}
	for (i = 0; i < n; i++) {
		if (i > 0 && jobs[i].started)
			(void)pthread_join(jobs[i].thread, NULL);
		else
			(void)clone_work(&jobs[i]);
	}
	for (i = 0; i < made->n; i++) {
		if (codes[i] == EXIT_OK)
			strvec_push(done, made->v[i]);
		else if (code == EXIT_OK)
			code = codes[i];
	}
	free(codes);
	return (code);
}

/* The highest number among names that are numbers; 0: none. */
static unsigned long
top_number(const struct snap_list *l)
{
	unsigned long	top = 0, k;
	size_t		i;

	for (i = 0; i < l->n; i++) {
		k = strtoul(l->v[i].name, NULL, 10);
		top = k > top ? k : top;
	}
	return (top);
}

/* The next free numbers: one past the highest clone in the server. */
static int
clone_names(struct snap_ctx *c, size_t count, struct strvec *made)
{
	struct snap_list	 clones;
	unsigned long		 top;
	size_t			 i;
	int			 code;

	if ((code = list_kind(c, CLONE_PREFIX, clone_number, &clones)) !=
	    EXIT_OK)
		return (code);
	top = top_number(&clones);
	snap_list_free(&clones);
	for (i = 1; i <= count; i++)
		strvec_pushf(made, "%s%s_%lu", CLONE_PREFIX,
		    c->op->d->database, top + i);
	return (EXIT_OK);
}

/* Only engines whose snapshot is a database of its own can clone it. */
static int
clone_check(struct snap_op *op, const char *snap)
{
	int	code;

	if ((code = snapshot_check(op, snap)) != EXIT_OK)
		return (code);
	if (op->e->set[E_SNAP_RESTORE].value != NULL) {
		error_msg("%s: %s: %s cannot clone: its snapshots are not "
		    "databases of their own", op->verb, op->d->name,
		    op->d->engine);
		return (EXIT_UNSUPPORTED);
	}
	if (strlen(CLONE_PREFIX) + strlen(op->d->database) + 1 +
	    CLONE_DIGITS > SNAP_NAME_MAX) {
		error_msg("%s: %s: database name '%s' too long for clones",
		    op->verb, op->d->name, op->d->database);
		return (EXIT_UNSUPPORTED);
	}
	return (EXIT_OK);
}

/* Drops each of names (quietly: some may not exist). */
static void
drop_quiet(struct snap_ctx *c, const struct strvec *names)
{
	size_t	i;

	for (i = 0; i < names->n; i++) {
		c->sv.target = names->v[i];
		(void)run(c, E_SNAP_DROP, NULL, 1);
	}
	c->sv.target = NULL;
}

/* Drops each of names; the first failure's code. */
static int
drop_all(struct snap_ctx *c, const struct strvec *names)
{
	size_t	i;
	int	code = EXIT_OK;

	for (i = 0; i < names->n && code == EXIT_OK; i++) {
		c->sv.target = names->v[i];
		code = run(c, E_SNAP_DROP, NULL, 0);
	}
	c->sv.target = NULL;
	return (code);
}

/* A spare's own name after the database's: <snapshot>_<n>. */
static int
spare_rest(const char *s)
{
	const char	*u = strrchr(s, '_');
	char		*snap;
	int		 ok;

	if (u == NULL || !clone_number(u + 1))
		return (0);
	snap = xstrdup(s);
	snap[u - s] = '\0';
	ok = snapshot_valid_name(snap);
	free(snap);
	return (ok);
}

/* The spares of snapshot snap (NULL: of every snapshot). */
static int
spares_of(struct snap_ctx *c, const char *snap, struct snap_list *l)
{
	char	*prefix;
	int	 code;

	if (snap == NULL)
		return (list_kind(c, SPARE_PREFIX, spare_rest, l));
	prefix = xasprintf("%s%s_%s_", SPARE_PREFIX, c->op->d->database, snap);
	code = list_prefix(c, prefix, clone_number, l);
	free(prefix);
	return (code);
}

/* DBARENA_SPARES=0: no spare left behind (a server short of memory). */
static int
spares_wanted(void)
{
	const char	*env = getenv("DBARENA_SPARES");

	return (env == NULL || strcmp(env, "0") != 0);
}

/*
 * Leaves one spare of snapshot snap (the server's object) for the next
 * restore or clone, when none is left (left: how many of spares, its
 * spares, are; numbers go past theirs), so that the
 * loop of reset after reset, or clone after clone, only renames. The
 * server makes it after this command has gone: the copy is the one unit
 * sent and not waited for, the last of the session (sql_send), and the
 * session keeps the lock until the server is done, so a restore or clone
 * meanwhile waits for the spare and takes it. Only where a copy is one
 * statement and the session can send one without waiting (libpq); a
 * spare that fails to come only means that the next one copies.
 */
static void
keep_spare(struct snap_ctx *c, const char *snap, const char *object,
    const struct snap_list *spares, size_t left)
{
	struct strbuf	 unit = STRBUF_INIT;
	char		*name, *err = NULL;
	int		 code;

	if (left > 0 || !spares_wanted() ||
	    c->op->e->set[E_SNAP_TABLES].value != NULL ||
	    c->op->e->set[E_SNAP_RESTORE].value != NULL ||
	    strlen(SPARE_PREFIX) + strlen(c->op->d->database) + 1 +
	    strlen(snap) + 1 + CLONE_DIGITS > SNAP_NAME_MAX)
		return;
	name = xasprintf("%s%s_%s_%lu", SPARE_PREFIX, c->op->d->database,
	    snap, top_number(spares) + 1);
	c->sv.source = object;
	c->sv.target = name;
	if (render_unit(c, E_SNAP_COPY, &unit, &code) == 0 &&
	    sql_send(&c->s, unit.buf, &err) == 0)
		c->op->ahead = 1;
	c->sv.source = c->sv.target = NULL;
	free(err);
	free(name);
	strbuf_release(&unit);
}

/*
 * The spare becomes the clone target: renamed (PostgreSQL), or a new
 * schema that every table moves into in one statement, the spare
 * dropped (MariaDB, MySQL). A failure leaves no target: the caller
 * copies instead.
 */
static int
take_spare(struct snap_ctx *c, const char *spare, const char *target)
{
	struct strbuf	pairs = STRBUF_INIT;
	int		code;

	c->sv.source = spare;
	c->sv.target = target;
	if ((code = run(c, E_SNAP_RENAME, NULL, 1)) == EXIT_OK &&
	    c->op->e->set[E_SNAP_RENAME_TABLES].value != NULL) {
		if ((code = add_pairs(c, spare, target, &pairs)) == EXIT_OK &&
		    pairs.len > 0) {
			c->sv.pairs = pairs.buf;
			code = run(c, E_SNAP_RENAME_TABLES, NULL, 1);
			c->sv.pairs = NULL;
		}
		c->sv.target = code == EXIT_OK ? spare : target;
		(void)run(c, E_SNAP_DROP, NULL, 1);
	}
	c->sv.source = c->sv.target = NULL;
	strbuf_release(&pairs);
	return (code);
}

/*
 * The spares of snap (listed into spares, for the caller to free) become
 * the first of made (op->spared of them, named in ours too); the rest go
 * into rest, to copy. *left: the spares not taken.
 */
static int
take_spares(struct snap_ctx *c, const char *snap, const struct strvec *made,
    struct strvec *rest, struct strvec *ours, struct snap_list *spares,
    size_t *left)
{
	size_t	i, k = 0;
	int	code;

	if ((code = spares_of(c, snap, spares)) != EXIT_OK)
		return (code);
	if (spares->n > 1)
		qsort(spares->v, spares->n, sizeof *spares->v, by_number);
	for (i = 0; i < made->n; i++) {
		if (k < spares->n && take_spare(c, spares->v[k++].object,
		    made->v[i]) == EXIT_OK) {
			c->op->spared++;
			strvec_push(ours, made->v[i]);
		} else
			strvec_push(rest, made->v[i]);
	}
	*left = spares->n - c->op->spared;
	return (EXIT_OK);
}

/*
 * count new databases in the server, each a copy of snapshot snap (NULL:
 * initial if there is one, else the engine's empty database, as reset),
 * named into made: the snapshot's spares first (clone fill), the rest
 * copied now. All or none: a failure drops the ones this command made
 * (never one of the same name another made meanwhile). The lock keeps
 * two clone commands from picking the same numbers or spares, and the
 * snapshot from going while it is copied.
 */
int
snapshot_clone(struct snap_op *op, const char *snap, size_t count,
    struct strvec *made)
{
	struct snap_ctx		 c;
	struct snap_list	 l, spares;
	struct strvec		 rest = STRVEC_INIT, ours = STRVEC_INIT;
	const struct snap_info	*si;
	size_t			 i, left = 0;
	int			 code;

	if ((code = clone_check(op, snap)) != EXIT_OK ||
	    (code = begin_at(&c, op, snap, &l, &si)) != EXIT_OK)
		return (code);
	memset(&spares, 0, sizeof spares);
	op->empty = si == NULL;
	if ((code = has_source(op, si)) == EXIT_OK &&
	    (code = clone_names(&c, count, made)) == EXIT_OK) {
		if (si != NULL)
			code = take_spares(&c, si->name, made, &rest, &ours,
			    &spares, &left);
		else
			for (i = 0; i < made->n; i++)
				strvec_push(&rest, made->v[i]);
	}
	/* Ours: the spares renamed (take_spares), then the copies made. */
	if (code == EXIT_OK && rest.n > 0)
		code = clone_copies(&c, si != NULL ? si->object : NULL, &rest,
		    &ours);
	if (code != EXIT_OK) {
		drop_quiet(&c, &ours);
		strvec_clear(made);
		op->spared = 0;
	} else if (si != NULL)
		keep_spare(&c, si->name, si->object, &spares, left);
	snap_list_free(&spares);
	strvec_clear(&rest);
	strvec_clear(&ours);
	end(&c, &l);
	return (code);
}

/* The next free spare numbers of snap: one past the highest. */
static int
spare_names(struct snap_ctx *c, const char *snap, size_t count,
    struct strvec *made, size_t *had)
{
	struct snap_list	 spares;
	unsigned long		 top;
	size_t			 i;
	int			 code;

	if ((code = spares_of(c, snap, &spares)) != EXIT_OK)
		return (code);
	top = top_number(&spares);
	*had = spares.n;
	snap_list_free(&spares);
	for (i = 1; i <= count; i++)
		strvec_pushf(made, "%s%s_%s_%lu", SPARE_PREFIX,
		    c->op->d->database, snap, top + i);
	return (EXIT_OK);
}

/* A spare's name must fit: dbarena_spare_<db>_<snapshot>_<n>. */
static int
spare_check(struct snap_op *op, const char *snap)
{
	if (strlen(SPARE_PREFIX) + strlen(op->d->database) + 1 +
	    strlen(snap) + 1 + CLONE_DIGITS <= SNAP_NAME_MAX)
		return (EXIT_OK);
	error_msg("%s: %s: no room for spares of '%s': %s%s_%s_N must fit "
	    "in %d characters", op->verb, op->d->name, snap, SPARE_PREFIX,
	    op->d->database, snap, SNAP_NAME_MAX);
	return (EXIT_USAGE);
}

/*
 * count spares of snapshot snap (NULL: initial), made now so that clone
 * only renames them; *total: how many it has after. Only of a snapshot:
 * the engine's empty database is not one.
 */
int
snapshot_spare_fill(struct snap_op *op, const char *snap, size_t count,
    size_t *total)
{
	struct snap_ctx		 c;
	struct snap_list	 l;
	struct strvec		 made = STRVEC_INIT, ours = STRVEC_INIT;
	const struct snap_info	*si;
	size_t			 had = 0;
	int			 code;

	if ((code = clone_check(op, snap)) != EXIT_OK ||
	    (code = begin_at(&c, op, snap, &l, &si)) != EXIT_OK)
		return (code);
	if (si == NULL) {
		error_msg("%s: %s has no snapshot '%s': spares are copies of "
		    "a snapshot", op->verb, op->d->name, SNAP_INITIAL);
		code = EXIT_NOT_FOUND;
	} else if ((code = spare_check(op, si->name)) == EXIT_OK &&
	    (code = spare_names(&c, si->name, count, &made, &had)) ==
	    EXIT_OK && (code = clone_copies(&c, si->object, &made, &ours)) !=
	    EXIT_OK)
		drop_quiet(&c, &ours);
	*total = code == EXIT_OK ? had + made.n : had;
	strvec_clear(&made);
	strvec_clear(&ours);
	end(&c, &l);
	return (code);
}

/* Drops the spares of snap (NULL: all of the database's), named in gone. */
int
snapshot_spare_drain(struct snap_op *op, const char *snap,
    struct strvec *gone)
{
	struct snap_ctx		 c;
	struct snap_list	 l;
	int			 code;

	if ((code = clone_check(op, snap)) != EXIT_OK ||
	    (code = begin(&c, op, snap, &l)) != EXIT_OK)
		return (code);
	code = drop_spares(&c, snap, gone);
	end(&c, &l);
	return (code);
}

/* This database's clones, from its server, by number (their name). */
int
snapshot_clone_list(struct snap_op *op, struct snap_list *l)
{
	struct snap_ctx	c;
	int		code;

	memset(l, 0, sizeof *l);
	if ((code = clone_check(op, NULL)) != EXIT_OK ||
	    (code = ctx_open(&c, op, NULL)) != EXIT_OK)
		return (code);
	if ((code = list_kind(&c, CLONE_PREFIX, clone_number, l)) == EXIT_OK &&
	    l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, by_number);
	ctx_close(&c);
	return (code);
}

/* which: numbers or full names; NULL: every clone. Unknown: none go. */
static int
clone_pick(const struct snap_op *op, const struct snap_list *clones,
    const struct strvec *which, struct strvec *gone)
{
	const struct snap_info	*si;
	size_t			 i, k;

	for (i = 0; which == NULL && i < clones->n; i++)
		strvec_push(gone, clones->v[i].object);
	for (k = 0; which != NULL && k < which->n; k++) {
		for (si = NULL, i = 0; si == NULL && i < clones->n; i++)
			if (strcmp(clones->v[i].name, which->v[k]) == 0 ||
			    strcmp(clones->v[i].object, which->v[k]) == 0)
				si = &clones->v[i];
		if (si == NULL) {
			error_msg("%s: %s has no clone '%s'", op->verb,
			    op->d->name, which->v[k]);
			hint_msg("see: dbarena clone list %s", op->d->name);
			strvec_clear(gone);
			return (EXIT_NOT_FOUND);
		}
		if (!in(gone, si->object))
			strvec_push(gone, si->object);
	}
	return (EXIT_OK);
}

/*
 * Drops clones (which: NULL for all), ending their sessions; only names
 * under this database's clone prefix, never the database or a snapshot.
 */
int
snapshot_clone_remove(struct snap_op *op, const struct strvec *which,
    struct strvec *gone)
{
	struct snap_ctx		 c;
	struct snap_list	 l, clones;
	int			 code;

	if ((code = clone_check(op, NULL)) != EXIT_OK ||
	    (code = begin(&c, op, NULL, &l)) != EXIT_OK)
		return (code);
	if ((code = list_kind(&c, CLONE_PREFIX, clone_number, &clones)) ==
	    EXIT_OK) {
		code = clone_pick(op, &clones, which, gone);
		snap_list_free(&clones);
	}
	if (code == EXIT_OK)
		code = drop_all(&c, gone);
	end(&c, &l);
	return (code);
}
