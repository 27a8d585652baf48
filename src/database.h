/*
 * The one model of a database: what create plans (render fills it in)
 * and what every other command reads back from docker's records (the
 * adapter fills it in), carried through readiness, the report, CDC and
 * connect. Nothing else describes a database, so nothing copies one.
 */
#ifndef DBARENA_DATABASE_H
#define DBARENA_DATABASE_H

#include <stddef.h>

/*
 * A dbarena-managed database, as planned or as docker describes it. The
 * strings are its own. host and url are not docker's: they depend on
 * where the engine runs and on the engine file, and are filled in when a
 * command needs them (database_complete in report.c).
 */
/*
 * Whether a client on this machine reaches the published port: a remote
 * engine's default publishes on its host's loopback, which only a
 * forward over ssh reaches, and nothing does on a tcp:// engine.
 */
enum database_reach {
	REACH_HERE = 0,		/* host:port answers from here */
	REACH_TUNNEL,		/* only through dbarena tunnel (ssh) */
	REACH_NONE		/* not from this machine at all */
};

struct database {
	char	*id;
	char	*name;
	char	*state;		/* created, running, exited, ... */
	char	*health;	/* starting, healthy, unhealthy or "" */
	char	*started;	/* RFC 3339, UTC; "" if never started */
	char	*engine;
	char	*version;
	char	*profile;
	char	*created;
	char	*user;
	char	*database;
	char	*storage;
	char	*volume;
	char	*password;	/* from the container's environment */
	char	*uptime;	/* docker's words: "5 minutes" */
	char	*expires;	/* RFC 3339 from --ttl, or "" */
	char	*cdc;		/* "on" for a CDC profile, or "" */
	char	*server_id;	/* the profile's server id when CDC is on */
	char	*network;	/* the network it joined as its name, or "" */
	char	*image;		/* as create ran it; NULL when read back */
	char	*host_ip;	/* the address the port is published on */
	char	*host;		/* where a client connects, or NULL */
	char	*url;		/* from the engine's template, or NULL */
	char	*run;		/* the mark of the run that made it, or "" */
	int	 host_port;
	int	 port;		/* the server's port in the container */
	enum database_reach reach;	/* set with host */
};

struct database_list {
	struct database	*v;
	size_t		 n;
};

int		 database_resolve(const char *, const struct database_list *,
		     size_t *);
const char	*database_status(const struct database *);
const char	*database_started(const struct database *);
void		 database_set_state(struct database *, const char *,
		     const char *);
void		 database_free(struct database *);
void		 database_list_free(struct database_list *);

#endif
