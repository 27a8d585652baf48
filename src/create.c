/*
 * The create mechanism, shared by create and pool fill: render, pick a
 * port, claim a pool member or run a new container, wait until the server
 * really accepts connections, run --init scripts, check CDC, print how to
 * connect. Whatever a failed or interrupted create made - and only that,
 * by the mark it put on it - is removed again. Several engines are created
 * in parallel, one forked dbarena each, and reported together. The
 * commands parse options into struct create_args and call
 * create_databases; nothing here reads a command line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cdc.h"
#include "config.h"
#include "create.h"
#include "dbarena.h"
#include "docker.h"
#include "network.h"
#include "optfile.h"
#include "probe.h"
#include "ready.h"
#include "render.h"
#include "snapshot.h"
#include "report.h"

#define PORT_RANGE	100
#define RUN_ATTEMPTS	40

static int	tty;	/* stderr is a terminal: progress may be drawn */

/* Whether one of dbarena's databases, running or stopped, has port. */
static int
port_reserved(const struct database_list *known, int port)
{
	size_t	i;

	for (i = 0; known != NULL && i < known->n; i++) {
		if (known->v[i].host_port == port)
			return (1);
	}
	return (0);
}

/*
 * The first port from start that nobody listens on and that no database
 * of ours holds: a stopped one has let its port go, but a start must find
 * it free again. On a remote engine the local test means nothing; the
 * labels still tell, and docker's "port is already allocated" moves us
 * along past anything else.
 */
static int
find_port(const char *bind_addr, int start, int limit,
    const struct database_list *known)
{
	int	p;

	for (p = start; p < limit && p <= 65535; p++) {
		if (port_reserved(known, p))
			continue;
		if (docker_is_remote() || port_free(bind_addr, p))
			return (p);
	}
	return (-1);
}

static char *
make_name(const char *prefix, const char *engine, const char *version)
{
	unsigned char	r[2];

	if (getrandom(r, sizeof r, 0) != sizeof r) {
		r[0] = getpid() & 0xff;
		r[1] = now_ms() & 0xff;
	}
	return (xasprintf("%s%s-%s-%02x%02x", prefix, engine, version, r[0],
	    r[1]));
}

/*
 * --password random: 24 characters from the kernel's generator, always
 * with an upper and a lower case letter, a digit and a symbol, so that
 * even SQL Server's complexity rules accept it. The symbols are ones that
 * need no quoting in a URL's userinfo after percent-encoding and none in
 * a shell: dbarena prints it in both.
 */
static char *
random_password(void)
{
	static const char *const classes[] = {
		"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz",
		"23456789", "_-.~"
	};
	static const char all[] = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	    "abcdefghijkmnopqrstuvwxyz23456789";
	unsigned char	r[24];
	char		*pw = xmalloc(sizeof r + 1);
	size_t		 i;

	if (getrandom(r, sizeof r, 0) != sizeof r)
		fatal("no random numbers: %s", strerror(errno));
	for (i = 0; i < sizeof r; i++) {
		if (i < 4)
			pw[i] = classes[i][r[i] % strlen(classes[i])];
		else
			pw[i] = all[r[i] % (sizeof all - 1)];
	}
	pw[sizeof r] = '\0';
	/* The classes' four go somewhere fixed; that costs ~20 of 140 bits. */
	return (pw);
}

