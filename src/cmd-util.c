/*
 * What the commands share: the global options, usage errors and --help,
 * --format, the confirmation question, and turning NAME arguments into
 * managed containers. Below every cmd-*.c file and the table in cmd.c,
 * so that a command calling these never calls back up into the table.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dbarena.h"
#include "docker.h"

void
cmd_print_usage(FILE *f, const struct cmd_entry *e)
{
	fprintf(f, "usage: dbarena %s%s%s\n", e->name, *e->usage ? " " : "",
	    e->usage);
	if (e->alias != NULL)
		fprintf(f, "alias: %s\n", e->alias);
}

int
cmd_usage_error(const struct cmd_entry *e, const char *fmt, ...)
{
	struct strbuf	sb = STRBUF_INIT;
	va_list		ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		strbuf_vaddf(&sb, fmt, ap);
		va_end(ap);
		error_msg("%s", sb.buf);
		strbuf_release(&sb);
	}
	cmd_print_usage(stderr, e);
	return (EXIT_USAGE);
}

/* "dbarena CMD --help" anywhere before "--" prints usage, exit 0. */
int
cmd_wants_help(int argc, char **argv, const struct cmd_entry *e)
{
	int	i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			cmd_print_usage(stdout, e);
			printf("\n%s\n", e->summary);
			return (1);
		}
	}
	return (0);
}

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
	r = docker_list(include_stopped, l, &res);
	docker_report_odd(&res);
	if (r != 0)
		r = docker_report(&res, "listing databases");
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
		code = docker_inspect(&names, full, &res);
		docker_report_odd(&res);
		if (code != 0)
			code = docker_report(&res, "inspecting");
	}
	strvec_clear(&names);
	docker_result_release(&res);
	free(sel);
	database_list_free(&l);
	return (code);
}

/*
 * The options of a command whose only option is --format table|json.
 * optind is left at the first operand. Returns EXIT_OK, or the code of
 * the usage error it printed.
 */
int
cmd_format_opt(const struct cmd_entry *ce, int argc, char **argv,
    enum output_format *f)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'F')
			return (cmd_usage_error(ce, NULL));
		if (parse_format(optarg, f) == -1)
			return (EXIT_USAGE);
	}
	return (EXIT_OK);
}
