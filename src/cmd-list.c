/*
 * list: every managed database with its status, in one docker call
 * however many there are. Passwords are never shown here; inspect has
 * them.
 */
#include <stdio.h>
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
};

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
	code = docker_list(all, &l, &res);
	docker_report_odd(&res);
	if (code != 0) {
		code = docker_report(&res, "listing databases");
		docker_result_release(&res);
		return (code);
	}
	rows_init(&r, columns, sizeof columns / sizeof columns[0]);
	for (i = 0; i < l.n; i++) {
		d = &l.v[i];
		/* Pool members are not anyone's yet: pool list shows them. */
		if (strncmp(d->name, POOL_PREFIX, strlen(POOL_PREFIX)) != 0)
			add_row(&r, d);
	}
	rows_print(&r, format);
	docker_result_release(&res);
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
