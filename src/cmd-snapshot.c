/*
 * snapshot (create, list, rm), restore and reset: a database's contents
 * kept inside its own server and put back in place, with the same name,
 * port, URL, user and password. Options and printing only; the work is
 * snapshot.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dbarena.h"
#include "docker.h"
#include "report.h"
#include "rows.h"
#include "snapshot.h"
#include "sql.h"

/*
 * A full name is one "docker inspect", where a prefix needs a listing
 * first: a reset is counted in milliseconds, and a docker call costs
 * some twenty of them. While docker answers, the client libraries load
 * (some 6 ms; which one is needed is not known yet). Only a dbarena
 * database of exactly that name.
 */
static int
inspect_exact(char *name, struct database_list *full)
{
	struct child		c = CHILD_INIT;
	struct docker_result	res = DOCKER_RESULT_INIT;
	char			*why = NULL;
	int			ok;

	memset(full, 0, sizeof *full);
	if (docker_inspect_start(&c, name) == -1) {
		child_clear(&c);
		return (0);
	}
	(void)sql_library_load("libpq", &why);
	free(why);
	why = NULL;
	(void)sql_library_load("libmariadb", &why);
	free(why);
	ok = docker_inspect_finish(&c, full, &res) == 0 && full->n == 1 &&
	    strcmp(full->v[0].name, name) == 0 && full->v[0].engine != NULL &&
	    *full->v[0].engine != '\0';
	if (!ok)
		database_list_free(full);
	child_clear(&c);
	docker_result_release(&res);
	return (ok);
}

int
snap_target_open(struct snap_target *t, char *name, const char *verb)
{
	char	*msg = NULL;
	char	*argv[2];
	int	 code = EXIT_OK;

	memset(t, 0, sizeof *t);
	argv[0] = name;
	argv[1] = NULL;
	if (!inspect_exact(name, &t->full) &&
	    (code = cmd_resolve_full(1, argv, &t->full)) == EXIT_OK &&
	    t->full.n != 1) {
		error_msg("%s: no such database: %s", verb, name);
		code = EXIT_NOT_FOUND;
	}
	if (code != EXIT_OK)
		return (code);
	if (engine_load(t->full.v[0].engine, &t->e, &msg) == -1) {
		error_msg("%s: %s", verb, msg);
		free(msg);
		return (EXIT_CONFIG);
	}
	t->loaded = 1;
	database_complete(&t->full.v[0], &t->e);
	t->op.e = &t->e;
	t->op.d = &t->full.v[0];
	t->op.verb = verb;
	return (EXIT_OK);
}

void
snap_target_close(struct snap_target *t)
{
	if (t->loaded)
		engine_free(&t->e);
	database_list_free(&t->full);
}

static const char *
plural(int n)
{
	return (n == 1 ? "" : "s");
}

/* What a snapshot, restore or reset did, as a line or as JSON. */
static void
print_done(const struct snap_op *op, const char *what, const char *snap,
    long long ms, enum output_format format)
{
	struct json_writer	 jw = JSON_WRITER_INIT;
	struct strbuf		 out = STRBUF_INIT;

	if (format == FORMAT_JSON) {
		jw_object_begin(&jw, NULL);
		jw_string(&jw, "name", op->d->name);
		jw_string(&jw, "action", op->verb);
		if (snap != NULL)
			jw_string(&jw, "snapshot", snap);
		else
			jw_raw(&jw, "snapshot", "null");
		jw_int(&jw, "ended_sessions", op->ended);
		jw_int(&jw, "recreated_slots", op->slots);
		jw_int(&jw, "ms", ms);
		jw_string(&jw, "via", sql_via_name(op->via));
		if (strcmp(op->verb, "snapshot") != 0) {	/* restore */
			jw_bool(&jw, "spare", op->spared > 0);
			jw_bool(&jw, "spare_ahead", op->ahead);
		}
		jw_end(&jw);
		jw_finish(&jw, &out);
	} else if (!g.quiet) {
		strbuf_addf(&out, "%s: %s %s%s in %lld ms, ended %d session%s",
		    op->d->name, what, snap != NULL ? "snapshot " :
		    "the engine's empty database", snap != NULL ? snap : "",
		    ms, op->ended, plural(op->ended));
		if (op->slots > 0)
			strbuf_addf(&out, ", recreated %d replication slot%s",
			    op->slots, plural(op->slots));
		strbuf_addch(&out, '\n');
	}
	fputs(out.buf, stdout);
	strbuf_release(&out);
}

/* Runs fn on the database; prints what it did. */
static int
act(const char *verb, char *name, const char *snap,
    const struct args *args, int (*fn)(struct snap_op *, const char *))
{
	struct snap_target		t;
	enum output_format	format = FORMAT_TEXT;
	long long		start;
	int			code;

	if (args_format(args, &format) == -1)
		return (EXIT_USAGE);
	if ((code = snap_target_open(&t, name, verb)) == EXIT_OK) {
		start = now_ms();
		if ((code = fn(&t.op, snap)) == EXIT_OK)
			print_done(&t.op, fn == snapshot_take ? "took" :
			    snap != NULL ? "restored" : "reset to",
			    t.op.empty ? NULL : snap != NULL ? snap :
			    fn == snapshot_take ? snap : SNAP_INITIAL,
			    now_ms() - start, format);
	}
	snap_target_close(&t);
	return (code);
}

