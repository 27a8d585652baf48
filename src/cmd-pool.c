/*
 * pool: databases started ahead of time, so that create can hand one out
 * in the time two docker calls take. fill starts them (in parallel, as
 * create does), create claims one by renaming it, drain removes them.
 * There is no daemon: refilling is running fill again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "create.h"
#include "dbarena.h"
#include "docker.h"
#include "network.h"
#include "rows.h"

static int
pool_fill(const struct args *args, int argc, char **argv)
{
	struct create_args	 a;
	unsigned long		 n = 1, i;
	const char		*v;
	char			**engines;
	int			 code;

	memset(&a, 0, sizeof a);
	if ((a.profile = args_get(args, "profile")) == NULL)
		a.profile = "fast";
	a.fill_pool = 1;
	a.tty = g.tty;
	a.quiet = 1;
	a.o.registry = getenv("DBARENA_REGISTRY");
	a.o.version = args_get(args, "version");
	if ((a.o.network = args_get(args, "network")) != NULL &&
	    !valid_name(a.o.network))
		return (cmd_usage_error(&cmd_pool_entry, "invalid --network "
		    "'%s'", a.o.network));
	if ((v = args_get(args, "count")) != NULL &&
	    parse_uint(v, 1, 64, &n) == -1)
		return (cmd_usage_error(&cmd_pool_entry,
		    "invalid -n '%s': 1 to 64", v));
	if ((v = args_get(args, "timeout")) != NULL &&
	    (parse_duration_ms(v, &a.o.timeout_ms) == -1 ||
	    a.o.timeout_ms == 0))
		return (cmd_usage_error(&cmd_pool_entry,
		    "invalid --timeout '%s'", v));
	if (argc != 1)
		return (cmd_usage_error(&cmd_pool_entry,
		    "pool fill takes one engine"));
	engines = xcalloc(n, sizeof *engines);
	for (i = 0; i < n; i++)
		engines[i] = argv[0];
	a.o.env = &a.env;
	signals_init();
	code = create_databases((int)n, engines, &a);
	free(engines);
	return (code);
}

/* Pool members (of one engine, or all) first in l, their count in *n. */
static int
members(struct database_list *l, const char *engine, int *n)
{
	struct docker_result	res = DOCKER_RESULT_INIT;
	size_t			i, keep = 0;
	int			code;

	code = docker_report_listing(&res, docker_list(1, l, &res),
	    "listing the pool");
	docker_result_release(&res);
	if (code != EXIT_OK)
		return (code);
	/* Compact in place: only pool members of the engine asked for. */
	for (i = 0; i < l->n; i++) {
		if (strncmp(l->v[i].name, POOL_PREFIX,
		    strlen(POOL_PREFIX)) == 0 && (engine == NULL ||
		    strcmp(l->v[i].engine, engine) == 0)) {
			struct database	tmp = l->v[keep];

			l->v[keep++] = l->v[i];
			l->v[i] = tmp;
		}
	}
	*n = keep;
	return (code);
}

static const struct column columns[] = {
	{ "NAME", 36, "name", 0 },
	{ "TYPE", 10, "engine", 0 },
	{ "VERSION", 8, "version", 0 },
	{ "PROFILE", 12, "profile", 0 },
	{ "STATUS", 10, "status", 0 },
	{ "PORT", 0, "port", 0 },
	{ NULL, 0, "network", 0 },
};

static int
pool_list(const struct args *args, int argc, char **argv)
{
	struct database_list	 l;
	struct rows		 r;
	enum output_format	 f = FORMAT_TEXT;
	const struct database	*d;
	int			 n, i, code;

	if (args_listing(args, &f) == -1)
		return (EXIT_USAGE);
	if (argc > 1)
		return (cmd_usage_error(&cmd_pool_entry, "too many arguments"));
	if ((code = members(&l, argc > 0 ? argv[0] : NULL, &n)) != EXIT_OK)
		return (code);
	rows_init(&r, columns, sizeof columns / sizeof columns[0]);
	for (i = 0; i < n; i++) {
		d = &l.v[i];
		rows_str(&r, d->name);
		rows_str(&r, d->engine);
		rows_str(&r, d->version);
		rows_str(&r, d->profile);
		rows_str(&r, database_status(d));
		rows_int(&r, d->host_port);
		rows_str(&r, *d->network != '\0' ? d->network : NULL);
	}
	rows_print(&r, f);
	database_list_free(&l);
	return (EXIT_OK);
}

