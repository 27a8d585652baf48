/*
 * run: databases for the life of one command. It creates them as create
 * does (create's own options, pool claims included), starts COMMAND with
 * their connection variables, waits for it, and removes everything made
 * for the run, by the run's mark, however COMMAND ended: normally, with
 * a failure, or on SIGINT, SIGTERM or SIGHUP. COMMAND stays in dbarena's
 * process group, so a terminal's Ctrl-C and Ctrl-Z reach both as a shell
 * would have it; a signal a process sends dbarena alone is passed on
 * (sig.c). The exit status is COMMAND's. What a SIGKILL leaves behind
 * carries the mark, and gc removes it once the run is gone (runmark.c).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "create.h"
#include "dbarena.h"
#include "docker.h"
#include "forward.h"
#include "json.h"
#include "network.h"
#include "optfile.h"
#include "report.h"
#include "runmark.h"

#define RUN_MAX_OPTIONS	64

static const struct cmd_option run_own_options[] = {
	{ "keep", 0, NULL, "leave the databases when COMMAND ends, and say "
	    "how to reach them" },
	{ NULL, 0, NULL, NULL }
};

/*
 * run's options: its own, then every one of create's, joined once before
 * main, so that the parser, help, completion and the fuzz harness all
 * read one table, and an option create gains is run's at once.
 */
static struct cmd_option run_options[RUN_MAX_OPTIONS];

static void __attribute__((constructor))
run_options_join(void)
{
	const struct cmd_option	*tables[] = { run_own_options,
	    cmd_create_options };
	size_t			 t, i, n = 0;

	for (t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		for (i = 0; tables[t][i].name != NULL; i++) {
			if (n + 1 >= RUN_MAX_OPTIONS)
				fatal("run: more than %d options",
				    RUN_MAX_OPTIONS - 1);
			run_options[n++] = tables[t][i];
		}
	}
}

/* "postgres" -> "POSTGRES", then "_1", "_2" for the second, third... */
static char *
var_prefix(const char *engine, int nth)
{
	struct strbuf	sb = STRBUF_INIT;
	const char	*p;

	for (p = engine; *p != '\0'; p++)
		strbuf_addch(&sb, isalnum((unsigned char)*p) ?
		    toupper((unsigned char)*p) : '_');
	if (nth > 0)
		strbuf_addf(&sb, "_%d", nth);
	return (strbuf_detach(&sb));
}

/* How many databases before l->v[i] are of its engine. */
static int
nth_of_engine(const struct created_list *l, size_t i)
{
	size_t	j;
	int	n = 0;

	for (j = 0; j < i; j++)
		n += strcmp(l->v[j].db.engine, l->v[i].db.engine) == 0;
	return (n);
}

/* Whether kv's name is that of another variable in cands. */
static int
ambiguous(const struct strvec *cands, const struct strvec *from, size_t k)
{
	size_t	len = strcspn(cands->v[k], "="), j;

	for (j = 0; j < cands->n; j++) {
		if (j != k && strcmp(from->v[j], from->v[k]) != 0 &&
		    strncmp(cands->v[j], cands->v[k], len + 1) == 0)
			return (1);
	}
	return (0);
}

/*
 * The engines' own client variables (PGHOST, MYSQL_HOST...) of each
 * database alone of its engine; one that two databases would both set
 * is unset instead, so that no value from outside the run points
 * COMMAND somewhere else.
 */
static void
client_vars(const struct created_list *l, struct strvec *env)
{
	struct strvec	cands = STRVEC_INIT, from = STRVEC_INIT;
	size_t		i, k;
	int		alone;

	for (i = 0; i < l->n; i++) {
		alone = 1;
		for (k = 0; k < l->n; k++)
			alone &= k == i || strcmp(l->v[k].db.engine,
			    l->v[i].db.engine) != 0;
		for (k = 0; k < l->v[i].env.n; k++) {
			strvec_push(&cands, l->v[i].env.v[k]);
			strvec_push(&from, alone ? l->v[i].db.name : "");
		}
	}
	for (k = 0; k < cands.n; k++) {
		if (*from.v[k] != '\0' && !ambiguous(&cands, &from, k))
			strvec_push(env, cands.v[k]);
		else
			strvec_pushf(env, "%.*s",
			    (int)strcspn(cands.v[k], "="), cands.v[k]);
	}
	strvec_clear(&cands);
	strvec_clear(&from);
}

