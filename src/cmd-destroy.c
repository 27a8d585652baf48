/*
 * destroy: remove databases. Ephemeral ones are killed outright (their
 * data dies with them anyway); ones with a volume are stopped cleanly
 * first, so their data is flushed. A volume goes only with
 * --remove-volume and a confirmation: a question on a terminal, --yes
 * elsewhere. Nothing is removed when that confirmation is missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbarena.h"
#include "docker.h"

/*
 * Whether none of the containers an rm named exists any more. Two forced
 * removals of one container can race inside the daemon and the loser
 * gets a filesystem error rather than "no such container"; what matters
 * is that it is gone.
 */
static int
all_gone(const struct strvec *args)
{
	enum docker_error	derr;
	size_t			i;

	for (i = 1; i < args->n; i++) {
		if (args->v[i][0] == '-')
			continue;
		if (docker_inspect_field(DF_RUNNING, args->v[i], NULL, &derr,
		    NULL) == 0 || derr != DERR_NO_SUCH)
			return (0);
	}
	return (1);
}

/*
 * After a successful "rm --force ID...": the ones the CLI did not echo.
 * With --force, docker (since 23) and podman both exit 0 for a container
 * that is not there, so the echo is the only word on who removed it: a
 * racer that lost says "no such database", as it would have before.
 * names[k] is the name of the k-th container argument, for messages.
 */
static int
not_removed(const struct strvec *args, const struct strvec *names,
    const struct strbuf *out)
{
	size_t	i, k = 0, len;
	char	*p;
	int	code = EXIT_OK;

	for (i = 1; i < args->n; i++) {
		if (args->v[i][0] == '-')
			continue;
		len = strlen(args->v[i]);
		for (p = out->buf; (p = strstr(p, args->v[i])) != NULL;
		    p += len) {
			if ((p == out->buf || p[-1] == '\n') &&
			    (p[len] == '\n' || p[len] == '\0'))
				break;
		}
		if (p == NULL) {
			error_msg("no such database: %s", names->v[k]);
			code = EXIT_NOT_FOUND;
		}
		k++;
	}
	return (code);
}

/*
 * Run stop, rm or volume rm. Containers are named by their IDs, read
 * from the same listing that proved them ours: a name may belong to
 * someone else by the time docker looks it up. names says them in
 * messages.
 */
static int
run_or_report(struct strvec *args, const struct strvec *names,
    const char *what, long long timeout)
{
	struct strbuf		out = STRBUF_INIT, err = STRBUF_INIT;
	enum docker_error	derr;
	int			code = EXIT_OK;

	if (docker_run(args, NULL, &out, &err, timeout, &derr) == 0) {
		if (strcmp(args->v[0], "rm") == 0)
			code = not_removed(args, names, &out);
	} else {
		if (derr != DERR_NO_SUCH && strcmp(args->v[0], "rm") == 0 &&
		    all_gone(args))
			derr = DERR_NO_SUCH;
		if (derr == DERR_NO_SUCH) {
			/* Someone else destroyed it first. */
			error_msg("no such database: %s",
			    names->v[names->n - 1]);
			code = EXIT_NOT_FOUND;
		} else
			code = docker_report(derr, what, err.buf);
	}
	strbuf_release(&out);
	strbuf_release(&err);
	strvec_clear(args);
	return (code);
}

