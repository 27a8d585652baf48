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
#include "report.h"

static int
profiles_list(const struct args *args, int argc, char **argv)
{
	struct strvec		 names = STRVEC_INIT, paths = STRVEC_INIT;
	struct strbuf		 out = STRBUF_INIT;
	struct profile		 pr;
	enum output_format	 f = FORMAT_TEXT;
	const char		*desc;
	char			*msg;
	size_t			 i;
	int			 code = EXIT_OK, ok;

	(void)argv;
	if (args_format(args, &f) == -1)
		return (EXIT_USAGE);
	if (argc != 0)
		return (cmd_usage_error(&cmd_profiles_entry,
		    "too many arguments"));
	config_list("profiles", &names, &paths);
	if (f == FORMAT_JSON)
		strbuf_addch(&out, '[');
	else
		strbuf_addf(&out, "%-14s %s\n", "PROFILE", "DESCRIPTION");
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
		if (f == FORMAT_JSON) {
			strbuf_addf(&out, "%s{", i ? "," : "");
			json_field(&out, "name", names.v[i], 0);
			json_field(&out, "description", desc, 0);
			json_field(&out, "path", paths.v[i], 0);
			json_field(&out, "valid", ok ? "yes" : "no", 1);
			strbuf_addch(&out, '}');
		} else
			strbuf_addf(&out, "%-14s %s%s\n", names.v[i], desc,
			    ok ? "" : "(invalid)");
		if (ok)
			profile_free(&pr);
	}
	if (f == FORMAT_JSON)
		strbuf_adds(&out, "]\n");
	fputs(out.buf, stdout);
	strbuf_release(&out);
	strvec_clear(&names);
	strvec_clear(&paths);
	return (code);
}

static int
profiles_show(const struct args *args, int argc, char **argv)
{
	struct profile		 pr;
	struct strbuf		 out = STRBUF_INIT;
	enum output_format	 f = FORMAT_TEXT;
	const struct setting	*s;
	char			*msg;
	size_t			 i;
	int			 k;

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
	if (f == FORMAT_JSON) {
		strbuf_addch(&out, '{');
		json_field(&out, "name", pr.name, 0);
		json_field(&out, "path", pr.path, 0);
		strbuf_adds(&out, "\"settings\":{");
	} else
		strbuf_addf(&out, "# profile %s, from %s\n", pr.name, pr.path);
	for (k = 0; k < P_MAX; k++) {
		s = &pr.set[k];
		if (f == FORMAT_JSON) {
			strbuf_addf(&out, "%s", k ? "," : "");
			strbuf_add_json_string(&out, profile_key_names[k]);
			strbuf_adds(&out, ":{");
			json_field(&out, "value", s->value, 0);
			json_field(&out, "origin", s->origin, 1);
			strbuf_addch(&out, '}');
		} else if (s->value != NULL)
			strbuf_addf(&out, "%-20s = %-32s # %s\n",
			    profile_key_names[k], s->value, s->origin);
		else
			strbuf_addf(&out, "%-20s   %-32s # %s\n",
			    profile_key_names[k], "", "unset: the engine's or dbarena's default");
	}
	if (f == FORMAT_JSON)
		strbuf_adds(&out, "},\"environment\":{");
	for (i = 0; i < pr.env.n; i++) {
		if (f == FORMAT_JSON) {
			strbuf_addf(&out, "%s", i ? "," : "");
			json_field(&out, pr.env.v[i].key,
			    pr.env.v[i].s.value, 1);
		} else
			strbuf_addf(&out, "environment.%-8s = %-32s # %s\n",
			    pr.env.v[i].key, pr.env.v[i].s.value,
			    pr.env.v[i].s.origin);
	}
	if (f == FORMAT_JSON)
		strbuf_adds(&out, "}}\n");
	fputs(out.buf, stdout);
	strbuf_release(&out);
	profile_free(&pr);
	return (EXIT_OK);
}

static const struct cmd_entry profiles_subs[] = {
	{ "list", "ls", "[--format table|json]",
	    "List the profiles on the search path, with their descriptions.",
	    cmd_format_options, NULL, profiles_list, CMD_DEFAULT },
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
