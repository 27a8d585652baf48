/*
 * logs: the server's output, straight from docker logs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbarena.h"
#include "docker.h"

static int
cmd_logs_exec(const struct args *args, int argc, char **argv)
{
	struct database_list	 l;
	struct child		 c = CHILD_INIT;
	const char		*tail;
	unsigned long		 u;
	size_t			*sel, nsel;
	int			 follow, code, rc;

	follow = args_has(args, "follow");
	if ((tail = args_get(args, "tail")) != NULL &&
	    parse_uint(tail, 0, 100000000, &u) == -1 && strcmp(tail, "all") != 0)
		return (cmd_usage_error(&cmd_logs_entry, "invalid --tail '%s'",
		    tail));
	if (argc != 1)
		return (cmd_usage_error(&cmd_logs_entry, "one name, please"));
	if ((code = cmd_resolve(argc, argv, 0, 1, &l, &sel, &nsel)) ==
	    EXIT_OK) {
		fflush(stdout);
		docker_start_logs(&c, l.v[sel[0]].name, follow, tail);
		c.out = CHILD_INHERIT;
		c.err = CHILD_INHERIT;
		/* --follow runs until interrupted; a plain read is bounded. */
		if (!follow)
			c.timeout_ms = docker_timeout(DOCKER_LONG_TIMEOUT_MS);
		rc = child_run(&c);
		if (c.timed_out)
			code = docker_report_error(DERR_TIMEOUT, "reading logs",
			    NULL);
		else if (rc == -1)
			code = docker_report_error(docker_classify(rc, ""),
			    "reading logs", NULL);
		else if (rc != 0 && rc < 128)
			code = EXIT_FAIL;
		child_clear(&c);
	}
	free(sel);
	database_list_free(&l);
	return (code);
}

static const struct cmd_option logs_options[] = {
	{ "follow", 'f', NULL, "keep printing what the server writes" },
	{ "tail", 'n', "N", "only the last N lines, or all" },
	{ NULL, 0, NULL, NULL }
};

const struct cmd_entry cmd_logs_entry = {
	"logs", NULL, "[--follow] [--tail N] NAME",
	"Show a database server's log.",
	logs_options, NULL, cmd_logs_exec, 0
};
