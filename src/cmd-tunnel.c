/*
 * tunnel: forwards over ssh to databases on a remote engine, held open in
 * the foreground. Each database publishes its port on the remote host's
 * loopback (create's default), which nothing here reaches; a forward from
 * a free port on this machine's 127.0.0.1 does, and the URL printed for
 * it works until tunnel ends: on SIGINT, SIGTERM or SIGHUP (exit 0), or
 * when a forward drops (exit EXIT_TUNNEL, with ssh's words). The
 * forwards are ssh children of this process and die with it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dbarena.h"
#include "docker.h"
#include "forward.h"
#include "report.h"
#include "rows.h"

static const struct column columns[] = {
	{ "NAME", 32, "name", COL_NAME },
	{ "LOCAL", 22, NULL, 0 },
	{ NULL, 0, "host", 0 },
	{ NULL, 0, "port", 0 },
	{ "URL", 0, "url", 0 },
};

static void
add_row(struct rows *r, const struct database *d)
{
	struct strbuf	local = STRBUF_INIT;

	if (d->host != NULL)
		strbuf_addf(&local, "%s:%d", d->host, d->host_port);
	rows_str(r, d->name);
	rows_str(r, local.buf);
	rows_str(r, d->host);
	rows_int(r, d->host_port);
	rows_str(r, d->url);
	strbuf_release(&local);
}

static int
open_one(struct forward *f, const struct ssh_dest *sd)
{
	if (strcmp(f->d->state, "running") != 0) {
		error_msg("%s is not running", f->d->name);
		hint_msg("start it with: dbarena start %s", f->d->name);
		return (EXIT_NOT_READY);
	}
	return (forward_open(f, sd, NULL));
}

/*
 * Hold the forwards until a signal asks us to stop (0) or one drops
 * (EXIT_TUNNEL). The wait wakes at least once a second, so a signal
 * that comes between the check and the poll waits no longer.
 */
static int
hold(struct forward *f, size_t n)
{
	while (!interrupted()) {
		if (forward_watch(f, n, -1, 1000) > 0)
			return (EXIT_TUNNEL);
	}
	return (EXIT_OK);
}

/* A local engine's ports are here already: its own URLs, no forward. */
static int
print_local(struct database_list *l, enum output_format format)
{
	struct engine	 e;
	struct rows	 r;
	char		*msg = NULL;
	size_t		 i;

	warn_msg("the engine is on this machine: no tunnel needed");
	rows_init(&r, columns, sizeof columns / sizeof columns[0]);
	for (i = 0; i < l->n; i++) {
		if (engine_load(l->v[i].engine, &e, &msg) == 0) {
			database_complete(&l->v[i], &e);
			engine_free(&e);
		} else
			database_complete(&l->v[i], NULL);
		free(msg);
		msg = NULL;
		add_row(&r, &l->v[i]);
	}
	rows_print(&r, format);
	rows_release(&r);
	return (EXIT_OK);
}

static int
tunnel_all(struct database_list *l, const struct ssh_dest *sd,
    enum output_format format)
{
	struct forward	*f = xcalloc(l->n, sizeof *f);
	struct rows	 r;
	size_t		 i, n;
	int		 code = EXIT_OK;

	signals_init();
	for (n = 0; n < l->n && code == EXIT_OK; n++) {
		f[n].d = &l->v[n];
		f[n].t = (struct tunnel)TUNNEL_INIT;
		code = open_one(&f[n], sd);
	}
	if (code == EXIT_OK) {
		rows_init(&r, columns, sizeof columns / sizeof columns[0]);
		for (i = 0; i < n; i++)
			add_row(&r, f[i].d);
		rows_print(&r, format);
		rows_release(&r);
		/* Whoever reads our output waits for it while we run. */
		if (fflush(stdout) == EOF)
			code = EXIT_FAIL;
	}
	if (code == EXIT_OK)
		code = hold(f, n);
	forward_close_all(f, n);
	return (code);
}

static int
cmd_tunnel_exec(const struct args *args, int argc, char **argv)
{
	struct database_list	 full;
	struct ssh_dest		 sd;
	enum output_format	 format = FORMAT_TEXT;
	int			 code;

	if (args_format(args, &format) == -1)
		return (EXIT_USAGE);
	if (argc == 0)
		return (cmd_usage_error(&cmd_tunnel_entry, "no name given"));
	if ((code = cmd_resolve_full(argc, argv, &full)) != EXIT_OK) {
		database_list_free(&full);
		return (code);
	}
	if (!docker_is_remote())
		code = print_local(&full, format);
	else if (tunnel_engine_dest(&sd) == -1) {
		error_msg("no tunnel to an engine not reached over ssh: %s",
		    docker_endpoint() != NULL ? docker_endpoint() :
		    "its endpoint is unknown");
		hint_msg("use a context with host=ssh://[USER@]HOST, or "
		    "create with --bind ADDR");
		code = EXIT_TUNNEL;
	} else {
		code = tunnel_all(&full, &sd, format);
		ssh_dest_free(&sd);
	}
	database_list_free(&full);
	return (code);
}

const struct cmd_entry cmd_tunnel_entry = {
	"tunnel", NULL, "[--format table|json] NAME...",
	"Forward databases on a remote engine to 127.0.0.1 over ssh, "
	    "until interrupted.",
	cmd_format_options, NULL, cmd_tunnel_exec, 0
};
