/*
 * The renderer: (engine, version, profile, options) -> what to run. It is
 * a pure function with no I/O, so every engine x profile pair can be
 * golden-tested, and --dry-run prints exactly what create would run.
 */
#ifndef DBARENA_RENDER_H
#define DBARENA_RENDER_H

#include "config.h"
#include "database.h"
#include "docker.h"

struct create_opts {
	const char		*version;
	const char		*name;		/* chosen by the caller */
	const char		*bind;		/* NULL: 127.0.0.1 */
	int			 port;		/* host port, chosen by the caller */
	const char		*image;		/* full reference, beats all */
	const char		*registry;	/* mirror, beats the profile's */
	const char		*memory;
	const char		*cpus;
	const char		*user;
	const char		*password;
	const char		*database;
	const struct strvec	*env;		/* "K=V" from --env */
	const char		*created;	/* RFC 3339, UTC */
	const char		*expires;	/* RFC 3339, UTC; NULL: never */
	long long		 timeout_ms;	/* 0: the profile's or 60 s */
	const char		*pool_key;	/* engine/version/profile */
	const char		*owner;		/* this create's mark, or NULL */
	const char		*network;	/* a network to join, or NULL */
	const char		*run;		/* run's mark (runmark.c), or NULL */
};

/*
 * What create will run: the database it makes (name, image, port, user,
 * password, url, ...), and how to run it and wait for it.
 */
struct plan {
	struct database	 db;
	char		*ready_log;
	char		*probe;
	long long	 timeout_ms;
	struct volume_spec volume;	/* name NULL: none */
	struct run_spec	 run;
	struct strvec	 secret_env;	/* "K=V" for docker's environment */
	struct strvec	 health_argv;	/* command to docker exec */
};

/*
 * The {names} a [snapshot] statement may use. database is the user's,
 * source and target what a copy reads and makes, tmp and old the names a
 * restore swaps through; the rest are one row's (a table, a slot, a
 * session id) or what the caller assembled (pairs of a swap). NULL: "".
 */
struct snap_vars {
	const char	*database;
	const char	*user;
	const char	*source;
	const char	*target;
	const char	*tmp;
	const char	*old;
	const char	*table;
	const char	*from;
	const char	*to;
	const char	*slot;
	const char	*plugin;
	const char	*id;
	const char	*pairs;
	const char	*columns;	/* a table's, quoted, with ", " */
	const char	*wait;		/* seconds on a lock, at most */
	const char	*wait_ms;	/* the same, in milliseconds */
};

int	 render(const struct engine *, const struct profile *,
	     const struct create_opts *, struct plan *, char **);
void	 plan_free(struct plan *);
char	*render_image(const char *, const char *, const char *);
char	*render_url(const char *, const char *, int, const char *,
	     const char *, const char *);
char	*volume_name_for(const char *);
const char *connect_host(const char *);
int	 render_text(const char *, const char *const *, const char *const *,
	     int, struct strbuf *, char **);
int	 render_health_argv(const struct engine *, const char *, const char *,
	     const char *, struct strvec *);
int	 render_engine_argv(const struct engine *, enum engine_key,
	     const char *, const char *, const char *, struct strvec *);
int	 render_client_env(const struct engine *, const struct database *,
	     const char *, struct strvec *, char **);
int	 render_snapshot_sql(const struct engine *, const char *,
	     enum engine_key, const struct snap_vars *, struct strbuf *,
	     char **);
int	 render_snapshot_exec(const struct engine *, enum engine_key,
	     const char *, const char *, const char *, struct strvec *,
	     char **);
int	 render_exec_env(const struct engine *, const struct database *,
	     const char *, struct strvec *, char **);
int	 render_option_text(const struct engine *, enum engine_key,
	     const struct database *, struct strbuf *, char **);

#endif