static int
snapshot_create(const struct args *args, int argc, char **argv)
{
	if (argc < 1 || argc > 2)
		return (cmd_usage_error(&cmd_snapshot_entry, argc < 1 ?
		    "no database given" : "too many arguments"));
	return (act("snapshot", argv[0], argc > 1 ? argv[1] : SNAP_DEFAULT,
	    args, snapshot_take));
}

static const struct column columns[] = {
	{ "SNAPSHOT", 20, "name", COL_NAME },
	{ "SIZE", 12, "size", 0 },
	{ "SPARES", 7, "spares", 0 },
	{ "OBJECT", 0, "object", 0 },
};

static int
snapshot_ls(const struct args *args, int argc, char **argv)
{
	struct snap_target		 t;
	struct snap_list	 l;
	struct rows		 r;
	enum output_format	 format = FORMAT_TEXT;
	size_t			 i;
	int			 code;

	if (args_listing(args, &format) == -1)
		return (EXIT_USAGE);
	if (argc != 1)
		return (cmd_usage_error(&cmd_snapshot_entry, argc < 1 ?
		    "no database given" : "too many arguments"));
	if ((code = snap_target_open(&t, argv[0], "snapshot list")) ==
	    EXIT_OK && (code = snapshot_list(&t.op, &l)) == EXIT_OK) {
		rows_init(&r, columns, sizeof columns / sizeof columns[0]);
		for (i = 0; i < l.n; i++) {
			rows_str(&r, l.v[i].name);
			if (l.v[i].size != NULL)
				rows_int(&r, strtoll(l.v[i].size, NULL, 10));
			else
				rows_str(&r, NULL);
			rows_int(&r, (long long)l.v[i].spares);
			rows_str(&r, l.v[i].object);
		}
		rows_print(&r, format);
		snap_list_free(&l);
	}
	snap_target_close(&t);
	return (code);
}

static int
snapshot_rm(const struct args *args, int argc, char **argv)
{
	struct snap_target	t;
	int		code, i;

	(void)args;
	if (argc < 2)
		return (cmd_usage_error(&cmd_snapshot_entry,
		    "a database and a snapshot needed"));
	if ((code = snap_target_open(&t, argv[0], "snapshot rm")) != EXIT_OK) {
		snap_target_close(&t);
		return (code);
	}
	for (i = 1; i < argc && code == EXIT_OK; i++) {
		if ((code = snapshot_remove(&t.op, argv[i])) == EXIT_OK &&
		    !g.quiet)
			printf("removed snapshot %s of %s\n", argv[i],
			    t.op.d->name);
	}
	snap_target_close(&t);
	return (code);
}

static int
cmd_restore_exec(const struct args *args, int argc, char **argv)
{
	if (argc < 1 || argc > 2)
		return (cmd_usage_error(&cmd_restore_entry, argc < 1 ?
		    "no database given" : "too many arguments"));
	return (act("restore", argv[0], argc > 1 ? argv[1] : SNAP_DEFAULT,
	    args, snapshot_restore));
}

static int
cmd_reset_exec(const struct args *args, int argc, char **argv)
{
	if (argc != 1)
		return (cmd_usage_error(&cmd_reset_entry, argc < 1 ?
		    "no database given" : "too many arguments"));
	return (act("reset", argv[0], NULL, args, snapshot_restore));
}

static const struct cmd_option done_options[] = {
	{ "format", 0, "table|json", "print a line (the default) or JSON" },
	{ NULL, 0, NULL, NULL }
};

static const struct cmd_entry snapshot_subs[] = {
	{ "create", NULL, "[--format table|json] NAME [SNAPSHOT]",
	    "Snapshot a running database (SNAPSHOT: default).",
	    done_options, NULL, snapshot_create, CMD_DEFAULT },
	{ "list", "ls", "[--format table|json] [--quiet] NAME",
	    "List a database's snapshots, from its server.",
	    cmd_listing_options, NULL, snapshot_ls, 0 },
	{ "rm", "remove", "NAME SNAPSHOT...",
	    "Remove snapshots of a database.",
	    NULL, NULL, snapshot_rm, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_snapshot_entry = {
	"snapshot", NULL, NULL,
	"Snapshot a database inside its server; list or remove snapshots.",
	NULL, snapshot_subs, NULL, CMD_SUB_IMPLIED
};

const struct cmd_entry cmd_restore_entry = {
	"restore", NULL, "[--format table|json] NAME [SNAPSHOT]",
	"Put a snapshot back in place, ending the database's sessions.",
	done_options, NULL, cmd_restore_exec, CMD_NO_PREFIX
};

const struct cmd_entry cmd_reset_entry = {
	"reset", NULL, "[--format table|json] NAME",
	"Put a database back as create handed it over.",
	done_options, NULL, cmd_reset_exec, CMD_NO_PREFIX
};
