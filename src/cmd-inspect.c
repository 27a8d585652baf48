/*
 * inspect: everything needed to connect to a database again, rebuilt from
 * its labels and environment (docker is the only state), as text or JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dbarena.h"
#include "docker.h"
#include "report.h"

static int
cmd_inspect_exec(const struct args *args, int argc, char **argv)
{
	struct database_list	 full;
	struct engine		 e;
	struct strbuf		 out = STRBUF_INIT;
	struct json_writer	 jw = JSON_WRITER_INIT;
	enum output_format	 format = FORMAT_TEXT;
	const char		*network = args_get(args, "network");
	char			*msg = NULL;
	size_t			 i;
	int			 code, have_engine;

	if (args_format(args, &format) == -1)
		return (EXIT_USAGE);
	if (argc == 0)
		return (cmd_usage_error(&cmd_inspect_entry, "no name given"));
	if ((code = cmd_resolve_full(argc, argv, &full)) != EXIT_OK) {
		database_list_free(&full);
		return (code);
	}
	/* One database is an object, as create prints it; more an array. */
	if (format == FORMAT_JSON && full.n > 1)
		jw_array_begin(&jw, NULL);
	for (i = 0; i < full.n; i++) {
		have_engine = engine_load(full.v[i].engine, &e, &msg) == 0;
		free(msg);
		msg = NULL;
		database_complete(&full.v[i], have_engine ? &e : NULL);
		if (network != NULL)
			code = database_from_network(&full.v[i], have_engine ?
			    &e : NULL, network);
		if (have_engine)
			engine_free(&e);
		if (code != EXIT_OK)
			break;
		if (format == FORMAT_JSON)
			report_json(&jw, &full.v[i], -1);
		else {
			if (i > 0)
				strbuf_addch(&out, '\n');
			report_text(&out, &full.v[i], -1);
		}
	}
	if (format == FORMAT_JSON && full.n > 1)
		jw_end(&jw);
	if (format == FORMAT_JSON)
		jw_finish(&jw, &out);
	if (code == EXIT_OK)
		fputs(out.buf, stdout);
	jw_release(&jw);
	strbuf_release(&out);
	database_list_free(&full);
	return (code);
}

const struct cmd_entry cmd_inspect_entry = {
	"inspect", NULL, "[--format table|json] [--network NET] NAME...",
	"Show how to connect to a database, password included.",
	cmd_connect_options, NULL, cmd_inspect_exec, 0
};
