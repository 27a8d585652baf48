/*
 * start, stop and restart. start and restart wait, as create does, until
 * the server accepts connections again, so a script can use it at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dbarena.h"
#include "docker.h"
#include "ready.h"
#include "report.h"

/* The profile's health.timeout, when its profile can still be found. */
static long long
profile_timeout(const struct database *d)
{
	struct profile	 pr;
	char		*msg = NULL;
	long long	 ms = 60000;

	if (profile_load(d->profile, &pr, &msg) == 0) {
		if (pr.set[P_TIMEOUT].value != NULL)
			parse_duration_ms(pr.set[P_TIMEOUT].value, &ms);
		profile_free(&pr);
	}
	free(msg);
	return (ms);
}

static int
wait_started(struct database *d, long long timeout_ms)
{
	struct engine		 e;
	struct ready_spec	 rs;
	struct strvec		 health = STRVEC_INIT;
	struct strbuf		 tail = STRBUF_INIT;
	enum ready_status	 st;
	char			*msg = NULL;
	int			 code = EXIT_OK;

	if (engine_load(d->engine, &e, &msg) == -1) {
		/* Without its engine file we cannot tell; docker started it. */
		warn_msg("%s: %s; not waiting for it", d->name, msg);
		free(msg);
		return (EXIT_OK);
	}
	database_complete(d, &e);
	ready_from_engine(&rs, d, &e, &health);
	rs.timeout_ms = timeout_ms;
	rs.progress = g.tty && !g.quiet;
	st = wait_ready(&rs, &tail);
	if (st == READY_INTERRUPTED)
		code = interrupted();
	else if (st == READY_REFUSED) {
		error_msg("%s refused the connection: %s", d->name, tail.buf);
		code = EXIT_NOT_READY;
	} else if (st == READY_TUNNEL) {
		error_msg("no ssh forward to %s: %s", d->name, tail.buf);
		code = EXIT_TUNNEL;
	} else if (st != READY_OK) {
		error_msg("%s not ready after starting", d->name);
		hint_msg("look at: dbarena logs %s", d->name);
		code = EXIT_NOT_READY;
	}
	strbuf_release(&tail);
	strvec_clear(&health);
	engine_free(&e);
	return (code);
}

static int
lifecycle(const struct args *opts, int argc, char **argv)
{
	const struct cmd_entry	*ce = opts->entry;
	const char		*verb = ce->name;
	struct database_list	 l;
	struct strvec		 names = STRVEC_INIT;
	struct docker_result	 res = DOCKER_RESULT_INIT;
	long long		 timeout = -1, start;
	size_t			*sel = NULL, nsel, i;
	const char		*t;
	int			 code, waits;

	if ((t = args_get(opts, "timeout")) != NULL &&
	    parse_duration_ms(t, &timeout) == -1)
		return (cmd_usage_error(ce, "invalid --timeout '%s'", t));
	if (argc == 0)
		return (cmd_usage_error(ce, "no name given"));
	if ((code = cmd_resolve(argc, argv, 0, 1, &l, &sel, &nsel)) != EXIT_OK)
		goto out;
	waits = strcmp(verb, "stop") != 0;
	if (waits)
		signals_init();
	start = now_ms();
	for (i = 0; i < nsel; i++)
		strvec_push(&names, l.v[sel[i]].name);
	/* For stop: the time the server gets to shut down cleanly. */
	if ((!waits ? docker_stop(&names, timeout, &res) :
	    strcmp(verb, "restart") == 0 ? docker_restart(&names, &res) :
	    docker_start(&names, &res)) != 0) {
		code = docker_report(&res, waits ? "starting" : "stopping");
		goto out;
	}
	for (i = 0; waits && i < nsel && code == EXIT_OK; i++)
		code = wait_started(&l.v[sel[i]], timeout > 0 ? timeout :
		    profile_timeout(&l.v[sel[i]]));
	if (code == EXIT_OK && !g.quiet) {
		for (i = 0; i < nsel; i++)
			printf("%s %s\n", l.v[sel[i]].name, waits ?
			    "ready" : "stopped");
		if (waits)
			fprintf(stderr, "dbarena: %s in %.1fs\n",
			    strcmp(verb, "restart") == 0 ? "restarted" :
			    "started", (now_ms() - start) / 1000.0);
	}
out:
	strvec_clear(&names);
	docker_result_release(&res);
	free(sel);
	database_list_free(&l);
	return (code);
}

static const struct cmd_option wait_options[] = {
	{ "timeout", 't', "S", "how long to wait for each database (default: "
	    "its profile's)" },
	{ NULL, 0, NULL, NULL }
};

static const struct cmd_option stop_options[] = {
	{ "timeout", 't', "S", "how long each server may take to shut down "
	    "(default 10)" },
	{ NULL, 0, NULL, NULL }
};

const struct cmd_entry cmd_start_entry = {
	"start", NULL, "[--timeout S] NAME...",
	"Start stopped databases and wait until they accept connections.",
	wait_options, NULL, lifecycle, 0
};

const struct cmd_entry cmd_stop_entry = {
	"stop", NULL, "[--timeout S] NAME...",
	"Stop databases cleanly, giving each S seconds (default 10).",
	stop_options, NULL, lifecycle, 0
};

const struct cmd_entry cmd_restart_entry = {
	"restart", NULL, "[--timeout S] NAME...",
	"Restart databases and wait until they accept connections.",
	wait_options, NULL, lifecycle, 0
};