/* Now plus ms (rounded up to a second), as RFC 3339 in UTC. */
static void
rfc3339_after(long long ms, char *buf, size_t len)
{
	time_t		t = time(NULL) + (ms + 999) / 1000;
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
print_dry_run(const struct plan *pl)
{
	struct strvec	 argv = STRVEC_INIT;
	struct strbuf	 sb = STRBUF_INIT;
	const char	*eq;
	size_t		 i;

	if (pl->volume.name != NULL) {
		docker_volume_create_args(&argv, &pl->volume);
		docker_command_line(&argv, &sb);
		strbuf_addch(&sb, '\n');
		strvec_clear(&argv);
	}
	/*
	 * The run never pulls (--pull never): an image that is not cached
	 * makes it fail at once, and then create pulls visibly and runs it
	 * again. Said as a comment, so that the output stays pasteable.
	 */
	if (pl->run.network != NULL) {
		strbuf_adds(&sb, "# if the network is missing, create first "
		    "runs: ");
		docker_network_create_args(&argv, pl->run.network, NULL);
		docker_command_line(&argv, &sb);
		strbuf_addch(&sb, '\n');
		strvec_clear(&argv);
	}
	strbuf_adds(&sb, "# if the image is not cached, create first runs: ");
	docker_pull_argv(&argv, pl->db.image, 0);
	strvec_join_quoted(&argv, &sb);
	strbuf_addch(&sb, '\n');
	strvec_clear(&argv);
	/*
	 * Secrets go in the environment: shown as assignments (NAME='value',
	 * never a quoted 'NAME=value', which a shell would run as a command)
	 * so the line is pasteable.
	 */
	for (i = 0; i < pl->secret_env.n; i++) {
		eq = strchr(pl->secret_env.v[i], '=');
		strbuf_add(&sb, pl->secret_env.v[i], eq - pl->secret_env.v[i] + 1);
		strbuf_add_shell_quoted(&sb, eq + 1);
		strbuf_addch(&sb, ' ');
	}
	docker_run_argv(&pl->run, &argv);
	docker_command_line(&argv, &sb);
	strbuf_addch(&sb, '\n');
	fputs(sb.buf, stdout);
	strvec_clear(&argv);
	strbuf_release(&sb);
}

/*
 * A mark for everything this create asks docker to make: 128 random bits,
 * as the label dbarena.owner on its container and on a volume it creates.
 */
static char *
make_owner(void)
{
	unsigned char	r[16];
	char		*s = xmalloc(2 * sizeof r + 1);
	size_t		 i;

	if (getrandom(r, sizeof r, 0) != sizeof r)
		fatal("no random numbers: %s", strerror(errno));
	for (i = 0; i < sizeof r; i++)
		snprintf(s + 2 * i, 3, "%02x", r[i]);
	return (s);
}

/*
 * Remove what this create made, and only that: whatever carries its mark.
 * A container that merely has the name it asked for may be someone
 * else's (a name conflict, a racer), and stays. With volumes, a volume it
 * made goes too; one it found there has no mark. Cleanup runs to the end
 * even after an interrupt, and says what it removed only when it did.
 */
static void
cleanup(const char *owner, const char *name, int volumes)
{
	struct docker_result	res = DOCKER_RESULT_INIT;
	int			ctrs, vols = 0;

	if (docker_remove_owned(owner, &ctrs, volumes ? &vols : NULL,
	    &res) != 0) {
		warn_msg("could not remove what was made for %s", name);
		hint_msg("remove it with: docker rm -f -v $(docker ps -aq "
		    "--filter label=dbarena.owner=%s)", owner);
	} else if (interrupted() && ctrs > 0)
		error_msg("interrupted: removed %s%s", name, vols > 0 ?
		    " and its volume" : "");
	else if (interrupted() && vols > 0)
		error_msg("interrupted: removed the volume made for %s", name);
	docker_result_release(&res);
}

/* A pool member we took and cannot use: by its ID, never its name. */
static void
remove_member(const char *id)
{
	struct strvec		ids = STRVEC_INIT;
	struct docker_result	res = DOCKER_RESULT_INIT;

	strvec_push(&ids, id);
	docker_remove_ids(&ids, &res);
	strvec_clear(&ids);
	docker_result_release(&res);
}

/* 1: the volume exists already, 0: not, -1 with *code: docker failed. */
static int
volume_exists(const char *volume, int *code)
{
	struct docker_result	res = DOCKER_RESULT_INIT;
	int			rc;

	if ((rc = docker_volume_exists(volume, &res)) == -1)
		*code = docker_report(&res, "checking the volume");
	docker_result_release(&res);
	return (rc);
}

static int
pull(const char *image, int quiet, int draw)
{
	struct docker_result	res = DOCKER_RESULT_INIT;
	struct child		c = CHILD_INIT;
	int			rc, code = EXIT_OK;

	if (!quiet)
		fprintf(stderr, "dbarena: pulling %s\n", image);
	/*
	 * On a terminal docker draws its own progress, on our stdout: only
	 * when that is the terminal too, and not for one of several creates,
	 * whose pulls would draw over each other. Elsewhere, quiet.
	 */
	if (tty && !quiet && draw && isatty(STDOUT_FILENO)) {
		c.cancel = interrupted;
		/*
		 * Not child_capture, which pipes stdout: docker must see the
		 * terminal to draw its progress. Only stderr is collected.
		 */
		rc = docker_pull_start(&c, image, 1, &res);
		if (rc == 0) {
			rc = child_drain(&c, NULL, &res.msg);
			docker_pull_finish(&c, rc, &res);
		}
	} else
		rc = docker_pull(image, &res);
	if (rc != 0 && interrupted())
		code = interrupted();
	else if (rc != 0)
		code = docker_report(&res, "pulling the image");
	docker_result_release(&res);
	return (code);
}

static void
print_tail(const char *name, const struct strbuf *tail)
{
	const char	*p = tail->buf, *nl;
	int		 lines = 0;

	for (nl = tail->buf + tail->len; nl > tail->buf && lines < 16; nl--)
		if (nl[-1] == '\n' && ++lines == 16)
			p = nl;
	if (tail->len == 0)
		return;
	fprintf(stderr, "  last lines from %s:\n", name);
	for (; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		fprintf(stderr, "    %.*s\n", (int)(nl - p), p);
	}
}

/* Wait for a database, and say why when it never got ready. */
static int
wait_for(const struct ready_spec *rs)
{
	struct strbuf		 tail = STRBUF_INIT;
	const char		*name = rs->db->name;
	int			 code = EXIT_OK;

	switch (wait_ready(rs, &tail)) {
	case READY_OK:
		break;
	case READY_INTERRUPTED:
		code = interrupted();
		break;
	case READY_EXITED:
		error_msg("%s stopped before it was ready", name);
		print_tail(name, &tail);
		code = EXIT_NOT_READY;
		break;
	case READY_REFUSED:
		error_msg("%s refused the connection: %s", name, tail.buf);
		code = EXIT_NOT_READY;
		break;
	case READY_TUNNEL:
		error_msg("no ssh forward to %s: %s", name, tail.buf);
		code = EXIT_TUNNEL;
		break;
	case READY_TIMEOUT:
	case READY_ERROR:
		error_msg("%s not ready after %.0fs", name,
		    rs->timeout_ms / 1000.0);
		print_tail(name, &tail);
		hint_msg("raise --timeout, or look at: dbarena logs %s", name);
		code = EXIT_NOT_READY;
		break;
	}
	strbuf_release(&tail);
	return (code);
}

/* Wait for the database a plan made, as the plan says. */
static int
wait_planned(const struct plan *pl, const struct strvec *health, int quiet)
{
	struct ready_spec	rs;

	memset(&rs, 0, sizeof rs);
	rs.db = &pl->db;
	rs.ready_log = pl->ready_log;
	rs.probe = pl->probe;
	rs.health_argv = health;
	rs.timeout_ms = pl->timeout_ms;
	rs.use_exec = docker_is_remote();
	rs.progress = tty && !quiet;
	return (wait_for(&rs));
}

/*
 * For run, which starts a program with them: one database as NUL-ended
 * strings (what a sibling sends its parent through a pipe, so it must be
 * bytes): the fields of struct created's db in the order of created_db,
 * the report create would have printed, then the engine's client
 * variables, then an empty one.
 */
#define CREATED_STRINGS	9	/* then host_port, reach and the report */
#define CREATED_FIELDS	(CREATED_STRINGS + 3)

/* Each of a created database's string fields, where it lives. */
static void
created_db(struct database *d, char ***f)
{
	f[0] = &d->id;
	f[1] = &d->engine;
	f[2] = &d->name;
	f[3] = &d->url;
	f[4] = &d->volume;
	f[5] = &d->host_ip;
	f[6] = &d->user;
	f[7] = &d->password;
	f[8] = &d->database;
}

static void
created_pack(const struct engine *e, const struct database *d,
    const struct strbuf *rep, struct strbuf *out)
{
	struct database	 copy = *d;
	struct strvec	 env = STRVEC_INIT;
	char		**f[CREATED_STRINGS], *msg = NULL, *dir = NULL;
	size_t		 i;

	copy.engine = e->name;
	created_db(&copy, f);
	for (i = 0; i < CREATED_STRINGS; i++)
		strbuf_add(out, *f[i] != NULL ? *f[i] : "",
		    strlen(*f[i] != NULL ? *f[i] : "") + 1);
	strbuf_addf(out, "%d", d->host_port);
	strbuf_addch(out, '\0');
	strbuf_addf(out, "%d", (int)d->reach);
	strbuf_addch(out, '\0');
	strbuf_add(out, rep->buf, rep->len + 1);
	/*
	 * No [client] env, or one that does not render: no variables. An
	 * engine whose clients read an option file gets it, as env writes
	 * it; run removes it with the database. One that no address here
	 * reaches gets both from its forward (forward.c), if any.
	 */
	if (d->reach == REACH_HERE && optfile_write(e, d, &dir) != EXIT_OK)
		dir = xstrdup("");	/* said; and no caller's file instead */
	if (d->reach != REACH_HERE ||
	    render_client_env(e, d, dir, &env, &msg) == -1)
		strvec_clear(&env);
	free(msg);
	free(dir);
	for (i = 0; i < env.n; i++)
		strbuf_add(out, env.v[i], strlen(env.v[i]) + 1);
	strbuf_addch(out, '\0');
	strvec_clear(&env);
}

/* The next NUL-ended string of a packed record, or NULL at its end. */
static const char *
unpack_next(const struct strbuf *sb, size_t *at)
{
	const char	*s = sb->buf + *at;

	if (*at >= sb->len)
		return (NULL);
	*at += strlen(s) + 1;
	return (s);
}

/* Every record packed into sb, appended to l. */
static void
created_unpack(const struct strbuf *sb, struct created_list *l)
{
	struct created	*c;
	const char	*f[CREATED_FIELDS], *kv;
	char		**dst[CREATED_STRINGS];
	size_t		 at = 0, i;

	for (;;) {
		for (i = 0; i < CREATED_FIELDS &&
		    (f[i] = unpack_next(sb, &at)) != NULL; i++)
			;
		if (i < CREATED_FIELDS)
			return;
		l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
		c = &l->v[l->n++];
		memset(c, 0, sizeof *c);
		created_db(&c->db, dst);
		for (i = 0; i < CREATED_STRINGS; i++)
			*dst[i] = xstrdup(f[i]);
		c->db.host_port = atoi(f[CREATED_STRINGS]);
		c->db.reach = (enum database_reach)atoi(f[CREATED_STRINGS + 1]);
		c->report = xstrdup(f[CREATED_STRINGS + 2]);
		while ((kv = unpack_next(sb, &at)) != NULL && *kv != '\0')
			strvec_push(&c->env, kv);
	}
}

void
created_list_free(struct created_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		database_free(&l->v[i].db);
		free(l->v[i].report);
		strvec_clear(&l->v[i].env);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/*
 * How to connect to a database create waited for, as the options ask.
 * Waited for, it is running and healthy, whatever docker's own health
 * check has said so far.
 */
static void
print_result(const struct engine *e, struct database *d, long long ms,
    const struct create_args *a, struct strbuf *out)
{
	struct json_writer	jw = JSON_WRITER_INIT;
	struct strbuf		rep = STRBUF_INIT;

	database_set_state(d, "running", "healthy");
	if (a->format == FORMAT_JSON) {
		report_json(&jw, d, ms);
		strbuf_addbuf(&rep, &jw.json);
		jw_release(&jw);
	}
	else if (a->quiet)
		strbuf_addf(&rep, "%s\n", a->fill_pool || d->url == NULL ?
		    d->name : d->url);
	else
		report_text(&rep, d, ms);
	if (a->made != NULL)
		created_pack(e, d, &rep, out);
	else
		strbuf_addbuf(out, &rep);
	strbuf_release(&rep);
}

/* Each --init as "docker exec ... < FILE", pasteable like the rest. */
static void
print_dry_run_init(const struct engine *e, const struct plan *pl,
    const struct create_args *a, const struct strvec *cmd)
{
	struct strvec	 argv = STRVEC_INIT;
	struct strbuf	 sb = STRBUF_INIT;
	const char	*pwenv = e->set[E_PASSWORD_ENV].value;
	size_t		 i;

	for (i = 0; i < a->init.n; i++) {
		if (pwenv != NULL) {
			strbuf_addf(&sb, "%s=", pwenv);
			strbuf_add_shell_quoted(&sb, pl->db.password);
			strbuf_addch(&sb, ' ');
		}
		docker_exec_argv(&argv, pl->db.name, DOCKER_EXEC_STDIN, pwenv,
		    cmd);
		strvec_join_quoted(&argv, &sb);
		strbuf_adds(&sb, " < ");
		strbuf_add_shell_quoted(&sb, a->init.v[i]);
		strbuf_addch(&sb, '\n');
		strvec_clear(&argv);
	}
	fputs(sb.buf, stdout);
	strbuf_release(&sb);
}

/*
 * The client's complaint about a failed script: the line the engine's
 * init_error pattern finds (psql and mariadb both name the script's
 * line), then what follows it (psql's LINE 3: context).
 */
static void
report_init_failure(const char *pattern, const char *file, const char *name,
    const struct strbuf *out, const struct strbuf *err)
{
	const char	*text = err->len > 0 ? err->buf : out->buf;
	const char	*p, *nl;
	struct strbuf	 line = STRBUF_INIT;
	int		 extra = 0;

	nl = init_error_line(pattern, text, file, &line);
	error_msg("init %s: %s", file, line.len > 0 ? line.buf :
	    "failed with no message");
	for (p = nl; *p == '\n' && p[1] != '\0' && extra < 4; p = nl) {
		p++;
		nl = p + strcspn(p, "\n");
		fprintf(stderr, "  %.*s\n", (int)(nl - p), p);
		extra++;
	}
	hint_msg("%s was removed; fix %s and create it again", name, file);
	strbuf_release(&line);
}

/*
 * Run the --init files in order through the engine's client inside the
 * container, stopping at the first that fails.
 */
static int
run_init(const struct engine *e, const struct plan *pl,
    const struct create_args *a, const struct strvec *cmd)
{
	struct strbuf		 out = STRBUF_INIT;
	struct docker_result	 res = DOCKER_RESULT_INIT;
	size_t			 i;
	int			 code = EXIT_OK;

	for (i = 0; i < a->init.n && code == EXIT_OK; i++) {
		if (tty && !a->quiet && a->format != FORMAT_JSON)
			fprintf(stderr, "dbarena: %s: running %s\n",
			    pl->db.name, a->init.v[i]);
		strbuf_reset(&out);
		if (docker_exec_file(pl->db.name, e->set[E_PASSWORD_ENV].value,
		    pl->db.password, cmd, a->init.v[i], &out, &res) == 0)
			continue;
		if (interrupted())
			code = interrupted();
		else if (res.err != DERR_OTHER)
			code = docker_report(&res, "running --init");
		else {
			report_init_failure(e->set[E_INIT_ERROR].value,
			    a->init.v[i], pl->db.name, &out, &res.msg);
			code = EXIT_INIT;
		}
	}
	strbuf_release(&out);
	docker_result_release(&res);
	return (code);
}

/*
 * What reset goes back to, after --init scripts: without them the
 * engine's empty database is that state already, and create pays for no
 * snapshot it does not need.
 */
static int
initial_snapshot(const struct engine *e, const struct plan *pl)
{
	struct snap_op	op;
	struct database	d = pl->db;
	char		running[] = "running";

	if (e->set[E_SNAP_LIST].value == NULL)
		return (EXIT_OK);
	d.state = running;	/* it is: ready and through --init */
	memset(&op, 0, sizeof op);
	op.e = e;
	op.d = &d;
	op.verb = "create";
	op.keep_spare = 1;	/* the first reset renames */
	return (snapshot_take(&op, SNAP_INITIAL));
}

/*
 * docker run, moving to the next port when another process won this one.
 * The run itself is not cancelled by an interrupt: a CLI killed mid-call
 * may leave the daemon to make the container after we looked, so we let
 * it answer (within its timeout) and then remove what carries our mark.
 */
static int
run_container(const struct engine *e, const struct profile *pr,
    struct create_args *a, struct plan *pl, int *port,
    const struct database_list *known)
{
	struct strbuf		 out = STRBUF_INIT;
	struct docker_result	 res = DOCKER_RESULT_INIT;
	char			*msg;
	int			 attempt, rc, pulled = 0, renetted = 0;
	int			 code = EXIT_OK;

	for (attempt = 0; attempt < RUN_ATTEMPTS; attempt++) {
		if (interrupted()) {
			code = interrupted();
			break;
		}
		strbuf_reset(&out);
		/*
		 * The plan runs with --pull never: a cached image costs no
		 * extra docker call; a missing one fails at once and is
		 * pulled here, visibly, before the same command runs again.
		 */
		docker_set_cancellable(0);
		rc = docker_run_container(&pl->run, &pl->secret_env, &out,
		    &res);
		docker_set_cancellable(1);
		if (rc == 0 && !interrupted())
			break;
		if (interrupted()) {
			code = interrupted();
			break;
		}
		if (res.err == DERR_IMAGE && !pulled) {
			pulled = 1;
			if ((code = pull(pl->db.image, a->quiet ||
			    a->format == FORMAT_JSON, !a->sibling)) != EXIT_OK)
				break;
			attempt--;
			continue;
		}
		/*
		 * The network we found or made was removed before the run
		 * joined it: a destroy of its last database, in between.
		 * Made again, once.
		 */
		if (res.err == DERR_NO_SUCH && a->o.network != NULL &&
		    !renetted) {
			renetted = 1;
			cleanup(a->o.owner, pl->db.name, 0);
			if ((code = network_prepare(a->o.network,
			    a->o.owner)) != EXIT_OK)
				break;
			attempt--;
			continue;
		}
		if (res.err == DERR_PORT_IN_USE && !a->explicit_port) {
			/* docker made the container before the port failed. */
			cleanup(a->o.owner, pl->db.name, 0);
			/*
			 * Everyone who lost this port found the same next one
			 * free: a random step keeps them from racing again.
			 */
			*port = find_port(pl->db.host_ip, *port + 1 +
			    random() % 4, pl->db.port + PORT_RANGE, known);
			if (*port == -1) {
				error_msg("no free port for %s", pl->db.name);
				code = EXIT_PORT;
				break;
			}
			a->o.port = *port;
			plan_free(pl);
			if (render(e, pr, &a->o, pl, &msg) == -1) {
				error_msg("%s", msg);
				free(msg);
				code = EXIT_CONFIG;
				break;
			}
			continue;
		}
		code = docker_report(&res, "creating the container");
		if (res.err == DERR_TIMEOUT)
			hint_msg("if docker makes %s after all, remove it with: "
			    "dbarena destroy %s", pl->db.name, pl->db.name);
		break;
	}
	if (attempt == RUN_ATTEMPTS) {
		error_msg("no free port for %s after %d tries", pl->db.name,
		    RUN_ATTEMPTS);
		code = EXIT_PORT;
	}
	docker_result_release(&res);
	strbuf_release(&out);
	return (code);
}

/*
 * A pool member can stand in for a create that asks for nothing the
 * member was not made with.
 */
static int
pool_eligible(const struct create_args *a)
{
	const struct create_opts	*o = &a->o;

	/* Labels cannot change on a running member: no --ttl either. */
	return (!a->no_pool && !a->fill_pool && !a->dry_run &&
	    a->ttl_ms == 0 && !a->explicit_port && a->env.n == 0 && o->memory == NULL &&
	    o->cpus == NULL && o->image == NULL && o->user == NULL &&
	    o->password == NULL && o->database == NULL && o->bind == NULL &&
	    a->init.n == 0);
}

/* The renames of a claim (see pool_take); claim stays the caller's. */
static int
pool_renames(const struct database *m, const char *claim, const char *want,
    char **name, int *code)
{
	struct docker_result	res = DOCKER_RESULT_INIT;
	int			rc = 1;

	if (docker_rename(m->name, claim, &res) != 0)
		rc = 1;	/* another claimant won, or the name is taken */
	else if (want == NULL) {
		*name = xstrdup(claim);
		rc = 0;
	} else if (docker_rename(claim, want, &res) == 0) {
		*name = xstrdup(want);
		rc = 0;
	} else if (res.err == DERR_NO_SUCH) {
		rc = 1;		/* a request older than our claim moved it */
	} else {
		*code = docker_report(&res, "claiming a pool member");
		rc = -1;
		/* Give it back, or at least leave nothing half-claimed. */
		if (docker_rename(claim, m->name, &res) != 0)
			remove_member(m->id);
	}
	docker_result_release(&res);
	return (rc);
}

/*
 * Take one pool member for ourselves. `docker rename OLD NEW` is not a
 * compare-and-swap: the daemon looks OLD up before it takes the
 * container's lock, so two claimants renaming the same member to two
 * different names both succeed and the first loses its database to the
 * second (seen on docker 20.10, 4 times in 20 tries). Renaming to a name
 * that depends only on the member is: everyone who tries it after the
 * winner finds either no OLD or a container already called NEW, and fails.
 * So every claimant renames dbarena-pool-E-V-XXXX to dbarena-E-V-XXXX, and
 * only the winner goes on to the name it was asked for. That second
 * rename leaves one window: a claimant whose request looked the member
 * up before the first rename but reached its lock only after the second
 * (a whole docker round trip later) would still take it. Without --name
 * there is no second rename and no window.
 * Returns 0 when claimed (*name is its final name), 1 when another
 * claimant won, -1 when we must stop with *code.
 */
static int
pool_take(const struct database *m, const char *want, char **name, int *code)
{
	char	*claim;
	int	 rc;

	claim = xasprintf("dbarena-%s", m->name + strlen(POOL_PREFIX));
	/*
	 * A rename killed mid-call may still happen in the daemon and leave
	 * a member nobody holds: let each answer, even after an interrupt.
	 */
	docker_set_cancellable(0);
	rc = pool_renames(m, claim, want, name, code);
	docker_set_cancellable(1);
	free(claim);
	return (rc);
}

/*
 * The password a member's server really has, from its container's
 * environment: a profile's [environment] may have set another than the
 * engine's default. One docker call; "" when it cannot be read.
 */
static char *
member_password(const char *id)
{
	struct strvec		ids = STRVEC_INIT;
	struct docker_result	res = DOCKER_RESULT_INIT;
	struct database_list	l;
	char			*pw;
	int			rc;

	strvec_push(&ids, id);
	rc = docker_inspect(&ids, &l, &res);
	docker_report_odd(&res);
	if (rc == 0 && l.n == 1)
		pw = xstrdup(l.v[0].password);
	else
		pw = xstrdup("");
	database_list_free(&l);
	strvec_clear(&ids);
	docker_result_release(&res);
	return (pw);
}

/*
 * A claimed member was ready when it joined the pool; one probe says it
 * still is. Its password is in its container's environment only.
 */
static int
member_ready(const struct engine *e, struct database *d,
    const struct create_args *a)
{
	struct ready_spec	rs;
	struct strvec		health = STRVEC_INIT;
	int			code = EXIT_OK;

	free(d->password);
	d->password = member_password(d->id);
	database_complete(d, e);
	ready_from_engine(&rs, d, e, &health);
	rs.timeout_ms = a->o.timeout_ms > 0 ? a->o.timeout_ms : 60000;
	if (!(probe_known(rs.probe) && !docker_is_remote() &&
	    probe_server(rs.probe, d->host, d->host_port, 500, d->user,
	    d->database)))
		code = wait_for(&rs);
	strvec_clear(&health);
	return (code);
}

/*
 * Claim a ready pool member, with no lock and no daemon (see pool_take),
 * from the list of our databases create made anyway (for their ports): a
 * running member whose engine/version/profile is key. Returns 1 with
 * *code set when claimed (or failed for good), 0 when the pool has
 * nothing to give.
 */
static int
pool_claim(const struct engine *e, const char *key, struct create_args *a,
    struct database_list *known, long long start, struct strbuf *out,
    int *code)
{
	struct database		*d = NULL;
	char			*name, *dkey;
	size_t			 i, n = known->n, first;
	int			 claimed = 0, rc, member;

	/* Start somewhere random, so concurrent claimers rarely collide. */
	first = n > 0 ? (size_t)(now_ms() ^ getpid()) % n : 0;
	for (i = 0; i < n && !claimed; i++) {
		d = &known->v[(first + i) % n];
		if (strncmp(d->name, POOL_PREFIX, strlen(POOL_PREFIX)) != 0 ||
		    strcmp(d->state, "running") != 0)
			continue;
		dkey = xasprintf("%s/%s/%s", d->engine, d->version, d->profile);
		/* On the network asked for, or on none when none is. */
		member = strcmp(dkey, key) == 0 && strcmp(d->network,
		    a->o.network != NULL ? a->o.network : "") == 0;
		free(dkey);
		if (!member)
			continue;
		rc = pool_take(d, a->o.name, &name, code);
		if (rc == -1)
			return (1);
		if (rc == 0) {
			free(d->name);
			d->name = name;
			claimed = 1;
		}
	}
	if (!claimed)
		return (0);
	*code = member_ready(e, d, a);
	/* Interrupted after the claim: it is ours now, and goes as ours. */
	if (*code == EXIT_OK && interrupted())
		*code = interrupted();
	if (*code == EXIT_OK)
		print_result(e, d, now_ms() - start, a, out);
	else {
		remove_member(d->id);	/* a dead member helps nobody */
		network_release(d->network);
	}
	return (1);
}

/*
 * A persistent profile's volume, made with our mark unless it is there
 * already (a database created again over the data it kept). Not cut
 * short by an interrupt, so that what docker made carries the mark and
 * the cleanup finds it.
 */
static int
make_volume(const struct plan *pl)
{
	struct docker_result	res = DOCKER_RESULT_INIT;
	int			ex, code = EXIT_OK;

	if ((ex = volume_exists(pl->db.volume, &code)) == -1)
		return (code);
	if (ex == 1) {
		/*
		 * A persistent database made again finds its data. A volume
		 * of that name dbarena did not make for it is someone else's:
		 * never mounted, so never removed with it later.
		 */
		if ((ex = docker_volume_owned(pl->db.volume, pl->db.name,
		    &res)) == -1)
			code = docker_report(&res, "checking the volume");
		else if (ex == 0) {
			error_msg("volume %s exists, and dbarena did not make "
			    "it for %s: not using it", pl->db.volume,
			    pl->db.name);
			hint_msg("choose another --name, or remove the volume "
			    "yourself if it is yours to remove");
			code = EXIT_CONFLICT;
		}
		docker_result_release(&res);
		return (code);
	}
	docker_set_cancellable(0);
	if (docker_volume_create(&pl->volume, &res) != 0)
		code = docker_report(&res, "creating the volume");
	docker_set_cancellable(1);
	docker_result_release(&res);
	return (code);
}

/*
 * Everything a create does with docker once its plan is made: the
 * volume, the container, readiness, --init scripts, the CDC check. On
 * failure the caller removes whatever carries this create's mark.
 */
static int
bring_up(const struct engine *e, const struct profile *pr,
    struct create_args *a, struct plan *pl, int *port,
    const struct database_list *known, const struct strvec *health,
    const struct strvec *init)
{
	int	code;

	if (pl->db.volume != NULL && (code = make_volume(pl)) != EXIT_OK)
		return (code);
	if ((code = run_container(e, pr, a, pl, port, known)) != EXIT_OK)
		return (code);
	/* The port is final now: say where a client connects. */
	database_complete(&pl->db, e);
	if ((code = wait_planned(pl, health, a->quiet ||
	    a->format == FORMAT_JSON)) != EXIT_OK)
		return (code);
	if (a->init.n > 0 && (code = run_init(e, pl, a, init)) != EXIT_OK)
		return (code);
	/*
	 * The database is what the user asked for even when it cannot be
	 * snapshotted (SQL Server's master, a table whose name is refused):
	 * say what reset will do then, and hand it over.
	 */
	if (a->init.n > 0 && initial_snapshot(e, pl) != EXIT_OK &&
	    !interrupted())
		warn_msg("%s: no initial snapshot: reset will give the "
		    "engine's empty database, not what --init made",
		    pl->db.name);
	if (interrupted())
		return (interrupted());
	/* A CDC profile promised logical decoding or a ROW binlog. */
	if (conf_bool(pr->set[P_CDC].value) &&
	    (code = cdc_check(e, &pl->db)) != EXIT_OK)
		return (code);
	return (interrupted());
}

/*
 * What the renderer refuses (an unknown version, CDC the engine cannot
 * give, ...) is refused before any docker call: a trial render with
 * stand-ins for what is chosen later. It is pure and costs microseconds.
 */
static int
trial_render(const struct engine *e, const struct profile *pr,
    const struct create_args *a)
{
	struct create_opts	t = a->o;
	struct plan		pl;
	char			*msg;

	if (t.name == NULL)
		t.name = "dbarena-trial";
	if (!a->explicit_port)
		t.port = atoi(e->set[E_PORT].value);
	t.created = "1970-01-01T00:00:00Z";
	if (render(e, pr, &t, &pl, &msg) == -1) {
		error_msg("%s", msg);
		free(msg);
		return (EXIT_CONFIG);
	}
	plan_free(&pl);
	return (EXIT_OK);
}

/*
 * --bind on a remote engine publishes on that host's network, for anyone
 * there: not with the engine's well-known password (every dbarena user
 * knows it). A loopback address, a local engine, --password random or
 * any other password are fine.
 */
static int
refuse_open_default(const struct engine *e, const struct create_args *a)
{
	const char	*b = a->o.bind, *pw = a->o.password;
	const char	*def = e->set[E_PASSWORD].value;

	if (b == NULL || strncmp(b, "127.", 4) == 0 || strcmp(b, "::1") == 0 ||
	    (pw != NULL && (def == NULL || strcmp(pw, def) != 0)) ||
	    !docker_is_remote())
		return (EXIT_OK);
	error_msg("%s: --bind %s publishes on the remote host's network: "
	    "not with the default password", e->name, b);
	hint_msg("add --password random, or give one with --password-file");
	return (EXIT_CONFIG);
}

/*
 * One docker call lists our databases, stopped ones too: the pool members
 * a claim may take, and the ports a new database must not take from a
 * stopped one. A docker that cannot list cannot run.
 */
static int
list_ours(const struct create_args *a, struct database_list *known)
{
	struct docker_result	res = DOCKER_RESULT_INIT;
	int			code = EXIT_OK;

	if (a->dry_run || (!pool_eligible(a) && a->explicit_port))
		return (EXIT_OK);
	if (docker_list(1, known, &res) != 0)
		code = interrupted() ? interrupted() :
		    docker_report(&res, "listing databases");
	docker_report_odd(&res);
	docker_result_release(&res);
	return (code);
}

/* --port, or the first free one from the engine's own. */
static int
choose_port(const struct engine *e, const struct create_args *a,
    const struct database_list *known, int *port)
{
	int	base = atoi(e->set[E_PORT].value);

	*port = a->o.port;
	if (a->explicit_port)
		return (EXIT_OK);
	*port = find_port(a->o.bind != NULL ? a->o.bind : "127.0.0.1",
	    base + a->port_offset, base + PORT_RANGE, known);
	if (*port == -1) {
		error_msg("no free port from %d to %d", base,
		    base + PORT_RANGE - 1);
		return (EXIT_PORT);
	}
	return (EXIT_OK);
}

/* The plan for real, and the --init client's words when there are files. */
static int
render_plan(const struct engine *e, const struct profile *pr,
    const struct create_args *a, struct plan *pl, struct strvec *init)
{
	char	*msg;

	if (render(e, pr, &a->o, pl, &msg) == -1) {
		error_msg("%s", msg);
		free(msg);
		return (EXIT_CONFIG);
	}
	if (a->init.n > 0 && (render_engine_argv(e, E_INIT, pl->db.version,
	    pl->db.user, pl->db.database, init) == -1 || init->n == 0)) {
		error_msg("%s: no [client] init for %s %s: --init cannot run",
		    e->path, e->name, pl->db.version);
		return (EXIT_CONFIG);
	}
	return (EXIT_OK);
}

/*
 * A new database: its name, times, mark and password, a port, the plan;
 * then, unless this is a dry run, everything docker does, and on failure
 * the removal of whatever carries this create's mark.
 */
static int
create_new(const struct engine *e, const struct profile *pr,
    const struct engine_version *ver, char *pool_key, struct create_args *a,
    const struct database_list *known, long long start, struct strbuf *out)
{
	struct plan	 pl;
	struct strvec	 health = STRVEC_INIT, init = STRVEC_INIT;
	char		*name = NULL, *random_pw = NULL, *owner;
	char		 created[32], expires[32];
	int		 code, port;

	memset(&pl, 0, sizeof pl);
	if (a->fill_pool && strcmp(pr->set[P_STORAGE].value != NULL ?
	    pr->set[P_STORAGE].value : "tmpfs", "volume") == 0) {
		error_msg("a pool holds throwaway databases: profile %s keeps "
		    "its data on a volume", pr->name);
		return (EXIT_USAGE);
	}
	if (a->fill_pool) {
		a->o.pool_key = pool_key;
		name = make_name(POOL_PREFIX, e->name, ver != NULL ?
		    ver->version : "x");
	} else if (a->o.name == NULL)
		name = make_name("dbarena-", e->name, ver != NULL ?
		    ver->version : "x");
	if (name != NULL)
		a->o.name = name;
	rfc3339_after(0, created, sizeof created);
	a->o.created = created;
	if (a->ttl_ms > 0) {
		rfc3339_after(a->ttl_ms, expires, sizeof expires);
		a->o.expires = expires;
	}
	a->o.owner = owner = make_owner();
	if (a->o.password != NULL && strcmp(a->o.password, "random") == 0)
		a->o.password = random_pw = random_password();
	if ((code = choose_port(e, a, known, &port)) != EXIT_OK)
		goto out;
	a->o.port = port;
	if ((code = render_plan(e, pr, a, &pl, &init)) != EXIT_OK)
		goto out;
	if (a->dry_run) {
		print_dry_run(&pl);
		print_dry_run_init(e, &pl, a, &init);
		goto out;
	}
	/* The health words survive the re-renders of a port retry. */
	strvec_pushvec(&health, &pl.health_argv);
	if (a->o.network != NULL &&
	    (code = network_prepare(a->o.network, owner)) != EXIT_OK)
		goto out;
	if ((code = bring_up(e, pr, a, &pl, &port, known, &health, &init)) !=
	    EXIT_OK) {
		cleanup(owner, pl.db.name, 1);
		/* A network made for it, and used by nothing else, goes too. */
		network_release(a->o.network);
		if (interrupted())
			code = interrupted();
		goto out;
	}
	print_result(e, &pl.db, now_ms() - start, a, out);
out:
	strvec_clear(&health);
	strvec_clear(&init);
	plan_free(&pl);
	free(name);
	if (random_pw != NULL)
		explicit_bzero(random_pw, strlen(random_pw));
	free(random_pw);
	a->o.owner = NULL;
	free(owner);
	return (code);
}

static int
create_one(const char *engine_name, struct create_args *a, struct strbuf *out)
{
	struct engine		 e;
	struct profile		 pr;
	struct database_list	 known;
	const struct engine_version *ver;
	char			*msg = NULL, *pool_key = NULL;
	long long		 start = now_ms();
	int			 code;

	memset(&known, 0, sizeof known);
	if (engine_load(engine_name, &e, &msg) == -1) {
		error_msg("%s", msg);
		free(msg);
		return (EXIT_CONFIG);
	}
	if (profile_load(a->profile, &pr, &msg) == -1) {
		error_msg("%s", msg);
		free(msg);
		engine_free(&e);
		return (EXIT_CONFIG);
	}
	ver = engine_find_version(&e, a->o.version != NULL ? a->o.version :
	    e.set[E_DEFAULT_VERSION].value);
	if ((code = trial_render(&e, &pr, a)) != EXIT_OK ||
	    (code = refuse_open_default(&e, a)) != EXIT_OK ||
	    (code = list_ours(a, &known)) != EXIT_OK)
		goto out;
	if (ver != NULL) {
		pool_key = xasprintf("%s/%s/%s", e.name, ver->version, pr.name);
		if (pool_eligible(a) && pool_claim(&e, pool_key, a, &known,
		    start, out, &code))
			goto out;
	}
	if (interrupted()) {
		code = interrupted();
		goto out;
	}
	code = create_new(&e, &pr, ver, pool_key, a, &known, start, out);
out:
	free(pool_key);
	database_list_free(&known);
	profile_free(&pr);
	engine_free(&e);
	return (code);
}

/* Pass an interrupt on to every child, once: each cleans up its own. */
static void
term_all(const pid_t *pids, int n)
{
	static int	done;
	int		i;

	if (done++)
		return;
	/* A reaped child's pid is 0: its number may be someone else's now. */
	for (i = 0; i < n; i++) {
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	}
}

/* The children of a parallel create, and what each has sent back. */
struct siblings {
	int		 n;
	pid_t		*pids;
	int		*fds;
	struct strbuf	*outs;
};

static void
siblings_free(struct siblings *s)
{
	free(s->outs);
	free(s->fds);
	free(s->pids);
}

/*
 * The i-th child: create engines[i], write the result to wfd for the
 * parent to print in order, and exit with the create's status.
 */
static void __attribute__((noreturn))
sibling_run(struct siblings *s, int i, char **engines, struct create_args *a,
    pid_t parent, int wfd)
{
	struct strbuf	mine = STRBUF_INIT;
	int		j, rc;

	/*
	 * Should the parent die, even by SIGKILL, each child hears SIGTERM
	 * and removes what it made, as on an interrupt: no create outlives
	 * the dbarena that ran it.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 || getppid() != parent)
		_exit(EXIT_FAIL);
	/*
	 * Siblings of one engine would all find the same free port and then
	 * race for it: start each further on.
	 */
	for (j = 0; j < i; j++)
		a->port_offset += strcmp(engines[j], engines[i]) == 0;
	a->sibling = 1;
	/* Siblings must not share port steps or jitter. */
	srandom((unsigned)getpid() ^ (unsigned)now_ms());
	rc = create_one(engines[i], a, &mine);
	fflush(stdout);		/* a dry run printed there */
	if (write(wfd, mine.buf, mine.len) == -1)
		rc = EXIT_FAIL;
	/* _exit runs no cleanup: free what valgrind would count as leaks. */
	strbuf_release(&mine);
	for (j = 0; j < i; j++)
		strbuf_release(&s->outs[j]);
	siblings_free(s);
	_exit(rc);
}

/* Read the i-th child's result to its end, reap it: its exit status. */
static int
sibling_wait(struct siblings *s, int i)
{
	char	buf[4096];
	ssize_t	r;
	int	status = 0;

	for (;;) {
		/* A signal that came between two waits is passed on too. */
		if (interrupted())
			term_all(s->pids, s->n);
		r = read(s->fds[i], buf, sizeof buf);
		if (r > 0) {
			strbuf_add(&s->outs[i], buf, r);
			continue;
		}
		if (r == -1 && errno == EINTR) {
			if (interrupted())
				term_all(s->pids, s->n);
			continue;
		}
		break;
	}
	close(s->fds[i]);
	while ((r = waitpid(s->pids[i], &status, 0)) == -1 && errno == EINTR) {
		if (interrupted())
			term_all(s->pids, s->n);
	}
	s->pids[i] = 0;
	return (r != -1 && WIFEXITED(status) ? WEXITSTATUS(status) :
	    EXIT_FAIL);
}

/* Reports as one JSON array, in the order asked for; each released. */
static void
print_json_reports(struct strbuf *outs, int n)
{
	struct strbuf		all = STRBUF_INIT;
	struct json_writer	jw = JSON_WRITER_INIT;
	int			i;

	jw_array_begin(&jw, NULL);
	for (i = 0; i < n; i++) {
		/* Each is one report_json object, or nothing (it failed). */
		if (outs[i].len > 0)
			jw_raw(&jw, NULL, outs[i].buf);
		strbuf_release(&outs[i]);
	}
	jw_end(&jw);
	jw_finish(&jw, &all);
	fputs(all.buf, stdout);
	strbuf_release(&all);
}

/* The results in the order asked for: a JSON array, or text blocks. */
static void
siblings_print(struct siblings *s, const struct create_args *a, int ok,
    long long start)
{
	struct strbuf	all = STRBUF_INIT;
	int		i;

	if (a->made != NULL) {
		for (i = 0; i < s->n; i++) {
			created_unpack(&s->outs[i], a->made);
			strbuf_release(&s->outs[i]);
		}
		return;
	}
	if (a->format == FORMAT_JSON) {
		print_json_reports(s->outs, s->n);
		return;
	}
	for (i = 0; i < s->n; i++) {
		if (s->outs[i].len == 0)
			continue;
		if (!a->quiet && all.len > 0)
			strbuf_addch(&all, '\n');
		strbuf_addbuf(&all, &s->outs[i]);
		strbuf_release(&s->outs[i]);
	}
	fputs(all.buf, stdout);
	if (!a->quiet && !a->dry_run)
		printf("\n%d of %d databases ready in %.1fs\n", ok, s->n,
		    (now_ms() - start) / 1000.0);
	strbuf_release(&all);
}

/*
 * Several engines: one forked dbarena each, so that one slow server does
 * not hold up the others; results are printed in the order asked for.
 */
static int
create_many(int n, char **engines, struct create_args *a)
{
	struct siblings	 s;
	long long	 start = now_ms();
	pid_t		 parent = getpid();
	int		 i, p[2], code = EXIT_OK, rc, ok = 0;

	s.n = n;
	s.pids = xcalloc(n, sizeof *s.pids);
	s.fds = xcalloc(n, sizeof *s.fds);
	s.outs = xcalloc(n, sizeof *s.outs);
	/* run draws progress only on a terminal. */
	if (a->format != FORMAT_JSON && !a->quiet && !a->dry_run &&
	    (a->made == NULL || tty))
		fprintf(stderr, "dbarena: creating %d databases in parallel\n",
		    n);
	fflush(stdout);
	for (i = 0; i < n; i++) {
		strbuf_init(&s.outs[i]);
		/* Close-on-exec: no docker descendant may hold it open. */
		if (pipe2(p, O_CLOEXEC) == -1)
			fatal("pipe: %s", strerror(errno));
		if ((s.pids[i] = fork()) == -1)
			fatal("fork: %s", strerror(errno));
		if (s.pids[i] == 0) {
			close(p[0]);
			sibling_run(&s, i, engines, a, parent, p[1]);
		}
		close(p[1]);
		s.fds[i] = p[0];
	}
	for (i = 0; i < n; i++) {
		if ((rc = sibling_wait(&s, i)) == EXIT_OK)
			ok++;
		else if (code == EXIT_OK)
			code = rc;
	}
	siblings_print(&s, a, ok, start);
	siblings_free(&s);
	return (interrupted() ? interrupted() : code);
}

/* One engine here, several in parallel; results on stdout either way. */
int
create_databases(int n, char **engines, struct create_args *a)
{
	struct strbuf	out = STRBUF_INIT;
	int		code;

	tty = a->tty;
	if (n > 1)
		return (create_many(n, engines, a));
	code = create_one(engines[0], a, &out);
	if (a->made != NULL)
		created_unpack(&out, a->made);
	else if (a->format == FORMAT_JSON && out.len > 0)
		print_json_reports(&out, 1);
	else
		fputs(out.buf, stdout);
	strbuf_release(&out);
	return (code);
}

