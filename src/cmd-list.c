/*
 * list: every managed database with its status, in one docker call
 * however many there are. Passwords are never shown here; inspect has
 * them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "create.h"
#include "dbarena.h"
#include "docker.h"
#include "rows.h"

/* The table's columns and the JSON keys: the JSON says more. */
static const struct column columns[] = {
	{ "NAME", 32, "name", 0 },
	{ "TYPE", 10, "engine", 0 },
	{ "VERSION", 8, "version", 0 },
	{ NULL, 0, "profile", 0 },
	{ "STATUS", 10, "status", 0 },
	{ NULL, 0, "host", 0 },
	{ NULL, 0, "port", 0 },
	{ NULL, 0, "container_port", 0 },
	{ "PORTS", 24, NULL, 0 },
	{ NULL, 0, "storage", 0 },
	{ NULL, 0, "volume", 0 },
	{ NULL, 0, "created", 0 },
	{ "UPTIME", 0, "uptime", 0 },
	{ NULL, 0, "started", 0 },
	{ NULL, 0, "network", 0 },	/* no room in the table */
};

/* Pool members are not anyone's yet: pool list shows them. */
static int
listed(const struct database *d)
{
	return (strncmp(d->name, POOL_PREFIX, strlen(POOL_PREFIX)) != 0);
}

/*
 * docker ps has no start time, only its words for the uptime; for JSON,
 * one docker inspect of the listed containers gives State.StartedAt (the
 * table needs no second call). A container gone meanwhile has none.
 */
static int
add_started(struct database_list *l)
{
	struct database_list	 full;
	struct strvec		 ids = STRVEC_INIT;
	struct docker_result	 res = DOCKER_RESULT_INIT;
	size_t			 i, j;
	int			 code = EXIT_OK;

	for (i = 0; i < l->n; i++) {
		if (listed(&l->v[i]))
			strvec_push(&ids, l->v[i].id);
	}
	if (ids.n == 0 || docker_inspect(&ids, &full, &res) != 0) {
		if (ids.n > 0 && res.err != DERR_NO_SUCH)
			code = docker_report(&res, "inspecting");
		memset(&full, 0, sizeof full);
	}
	for (i = 0; i < l->n; i++) {
		for (j = 0; *l->v[i].id != '\0' && j < full.n; j++) {
			if (strncmp(full.v[j].id, l->v[i].id,
			    strlen(l->v[i].id)) != 0)
				continue;
			free(l->v[i].started);
			l->v[i].started = full.v[j].started;
			full.v[j].started = NULL;
		}
	}
	database_list_free(&full);
	strvec_clear(&ids);
	docker_result_release(&res);
	return (code);
}

static void
add_row(struct rows *r, const struct database *d)
{
	struct strbuf	ports = STRBUF_INIT;

	rows_str(r, d->name);
	rows_str(r, d->engine);
	rows_str(r, d->version);
	rows_str(r, d->profile);
	rows_str(r, database_status(d));
	rows_str(r, d->host_ip);
	rows_int(r, d->host_port);
	rows_int(r, d->port);
	if (d->host_port > 0)
		strbuf_addf(&ports, "%s:%d->%d", d->host_ip, d->host_port,
		    d->port);
	rows_str(r, d->host_port > 0 ? ports.buf : NULL);
	rows_str(r, d->storage);
	rows_str(r, *d->volume ? d->volume : NULL);
	rows_str(r, d->created);
	rows_str(r, *d->uptime ? d->uptime : NULL);
	rows_str(r, database_started(d));
	rows_str(r, *d->network ? d->network : NULL);
	strbuf_release(&ports);
}

static int
cmd_list_exec(const struct args *args, int argc, char **argv)
{
	struct database_list	 l;
	struct docker_result	 res = DOCKER_RESULT_INIT;
	struct rows		 r;
	enum output_format	 format = FORMAT_TEXT;
	const struct database	*d;
	size_t			 i;
	int			 all, code;

	(void)argv;
	all = args_has(args, "all");
	if (args_listing(args, &format) == -1)
		return (EXIT_USAGE);
	if (argc != 0)
		return (cmd_usage_error(&cmd_list_entry, "too many arguments"));
	code = docker_report_listing(&res, docker_list(all, &l, &res),
	    "listing databases");
	if (code != EXIT_OK) {
		docker_result_release(&res);
		return (code);
	}
	docker_result_release(&res);
	if (format == FORMAT_JSON && (code = add_started(&l)) != EXIT_OK) {
		database_list_free(&l);
		return (code);
	}
	rows_init(&r, columns, sizeof columns / sizeof columns[0]);
	for (i = 0; i < l.n; i++) {
		d = &l.v[i];
		if (listed(d))
			add_row(&r, d);
	}
	rows_print(&r, format);
	database_list_free(&l);
	return (EXIT_OK);
}

static const struct cmd_option list_options[] = {
	{ "all", 'a', NULL, "stopped databases too" },
	{ "format", 0, "table|json", "print a table (the default) or JSON" },
	{ "quiet", 'q', NULL, "print only the names, one a line" },
	{ NULL, 0, NULL, NULL }
};

const struct cmd_entry cmd_list_entry = {
	"list", "ls", "[--all] [--format table|json] [--quiet]",
	"List running databases; --all includes stopped ones.",
	list_options, NULL, cmd_list_exec, 0
};
