/*
 * The fast SQL path. A docker exec of psql or mariadb costs 150-500 ms
 * here; the same statement over the published port with libpq or
 * libmariadb costs a few. So a session tries the library first (when
 * built with it: ./configure --with-libpq, --with-mariadb) and falls back
 * to one "docker exec CLIENT ... UNIT" per unit when the library is
 * missing or the port does not answer from here (a remote engine). The
 * fallback has no session between units: what a unit needs of one (USE,
 * SET, a lock) it must carry itself. DBARENA_SQL=exec forces the
 * fallback, DBARENA_SQL=library forbids it (tests, benchmarks).
 *
 * The libraries are loaded with dlopen, the first time a session wants
 * one: linked in, they and theirs (TLS, Kerberos, LDAP: 29 objects)
 * would cost every dbarena command, list and url included, some 4 ms of
 * start and 6 MB of memory. Only their headers are needed to build.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_LIBPQ
#include <libpq-fe.h>
#endif
#ifdef HAVE_LIBMARIADB
#include <mysql.h>
#endif

#include "docker.h"
#include "sql.h"

#define SQL_CONNECT_TIMEOUT	"3"	/* seconds: a port that does not answer */
#define SQL_ARG_MAX	(64 * 1024)	/* longer units: exec_stdin */
#define SQL_ARG_LIMIT	(128 * 1024)	/* Linux's MAX_ARG_STRLEN */

const char *
sql_via_name(enum sql_via via)
{
	switch (via) {
	case SQL_LIBPQ:
		return ("libpq");
	case SQL_LIBMARIADB:
		return ("libmariadb");
	case SQL_EXEC:
		return ("exec");
	default:
		return ("none");
	}
}

/* The libraries this dbarena was built with, for doctor. */
const char *
sql_libraries(void)
{
#if defined(HAVE_LIBPQ) && defined(HAVE_LIBMARIADB)
	return ("libpq libmariadb");
#elif defined(HAVE_LIBPQ)
	return ("libpq");
#elif defined(HAVE_LIBMARIADB)
	return ("libmariadb");
#else
	return ("");
#endif
}

const char *
sql_cell(const struct sql_rows *r, size_t row, size_t col)
{
	if (row >= r->n || col >= r->ncols)
		return ("");
	return (r->cells.v[row * r->ncols + col]);
}

void
sql_rows_clear(struct sql_rows *r)
{
	strvec_clear(&r->cells);
	r->ncols = r->n = 0;
}

/* One row's cells; a row with fewer than the first row's gets "". */
static void
rows_add(struct sql_rows *r, char **cells, size_t n)
{
	size_t	i;

	if (r->n == 0 && r->cells.n == 0)
		r->ncols = n;
	for (i = 0; i < r->ncols; i++)
		strvec_push(&r->cells, i < n && cells[i] != NULL ? cells[i] :
		    "");
	r->n++;
}

/* The mysql client's batch escapes: \n, \t, \0 and \\. */
static void
unescape(char *s)
{
	char	*o = s;

	for (; *s != '\0'; s++) {
		if (*s != '\\' || s[1] == '\0') {
			*o++ = *s;
			continue;
		}
		s++;
		*o++ = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s == '0' ?
		    ' ' : *s;
	}
	*o = '\0';
}

/*
 * A client's tab-separated output (psql -A -t -F TAB, mariadb -N -B), a
 * row a line; escaped: the mysql client's escapes are undone.
 */
void
sql_parse_output(const char *out, int escaped, struct sql_rows *r)
{
	struct strvec	 cells = STRVEC_INIT;
	char		*copy, *line, *next, *tab, *cell;

	copy = xstrdup(out);
	for (line = copy; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		strvec_clear(&cells);
		for (cell = line; cell != NULL; cell = tab) {
			if ((tab = strchr(cell, '\t')) != NULL)
				*tab++ = '\0';
			if (escaped)
				unescape(cell);
			strvec_push(&cells, cell);
		}
		rows_add(r, cells.v, cells.n);
	}
	strvec_clear(&cells);
	free(copy);
}