static int
has_url(const struct created *c)
{
	return (c->db.url != NULL && *c->db.url != '\0');
}

/*
 * COMMAND's variables (dbarena(1), run): DATABASE_URL for a single
 * database; for each, ENGINE_URL and ENGINE_NAME, ENGINE_1_URL for the
 * second of one engine and so on; the client variables; and the run's
 * mark, which its containers carry as a label.
 */
static void
run_env(const struct created_list *l, const char *mark, struct strvec *env)
{
	char	*pre;
	size_t	 i;

	strvec_pushf(env, "DBARENA_RUN=%s", mark);
	if (l->n == 1 && has_url(&l->v[0]))
		strvec_pushf(env, "DATABASE_URL=%s", l->v[0].db.url);
	for (i = 0; i < l->n; i++) {
		pre = var_prefix(l->v[i].db.engine, nth_of_engine(l, i));
		if (has_url(&l->v[i]))
			strvec_pushf(env, "%s_URL=%s", pre, l->v[i].db.url);
		strvec_pushf(env, "%s_NAME=%s", pre, l->v[i].db.name);
		free(pre);
	}
	client_vars(l, env);
}

/* 127 when COMMAND is nowhere, 126 when it is there but cannot run. */
static int
start_failed(const char *cmd, int e)
{
	if (e == ENOENT && strchr(cmd, '/') != NULL && access(cmd, F_OK) == 0) {
		error_msg("run: %s: bad interpreter: %s", cmd, strerror(e));
		return (126);
	}
	if (e == ENOENT) {
		error_msg("run: %s: command not found", cmd);
		return (127);
	}
	error_msg("run: %s: cannot run it: %s", cmd, strerror(e));
	return (126);
}

/*
 * Wait for COMMAND while watching the forwards: one that drops is said
 * at once, in ssh's words, and COMMAND keeps running (its connections
 * through it fail, and it says so in its own way, or recovers; its work
 * is not cut short by us). Without a pidfd, a look every 100 ms.
 */
static void
wait_watching(struct child *c, struct forward *f, size_t n, const char *cmd)
{
	int	pfd = child_pidfd(c);

	while (!child_exited(c)) {
		if (forward_watch(f, n, pfd, pfd == -1 ? 100 : -1) > 0)
			hint_msg("%s keeps running; its database is not "
			    "reached from here any more", cmd);
	}
	if (pfd != -1)
		close(pfd);
}

/*
 * Start COMMAND in dbarena's own process group with the terminal's
 * stdin, wait for it (watching the forwards, if any), and pass on what
 * a process sends dbarena alone. Its status as a shell gives it: the
 * code, or 128 + the signal.
 */
static int
run_command(char **cmd, const struct strvec *env, struct forward *f,
    size_t nf, int *started)
{
	struct child	c = CHILD_INIT;
	int		code;

	*started = 0;
	if (interrupted())
		return (interrupted());
	c.in = CHILD_INHERIT;
	strvec_pushv(&c.argv, cmd);
	strvec_pushvec(&c.env, env);
	if (child_start(&c) == -1) {
		code = start_failed(cmd[0], errno);
		child_clear(&c);
		return (code);
	}
	*started = 1;
	signals_forward(c.pid);
	if (nf > 0)
		wait_watching(&c, f, nf, cmd[0]);
	code = child_finish(&c);
	signals_forward(0);
	child_clear(&c);
	return (code == -1 ? EXIT_FAIL : code);
}

/*
 * On an ssh engine, a forward to each database on the remote host's
 * loopback, open until COMMAND ends, its URL and client variables then
 * on 127.0.0.1. One that nothing reaches (a tcp:// engine's loopback)
 * is said, and EXIT_UNREACHABLE, before COMMAND runs.
 */
