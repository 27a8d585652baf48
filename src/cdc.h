/*
 * Change-data-capture: the check create runs when a profile turns CDC on
 * (the engine file says what to run and what it must print), and the
 * connector configuration "dbarena cdc" prints from [connector].
 */
#ifndef DBARENA_CDC_H
#define DBARENA_CDC_H

#include "config.h"
#include "database.h"

#define CDC_CHECK_TIMEOUT_MS	30000

/* The database's host must be where a client connects (report.h). */
int	cdc_check(const struct engine *, const struct database *);
int	cdc_connector(const struct engine *, const struct database *,
	    struct kvlist *, char **);

#endif
