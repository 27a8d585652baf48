/*
 * dbarena: a database in a container, tuned for what you are doing, with
 * one command. main parses the global options, finds the command in the
 * table and runs it; the exit code is the command's, unless stdout could
 * not be written.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "dbarena.h"
#include "docker.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: dbarena [--docker PATH] [--context NAME] [--quiet] "
	    "COMMAND [ARGS]\n"
	    "       dbarena --version | --help\n");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "context", required_argument, NULL, 'c' },
		{ "docker", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry	*e;
	char			*err;
	const char		*env;
	int			 ch, rc, fd;

	/*
	 * Started with 0, 1 or 2 closed (cron, a daemon), a pipe to a child
	 * would take one of those numbers and be lost in its dup2 dance:
	 * hold them with /dev/null first.
	 */
	while ((fd = open("/dev/null", O_RDWR)) != -1 && fd <= 2)
		;
	if (fd > 2)
		close(fd);
	/* Retry jitter only: concurrent dbarenas must not back off alike. */
	srandom((unsigned)getpid() ^ (unsigned)now_ms());
	g.docker = getenv("DBARENA_DOCKER");
	g.tty = isatty(STDERR_FILENO);
	/* getopt names argv[0]: "dbarena:", not the path it was run by. */
	argv[0] = "dbarena";
	/* "+": stop at the command, whose options are its own. */
	while ((ch = getopt_long(argc, argv, "+c:d:hqV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			g.context = optarg;
			break;
		case 'd':
			g.docker = optarg;
			break;
		case 'h':
			return (cmd_run(&cmd_help_entry, 1, argv));
		case 'q':
			g.quiet = 1;
			break;
		case 'V':
			printf("dbarena %s\n", PACKAGE_VERSION);
			return (EXIT_OK);
		default:
			usage(stderr);
			return (EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		usage(stderr);
		fprintf(stderr, "Run 'dbarena help' for the commands.\n");
		return (EXIT_USAGE);
	}
	if ((env = getenv("DBARENA_QUIET")) != NULL && *env != '\0')
		g.quiet = 1;
	config_set_dirs(SYSCONFDIR, PKGDATADIR);
	docker_init(g.docker, g.context);

	if ((e = cmd_find(argv[0], &err)) == NULL) {
		error_msg("%s", err);
		if (!cmd_suggest(argv[0], cmd_table, NULL))
			hint_msg("run 'dbarena help' for the commands");
		free(err);
		return (EXIT_USAGE);
	}
	if (cmd_wants_help(argc, argv, e))
		rc = EXIT_OK;
	else
		rc = cmd_run(e, argc, argv);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		error_msg("cannot write output: %s", strerror(errno));
		return (EXIT_FAIL);
	}
	return (rc);
}
