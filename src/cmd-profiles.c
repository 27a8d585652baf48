/*
 * profiles list and profiles show: which profiles exist on the search
 * path, and a profile's merged settings with the file:line each came from
 * (inheritance made visible).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dbarena.h"
#include "json.h"
#include "rows.h"

/* Profile files are the user's own: shown as they are written. */
static const struct column columns[] = {
	{ "PROFILE", 14, "name", COL_VERBATIM },
	{ "DESCRIPTION", 0, NULL, COL_VERBATIM },
	{ NULL, 0, "description", 0 },
	{ NULL, 0, "path", 0 },
	{ NULL, 0, "valid", 0 },	/* "yes" or "no", as first promised */
	{ NULL, 0, "ok", 0 },		/* the same as a boolean */
};

static int
profiles_list(const struct args *args, int argc, char **argv)
{
	struct strvec		 names = STRVEC_INIT, paths = STRVEC_INIT;
	struct rows		 r;
	struct profile		 pr;
	enum output_format	 f = FORMAT_TEXT;
	const char		*desc;
	char			*msg, *text;
	size_t			 i;
	int			 code = EXIT_OK, ok;

	(void)argv;
	if (args_listing(args, &f) == -1)
		return (EXIT_USAGE);
	if (argc != 0)
		return (cmd_usage_error(&cmd_profiles_entry,
		    "too many arguments"));
	config_list("profiles", &names, &paths);
	rows_init(&r, columns, sizeof columns / sizeof columns[0]);
	for (i = 0; i < names.n; i++) {
		ok = profile_load(paths.v[i], &pr, &msg) == 0;
		if (!ok) {
			/* One broken file should not hide the others. */
			error_msg("%s", msg);
			free(msg);
			code = EXIT_CONFIG;
		}
		desc = ok && pr.set[P_DESCRIPTION].value != NULL ?
		    pr.set[P_DESCRIPTION].value : "";
		text = xasprintf("%s%s", desc, ok ? "" : "(invalid)");
		rows_str(&r, names.v[i]);
		rows_str(&r, text);
		rows_str(&r, desc);
		rows_str(&r, paths.v[i]);
		rows_str(&r, ok ? "yes" : "no");
		rows_bool(&r, ok);
		free(text);
		if (ok)
			profile_free(&pr);
	}
	rows_print(&r, f);
	strvec_clear(&names);
	strvec_clear(&paths);
	return (code);
}

/* Every key, set or not, with the file:line it came from. */
static void
show_text(struct strbuf *out, const struct profile *pr)
{
	const struct setting	*s;
	size_t			 i;
	int			 k;

	strbuf_addf(out, "# profile %s, from %s\n", pr->name, pr->path);
	for (k = 0; k < P_MAX; k++) {
		s = &pr->set[k];
		if (s->value != NULL)
			strbuf_addf(out, "%-20s = %-32s # %s\n",
			    profile_key_names[k], s->value, s->origin);
		else
			strbuf_addf(out, "%-20s   %-32s # %s\n",
			    profile_key_names[k], "", "unset: the engine's or dbarena's default");
	}
	for (i = 0; i < pr->env.n; i++)
		strbuf_addf(out, "environment.%-8s = %-32s # %s\n",
		    pr->env.v[i].key, pr->env.v[i].s.value,
		    pr->env.v[i].s.origin);
}

static void
show_json(struct strbuf *out, const struct profile *pr)
{
	struct json_writer	jw = JSON_WRITER_INIT;
	size_t			i;
	int			k;

	jw_object_begin(&jw, NULL);
	jw_string(&jw, "name", pr->name);
	jw_string(&jw, "path", pr->path);
	jw_object_begin(&jw, "settings");
	for (k = 0; k < P_MAX; k++) {
		jw_object_begin(&jw, profile_key_names[k]);
		jw_string(&jw, "value", pr->set[k].value);
		jw_string(&jw, "origin", pr->set[k].origin);
		jw_end(&jw);
	}
	jw_end(&jw);
	jw_object_begin(&jw, "environment");
	for (i = 0; i < pr->env.n; i++)
		jw_string(&jw, pr->env.v[i].key, pr->env.v[i].s.value);
	jw_end(&jw);
	jw_end(&jw);
	jw_finish(&jw, out);
}

static int
profiles_show(const struct args *args, int argc, char **argv)
{
	struct profile		 pr;
	struct strbuf		 out = STRBUF_INIT;
	enum output_format	 f = FORMAT_TEXT;
	char			*msg;

	if (args_format(args, &f) == -1)
		return (EXIT_USAGE);
	if (argc != 1)
		return (cmd_usage_error(&cmd_profiles_entry,
		    "profiles show takes one profile"));
	if (profile_load(argv[0], &pr, &msg) == -1) {
		error_msg("%s", msg);
		free(msg);
		return (EXIT_CONFIG);
	}
	if (f == FORMAT_JSON)
		show_json(&out, &pr);
	else
		show_text(&out, &pr);
	fputs(out.buf, stdout);
	strbuf_release(&out);
	profile_free(&pr);
	return (EXIT_OK);
}

static const struct cmd_entry profiles_subs[] = {
	{ "list", "ls", "[--format table|json] [--quiet]",
	    "List the profiles on the search path, with their descriptions.",
	    cmd_listing_options, NULL, profiles_list, CMD_DEFAULT },
	{ "show", NULL, "[--format table|json] PROFILE",
	    "Show a profile merged, with where each value is set.",
	    cmd_format_options, NULL, profiles_show, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_profiles_entry = {
	"profiles", NULL, NULL,
	"List the profiles, or show one merged, with where each "
	    "value is set.",
	NULL, profiles_subs, NULL, 0
};
