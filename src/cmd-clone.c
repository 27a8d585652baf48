/*
 * clone (create, list, rm): new databases inside a running database's
 * server, each a copy of one of its snapshots, for one test each. Same
 * host, port, user and password as the database; another database name,
 * under the reserved prefix dbarena_clone_<database>_<n>. Spares (fill,
 * drain) are such copies made ahead of time, which clone then renames.
 * Options and printing only; the work is snapshot.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dbarena.h"
#include "render.h"
#include "rows.h"
#include "snapshot.h"

#define CLONE_MAX	1000	/* at once: more is a typo */

/* -q prints the URLs: what a shell loop hands to each test. */
static const struct column made_columns[] = {
	{ NULL, 0, "name", 0 },
	{ "DATABASE", 32, "database", 0 },
	{ NULL, 0, "snapshot", 0 },
	{ NULL, 0, "spare", 0 },
	{ "URL", 0, "url", COL_NAME },
};

static const struct column fill_columns[] = {
	{ "NAME", 24, "name", COL_NAME },
	{ "SNAPSHOT", 16, "snapshot", 0 },
	{ "MADE", 6, "made", 0 },
	{ "SPARES", 0, "spares", 0 },
};

static const struct column list_columns[] = {
	{ "DATABASE", 32, "database", COL_NAME },
	{ "URL", 0, "url", 0 },
};

/* The database's URL, with the clone's database name instead. */
static char *
clone_url(const struct snap_target *t, const char *database)
{
	const struct database	*d = t->op.d;

	return (render_url(t->e.set[E_URL].value, d->host, d->host_port,
	    d->user, d->password, database));
}

/* The first t->op.spared of made came from spares. */
static void
print_made(const struct snap_target *t, const struct strvec *made,
    const char *snap, enum output_format format)
{
	struct rows	 r;
	char		*url;
	size_t		 i;

	rows_init(&r, made_columns, sizeof made_columns /
	    sizeof made_columns[0]);
	for (i = 0; i < made->n; i++) {
		url = clone_url(t, made->v[i]);
		rows_str(&r, t->op.d->name);
		rows_str(&r, made->v[i]);
		rows_str(&r, snap);
		rows_bool(&r, i < t->op.spared);
		rows_str(&r, url);
		free(url);
	}
	rows_print(&r, format);
}

/* The output format, and exactly one database named. */
static int
one_name(const struct args *args, int argc, enum output_format *format)
{
	if (args_listing(args, format) == -1)
		return (EXIT_USAGE);
	if (argc != 1)
		return (cmd_usage_error(&cmd_clone_entry, argc < 1 ?
		    "no database given" : "too many arguments"));
	return (EXIT_OK);
}

static int
clone_options(const struct args *args, size_t *count, const char **snap)
{
	const char	*s;
	unsigned long	 n = 1;

	if ((s = args_get(args, "count")) != NULL &&
	    parse_uint(s, 1, CLONE_MAX, &n) == -1) {
		error_msg("clone: --count: '%s' is not a number from 1 to %d",
		    s, CLONE_MAX);
		return (EXIT_USAGE);
	}
	*count = n;
	*snap = args_get(args, "snapshot");
	return (EXIT_OK);
}

static int
clone_create(const struct args *args, int argc, char **argv)
{
	struct snap_target	 t;
	struct strvec		 made = STRVEC_INIT;
	enum output_format	 format = FORMAT_TEXT;
	const char		*snap;
	size_t			 count;
	int			 code;

	if ((code = one_name(args, argc, &format)) != EXIT_OK)
		return (code);
	if ((code = clone_options(args, &count, &snap)) != EXIT_OK)
		return (code);
	if ((code = snap_target_open(&t, argv[0], "clone")) == EXIT_OK &&
	    (code = snapshot_clone(&t.op, snap, count, &made)) == EXIT_OK)
		print_made(&t, &made, t.op.empty ? NULL : snap != NULL ? snap :
		    SNAP_INITIAL, format);
	strvec_clear(&made);
	snap_target_close(&t);
	return (code);
}

static int
clone_fill(const struct args *args, int argc, char **argv)
{
	struct snap_target	 t;
	struct rows		 r;
	enum output_format	 format = FORMAT_TEXT;
	const char		*snap;
	size_t			 count, total = 0;
	int			 code;

	if ((code = one_name(args, argc, &format)) != EXIT_OK)
		return (code);
	if ((code = clone_options(args, &count, &snap)) != EXIT_OK)
		return (code);
	if ((code = snap_target_open(&t, argv[0], "clone fill")) == EXIT_OK &&
	    (code = snapshot_spare_fill(&t.op, snap, count, &total)) ==
	    EXIT_OK) {
		rows_init(&r, fill_columns, sizeof fill_columns /
		    sizeof fill_columns[0]);
		rows_str(&r, t.op.d->name);
		rows_str(&r, snap != NULL ? snap : SNAP_INITIAL);
		rows_int(&r, (long long)count);
		rows_int(&r, (long long)total);
		rows_print(&r, format);
	}
	snap_target_close(&t);
	return (code);
}

