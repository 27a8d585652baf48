/*
 * Describing a database to the user: the connection block create prints
 * and inspect prints again later, as text or as JSON for scripts. The
 * ready time (-1: not measured) is the create's, not the database's.
 */
#ifndef DBARENA_REPORT_H
#define DBARENA_REPORT_H

#include "config.h"
#include "dbarena.h"
#include "docker.h"
#include "json.h"

void	database_complete(struct database *, const struct engine *);
int	database_from_network(struct database *, const struct engine *,
	    const char *);
int	report_unreachable(const struct database *);
void	report_text(struct strbuf *, const struct database *, long long);
void	report_json(struct json_writer *, const struct database *, long long);

#endif
