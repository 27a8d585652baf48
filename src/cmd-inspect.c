/*
 * inspect: everything needed to connect to a database again, rebuilt from
 * its labels and environment (docker is the only state), as text or JSON.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dbarena.h"
#include "docker.h"
#include "render.h"
#include "report.h"

static int
cmd_inspect_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 }
	};
	struct dbinfo_list	 l, full;
	struct strvec		 names = STRVEC_INIT;
	struct strbuf		 err = STRBUF_INIT;
	enum docker_error	 derr;
	struct engine		 e;
	struct conninfo		 ci;
	struct strbuf		 out = STRBUF_INIT;
	enum output_format	 format = FORMAT_TEXT;
	const struct dbinfo	*d;
	const char		*rh;
	char			*msg = NULL, *url = NULL;
	size_t			*sel, nsel, i;
	int			 ch, code, have_engine;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'F':
			if (parse_format(optarg, &format) == -1)
				return (EXIT_USAGE);
			break;
		default:
			return (cmd_usage_error(&cmd_inspect_entry, NULL));
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return (cmd_usage_error(&cmd_inspect_entry, "no name given"));
	if ((code = cmd_resolve(argc, argv, 0, 1, &l, &sel, &nsel)) !=
	    EXIT_OK) {
		free(sel);
		dbinfo_list_free(&l);
		return (code);
	}
	/* The password is only in the environment, which ps does not show. */
	for (i = 0; i < nsel; i++)
		strvec_push(&names, l.v[sel[i]].id);
	code = docker_inspect(&names, &full, &derr, &err);
	strvec_clear(&names);
	if (code != 0) {
		code = docker_report(derr, "inspecting", err.buf);
		strbuf_release(&err);
		free(sel);
		dbinfo_list_free(&l);
		return (code);
	}
	strbuf_release(&err);
	if (format == FORMAT_JSON && full.n > 1)
		strbuf_addch(&out, '[');
	nsel = full.n;
	for (i = 0; i < nsel; i++) {
		d = &full.v[i];
		have_engine = engine_load(d->engine, &e, &msg) == 0;
		free(msg);
		msg = NULL;
		rh = docker_remote_host();
		memset(&ci, 0, sizeof ci);
		ci.name = d->name;
		ci.engine = d->engine;
		ci.version = d->version;
		ci.profile = d->profile;
		ci.status = dbinfo_status(d);
		ci.host = rh != NULL ? rh : connect_host(d->host_ip);
		ci.port = d->host_port;
		ci.user = d->user;
		ci.password = d->password;
		ci.database = d->database;
		ci.volume = d->volume;
		ci.storage = d->storage;
		ci.created = d->created;
		ci.expires = d->expires;
		ci.ready_ms = -1;
		if (have_engine) {
			url = render_url(e.set[E_URL].value, ci.host, ci.port,
			    ci.user, ci.password, ci.database);
			engine_free(&e);
		}
		ci.url = url;
		if (format == FORMAT_JSON)
			report_json(&out, &ci, i + 1 == nsel);
		else {
			if (i > 0)
				strbuf_addch(&out, '\n');
			report_text(&out, &ci);
		}
		free(url);
		url = NULL;
	}
	if (format == FORMAT_JSON)
		strbuf_adds(&out, nsel > 1 ? "]\n" : "\n");
	fputs(out.buf, stdout);
	strbuf_release(&out);
	free(sel);
	dbinfo_list_free(&l);
	dbinfo_list_free(&full);
	return (EXIT_OK);
}

const struct cmd_entry cmd_inspect_entry = {
	"inspect", NULL, "[--format table|json] NAME...",
	"Show how to connect to a database, password included.",
	cmd_inspect_exec, 0
};
