/*
 * What the commands share: the global options, --format values, the
 * confirmation question, and turning NAME arguments into
 * managed containers. Below every cmd-*.c file and the table in cmd.c,
 * so that a command calling these never calls back up into the table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dbarena.h"
#include "docker.h"

int
parse_format(const char *s, enum output_format *f)
{
	if (strcmp(s, "table") == 0 || strcmp(s, "text") == 0)
		*f = FORMAT_TEXT;
	else if (strcmp(s, "json") == 0)
		*f = FORMAT_JSON;
	else {
		error_msg("unknown format '%s' (table or json)", s);
		return (-1);
	}
	return (0);
}

/*
 * Ask on a terminal; off a terminal, refuse (the caller says to use
 * --yes), so that a script never destroys data by accident.
 */
int
confirm(const char *question)
{
	char	line[64];

	if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO))
		return (0);
	fprintf(stderr, "%s [y/N] ", question);
	fflush(stderr);
	if (fgets(line, sizeof line, stdin) == NULL)
		return (0);
	return (line[0] == 'y' || line[0] == 'Y');
}

struct globals g;

/*
 * Turn NAME arguments (exact names or unique prefixes) into managed
 * containers; with all set, every one of them. On success sel holds
 * indexes into l, in argument order.
 */
int
cmd_resolve(int argc, char **argv, int all, int include_stopped,
    struct database_list *l, size_t **sel, size_t *nsel)
{
	struct docker_result	res = DOCKER_RESULT_INIT;
	size_t			i, idx;
	int			r;

	*sel = NULL;
	*nsel = 0;
	r = docker_report_listing(&res, docker_list(include_stopped, l, &res),
	    "listing databases");
	docker_result_release(&res);
	if (r != EXIT_OK)
		return (r);
	*sel = xcalloc(all ? l->n + 1 : (size_t)argc + 1, sizeof **sel);
	if (all) {
		for (i = 0; i < l->n; i++)
			(*sel)[(*nsel)++] = i;
		return (EXIT_OK);
	}
	for (i = 0; i < (size_t)argc; i++) {
		r = database_resolve(argv[i], l, &idx);
		if (r == -1) {
			error_msg("no such database: %s", argv[i]);
			hint_msg("see: dbarena list --all");
			return (EXIT_NOT_FOUND);
		}
		if (r == -2) {
			struct strbuf	could = STRBUF_INIT;
			size_t		j, len = strlen(argv[i]);

			for (j = 0; j < l->n; j++) {
				if (strncmp(l->v[j].name, argv[i], len) == 0)
					strbuf_addf(&could, "%s%s", could.len ?
					    ", " : "", l->v[j].name);
			}
			error_msg("ambiguous name: %s, could be: %s", argv[i],
			    could.buf);
			strbuf_release(&could);
			return (EXIT_USAGE);
		}
		(*sel)[(*nsel)++] = idx;
	}
	return (EXIT_OK);
}

/*
 * cmd_resolve, then docker inspect for what ps cannot show (the password
 * is only in the container's environment). full holds the databases in
 * argument order.
 */
int
cmd_resolve_full(int argc, char **argv, struct database_list *full)
{
	struct database_list	 l;
	struct strvec		 names = STRVEC_INIT;
	struct docker_result	 res = DOCKER_RESULT_INIT;
	size_t			*sel, nsel, i;
	int			 code;

	memset(full, 0, sizeof *full);
	code = cmd_resolve(argc, argv, 0, 1, &l, &sel, &nsel);
	for (i = 0; code == EXIT_OK && i < nsel; i++)
		strvec_push(&names, l.v[sel[i]].id);
	if (code == EXIT_OK) {
		code = docker_report_listing(&res, docker_inspect(&names, full,
		    &res), "inspecting");
	}
	strvec_clear(&names);
	docker_result_release(&res);
	free(sel);
	database_list_free(&l);
	return (code);
}
