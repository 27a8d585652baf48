/*
 * engines: which database engines the engine files on the search path
 * define, with their versions (default first) and images.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dbarena.h"
#include "report.h"

static int
cmd_engines_exec(const struct args *args, int argc, char **argv)
{
	struct strvec		 names = STRVEC_INIT, paths = STRVEC_INIT;
	struct strbuf		 out = STRBUF_INIT, vers = STRBUF_INIT;
	struct engine		 e;
	enum output_format	 f = FORMAT_TEXT;
	const char		*def;
	char			*msg;
	size_t			 i, j;
	int			 code = EXIT_OK;

	(void)argv;
	if (args_format(args, &f) == -1)
		return (EXIT_USAGE);
	if (argc != 0)
		return (cmd_usage_error(&cmd_engines_entry,
		    "too many arguments"));
	config_list("engines", &names, &paths);
	if (f == FORMAT_JSON)
		strbuf_addch(&out, '[');
	else
		strbuf_addf(&out, "%-12s %-36s %s\n", "ENGINE", "VERSIONS",
		    "IMAGE");
	for (i = 0; i < names.n; i++) {
		if (engine_load(paths.v[i], &e, &msg) == -1) {
			error_msg("%s", msg);
			free(msg);
			code = EXIT_CONFIG;
			continue;
		}
		def = e.set[E_DEFAULT_VERSION].value;
		strbuf_reset(&vers);
		if (f == FORMAT_JSON) {
			strbuf_addf(&out, "%s{", out.len > 1 ? "," : "");
			json_field(&out, "name", names.v[i], 0);
			json_field(&out, "description",
			    e.set[E_DESCRIPTION].value, 0);
			json_field(&out, "image", e.set[E_IMAGE].value, 0);
			json_field(&out, "default_version", def, 0);
			strbuf_adds(&out, "\"versions\":[");
			for (j = 0; j < e.nversions; j++) {
				if (j > 0)
					strbuf_addch(&out, ',');
				strbuf_add_json_string(&out,
				    e.versions[j].version);
			}
			strbuf_adds(&out, "]}");
		} else {
			/* The default first, then the rest as listed. */
			strbuf_adds(&vers, def);
			for (j = 0; j < e.nversions; j++) {
				if (strcmp(e.versions[j].version, def) != 0)
					strbuf_addf(&vers, " %s",
					    e.versions[j].version);
			}
			strbuf_addf(&out, "%-12s %-36s %s\n", names.v[i],
			    vers.buf, e.set[E_IMAGE].value);
		}
		engine_free(&e);
	}
	if (f == FORMAT_JSON)
		strbuf_adds(&out, "]\n");
	fputs(out.buf, stdout);
	strbuf_release(&out);
	strbuf_release(&vers);
	strvec_clear(&names);
	strvec_clear(&paths);
	return (code);
}

const struct cmd_entry cmd_engines_entry = {
	"engines", NULL, "[--format table|json]",
	"List the database engines and their versions, default first.",
	cmd_format_options, NULL, cmd_engines_exec, 0
};