static int
run_forwards(struct created_list *l, struct forward *f, size_t *nf,
    const char *cmd)
{
	struct ssh_dest	sd;
	size_t		i;
	int		code = EXIT_OK, ssh;

	ssh = tunnel_engine_dest(&sd) == 0;
	for (i = 0; i < l->n; i++) {
		if (l->v[i].db.reach == REACH_HERE)
			continue;
		if (l->v[i].db.reach != REACH_TUNNEL || !ssh)
			code = report_unreachable(&l->v[i].db);
		else {
			f[*nf].d = &l->v[i].db;
			f[*nf].t = (struct tunnel)TUNNEL_INIT;
			code = forward_open(&f[(*nf)++], &sd, &l->v[i].env);
		}
		if (code != EXIT_OK)
			break;
	}
	if (ssh)
		ssh_dest_free(&sd);
	if (code != EXIT_OK && !interrupted())
		error_msg("run: %s not started: it would not reach %s", cmd,
		    l->v[i].db.name);
	return (code);
}

/* The IDs of the pool members the run took: they carry no run mark. */
static int
run_ids(const struct created_list *l, struct strvec *ids)
{
	size_t	i;
	int	vols = 0;

	for (i = 0; i < l->n; i++) {
		if (*l->v[i].db.id != '\0')
			strvec_push(ids, l->v[i].db.id);
		vols |= *l->v[i].db.volume != '\0';
	}
	return (vols);
}

/*
 * Remove what the run made. After a create that failed part way, look
 * for volumes and networks too; else only where the run made some.
 */
static int
run_cleanup(const char *mark, const struct created_list *l, int full,
    int quiet)
{
	struct docker_result	res = DOCKER_RESULT_INIT;
	struct strvec		ids = STRVEC_INIT;
	int			ctrs, vols, nets, wantv, code = EXIT_OK;

	wantv = run_ids(l, &ids) || full;
	if (docker_remove_run(mark, &ids, &ctrs, wantv ? &vols : NULL,
	    full ? &nets : NULL, &res) != 0) {
		code = docker_report(&res, "removing the run's databases");
		hint_msg("remove them with: docker rm -f -v $(docker ps -aq "
		    "--filter label=dbarena.%s=%s)", docker_label(DL_RUN),
		    mark);
	} else if (g.tty && !quiet && ctrs > 0)
		fprintf(stderr, "dbarena: removed %d database%s\n", ctrs,
		    ctrs == 1 ? "" : "s");
	docker_result_release(&res);
	strvec_clear(&ids);
	return (code);
}

/* The option files the databases' clients were given (MariaDB's). */
static void
run_optfiles_remove(const struct created_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		optfile_remove(&l->v[i].db);
}

/* --keep: the reports create would have printed, then how to remove. */
static void
print_kept(const struct created_list *l, const struct create_args *a)
{
	struct json_writer	 jw = JSON_WRITER_INIT;
	struct strbuf		 out = STRBUF_INIT;
	size_t			 i;

	if (a->format == FORMAT_JSON)
		jw_array_begin(&jw, NULL);
	for (i = 0; i < l->n; i++) {
		if (a->format == FORMAT_JSON)
			jw_raw(&jw, NULL, l->v[i].report);
		else
			strbuf_addf(&out, "%s%s", i > 0 && !a->quiet ? "\n" :
			    "", l->v[i].report);
	}
	if (a->format == FORMAT_JSON) {
		jw_end(&jw);
		jw_finish(&jw, &out);
	}
	fputs(out.buf, stdout);
	strbuf_release(&out);
	if (a->quiet || a->format == FORMAT_JSON || l->n == 0)
		return;
	strbuf_adds(&out, "kept; remove with: dbarena destroy");
	for (i = 0; i < l->n; i++)
		strbuf_addf(&out, " %s", l->v[i].db.name);
	fprintf(stderr, "dbarena: %s\n", out.buf);
	strbuf_release(&out);
}

