/*
 * Operations on the database model that need no docker: finding one by
 * name or prefix, its status in a word, freeing one or a list.
 */
#include <stdlib.h>
#include <string.h>

#include "database.h"
#include "util.h"

/*
 * An exact name, else a unique prefix. Returns 0 and the index, -1 when
 * nothing matches, -2 when the prefix is ambiguous.
 */
int
database_resolve(const char *arg, const struct database_list *l, size_t *idx)
{
	size_t	i, n = 0, len = strlen(arg);

	if (len == 0)
		return (-1);	/* "" is no name, and a prefix of them all */
	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].name, arg) == 0) {
			*idx = i;
			return (0);
		}
	}
	for (i = 0; i < l->n; i++) {
		if (strncmp(l->v[i].name, arg, len) == 0) {
			*idx = i;
			n++;
		}
	}
	if (n == 1)
		return (0);
	return (n == 0 ? -1 : -2);
}

/*
 * Docker's health is "starting" until its first check has passed, a
 * health interval after the start, and for ever under podman without
 * systemd: it says no check has run yet, not that the server is not up.
 * create and start have proved a database ready before they report it
 * healthy, so saying "starting" here would contradict them; "running"
 * claims no more than docker knows, as for a container without a check.
 */
const char *
database_status(const struct database *d)
{
	if (strcmp(d->state, "running") != 0)
		return (strcmp(d->state, "restarting") == 0 ? "starting" :
		    "stopped");
	if (*d->health == '\0' || strcmp(d->health, "starting") == 0)
		return ("running");
	return (d->health);
}

/* When a running database started (RFC 3339, UTC); NULL when it is not. */
const char *
database_started(const struct database *d)
{
	if (d->started == NULL || *d->started == '\0' ||
	    strcmp(d->state, "running") != 0)
		return (NULL);
	return (d->started);
}

/* A state dbarena learnt for itself, not from docker's records. */
void
database_set_state(struct database *d, const char *state, const char *health)
{
	free(d->state);
	d->state = xstrdup(state);
	free(d->health);
	d->health = xstrdup(health);
}

void
database_free(struct database *d)
{
	free(d->id);
	free(d->name);
	free(d->state);
	free(d->health);
	free(d->started);
	free(d->engine);
	free(d->version);
	free(d->profile);
	free(d->created);
	free(d->user);
	free(d->database);
	free(d->storage);
	free(d->volume);
	free(d->password);
	free(d->uptime);
	free(d->expires);
	free(d->cdc);
	free(d->server_id);
	free(d->network);
	free(d->image);
	free(d->host_ip);
	free(d->host);
	free(d->url);
	free(d->run);
	memset(d, 0, sizeof *d);
}

void
database_list_free(struct database_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		database_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}