static int
clone_drain(const struct args *args, int argc, char **argv)
{
	struct snap_target	 t;
	struct strvec		 gone = STRVEC_INIT;
	size_t			 i;
	int			 code;

	if (argc != 1)
		return (cmd_usage_error(&cmd_clone_entry, argc < 1 ?
		    "no database given" : "too many arguments"));
	if ((code = snap_target_open(&t, argv[0], "clone drain")) ==
	    EXIT_OK && (code = snapshot_spare_drain(&t.op,
	    args_get(args, "snapshot"), &gone)) == EXIT_OK && !g.quiet) {
		for (i = 0; i < gone.n; i++)
			printf("removed spare %s of %s\n", gone.v[i],
			    t.op.d->name);
	}
	strvec_clear(&gone);
	snap_target_close(&t);
	return (code);
}

static int
clone_ls(const struct args *args, int argc, char **argv)
{
	struct snap_target	 t;
	struct snap_list	 l;
	struct rows		 r;
	enum output_format	 format = FORMAT_TEXT;
	char			*url;
	size_t			 i;
	int			 code;

	if ((code = one_name(args, argc, &format)) != EXIT_OK)
		return (code);
	if ((code = snap_target_open(&t, argv[0], "clone list")) ==
	    EXIT_OK && (code = snapshot_clone_list(&t.op, &l)) == EXIT_OK) {
		rows_init(&r, list_columns, sizeof list_columns /
		    sizeof list_columns[0]);
		for (i = 0; i < l.n; i++) {
			url = clone_url(&t, l.v[i].object);
			rows_str(&r, l.v[i].object);
			rows_str(&r, url);
			free(url);
		}
		rows_print(&r, format);
		snap_list_free(&l);
	}
	snap_target_close(&t);
	return (code);
}

static int
clone_rm(const struct args *args, int argc, char **argv)
{
	struct snap_target	 t;
	struct strvec		 which = STRVEC_INIT, gone = STRVEC_INIT;
	size_t			 i;
	int			 code, all = args_has(args, "all");

	if (argc < 1 || (argc == 1) != all)
		return (cmd_usage_error(&cmd_clone_entry, argc < 1 ?
		    "no database given" : all ? "--all or clones, not both" :
		    "clones to remove, or --all, needed"));
	for (i = 1; i < (size_t)argc; i++)
		strvec_push(&which, argv[i]);
	if ((code = snap_target_open(&t, argv[0], "clone rm")) == EXIT_OK &&
	    (code = snapshot_clone_remove(&t.op, all ? NULL : &which,
	    &gone)) == EXIT_OK && !g.quiet) {
		for (i = 0; i < gone.n; i++)
			printf("removed clone %s of %s\n", gone.v[i],
			    t.op.d->name);
	}
	strvec_clear(&which);
	strvec_clear(&gone);
	snap_target_close(&t);
	return (code);
}

static const struct cmd_option create_options[] = {
	{ "count", 'n', "N", "how many databases (default 1)" },
	{ "snapshot", 's', "SNAPSHOT",
	    "copy this snapshot (default: initial, else empty)" },
	{ "format", 0, "table|json", "print a table (the default) or JSON" },
	{ "quiet", 'q', NULL, "print only the URLs, one a line" },
	{ NULL, 0, NULL, NULL }
};

static const struct cmd_option fill_options[] = {
	{ "count", 'n', "N", "how many spares to add (default 1)" },
	{ "snapshot", 's', "SNAPSHOT", "of this snapshot (default: initial)" },
	{ "format", 0, "table|json", "print a table (the default) or JSON" },
	{ "quiet", 'q', NULL, "print only the database's name" },
	{ NULL, 0, NULL, NULL }
};

static const struct cmd_option drain_options[] = {
	{ "snapshot", 's', "SNAPSHOT", "only this snapshot's spares" },
	{ NULL, 0, NULL, NULL }
};

static const struct cmd_option rm_options[] = {
	{ "all", 'a', NULL, "every clone of the database" },
	{ NULL, 0, NULL, NULL }
};

static const struct cmd_entry clone_subs[] = {
	{ "create", NULL, "[--count N] [--snapshot SNAPSHOT] "
	    "[--format table|json] [--quiet] NAME",
	    "New databases in NAME's server, copies of a snapshot.",
	    create_options, NULL, clone_create, CMD_DEFAULT },
	{ "list", "ls", "[--format table|json] [--quiet] NAME",
	    "List a database's clones, from its server.",
	    cmd_listing_options, NULL, clone_ls, 0 },
	{ "fill", NULL, "[--count N] [--snapshot SNAPSHOT] "
	    "[--format table|json] [--quiet] NAME",
	    "Make spare copies of a snapshot ahead, for clone to take.",
	    fill_options, NULL, clone_fill, 0 },
	{ "drain", NULL, "[--snapshot SNAPSHOT] NAME",
	    "Remove a database's spares.",
	    drain_options, NULL, clone_drain, 0 },
	{ "rm", "remove", "[--all] NAME [CLONE...]",
	    "Remove clones of a database (never it or its snapshots).",
	    rm_options, NULL, clone_rm, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_clone_entry = {
	"clone", NULL, NULL,
	"Hand out fresh databases inside a running server, one per test.",
	NULL, clone_subs, NULL, CMD_SUB_IMPLIED
};
