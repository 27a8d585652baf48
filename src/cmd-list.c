/*
 * list: every managed database with its status, in one docker call
 * however many there are. Passwords are never shown here; inspect has
 * them.
 */
#include <getopt.h>
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
cmd_list_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 }
	};
	struct database_list	 l;
	struct docker_result	 res = DOCKER_RESULT_INIT;
	struct rows		 r;
	enum output_format	 format = FORMAT_TEXT;
	const struct database	*d;
	size_t			 i;
	int			 ch, all = 0, code;

	while ((ch = getopt_long(argc, argv, "a", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			all = 1;
			break;
		case 'F':
			if (parse_format(optarg, &format) == -1)
				return (EXIT_USAGE);
			break;
		default:
			return (cmd_usage_error(&cmd_list_entry, NULL));
		}
	}
	if (optind != argc)
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

const struct cmd_entry cmd_list_entry = {
	"list", "ls", "[--all] [--format table|json]",
	"List running databases; --all includes stopped ones.",
	cmd_list_exec, 0
};
