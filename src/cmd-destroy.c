/*
 * destroy: remove databases. Ephemeral ones are killed outright (their
 * data dies with them anyway); ones with a volume are stopped cleanly
 * first, so their data is flushed. A volume goes only with
 * --remove-volume and a confirmation: a question on a terminal, --yes
 * elsewhere. --all and a name given as a prefix ask the same way. Nothing
 * is removed when a confirmation is missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbarena.h"
#include "docker.h"
#include "network.h"
#include "optfile.h"

/* names[k] is the name of the k-th ID in ids, for messages. */
static const char *
name_of(const struct strvec *ids, const struct strvec *names, const char *id)
{
	size_t	k;

	for (k = 0; k < ids->n; k++) {
		if (strcmp(ids->v[k], id) == 0)
			return (names->v[k]);
	}
	return (id);
}

/*
 * What a failed (or, for rm, half-done) stop, rm or volume rm means.
 * Containers are named by their IDs, read from the same listing that
 * proved them ours: a name may belong to someone else by the time docker
 * looks it up. names says them in messages. A racer that removed one
 * first makes it "no such database", as it would have before.
 */
static int
report(int rc, struct docker_result *res, const struct strvec *ids,
    const struct strvec *names, const struct strvec *missing,
    const char *what)
{
	size_t	i;
	int	code = EXIT_OK;

	if (rc == 0) {
		for (i = 0; missing != NULL && i < missing->n; i++) {
			error_msg("no such database: %s",
			    name_of(ids, names, missing->v[i]));
			code = EXIT_NOT_FOUND;
		}
	} else {
		if (res->err != DERR_NO_SUCH && missing != NULL &&
		    docker_all_gone(ids))
			res->err = DERR_NO_SUCH;
		if (res->err == DERR_NO_SUCH) {
			/* Someone else destroyed it first. */
			error_msg("no such database: %s",
			    names->v[names->n - 1]);
			code = EXIT_NOT_FOUND;
		} else
			code = docker_report(res, what);
	}
	docker_result_release(res);
	return (code);
}

/*
 * --all, or a name given as a prefix, is a guess at what it fits:
 * "eco-pfxo" takes "eco-pfxonly" when that is the only one, which may not
 * be what was meant. Say what will go and ask; full names need no
 * question. Returns EXIT_OK or EXIT_REFUSED.
 */
static int
confirm_selection(int all, int argc, char **argv,
    const struct database_list *l, const size_t *sel, size_t nsel)
{
	struct strbuf	 names = STRBUF_INIT;
	const char	*name;
	char		*q = NULL;
	size_t		 i, n = 0;
	int		 ok = 1;

	for (i = 0; !all && i < (size_t)argc; i++) {
		name = l->v[sel[i]].name;
		if (strcmp(name, argv[i]) != 0)
			strbuf_addf(&names, "%s%s", n++ > 0 ? ", " : "", name);
	}
	if (all)
		q = xasprintf("destroy all %zu databases?", nsel);
	else if (n > 0)
		q = xasprintf("destroy %s?", names.buf);
	if (q != NULL && !(ok = confirm(q))) {
		error_msg("not confirmed: nothing destroyed");
		if (n > 0)
			hint_msg("a prefix stood for %s; give the full "
			    "name%s, or", names.buf, n > 1 ? "s" : "");
		hint_msg("add --yes to destroy without asking");
	}
	free(q);
	strbuf_release(&names);
	return (ok ? EXIT_OK : EXIT_REFUSED);
}

/*
 * The volume a database's label names goes with it only when dbarena
 * made it for that database: labels are anyone's, and a container that
 * names another's volume must not take it along.
 */
static int
own_volume(const struct database *d, struct strvec *vols)
{
	struct docker_result	res = DOCKER_RESULT_INIT;
	int			rc, code = EXIT_OK;

	if ((rc = docker_volume_owned(d->volume, d->name, &res)) == -1)
		code = docker_report(&res, "checking the volume");
	else if (rc == 1)
		strvec_push(vols, d->volume);
	else
		warn_msg("keeping volume %s: dbarena did not make it for "
		    "%s", d->volume, d->name);
	docker_result_release(&res);
	return (code);
}

static int
cmd_destroy_exec(const struct args *opts, int argc, char **argv)
{
	struct database_list	 l;
	struct strvec		 stop = STRVEC_INIT, rm = STRVEC_INIT;
	struct strvec		 stop_ids = STRVEC_INIT, rm_ids = STRVEC_INIT;
	struct strvec		 vols = STRVEC_INIT, missing = STRVEC_INIT;
	struct strvec		 nets = STRVEC_INIT;
	struct docker_result	 res = DOCKER_RESULT_INIT;
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
	if (!yes && (code = confirm_selection(all, argc, argv, &l, sel,
	    nsel)) != EXIT_OK)
		goto out;
	for (i = 0; i < nsel; i++) {
		d = &l.v[sel[i]];
		if (*d->volume != '\0') {
			strvec_push(&stop, d->name);
			strvec_push(&stop_ids, d->id);
			if (rmvol && (code = own_volume(d, &vols)) != EXIT_OK)
				goto out;
		}
		strvec_push(&rm, d->name);
		strvec_push(&rm_ids, d->id);
		strvec_push(&nets, d->network);
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
	if (stop.n > 0 && (code = report(docker_stop(&stop_ids, -1, &res),
	    &res, &stop_ids, &stop, NULL, "stopping")) != EXIT_OK)
		goto out;	/* never touch a volume after a failure */
	if ((code = report(docker_rm(&rm_ids, &missing, &res), &res, &rm_ids,
	    &rm, &missing, "removing")) != EXIT_OK)
		goto out;
	/* The client's option file env wrote, if any, goes with it. */
	for (i = 0; i < nsel; i++)
		optfile_remove(&l.v[sel[i]]);
	if (vols.n > 0 && (code = report(docker_volume_rm(&vols, &res), &res,
	    &vols, &vols, NULL, "removing volumes")) != EXIT_OK)
		goto out;
	if (!g.quiet) {
		for (i = 0; i < rm.n; i++)
			printf("destroyed %s\n", rm.v[i]);
		for (i = 0; i < vols.n; i++)
			printf("removed volume %s\n", vols.v[i]);
		for (i = 0; !rmvol && i < stop.n; i++)
			fprintf(stderr, "dbarena: kept the volume of %s "
			    "(--remove-volume removes it)\n", stop.v[i]);
	}
	/* Last: a network dbarena made goes with the last database on it. */
	network_release_all(&nets, g.quiet);
	if (!g.quiet)
		fprintf(stderr, "dbarena: destroyed %zu in %.1fs\n", rm.n,
		    (now_ms() - start) / 1000.0);
out:
	strvec_clear(&stop);
	strvec_clear(&rm);
	strvec_clear(&stop_ids);
	strvec_clear(&rm_ids);
	strvec_clear(&vols);
	strvec_clear(&missing);
	strvec_clear(&nets);
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
