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
#include "report.h"

static void
ports(struct strbuf *sb, const struct database *d)
{
	strbuf_reset(sb);
	if (d->host_port > 0) {
		strbuf_add_escaped(sb, d->host_ip);
		strbuf_addf(sb, ":%d->%d", d->host_port, d->port);
	} else
		strbuf_adds(sb, "-");
}

static int
cmd_list_exec(const struct args *args, int argc, char **argv)
{
	struct database_list	 l;
	struct strbuf		 out = STRBUF_INIT, err = STRBUF_INIT;
	struct strbuf		 c[6] = { STRBUF_INIT, STRBUF_INIT,
	    STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	enum output_format	 format = FORMAT_TEXT;
	enum docker_error	 derr;
	const struct database	*d;
	size_t			 i;
	int			 all, code;

	(void)argv;
	all = args_has(args, "all");
	if (args_format(args, &format) == -1)
		return (EXIT_USAGE);
	if (argc != 0)
		return (cmd_usage_error(&cmd_list_entry, "too many arguments"));
	if (docker_list(all, &l, &derr, &err) != 0) {
		code = docker_report(derr, "listing databases", err.buf);
		strbuf_release(&err);
		return (code);
	}
	if (format == FORMAT_JSON)
		strbuf_addch(&out, '[');
	else
		strbuf_addf(&out, "%-32s %-10s %-8s %-10s %-24s %s\n", "NAME",
		    "TYPE", "VERSION", "STATUS", "PORTS", "UPTIME");
	for (i = 0; i < l.n; i++) {
		d = &l.v[i];
		/* Pool members are not anyone's yet: pool list shows them. */
		if (strncmp(d->name, POOL_PREFIX, strlen(POOL_PREFIX)) == 0)
			continue;
		if (format == FORMAT_TEXT) {
			/* Labels are anyone's: no value may forge a row. */
			ports(&c[4], d);
			strbuf_addf(&out, "%-32s %-10s %-8s %-10s %-24s %s\n",
			    strbuf_escaped(&c[0], d->name),
			    strbuf_escaped(&c[1], d->engine),
			    strbuf_escaped(&c[2], d->version),
			    strbuf_escaped(&c[3], database_status(d)), c[4].buf,
			    strbuf_escaped(&c[5], *d->uptime ? d->uptime :
			    "-"));
			continue;
		}
		strbuf_addch(&out, '{');
		json_field(&out, "name", d->name, 0);
		json_field(&out, "engine", d->engine, 0);
		json_field(&out, "version", d->version, 0);
		json_field(&out, "profile", d->profile, 0);
		json_field(&out, "status", database_status(d), 0);
		json_field(&out, "host", d->host_ip, 0);
		json_int(&out, "port", d->host_port, 0);
		json_int(&out, "container_port", d->port, 0);
		json_field(&out, "storage", d->storage, 0);
		json_field(&out, "volume", *d->volume ? d->volume : NULL, 0);
		json_field(&out, "created", d->created, 0);
		json_field(&out, "uptime", *d->uptime ? d->uptime : NULL, 1);
		strbuf_adds(&out, "},");
	}
	if (format == FORMAT_JSON) {
		if (out.buf[out.len - 1] == ',')
			out.buf[--out.len] = '\0';
		strbuf_adds(&out, "]\n");
	}
	fputs(out.buf, stdout);
	strbuf_release(&out);
	strbuf_release(&err);
	for (i = 0; i < sizeof c / sizeof c[0]; i++)
		strbuf_release(&c[i]);
	database_list_free(&l);
	return (EXIT_OK);
}

static const struct cmd_option list_options[] = {
	{ "all", 'a', NULL, "stopped databases too" },
	{ "format", 0, "table|json", "print a table (the default) or JSON" },
	{ NULL, 0, NULL, NULL }
};

const struct cmd_entry cmd_list_entry = {
	"list", "ls", "[--all] [--format table|json]",
	"List running databases; --all includes stopped ones.",
	list_options, NULL, cmd_list_exec, 0
};
