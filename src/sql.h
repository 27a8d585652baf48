/*
 * Statements against a database's server: over its published port with
 * the server's own client library when dbarena was built with it and the
 * port answers from here, else through "docker exec" of the engine's
 * client. Either way a "unit" (one or more statements, as one string) is
 * one round trip, with the same meaning: PostgreSQL runs the statements
 * of a unit as one transaction, MariaDB and MySQL one after the other.
 */
#ifndef DBARENA_SQL_H
#define DBARENA_SQL_H

#include "util.h"

enum sql_via {
	SQL_NONE,
	SQL_LIBPQ,
	SQL_LIBMARIADB,
	SQL_EXEC
};

/* Where and who; the strings are the caller's and must outlive the session. */
struct sql_target {
	const char		*library;	/* "libpq", "libmariadb" or NULL */
	const char		*host;		/* where the port is published */
	int			 port;
	const char		*user;
	const char		*password;
	const char		*database;	/* NULL or "": none */
	const char		*container;	/* for the exec fallback */
	const char		*password_env;	/* the client's variable */
	const struct strvec	*exec;		/* client words; the unit follows */
	const struct strvec	*exec_stdin;	/* or NULL: the unit on stdin */
};

struct sql {
	enum sql_via		 via;
	void			*conn;
	struct sql_target	 t;
	int			 docker_err;	/* exec: docker's own failure */
};
#define SQL_INIT { SQL_NONE, NULL, { NULL, NULL, 0, NULL, NULL, NULL, \
	NULL, NULL, NULL, NULL }, 0 }

/* What a unit answered: every row of every result, ncols cells each. */
struct sql_rows {
	struct strvec	 cells;
	size_t		 ncols;
	size_t		 n;
};
#define SQL_ROWS_INIT { STRVEC_INIT, 0, 0 }

int		 sql_open(struct sql *, const struct sql_target *, char **);
int		 sql_run(struct sql *, const char *, struct sql_rows *,
		     char **);
int		 sql_send(struct sql *, const char *, char **);
void		 sql_close(struct sql *);
const char	*sql_via_name(enum sql_via);
const char	*sql_cell(const struct sql_rows *, size_t, size_t);
void		 sql_rows_clear(struct sql_rows *);
void		 sql_parse_output(const char *, int, struct sql_rows *);
const char	*sql_libraries(void);
int		 sql_library_load(const char *, char **);

#endif