static int
exec_run(struct sql *s, const char *unit, struct sql_rows *rows, char **err)
{
	struct strvec		 argv = STRVEC_INIT;
	struct strbuf		 out = STRBUF_INIT, in = STRBUF_INIT;
	struct docker_result	 res = DOCKER_RESULT_INIT;
	int			 rc;

	if (s->t.exec == NULL || s->t.exec->n == 0) {
		*err = xstrdup("no [snapshot] exec client to fall back on");
		return (-1);
	}
	/*
	 * One argument holds at most 128 KiB on Linux: a long unit (a
	 * MariaDB copy of some hundreds of tables) goes on stdin, with the
	 * words that read it there, when the engine file has them.
	 */
	if (strlen(unit) > SQL_ARG_MAX && s->t.exec_stdin != NULL &&
	    s->t.exec_stdin->n > 0) {
		strvec_pushvec(&argv, s->t.exec_stdin);
		strbuf_adds(&in, unit);
	} else if (strlen(unit) >= SQL_ARG_LIMIT) {
		*err = xasprintf("a unit of %zu bytes is too long for one "
		    "argument, and [snapshot] has no exec_stdin", strlen(unit));
		return (-1);
	} else {
		strvec_pushvec(&argv, s->t.exec);
		strvec_push(&argv, unit);
	}
	rc = docker_exec_input(s->t.container, s->t.password_env,
	    s->t.password, &argv, in.len > 0 ? &in : NULL, &out,
	    docker_timeout(DOCKER_LONG_TIMEOUT_MS), &res);
	/* The client's own failure is the server's answer; docker's is not. */
	s->docker_err = rc != 0 && res.err != DERR_OTHER ? (int)res.err :
	    DERR_NONE;
	if (rc != 0) {
		strbuf_rtrim(&res.msg);
		*err = xstrdup(res.msg.len > 0 ? res.msg.buf :
		    "the client failed with no message");
	} else if (rows != NULL)
		sql_parse_output(out.buf, s->t.library != NULL &&
		    strcmp(s->t.library, "libmariadb") == 0, rows);
	strvec_clear(&argv);
	strbuf_release(&out);
	strbuf_release(&in);
	docker_result_release(&res);
	return (rc == 0 ? 0 : -1);
}

