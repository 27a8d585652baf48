/*
 * volumes list and volumes rm: the persistent data dbarena made, which
 * outlives its databases until removed here or by destroy
 * --remove-volume.
 */
#include <getopt.h>
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
volumes_list(int argc, char **argv)
{
	struct strvec		 names = STRVEC_INIT, ctrs = STRVEC_INIT;
	struct strvec		 engines = STRVEC_INIT;
	struct docker_result	 res = DOCKER_RESULT_INIT;
	struct rows		 r;
	enum output_format	 format = FORMAT_TEXT;
	size_t			 i;
	int			 code = EXIT_OK;

	if ((code = cmd_format_opt(&cmd_volumes_entry, argc, argv, &format)) != EXIT_OK)
		return (code);
	if (optind != argc)
		return (cmd_usage_error(&cmd_volumes_entry,
		    "too many arguments"));
	code = docker_volumes(&names, &ctrs, &engines, &res);
	docker_report_odd(&res);
	if (code != 0) {
		code = docker_report(&res, "listing volumes");
		goto out;
	}
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
volumes_rm(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "yes", no_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 }
	};
	struct strvec		 names = STRVEC_INIT, ctrs = STRVEC_INIT;
	struct strvec		 engines = STRVEC_INIT, rm = STRVEC_INIT;
	struct docker_result	 res = DOCKER_RESULT_INIT;
	char			*q;
	size_t			 i, j;
	int			 ch, yes = 0, code = EXIT_OK;

	while ((ch = getopt_long(argc, argv, "y", longopts, NULL)) != -1) {
		switch (ch) {
		case 'y':
			yes = 1;
			break;
		default:
			return (cmd_usage_error(&cmd_volumes_entry, NULL));
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return (cmd_usage_error(&cmd_volumes_entry, "no volume given"));
	code = docker_volumes(&names, &ctrs, &engines, &res);
	docker_report_odd(&res);
	if (code != 0) {
		code = docker_report(&res, "listing volumes");
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

static int
cmd_volumes_exec(int argc, char **argv)
{
	if (argc < 2)
		return (volumes_list(argc, argv));
	if (strcmp(argv[1], "list") == 0 || strcmp(argv[1], "ls") == 0)
		return (volumes_list(argc - 1, argv + 1));
	if (strcmp(argv[1], "rm") == 0 || strcmp(argv[1], "remove") == 0)
		return (volumes_rm(argc - 1, argv + 1));
	return (cmd_usage_error(&cmd_volumes_entry, "unknown volumes command: "
	    "%s", argv[1]));
}

const struct cmd_entry cmd_volumes_entry = {
	"volumes", NULL, "[list [--format table|json] | rm [--yes] VOLUME...]",
	"List dbarena's persistent volumes, or remove some.",
	cmd_volumes_exec, 0
};
