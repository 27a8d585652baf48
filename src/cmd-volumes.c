/*
 * volumes list and volumes rm: the persistent data dbarena made, which
 * outlives its databases until removed here or by destroy
 * --remove-volume.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbarena.h"
#include "docker.h"
#include "report.h"

static int
volumes_list(const struct args *args, int argc, char **argv)
{
	struct strvec		 names = STRVEC_INIT, ctrs = STRVEC_INIT;
	struct strvec		 engines = STRVEC_INIT;
	struct strbuf		 out = STRBUF_INIT, err = STRBUF_INIT;
	struct strbuf		 c[3] = { STRBUF_INIT, STRBUF_INIT,
	    STRBUF_INIT };
	enum output_format	 format = FORMAT_TEXT;
	enum docker_error	 derr;
	size_t			 i;
	int			 code = EXIT_OK;

	(void)argv;
	if (args_format(args, &format) == -1)
		return (EXIT_USAGE);
	if (argc != 0)
		return (cmd_usage_error(&cmd_volumes_entry,
		    "too many arguments"));
	if (docker_volumes(&names, &ctrs, &engines, &derr, &err) != 0) {
		code = docker_report(derr, "listing volumes", err.buf);
		goto out;
	}
	if (format == FORMAT_JSON)
		strbuf_addch(&out, '[');
	else
		strbuf_addf(&out, "%-44s %-10s %s\n", "VOLUME", "ENGINE",
		    "DATABASE");
	for (i = 0; i < names.n; i++) {
		/* Labels are anyone's: no value may forge a row. */
		if (format == FORMAT_TEXT) {
			strbuf_addf(&out, "%-44s %-10s %s\n",
			    strbuf_escaped(&c[0], names.v[i]),
			    strbuf_escaped(&c[1], engines.v[i]),
			    strbuf_escaped(&c[2], ctrs.v[i]));
			continue;
		}
		strbuf_addch(&out, '{');
		json_field(&out, "name", names.v[i], 0);
		json_field(&out, "engine", engines.v[i], 0);
		json_field(&out, "database", ctrs.v[i], 1);
		strbuf_addf(&out, "}%s", i + 1 < names.n ? "," : "");
	}
	if (format == FORMAT_JSON)
		strbuf_adds(&out, "]\n");
	fputs(out.buf, stdout);
out:
	strvec_clear(&names);
	strvec_clear(&ctrs);
	strvec_clear(&engines);
	strbuf_release(&out);
	strbuf_release(&err);
	for (i = 0; i < sizeof c / sizeof c[0]; i++)
		strbuf_release(&c[i]);
	return (code);
}

static int
volumes_rm(const struct args *opts, int argc, char **argv)
{
	struct strvec		 names = STRVEC_INIT, ctrs = STRVEC_INIT;
	struct strvec		 engines = STRVEC_INIT, args = STRVEC_INIT;
	struct strbuf		 err = STRBUF_INIT;
	enum docker_error	 derr;
	char			*q;
	size_t			 i, j;
	int			 yes, code = EXIT_OK;

	yes = args_has(opts, "yes");
	if (argc == 0)
		return (cmd_usage_error(&cmd_volumes_entry, "no volume given"));
	if (docker_volumes(&names, &ctrs, &engines, &derr, &err) != 0) {
		code = docker_report(derr, "listing volumes", err.buf);
		goto out;
	}
	/* Only volumes dbarena made: never a stranger's data. */
	for (i = 0; i < (size_t)argc; i++) {
		for (j = 0; j < names.n; j++) {
			if (strcmp(names.v[j], argv[i]) == 0)
				break;
		}
		if (j == names.n) {
			error_msg("no such dbarena volume: %s", argv[i]);
			hint_msg("see: dbarena volumes list");
			code = EXIT_NOT_FOUND;
			goto out;
		}
	}
	if (!yes) {
		q = xasprintf("remove %d volume%s and the data in %s?", argc,
		    argc > 1 ? "s" : "", argc > 1 ? "them" : "it");
		if (!confirm(q)) {
			free(q);
			error_msg("not confirmed: nothing removed");
			hint_msg("add --yes to remove without asking");
			code = EXIT_REFUSED;
			goto out;
		}
		free(q);
	}
	strvec_push(&args, "volume");
	strvec_push(&args, "rm");
	for (i = 0; i < (size_t)argc; i++)
		strvec_push(&args, argv[i]);
	strbuf_reset(&err);
	if (docker_run(&args, NULL, NULL, &err, DOCKER_TIMEOUT_MS, &derr) !=
	    0) {
		code = docker_report(derr, "removing volumes", err.buf);
		if (derr == DERR_IN_USE)
			hint_msg("destroy the database using it first");
		goto out;
	}
	for (i = 0; i < (size_t)argc && !g.quiet; i++)
		printf("removed volume %s\n", argv[i]);
out:
	strvec_clear(&names);
	strvec_clear(&ctrs);
	strvec_clear(&engines);
	strvec_clear(&args);
	strbuf_release(&err);
	return (code);
}

static const struct cmd_option rm_options[] = {
	{ "yes", 'y', NULL, "do not ask first" },
	{ NULL, 0, NULL, NULL }
};

static const struct cmd_entry volumes_subs[] = {
	{ "list", "ls", "[--format table|json]",
	    "List the volumes dbarena made, with their engine and container.",
	    cmd_format_options, NULL, volumes_list, CMD_DEFAULT },
	{ "rm", "remove", "[--yes] VOLUME...",
	    "Remove volumes and the data in them.",
	    rm_options, NULL, volumes_rm, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_volumes_entry = {
	"volumes", NULL, NULL,
	"List dbarena's persistent volumes, or remove some.",
	NULL, volumes_subs, NULL, 0
};
