/*
 * help and version: both generated from the command table and configure,
 * so that nothing here can fall out of date.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "dbarena.h"

static int
cmd_help_exec(int argc, char **argv)
{
	const struct cmd_entry *const	*e;
	const struct cmd_entry		*one;
	char				*err;

	if (argc > 2)
		return (cmd_usage_error(&cmd_help_entry, "too many arguments"));
	if (argc == 2) {
		if ((one = cmd_find(argv[1], &err)) == NULL) {
			error_msg("%s", err);
			return (EXIT_USAGE);
		}
		cmd_print_usage(stdout, one);
		printf("\n%s\n", one->summary);
		return (EXIT_OK);
	}
	printf("usage: dbarena [--docker PATH] [--context NAME] [--quiet] "
	    "COMMAND [ARGS]\n\n"
	    "Databases in containers, tuned for what you are doing.\n\n"
	    "Commands:\n");
	for (e = cmd_table; *e != NULL; e++)
		printf("  %-10s %s\n", (*e)->name, (*e)->summary);
	printf("\nRun 'dbarena help COMMAND' for a command's options; "
	    "man dbarena for all.\n");
	return (EXIT_OK);
}

const struct cmd_entry cmd_help_entry = {
	"help", NULL, "[COMMAND]",
	"Show the commands, or one command's usage.",
	cmd_help_exec, 0
};

static int
cmd_version_exec(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return (cmd_usage_error(&cmd_version_entry,
		    "too many arguments"));
	printf("dbarena %s\n", PACKAGE_VERSION);
	return (EXIT_OK);
}

const struct cmd_entry cmd_version_entry = {
	"version", NULL, "",
	"Print dbarena's version.",
	cmd_version_exec, 0
};