/*
 * Take a member away from the claimants before removing it, with the
 * rename a claim makes (see pool_take in cmd-create.c): whoever renames
 * dbarena-pool-E-V-X to dbarena-E-V-X first has it, and the other fails.
 * Removing by name instead could remove a member a create has just
 * claimed and handed out; removing by ID what we renamed cannot.
 */
static int
drain_take(const struct database *d)
{
	struct docker_result	res = DOCKER_RESULT_INIT;
	char			*claim;
	int			rc;

	claim = xasprintf("dbarena-%s", d->name + strlen(POOL_PREFIX));
	rc = docker_rename(d->name, claim, &res);
	docker_result_release(&res);
	free(claim);
	return (rc == 0);
}

static int
pool_drain(const struct args *args, int argc, char **argv)
{
	struct database_list	 l;
	struct strvec		 ids = STRVEC_INIT, nets = STRVEC_INIT;
	struct docker_result	 res = DOCKER_RESULT_INIT;
	const char		*profile = args_get(args, "profile");
	int			 n, i, code = EXIT_OK;

	if (argc > 1)
		return (cmd_usage_error(&cmd_pool_entry, "too many arguments"));
	if ((code = members(&l, argc > 0 ? argv[0] : NULL, &n)) != EXIT_OK)
		return (code);
	/* --profile: one pool of the engine's, not all of them. */
	for (i = 0; i < n; i++) {
		if ((profile == NULL || strcmp(l.v[i].profile, profile) == 0) &&
		    drain_take(&l.v[i])) {
			strvec_push(&ids, l.v[i].id);
			strvec_push(&nets, l.v[i].network);
		}
	}
	if (docker_remove_ids(&ids, &res) != 0)
		code = docker_report(&res, "draining the pool");
	if (code == EXIT_OK && !g.quiet)
		printf("drained %zu\n", ids.n);
	if (code == EXIT_OK)
		network_release_all(&nets, g.quiet);
	strvec_clear(&ids);
	strvec_clear(&nets);
	docker_result_release(&res);
	database_list_free(&l);
	return (code);
}

static const struct cmd_option fill_options[] = {
	{ "count", 'n', "N", "how many to start, 1 to 64 (default 1)" },
	{ "network", 0, "NET", "join this docker network; create --network "
	    "NET claims them" },
	{ "profile", 0, "P", "their profile (default fast)" },
	{ "timeout", 0, "S", "how long to wait for each" },
	{ "version", 'v', "V", "the engine version (default: the engine's "
	    "first)" },
	{ NULL, 0, NULL, NULL }
};

static const struct cmd_option drain_options[] = {
	{ "profile", 0, "P", "only the members of this profile's pool" },
	{ NULL, 0, NULL, NULL }
};

static const struct cmd_entry pool_subs[] = {
	{ "fill", NULL, "[-n N] [--profile P] [--version V] [--network NET] "
	        "[--timeout S] ENGINE",
	    "Start databases for the pool and wait until they are ready.",
	    fill_options, NULL, pool_fill, 0 },
	{ "list", "ls", "[--format table|json] [--quiet] [ENGINE]",
	    "List the pool's databases, of one engine or all.",
	    cmd_listing_options, NULL, pool_list, CMD_DEFAULT },
	{ "drain", NULL, "[--profile P] [ENGINE]",
	    "Remove the pool's databases, of one engine or all.",
	    drain_options, NULL, pool_drain, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_pool_entry = {
	"pool", NULL, NULL,
	"Keep databases ready ahead of time; create claims one.",
	NULL, pool_subs, NULL, 0
};
