/*
 * The command table: one alphabetical, NULL-terminated list of entries,
 * each defined in its own cmd-*.c file. Lookup takes an exact name, an
 * alias or a unique prefix; usage and help are generated from the entries
 * so they are never written twice. help and version live here too: help
 * reads the table that lists it, and in any other file that would be a
 * cycle between the two. The helpers the commands share are in
 * cmd-util.c, below them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dbarena.h"

const struct cmd_entry *const cmd_table[] = {
	&cmd_cdc_entry,
	&cmd_clone_entry,
	&cmd_create_entry,
	&cmd_destroy_entry,
	&cmd_doctor_entry,
	&cmd_engines_entry,
	&cmd_env_entry,
	&cmd_exec_entry,
	&cmd_gc_entry,
	&cmd_help_entry,
	&cmd_images_entry,
	&cmd_inspect_entry,
	&cmd_list_entry,
	&cmd_logs_entry,
	&cmd_pool_entry,
	&cmd_profiles_entry,
	&cmd_reset_entry,
	&cmd_restart_entry,
	&cmd_run_entry,
	&cmd_restore_entry,
	&cmd_shell_entry,
	&cmd_snapshot_entry,
	&cmd_start_entry,
	&cmd_stop_entry,
	&cmd_tunnel_entry,
	&cmd_url_entry,
	&cmd_version_entry,
	&cmd_volumes_entry,
	NULL
};

/* Returns the entry, or NULL with *err saying why (unknown, ambiguous). */
const struct cmd_entry *
cmd_find(const char *name, char **err)
{
	const struct cmd_entry *const	*e;
	const struct cmd_entry		*found = NULL;
	struct strbuf			 amb = STRBUF_INIT;
	size_t				 len = strlen(name);
	int				 n = 0;

	for (e = cmd_table; *e != NULL; e++) {
		if (strcmp((*e)->name, name) == 0 ||
		    ((*e)->alias != NULL && strcmp((*e)->alias, name) == 0))
			return (*e);
	}
	for (e = cmd_table; *e != NULL; e++) {
		if (strncmp((*e)->name, name, len) == 0 &&
		    ((*e)->flags & CMD_NO_PREFIX) == 0) {
			strbuf_addf(&amb, "%s%s", n ? ", " : "", (*e)->name);
			found = *e;
			n++;
		}
	}
	if (n == 1 && len > 0) {
		strbuf_release(&amb);
		return (found);
	}
	if (n > 1)
		*err = xasprintf("ambiguous command: %s, could be: %s", name,
		    amb.buf);
	else
		*err = xasprintf("unknown command: %s", name);
	strbuf_release(&amb);
	return (NULL);
}

static int
cmd_help_exec(const struct args *args, int argc, char **argv)
{
	const struct cmd_entry *const	*e;
	const struct cmd_entry		*one;
	char				*err;

	if (argc > 1)
		return (cmd_usage_error(&cmd_help_entry, "too many arguments"));
	if (argc == 1) {
		if ((one = cmd_find(argv[0], &err)) == NULL) {
			error_msg("%s", err);
			cmd_suggest(argv[0], cmd_table, NULL);
			free(err);
			return (EXIT_USAGE);
		}
		if (args_has(args, "options"))
			cmd_print_options(stdout, one);
		else
			cmd_print_help(stdout, one);
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

static const struct cmd_option help_options[] = {
	{ "options", 0, NULL, "the options as words, for completion" },
	{ NULL, 0, NULL, NULL }
};

const struct cmd_entry cmd_help_entry = {
	"help", NULL, "[COMMAND]",
	"Show the commands, or one command's usage and options.",
	help_options, NULL, cmd_help_exec, 0
};

static int
cmd_version_exec(const struct args *args, int argc, char **argv)
{
	(void)args;
	(void)argv;
	if (argc > 0)
		return (cmd_usage_error(&cmd_version_entry,
		    "too many arguments"));
	printf("dbarena %s\n", PACKAGE_VERSION);
	return (EXIT_OK);
}

const struct cmd_entry cmd_version_entry = {
	"version", NULL, "",
	"Print dbarena's version.",
	NULL, NULL, cmd_version_exec, 0
};