/* dlopen and dlsym each name: 0, or -1 with *why. */
static int
load(const char *file, void **handle, const char *const *names, void **fns,
    char **why)
{
	const char	*e;
	size_t		 i;

	if (*handle == NULL &&
	    (*handle = dlopen(file, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		e = dlerror();
		*why = xstrdup(e != NULL ? e : file);
		return (-1);
	}
	for (i = 0; names[i] != NULL; i++) {
		if (fns[i] == NULL && (fns[i] = dlsym(*handle, names[i])) ==
		    NULL) {
			*why = xasprintf("%s: no %s", file, names[i]);
			return (-1);
		}
	}
	return (0);
}

#ifdef HAVE_LIBPQ
#define PQ_FUNCS(X) X(PQconnectdbParams) X(PQstatus) X(PQerrorMessage) \
	X(PQfinish) X(PQsetNoticeProcessor) X(PQexec) X(PQresultStatus) \
	X(PQresultErrorMessage) X(PQnfields) X(PQntuples) X(PQgetvalue) \
	X(PQclear) X(PQsendQuery)
#define FN_NAME(f)	#f,
#define FN_PTR(f)	__typeof__(f) *f;
static const char *const pq_names[] = { PQ_FUNCS(FN_NAME) NULL };
static union {
	struct { PQ_FUNCS(FN_PTR) } f;
	void	*v[sizeof pq_names / sizeof pq_names[0]];
} pq;
static void	*pq_handle;

/*
 * libpq's SCRAM login draws its nonce from OpenSSL, whose first use reads
 * openssl.cnf and seeds its generator: 1 to 4 ms here. Drawn once at the
 * load, which the snapshot commands do while docker answers, that time
 * leaves the login. Where libpq has no OpenSSL, nothing.
 */
static void
pq_warm(void)
{
	int	(*rand_bytes)(unsigned char *, int);
	unsigned char	 b[1];

	*(void **)&rand_bytes = dlsym(pq_handle, "RAND_bytes");
	if (rand_bytes != NULL)
		(void)rand_bytes(b, sizeof b);
}

static int
pq_load(char **why)
{
	static int	warm;

	if (load(LIBPQ_SONAME, &pq_handle, pq_names, pq.v, why) == -1)
		return (-1);
	if (!warm++)
		pq_warm();
	return (0);
}

/* From here on, the names are the loaded library's. */
#define PQconnectdbParams	pq.f.PQconnectdbParams
#define PQstatus		pq.f.PQstatus
#define PQerrorMessage		pq.f.PQerrorMessage
#define PQfinish		pq.f.PQfinish
#define PQsetNoticeProcessor	pq.f.PQsetNoticeProcessor
#define PQexec			pq.f.PQexec
#define PQresultStatus		pq.f.PQresultStatus
#define PQresultErrorMessage	pq.f.PQresultErrorMessage
#define PQnfields		pq.f.PQnfields
#define PQntuples		pq.f.PQntuples
#define PQgetvalue		pq.f.PQgetvalue
#define PQclear			pq.f.PQclear
#define PQsendQuery		pq.f.PQsendQuery

/* "does not exist, skipping" and the like: the caller judges results. */
static void
pq_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static int
pq_open(struct sql *s, char **err)
{
	const char	*keys[10], *vals[10];
	char		 port[16];
	PGconn		*c;
	int		 local;

	if (pq_load(err) == -1)
		return (-1);
	snprintf(port, sizeof port, "%d", s->t.port);
	keys[0] = "host";		vals[0] = s->t.host;
	keys[1] = "port";		vals[1] = port;
	keys[2] = "user";		vals[2] = s->t.user;
	keys[3] = "password";		vals[3] = s->t.password;
	keys[4] = "dbname";		vals[4] = s->t.database;
	keys[5] = "connect_timeout";	vals[5] = SQL_CONNECT_TIMEOUT;
	keys[6] = "application_name";	vals[6] = "dbarena";
	/*
	 * On this machine, no TLS or GSSAPI to ask for first: a round trip
	 * and OpenSSL's configuration each (SCRAM never sends the password).
	 */
	local = strcmp(s->t.host, "127.0.0.1") == 0 ||
	    strcmp(s->t.host, "localhost") == 0 || strcmp(s->t.host, "::1") == 0;
	keys[7] = "sslmode";		vals[7] = local ? "disable" : "prefer";
	keys[8] = "gssencmode";		vals[8] = local ? "disable" : "prefer";
	keys[9] = NULL;			vals[9] = NULL;
	c = PQconnectdbParams(keys, vals, 0);
	if (PQstatus(c) != CONNECTION_OK) {
		*err = xstrdup(PQerrorMessage(c));
		PQfinish(c);
		return (-1);
	}
	PQsetNoticeProcessor(c, pq_quiet, NULL);
	s->conn = c;
	return (0);
}

static int
pq_run(struct sql *s, const char *unit, struct sql_rows *rows, char **err)
{
	PGresult	*r;
	char		**cells;
	int		 i, j, nf, ok;

	r = PQexec(s->conn, unit);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
	    PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok)
		*err = xstrdup(PQresultErrorMessage(r));
	else if (rows != NULL && (nf = PQnfields(r)) > 0) {
		cells = xreallocarray(NULL, nf, sizeof *cells);
		for (i = 0; i < PQntuples(r); i++) {
			for (j = 0; j < nf; j++)
				cells[j] = PQgetvalue(r, i, j);
			rows_add(rows, cells, nf);
		}
		free(cells);
	}
	PQclear(r);
	return (ok ? 0 : -1);
}

/*
 * PQsendQuery writes the whole query on a blocking connection; the
 * session ends at once (sql_close: a Terminate after it). The server
 * runs the query to its end and commits before it writes the result,
 * which finds the socket closed; then it reads the Terminate or the end
 * of the stream and exits without a word. One query only: a second
 * result would be written to a reset socket, and the server would end
 * the session before running the rest ("connection to client lost").
 */
static int
pq_send(struct sql *s, const char *unit, char **err)
{
	if (PQsendQuery(s->conn, unit) == 1)
		return (0);
	*err = xstrdup(PQerrorMessage(s->conn));
	return (-1);
}
#endif

#ifdef HAVE_LIBMARIADB
#define MY_FUNCS(X) X(mysql_init) X(mysql_options) X(mysql_real_connect) \
	X(mysql_error) X(mysql_close) X(mysql_real_query) \
	X(mysql_store_result) X(mysql_fetch_row) X(mysql_num_fields) \
	X(mysql_free_result) X(mysql_field_count) X(mysql_next_result)
#ifndef FN_NAME
#define FN_NAME(f)	#f,
#define FN_PTR(f)	__typeof__(f) *f;
#endif
static const char *const my_names[] = { MY_FUNCS(FN_NAME) NULL };
static union {
	struct { MY_FUNCS(FN_PTR) } f;
	void	*v[sizeof my_names / sizeof my_names[0]];
} my;
static void	*my_handle;

static int
my_load(char **why)
{
	return (load(LIBMARIADB_SONAME, &my_handle, my_names, my.v, why));
}

#define mysql_init		my.f.mysql_init
#define mysql_options		my.f.mysql_options
#define mysql_real_connect	my.f.mysql_real_connect
#define mysql_error		my.f.mysql_error
#define mysql_close		my.f.mysql_close
#define mysql_real_query	my.f.mysql_real_query
#define mysql_store_result	my.f.mysql_store_result
#define mysql_fetch_row		my.f.mysql_fetch_row
#define mysql_num_fields	my.f.mysql_num_fields
#define mysql_free_result	my.f.mysql_free_result
#define mysql_field_count	my.f.mysql_field_count
#define mysql_next_result	my.f.mysql_next_result

static int
my_open(struct sql *s, char **err)
{
	MYSQL		*m;
	unsigned int	 timeout = atoi(SQL_CONNECT_TIMEOUT);
	unsigned int	 tcp = MYSQL_PROTOCOL_TCP;

	if (my_load(err) == -1)
		return (-1);
	if ((m = mysql_init(NULL)) == NULL) {
		*err = xstrdup("out of memory");
		return (-1);
	}
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(m, MYSQL_OPT_PROTOCOL, &tcp);
	if (mysql_real_connect(m, s->t.host, s->t.user, s->t.password,
	    s->t.database != NULL && *s->t.database != '\0' ?
	    s->t.database : NULL, s->t.port, NULL,
	    CLIENT_MULTI_STATEMENTS) == NULL) {
		*err = xstrdup(mysql_error(m));
		mysql_close(m);
		return (-1);
	}
	s->conn = m;
	return (0);
}

/* Every result of every statement of the unit, in order. */
static int
my_run(struct sql *s, const char *unit, struct sql_rows *rows, char **err)
{
	MYSQL		*m = s->conn;
	MYSQL_RES	*res;
	MYSQL_ROW	 row;
	int		 status;

	if (mysql_real_query(m, unit, strlen(unit)) != 0)
		goto fail;
	do {
		if ((res = mysql_store_result(m)) != NULL) {
			while ((row = mysql_fetch_row(res)) != NULL)
				if (rows != NULL)
					rows_add(rows, row,
					    mysql_num_fields(res));
			mysql_free_result(res);
		} else if (mysql_field_count(m) != 0)
			goto fail;
		if ((status = mysql_next_result(m)) > 0)
			goto fail;
	} while (status == 0);
	return (0);
fail:
	*err = xstrdup(mysql_error(m));
	return (-1);
}
#endif

/*
 * Opens a session: the library when there is one for the engine and the
 * port answers, else the exec fallback. -1 with *err only when neither
 * may be used.
 */
int
sql_open(struct sql *s, const struct sql_target *t, char **err)
{
	const char	*mode = getenv("DBARENA_SQL");
	const char	*lib = t->library != NULL ? t->library : "";
	char		*why = NULL;
	int		 rc = -1;

	s->t = *t;
	s->conn = NULL;
	s->via = SQL_EXEC;
	if (mode != NULL && strcmp(mode, "exec") == 0)
		return (0);
#ifdef HAVE_LIBPQ
	if (strcmp(lib, "libpq") == 0 && (rc = pq_open(s, &why)) == 0)
		s->via = SQL_LIBPQ;
#endif
#ifdef HAVE_LIBMARIADB
	if (strcmp(lib, "libmariadb") == 0 && (rc = my_open(s, &why)) == 0)
		s->via = SQL_LIBMARIADB;
#endif
	if (rc != 0 && mode != NULL && strcmp(mode, "library") == 0) {
		*err = why != NULL ? why : xasprintf("dbarena was built "
		    "without %s", *lib != '\0' ? lib : "a client library");
		return (-1);
	}
	free(why);
	return (0);
}

int
sql_run(struct sql *s, const char *unit, struct sql_rows *rows, char **err)
{
	switch (s->via) {
#ifdef HAVE_LIBPQ
	case SQL_LIBPQ:
		return (pq_run(s, unit, rows, err));
#endif
#ifdef HAVE_LIBMARIADB
	case SQL_LIBMARIADB:
		return (my_run(s, unit, rows, err));
#endif
	case SQL_EXEC:
		return (exec_run(s, unit, rows, err));
	default:
		*err = xstrdup("no session");
		return (-1);
	}
}

/*
 * Sends a unit that the server runs after this session is closed, which
 * the caller does next, without waiting for it: the work of a unit that
 * nobody waits for. 0: sent; 1: this session cannot (only libpq can: the
 * exec fallback's client waits for its answer, and a MariaDB unit of many
 * statements writes a result after each, which a closed socket may
 * stop); -1 with *err.
 */
int
sql_send(struct sql *s, const char *unit, char **err)
{
#ifdef HAVE_LIBPQ
	if (s->via == SQL_LIBPQ)
		return (pq_send(s, unit, err));
#endif
	(void)unit;
	(void)err;
	return (1);
}

void
sql_close(struct sql *s)
{
#ifdef HAVE_LIBPQ
	if (s->via == SQL_LIBPQ && s->conn != NULL)
		PQfinish(s->conn);
#endif
#ifdef HAVE_LIBMARIADB
	if (s->via == SQL_LIBMARIADB && s->conn != NULL)
		mysql_close(s->conn);
#endif
	s->conn = NULL;
	s->via = SQL_NONE;
}

/*
 * Can the library lib ("libpq", "libmariadb") be loaded here: 0, or -1
 * with *why (not built in, or its file missing).
 */
int
sql_library_load(const char *lib, char **why)
{
#ifdef HAVE_LIBPQ
	if (strcmp(lib, "libpq") == 0)
		return (pq_load(why));
#endif
#ifdef HAVE_LIBMARIADB
	if (strcmp(lib, "libmariadb") == 0)
		return (my_load(why));
#endif
	*why = xasprintf("built without %s", lib);
	return (-1);
}
