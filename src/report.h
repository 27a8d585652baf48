/*
 * Describing a database to the user: the connection block create prints
 * and inspect prints again later, as text or as JSON for scripts.
 */
#ifndef DBARENA_REPORT_H
#define DBARENA_REPORT_H

#include "config.h"
#include "dbarena.h"
#include "docker.h"
#include "json.h"

struct conninfo {
	const char	*name;
	const char	*engine;
	const char	*version;
	const char	*profile;
	const char	*status;
	const char	*image;
	const char	*host;
	int		 port;
	const char	*user;
	const char	*password;
	const char	*database;
	const char	*url;
	const char	*volume;
	const char	*storage;
	const char	*created;
	const char	*expires;	/* RFC 3339, NULL or "": never */
	long long	 ready_ms;	/* -1: not measured */
};

char	*conninfo_from(struct conninfo *, const struct database *,
	     const struct engine *);
void	report_text(struct strbuf *, const struct conninfo *);
void	report_json(struct json_writer *, const struct conninfo *);

#endif