/* On a terminal: what COMMAND is about to get. */
static void
say_ready(const struct created_list *l, const struct strvec *env,
    const char *cmd)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;

	for (i = 0; i < env->n; i++) {
		if (strstr(env->v[i], "_URL=") != NULL)
			strbuf_addf(&sb, "%s%.*s", sb.len > 0 ? ", " : "",
			    (int)strcspn(env->v[i], "="), env->v[i]);
	}
	fprintf(stderr, "dbarena: %zu database%s ready (%s); running %s\n",
	    l->n, l->n == 1 ? "" : "s", sb.buf, cmd);
	strbuf_release(&sb);
}

/* The databases, COMMAND, the cleanup: COMMAND's status, or dbarena's. */
static int
run_all(struct create_args *a, int n, char **engines, char **cmd, int keep,
    int nets)
{
	struct created_list	 made;
	struct strvec		 env = STRVEC_INIT;
	struct forward		*fw = NULL;
	size_t			 nfw = 0;
	char			*mark, *self;
	int			 code, started = 0, cleaned;

	memset(&made, 0, sizeof made);
	self = run_mark_self();
	/* A kept run's mark is one gc never judges: the databases stay. */
	mark = keep ? xasprintf("%s%s", RUN_KEEP_PREFIX, self) : xstrdup(self);
	free(self);
	a->o.run = mark;
	a->made = &made;
	code = create_databases(n, engines, a);
	if (code == EXIT_OK && !interrupted()) {
		fw = xcalloc(made.n, sizeof *fw);
		code = run_forwards(&made, fw, &nfw, cmd[0]);
	}
	if (code == EXIT_OK && !interrupted()) {
		run_env(&made, mark, &env);
		if (g.tty && !a->quiet)
			say_ready(&made, &env, cmd[0]);
		code = run_command(cmd, &env, fw, nfw, &started);
	} else if (interrupted())
		code = interrupted();
	/* The forwards end with COMMAND, before what they reach goes. */
	if (fw != NULL)
		forward_close_all(fw, nfw);
	if (keep && started)
		print_kept(&made, a);
	else {
		cleaned = run_cleanup(mark, &made, !started || nets, a->quiet);
		run_optfiles_remove(&made);
		/* A network made for the run, now used by nothing, goes too. */
		if (a->o.network != NULL)
			network_release(a->o.network);
		if (code == EXIT_OK)
			code = cleaned;
	}
	strvec_clear(&env);
	created_list_free(&made);
	free(mark);
	return (code);
}

/* Where "--" is among the operands, or -1. */
static int
find_dashes(int argc, char **argv)
{
	int	i;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return (i);
	}
	return (-1);
}

static int
cmd_run_exec(const struct args *args, int argc, char **argv)
{
	struct create_args	 a;
	char			*pw = NULL;
	int			 n, i, code;

	if ((n = find_dashes(argc, argv)) == -1 || n == argc - 1)
		return (cmd_usage_error(&cmd_run_entry, "no command: give "
		    "ENGINE... -- COMMAND [ARG]..."));
	/* Options end at the first engine, as they do for exec. */
	for (i = 0; i < n; i++) {
		if (argv[i][0] == '-')
			return (cmd_usage_error(&cmd_run_entry, "%s: options "
			    "go before the engines", argv[i]));
	}
	code = create_args_parse(&cmd_run_entry, args, n, argv, &a, &pw);
	if (code == EXIT_OK && a.format == FORMAT_JSON &&
	    !args_has(args, "keep") && !a.dry_run)
		code = cmd_usage_error(&cmd_run_entry, "--format json "
		    "describes the databases --keep leaves: add --keep");
	if (code == EXIT_OK && a.dry_run) {
		docker_set_offline(1);
		code = create_databases(n, argv, &a);
		printf("# then runs %s with the databases' variables, and "
		    "removes them\n", argv[n + 1]);
	} else if (code == EXIT_OK) {
		signals_init();
		code = run_all(&a, n, argv, argv + n + 1,
		    args_has(args, "keep"), args_has(args, "network"));
	}
	create_args_free(&a, pw);
	return (code);
}

const struct cmd_entry cmd_run_entry = {
	"run", NULL, "[--keep] [create options] ENGINE... -- COMMAND [ARG]...",
	"Create databases, run COMMAND with their variables, then remove "
	    "them.",
	run_options, NULL, cmd_run_exec, CMD_IN_ORDER
};
