/*
 * The option file of an engine whose clients take their user and
 * database from a file rather than their environment (MySQL's and
 * MariaDB's): written on this machine for env, put into the container
 * for exec and shell, removed with the database.
 */
#ifndef DBARENA_OPTFILE_H
#define DBARENA_OPTFILE_H

#include "config.h"
#include "database.h"

int	optfile_write(const struct engine *, const struct database *,
	    char **);
int	optfile_put(const struct engine *, const struct database *,
	    const char **);
void	optfile_remove(const struct database *);

#endif
