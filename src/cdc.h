/*
 * Change-data-capture: the check create runs when a profile turns CDC on
 * (the engine file says what to run and what it must print), and the
 * connector configuration "dbarena cdc" prints from [connector].
 */
#ifndef DBARENA_CDC_H
#define DBARENA_CDC_H

#include "config.h"

#define CDC_CHECK_TIMEOUT_MS	30000

struct cdc_target {
	const char	*name;		/* the container */
	const char	*version;
	const char	*profile;
	const char	*host;		/* where a client connects */
	int		 port;		/* the published port */
	int		 container_port;
	const char	*user;
	const char	*password;
	const char	*database;
	const char	*server_id;	/* the server's, from the profile */
};

int	cdc_check(const struct engine *, const struct cdc_target *);
int	cdc_connector(const struct engine *, const struct cdc_target *,
	    struct kvlist *, char **);

#endif
