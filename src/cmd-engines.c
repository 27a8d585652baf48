/*
 * engines: which database engines the engine files on the search path
 * define, with their versions (default first) and images.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dbarena.h"
#include "rows.h"

/* Engine files are the user's own: shown as they are written. */
static const struct column columns[] = {
	{ "ENGINE", 12, "name", COL_VERBATIM },
	{ NULL, 0, "description", 0 },
	{ "VERSIONS", 36, NULL, COL_VERBATIM },
	{ "IMAGE", 0, "image", COL_VERBATIM },
	{ NULL, 0, "default_version", 0 },
	{ NULL, 0, "versions", 0 },
};

static void
add_row(struct rows *r, const char *name, const struct engine *e)
{
	struct strvec	 all = STRVEC_INIT;
	struct strbuf	 vers = STRBUF_INIT;
	const char	*def = e->set[E_DEFAULT_VERSION].value;
	size_t		 j;

	/* The table: the default first, then the rest as listed. */
	strbuf_adds(&vers, def);
	for (j = 0; j < e->nversions; j++) {
		strvec_push(&all, e->versions[j].version);
		if (strcmp(e->versions[j].version, def) != 0)
			strbuf_addf(&vers, " %s", e->versions[j].version);
	}
	rows_str(r, name);
	rows_str(r, e->set[E_DESCRIPTION].value);
	rows_str(r, vers.buf);
	rows_str(r, e->set[E_IMAGE].value);
	rows_str(r, def);
	rows_strv(r, &all);
	strvec_clear(&all);
	strbuf_release(&vers);
}

static int
cmd_engines_exec(const struct args *args, int argc, char **argv)
{
	struct strvec		 names = STRVEC_INIT, paths = STRVEC_INIT;
	struct rows		 r;
	struct engine		 e;
	enum output_format	 f = FORMAT_TEXT;
	char			*msg;
	size_t			 i;
	int			 code = EXIT_OK;

	(void)argv;
	if (args_listing(args, &f) == -1)
		return (EXIT_USAGE);
	if (argc != 0)
		return (cmd_usage_error(&cmd_engines_entry,
		    "too many arguments"));
	config_list("engines", &names, &paths);
	rows_init(&r, columns, sizeof columns / sizeof columns[0]);
	for (i = 0; i < names.n; i++) {
		if (engine_load(paths.v[i], &e, &msg) == -1) {
			error_msg("%s", msg);
			free(msg);
			code = EXIT_CONFIG;
			continue;
		}
		add_row(&r, names.v[i], &e);
		engine_free(&e);
	}
	rows_print(&r, f);
	strvec_clear(&names);
	strvec_clear(&paths);
	return (code);
}

const struct cmd_entry cmd_engines_entry = {
	"engines", NULL, "[--format table|json] [--quiet]",
	"List the database engines and their versions, default first.",
	cmd_listing_options, NULL, cmd_engines_exec, 0
};