static int
cmd_destroy_exec(const struct args *opts, int argc, char **argv)
{
	struct database_list	 l;
	struct strvec		 stop = STRVEC_INIT, rm = STRVEC_INIT;
	struct strvec		 stop_ids = STRVEC_INIT, rm_ids = STRVEC_INIT;
	struct strvec		 vols = STRVEC_INIT;
	const struct database	*d;
	char			*q;
	long long		 start = now_ms();
	size_t			*sel = NULL, nsel, i;
	int			 all, rmvol, yes, code, ok;

	all = args_has(opts, "all");
	rmvol = args_has(opts, "remove-volume");
	yes = args_has(opts, "yes");
	if (all == (argc > 0))
		return (cmd_usage_error(&cmd_destroy_entry, all ? "--all takes "
		    "no names" : "no name given (or --all)"));
	if ((code = cmd_resolve(argc, argv, all, 1, &l, &sel, &nsel)) !=
	    EXIT_OK)
		goto out;
	if (nsel == 0)
		goto out;
	if (all && !yes) {
		q = xasprintf("destroy all %zu databases?", nsel);
		ok = confirm(q);
		free(q);
		if (!ok) {
			error_msg("not confirmed: nothing destroyed");
			hint_msg("add --yes to destroy without asking");
			code = EXIT_REFUSED;
			goto out;
		}
	}
	for (i = 0; i < nsel; i++) {
		d = &l.v[sel[i]];
		if (*d->volume != '\0') {
			strvec_push(&stop, d->name);
			strvec_push(&stop_ids, d->id);
			if (rmvol)
				strvec_push(&vols, d->volume);
		}
		strvec_push(&rm, d->name);
		strvec_push(&rm_ids, d->id);
	}
	if (vols.n > 0 && !yes) {
		q = xasprintf("remove %zu volume%s and the data in %s (%s%s)?",
		    vols.n, vols.n > 1 ? "s" : "", vols.n > 1 ? "them" : "it",
		    vols.v[0], vols.n > 1 ? ", ..." : "");
		ok = confirm(q);
		free(q);
		if (!ok) {
			error_msg("not confirmed: nothing destroyed");
			hint_msg("add --yes to remove volumes without asking");
			code = EXIT_REFUSED;
			goto out;
		}
	}
	if (stop.n > 0) {
		struct strvec	args = STRVEC_INIT;

		strvec_push(&args, "stop");
		strvec_pushvec(&args, &stop_ids);
		if ((code = run_or_report(&args, &stop, "stopping",
		    DOCKER_TIMEOUT_MS)) != EXIT_OK)
			goto out;	/* never touch a volume after a failure */
	}
	{
		struct strvec	args = STRVEC_INIT;

		strvec_push(&args, "rm");
		strvec_push(&args, "--force");
		strvec_push(&args, "--volumes");
		strvec_pushvec(&args, &rm_ids);
		if ((code = run_or_report(&args, &rm, "removing",
		    DOCKER_TIMEOUT_MS)) != EXIT_OK)
			goto out;
	}
	if (vols.n > 0) {
		struct strvec	args = STRVEC_INIT;

		strvec_push(&args, "volume");
		strvec_push(&args, "rm");
		strvec_pushvec(&args, &vols);
		if ((code = run_or_report(&args, &vols, "removing volumes",
		    DOCKER_TIMEOUT_MS)) != EXIT_OK)
			goto out;
	}
	if (!g.quiet) {
		for (i = 0; i < rm.n; i++)
			printf("destroyed %s\n", rm.v[i]);
		for (i = 0; i < vols.n; i++)
			printf("removed volume %s\n", vols.v[i]);
		for (i = 0; !rmvol && i < stop.n; i++)
			fprintf(stderr, "dbarena: kept the volume of %s "
			    "(--remove-volume removes it)\n", stop.v[i]);
		fprintf(stderr, "dbarena: destroyed %zu in %.1fs\n", rm.n,
		    (now_ms() - start) / 1000.0);
	}
out:
	strvec_clear(&stop);
	strvec_clear(&rm);
	strvec_clear(&stop_ids);
	strvec_clear(&rm_ids);
	strvec_clear(&vols);
	free(sel);
	database_list_free(&l);
	return (code);
}

static const struct cmd_option destroy_options[] = {
	{ "all", 'a', NULL, "every database dbarena made, running or stopped" },
	{ "remove-volume", 0, NULL, "their named volumes too, and the data "
	    "in them" },
	{ "yes", 'y', NULL, "do not ask first" },
	{ NULL, 0, NULL, NULL }
};

/* Destructive: no short alias. */
const struct cmd_entry cmd_destroy_entry = {
	"destroy", NULL, "[--remove-volume] [--yes] (--all | NAME...)",
	"Remove databases; their volumes only with --remove-volume.",
	destroy_options, NULL, cmd_destroy_exec, CMD_NO_PREFIX
};
