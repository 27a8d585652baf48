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
#include "rows.h"

static const struct column columns[] = {
	{ "VOLUME", 44, "name", 0 },
	{ "ENGINE", 10, "engine", 0 },
	{ "DATABASE", 0, "database", 0 },
};

static int
volumes_list(const struct args *args, int argc, char **argv)
{
	struct strvec		 names = STRVEC_INIT, ctrs = STRVEC_INIT;
	struct strvec		 engines = STRVEC_INIT;
	struct docker_result	 res = DOCKER_RESULT_INIT;
	struct rows		 r;
	enum output_format	 format = FORMAT_TEXT;
	size_t			 i;
	int			 code = EXIT_OK;

	(void)argv;
	if (args_listing(args, &format) == -1)
		return (EXIT_USAGE);
	if (argc != 0)
		return (cmd_usage_error(&cmd_volumes_entry,
		    "too many arguments"));
	code = docker_report_listing(&res, docker_volumes(&names, &ctrs,
	    &engines, &res), "listing volumes");
	if (code != EXIT_OK)
		goto out;
	rows_init(&r, columns, sizeof columns / sizeof columns[0]);
	for (i = 0; i < names.n; i++) {
		rows_str(&r, names.v[i]);
		rows_str(&r, engines.v[i]);
		rows_str(&r, ctrs.v[i]);
	}
	rows_print(&r, format);
out:
	strvec_clear(&names);
	strvec_clear(&ctrs);
	strvec_clear(&engines);
	docker_result_release(&res);
	return (code);
}

static int
volumes_rm(const struct args *opts, int argc, char **argv)
{
	struct strvec		 names = STRVEC_INIT, ctrs = STRVEC_INIT;
	struct strvec		 engines = STRVEC_INIT, rm = STRVEC_INIT;
	struct docker_result	 res = DOCKER_RESULT_INIT;
	char			*q;
	size_t			 i, j;
	int			 yes, code = EXIT_OK;

	yes = args_has(opts, "yes");
	if (argc == 0)
		return (cmd_usage_error(&cmd_volumes_entry, "no volume given"));
	code = docker_report_listing(&res, docker_volumes(&names, &ctrs,
	    &engines, &res), "listing volumes");
	if (code != EXIT_OK)
		goto out;
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
	for (i = 0; i < (size_t)argc; i++)
		strvec_push(&rm, argv[i]);
	if (docker_volume_rm(&rm, &res) != 0) {
		code = docker_report(&res, "removing volumes");
		if (res.err == DERR_IN_USE)
			hint_msg("destroy the database using it first");
		goto out;
	}
	for (i = 0; i < (size_t)argc && !g.quiet; i++)
		printf("removed volume %s\n", argv[i]);
out:
	strvec_clear(&names);
	strvec_clear(&ctrs);
	strvec_clear(&engines);
	strvec_clear(&rm);
	docker_result_release(&res);
	return (code);
}

static const struct cmd_option rm_options[] = {
	{ "yes", 'y', NULL, "do not ask first" },
	{ NULL, 0, NULL, NULL }
};

static const struct cmd_entry volumes_subs[] = {
	{ "list", "ls", "[--format table|json] [--quiet]",
	    "List the volumes dbarena made, with their engine and container.",
	    cmd_listing_options, NULL, volumes_list, CMD_DEFAULT },
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
