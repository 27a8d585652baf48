/*
 * doctor: is this machine ready for dbarena? One row per check - the
 * docker program, the engine behind it (and whether it is podman), the
 * permission to use it, the context, the registry mirror, the engines'
 * default ports, the engine and profile files, the database clients -
 * each ok, warn or fail with the fix. The two docker calls run while the
 * local checks do, each with a bounded timeout, so doctor stays fast
 * even when the engine hangs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "dbarena.h"
#include "docker.h"
#include "tunnel.h"
#include "probe.h"
#include "sql.h"
#include "json.h"

#define REGISTRY_TIMEOUT_MS	2000
#define DEFAULT_PROFILE		"fast"
#define DEFAULT_SOCKET		"/var/run/docker.sock"

enum status {
	ST_OK,
	ST_WARN,
	ST_FAIL
};

static const char *const status_names[] = { "ok", "warn", "fail" };

struct result {
	enum status	 status;
	struct strbuf	 msg;
	struct strbuf	 fix;
};

/* A docker call started at once and collected when a check needs it. */
struct docker_call {
	struct child		 c;
	int			 started;
	int			 collected;
	int			 rc;
	struct docker_version	 v;
	struct docker_result	 res;
};

struct doctor {
	struct docker_call	 client;	/* docker --version */
	struct docker_call	 server;	/* docker version */
	const char		*bind;
	int			 progress;
};

struct check {
	const char	*name;
	void		(*fn)(struct doctor *, struct result *);
	int		 docker;	/* waits for docker: run it last */
};

static void	check_docker(struct doctor *, struct result *);
static void	check_engine(struct doctor *, struct result *);
static void	check_permission(struct doctor *, struct result *);
static void	check_context(struct doctor *, struct result *);
static void	check_registry(struct doctor *, struct result *);
static void	check_ports(struct doctor *, struct result *);
static void	check_engines(struct doctor *, struct result *);
static void	check_profiles(struct doctor *, struct result *);
static void	check_clients(struct doctor *, struct result *);
static void	check_libraries(struct doctor *, struct result *);

static const struct check checks[] = {
	{ "docker", check_docker, 1 },
	{ "engine", check_engine, 1 },
	{ "permission", check_permission, 1 },
	{ "context", check_context, 0 },
	{ "registry", check_registry, 0 },
	{ "ports", check_ports, 0 },
	{ "engines", check_engines, 0 },
	{ "profiles", check_profiles, 0 },
	{ "clients", check_clients, 0 },
	{ "libraries", check_libraries, 0 },
};
#define NCHECKS (sizeof checks / sizeof checks[0])

static void PRINTFLIKE(3, 4)
set(struct result *r, enum status st, const char *fmt, ...)
{
	va_list	ap;

	r->status = st;
	strbuf_reset(&r->msg);
	va_start(ap, fmt);
	strbuf_vaddf(&r->msg, fmt, ap);
	va_end(ap);
}

static void PRINTFLIKE(2, 3)
fix(struct result *r, const char *fmt, ...)
{
	va_list	ap;

	strbuf_reset(&r->fix);
	va_start(ap, fmt);
	strbuf_vaddf(&r->fix, fmt, ap);
	va_end(ap);
}

/* The line of what docker said that matters, or that it said nothing. */
static void
first_line(struct strbuf *sb, const char *text)
{
	docker_error_line(text + strspn(text, " \t\r\n"), sb);
	if (sb->len == 0)
		strbuf_adds(sb, "(no message)");
}

static void
call_start(struct docker_call *dc, int server)
{
	int	saved;

	dc->c = (struct child)CHILD_INIT;
	dc->res = (struct docker_result)DOCKER_RESULT_INIT;
	dc->started = docker_version_start(&dc->c, server) == 0;
	if (!dc->started) {
		saved = errno;
		child_clear(&dc->c);	/* nothing to reap: free its argv */
		dc->rc = -1;
		dc->res.err = docker_classify(-1, "");
		strbuf_adds(&dc->res.msg, strerror(saved));
		dc->collected = 1;
	}
}

static struct docker_call *
call_collect(struct doctor *d, struct docker_call *dc)
{
	int	server = dc == &d->server, shown = 0;

	if (dc->collected)
		return (dc);
	/* Progress, on a terminal, only when the engine keeps us waiting. */
	if (d->progress &&
	    child_wait_readable(&dc->c, dc->c.out_fd, 250) == 0) {
		fprintf(stderr, "dbarena: asking the %s...", server ?
		    "docker engine" : "docker program");
		shown = 1;
	}
	dc->rc = docker_version_finish(&dc->c, server, &dc->v, &dc->res);
	if (shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	dc->collected = 1;
	return (dc);
}

static void
call_free(struct docker_call *dc)
{
	if (dc->started)
		child_clear(&dc->c);
	docker_version_free(&dc->v);
	docker_result_release(&dc->res);
}

/* The engine's socket when it is a local one dbarena can look at. */
static const char *
local_socket(void)
{
	const char	*h;

	if (docker_is_remote())
		return (NULL);
	h = getenv("DOCKER_HOST");
	if (h != NULL && strncmp(h, "unix://", 7) == 0)
		return (h + 7);
	if (h != NULL && *h != '\0')
		return (NULL);
	return (DEFAULT_SOCKET);
}

static void
check_docker(struct doctor *d, struct result *r)
{
	struct docker_call	*dc = call_collect(d, &d->client);
	const char		*prog = docker_program_name();
	char			*path = path_search(prog);

	if (dc->res.err == DERR_MISSING) {
		set(r, ST_FAIL, "%s: command not found", prog);
		fix(r, "install docker or podman (Debian: apt-get install "
		    "docker.io, or podman), or name the program with --docker "
		    "or DBARENA_DOCKER");
	} else if (dc->res.err == DERR_TIMEOUT) {
		set(r, ST_FAIL, "%s --version did not answer in time", prog);
		fix(r, "check that %s is the docker CLI", path != NULL ?
		    path : prog);
	} else if (dc->rc != 0) {
		set(r, ST_FAIL, "%s --version failed: ", prog);
		first_line(&r->msg, dc->res.msg.buf);
		fix(r, "check that %s is the docker CLI", path != NULL ?
		    path : prog);
	} else if (*dc->v.version == '\0' ||
	    strchr(dc->v.version, ' ') != NULL) {
		set(r, ST_WARN, "%s does not look like docker: '%s'",
		    path != NULL ? path : prog, dc->v.version);
		fix(r, "name the docker CLI with --docker or DBARENA_DOCKER");
	} else
		set(r, ST_OK, "%s %s client, %s%s", dc->v.podman ?
		    "podman" : "Docker", dc->v.version, path != NULL ? path :
		    prog, docker_program_fallback() ? " (no docker on PATH)" :
		    "");
	free(path);
}

static void
check_engine(struct doctor *d, struct result *r)
{
	struct docker_call	*dc = call_collect(d, &d->server);
	struct docker_call	*cl = call_collect(d, &d->client);
	const char		*prog = docker_program_name();

	switch (dc->res.err) {
	case DERR_NONE:
		if (*dc->v.version == '\0' && cl->v.podman)
			set(r, ST_OK, "podman %s, no daemon (local podman)",
			    cl->v.version);
		else if (*dc->v.version == '\0') {
			set(r, ST_WARN, "the engine did not give its version");
			fix(r, "try: %s version", prog);
		} else if (dc->v.podman)
			set(r, ST_OK, "Podman Engine %s (podman detected)",
			    dc->v.version);
		else
			set(r, ST_OK, "Docker Engine %s", dc->v.version);
		return;
	case DERR_MISSING:
		set(r, ST_FAIL, "not reached: no docker program");
		fix(r, "see the docker check");
		return;
	case DERR_PERMISSION:
		set(r, ST_FAIL, "the engine refuses us: permission denied");
		fix(r, "see the permission check");
		return;
	case DERR_TIMEOUT:
		set(r, ST_FAIL, "the engine did not answer in time");
		fix(r, "is the docker daemon hung? try: %s info", prog);
		return;
	case DERR_SSH:
		set(r, ST_FAIL, "cannot reach the engine over ssh: ");
		docker_error_line(dc->res.msg.buf, &r->msg);
		fix(r, "docker runs ssh as this does; try: ssh %s docker "
		    "version", docker_endpoint() != NULL ? docker_endpoint() :
		    "HOST");
		return;
	case DERR_DAEMON:
		set(r, ST_FAIL, "cannot connect to the docker daemon: ");
		first_line(&r->msg, dc->res.msg.buf);
		fix(r, "start it (systemctl start docker), or check "
		    "DOCKER_HOST and --context");
		return;
	default:
		set(r, ST_FAIL, "%s version failed: ", prog);
		first_line(&r->msg, dc->res.msg.buf);
		/* Most often a context that does not exist (any more). */
		if (g.context != NULL || getenv("DOCKER_CONTEXT") != NULL)
			fix(r, "check the context: %s context ls", prog);
		else
			fix(r, "try: %s info", prog);
		return;
	}
}

static void
check_permission(struct doctor *d, struct result *r)
{
	struct docker_call	*dc = call_collect(d, &d->server);
	struct docker_call	*cl = call_collect(d, &d->client);
	const char		*sock = local_socket();
	struct stat		 st;

	if (dc->res.err == DERR_NONE && *dc->v.version == '\0' && cl->v.podman) {
		set(r, ST_OK, "local podman runs containers itself: no "
		    "daemon socket");
		return;
	}
	if (dc->res.err == DERR_NONE) {
		set(r, ST_OK, "allowed to use %s", sock != NULL ? sock :
		    "the remote engine");
		return;
	}
	if (dc->res.err == DERR_PERMISSION || (sock != NULL &&
	    stat(sock, &st) == 0 && access(sock, R_OK | W_OK) != 0)) {
		set(r, ST_FAIL, "permission denied on %s", sock != NULL ?
		    sock : "the engine's socket or context");
		fix(r, "add yourself to the docker group (sudo usermod -aG "
		    "docker $USER, then log in again) or use rootless docker");
		return;
	}
	if (sock != NULL && stat(sock, &st) == -1)
		set(r, ST_WARN, "not checked: no socket at %s", sock);
	else
		set(r, ST_WARN, "not checked: the engine did not answer");
	fix(r, "see the engine check");
}

static void
check_context(struct doctor *d, struct result *r)
{
	const char	*h = getenv("DOCKER_HOST"), *ctx;
	const char	*rh = docker_remote_host();
	struct ssh_dest	 sd;

	(void)d;
	ctx = g.context != NULL ? g.context : getenv("DOCKER_CONTEXT");
	if (h != NULL && *h != '\0')
		set(r, ST_OK, "DOCKER_HOST=%s", h);
	else if (ctx != NULL && *ctx != '\0')
		set(r, ST_OK, "context %s", ctx);
	else
		set(r, ST_OK, "default context");
	memset(&sd, 0, sizeof sd);
	if (docker_is_remote() && tunnel_engine_dest(&sd) == 0)
		strbuf_addf(&r->msg, ", remote over ssh: ports are published "
		    "on %s, readiness is probed through an ssh forward and "
		    "dbarena tunnel reaches them", rh != NULL ? rh :
		    "the engine's host");
	else if (docker_is_remote())
		strbuf_addf(&r->msg, ", remote: ports are published on %s "
		    "and readiness is checked inside the container",
		    rh != NULL ? rh : "the engine's host");
	else
		strbuf_addf(&r->msg, ", local: ports are published on this "
		    "machine");
	ssh_dest_free(&sd);
}

/* "host:port", "[v6]:port" or "host" (https, 443), then maybe "/path". */
static int
split_registry(const char *reg, char **host, int *port)
{
	const char	*end, *colon;
	unsigned long	 u;
	char		*p;
	size_t		 len = strcspn(reg, "/");

	*port = 443;
	if (*reg == '[') {
		if ((end = memchr(reg, ']', len)) == NULL)
			return (-1);
		*host = xstrndup(reg + 1, end - reg - 1);
		colon = end[1] == ':' ? end + 1 : NULL;
	} else {
		colon = memchr(reg, ':', len);
		*host = xstrndup(reg, colon != NULL ? (size_t)(colon - reg) :
		    len);
	}
	if (colon != NULL) {
		p = xstrndup(colon + 1, len - (colon + 1 - reg));
		if (parse_uint(p, 1, 65535, &u) == -1) {
			free(p);
			free(*host);
			return (-1);
		}
		free(p);
		*port = (int)u;
	}
	if (**host == '\0') {
		free(*host);
		return (-1);
	}
	return (0);
}

static void
check_registry(struct doctor *d, struct result *r)
{
	struct profile	 pr;
	const char	*reg, *from = "DBARENA_REGISTRY";
	char		*msg, *host, *own = NULL;
	int		 port, code;

	(void)d;
	if ((reg = getenv("DBARENA_REGISTRY")) == NULL || *reg == '\0') {
		reg = NULL;
		if (profile_load(DEFAULT_PROFILE, &pr, &msg) == 0) {
			if (pr.set[P_REGISTRY].value != NULL) {
				own = xstrdup(pr.set[P_REGISTRY].value);
				from = "profile " DEFAULT_PROFILE;
			}
			profile_free(&pr);
		} else
			free(msg);	/* the profiles check says so */
		reg = own;
	}
	if (reg == NULL) {
		set(r, ST_OK, "no mirror set: images come from Docker Hub "
		    "through the engine");
		return;
	}
	if (split_registry(reg, &host, &port) == -1) {
		set(r, ST_FAIL, "invalid registry '%s' (%s)", reg, from);
		fix(r, "give HOST[:PORT], as in mirror.example:5000");
		free(own);
		return;
	}
	code = probe_http_status(host, port, "/v2/", REGISTRY_TIMEOUT_MS);
	if (code == 200 || code == 401)
		set(r, ST_OK, "%s (%s) answers GET /v2/ with HTTP %d", reg,
		    from, code);
	else if (code == 400)
		/* Go's answer to plain HTTP on a TLS port: an https one. */
		set(r, ST_OK, "%s (%s) is reachable and speaks https", reg,
		    from);
	else if (code == -1) {
		set(r, ST_FAIL, "cannot connect to %s (%s) within %.1fs", reg,
		    from, REGISTRY_TIMEOUT_MS / 1000.0);
		fix(r, "start the mirror, or correct or unset %s", from);
	} else if (code == 0) {
		/* Even a TLS server says 400 to plain HTTP: this is stuck. */
		set(r, ST_FAIL, "%s (%s) accepts connections but gave no HTTP "
		    "answer within %.1fs", reg, from,
		    REGISTRY_TIMEOUT_MS / 1000.0);
		fix(r, "check %s: a registry answers GET /v2/ with 200 or "
		    "401", from);
	} else {
		set(r, ST_WARN, "%s (%s) answers GET /v2/ with HTTP %d: not a "
		    "registry?", reg, from, code);
		fix(r, "check %s: a registry answers GET /v2/ with 200 or "
		    "401", from);
	}
	if (docker_is_remote())
		strbuf_adds(&r->msg, " from here; the remote engine pulls "
		    "from it itself");
	free(host);
	free(own);
}

/* "5432 (postgres)", several engines sharing a port named together. */
static void
ports_add(struct strbuf *sb, int port, const struct strvec *names,
    const int *ports, size_t i)
{
	size_t	j;

	strbuf_addf(sb, "%s%d (%s", sb->len ? ", " : "", port, names->v[i]);
	for (j = i + 1; j < names->n; j++) {
		if (ports[j] == port)
			strbuf_addf(sb, ", %s", names->v[j]);
	}
	strbuf_addch(sb, ')');
}

static void
check_ports(struct doctor *d, struct result *r)
{
	struct strvec	 names = STRVEC_INIT, paths = STRVEC_INIT;
	struct strbuf	 busy = STRBUF_INIT, free_ = STRBUF_INIT;
	struct engine	 e;
	const char	*p;
	char		*msg;
	int		*ports;
	size_t		 i, j;
	int		 seen;

	if (docker_is_remote()) {
		set(r, ST_OK, "not checked: the engine is remote, its ports "
		    "are on %s", docker_remote_host() != NULL ?
		    docker_remote_host() : "its host");
		return;
	}
	config_list("engines", &names, &paths);
	ports = xcalloc(names.n + 1, sizeof *ports);
	for (i = 0; i < names.n; i++) {
		if (engine_load(paths.v[i], &e, &msg) == -1) {
			free(msg);	/* the engines check says so */
			continue;
		}
		if ((p = e.set[E_PORT].value) != NULL)
			ports[i] = atoi(p);
		engine_free(&e);
	}
	for (i = 0; i < names.n; i++) {
		for (seen = 0, j = 0; j < i; j++)
			seen |= ports[j] == ports[i];
		if (ports[i] <= 0 || seen)
			continue;
		ports_add(port_free(d->bind, ports[i]) ? &free_ : &busy,
		    ports[i], &names, ports, i);
	}
	if (busy.len > 0) {
		set(r, ST_WARN, "in use on %s: %s", d->bind, busy.buf);
		if (free_.len > 0)
			strbuf_addf(&r->msg, "; free: %s", free_.buf);
		fix(r, "none needed: create takes the next free port; "
		    "--port picks one");
	} else if (free_.len > 0)
		set(r, ST_OK, "free on %s: %s", d->bind, free_.buf);
	else
		set(r, ST_WARN, "no engine names a default port");
	free(ports);
	strbuf_release(&busy);
	strbuf_release(&free_);
	strvec_clear(&names);
	strvec_clear(&paths);
}

static int
load_engine(const char *path, char **err)
{
	struct engine	e;

	if (engine_load(path, &e, err) == -1)
		return (-1);
	engine_free(&e);
	return (0);
}

static int
load_profile(const char *path, char **err)
{
	struct profile	pr;

	if (profile_load(path, &pr, err) == -1)
		return (-1);
	profile_free(&pr);
	return (0);
}

/* Every file of a kind on the search path loads, or each error, file:line. */
static void
check_files(struct result *r, const char *kind,
    int (*load)(const char *, char **))
{
	struct strvec	 names = STRVEC_INIT, paths = STRVEC_INIT;
	struct strvec	 dirs = STRVEC_INIT;
	struct strbuf	 bad = STRBUF_INIT, good = STRBUF_INIT;
	char		*msg;
	size_t		 i, nbad = 0;

	config_list(kind, &names, &paths);
	for (i = 0; i < names.n; i++) {
		if (load(paths.v[i], &msg) == 0) {
			strbuf_addf(&good, "%s%s", good.len ? ", " : "",
			    names.v[i]);
			continue;
		}
		strbuf_addf(&bad, "%s%s", bad.len ? "; " : "", msg);
		free(msg);
		nbad++;
	}
	if (names.n == 0) {
		config_search_dirs(kind, &dirs);
		set(r, ST_FAIL, "no %s files in", kind);
		for (i = 0; i < dirs.n; i++)
			strbuf_addf(&r->msg, " %s", dirs.v[i]);
		fix(r, "reinstall dbarena, or set DBARENA_DATA_DIR");
	} else if (nbad > 0) {
		set(r, ST_FAIL, "%s", bad.buf);
		fix(r, "correct the file (see dbarena-profile(5)), or move it "
		    "away");
	} else
		set(r, ST_OK, "%zu load: %s", names.n, good.buf);
	strbuf_release(&bad);
	strbuf_release(&good);
	strvec_clear(&names);
	strvec_clear(&paths);
	strvec_clear(&dirs);
}

static void
check_engines(struct doctor *d, struct result *r)
{
	(void)d;
	check_files(r, "engines", load_engine);
}

static void
check_profiles(struct doctor *d, struct result *r)
{
	(void)d;
	check_files(r, "profiles", load_profile);
}

/*
 * One engine's client on PATH: the first of its local_client programs
 * found, or it goes on the missing list with its package. Engines that
 * name the same programs (mariadb and mysql) are looked at once.
 */
static void
client_find(const struct engine *e, struct strvec *seen, struct strbuf *found,
    struct strbuf *missing, struct strbuf *pkgs)
{
	struct strvec	 progs = STRVEC_INIT;
	const char	*want = e->set[E_LOCAL_CLIENT].value;
	char		*path = NULL, *err = NULL;
	size_t		 i;

	for (i = 0; want != NULL && i < seen->n; i++) {
		if (strcmp(seen->v[i], want) == 0)
			return;
	}
	if (want == NULL || strvec_split(&progs, want, &err) == -1) {
		free(err);	/* engine_load refused it already */
		strvec_clear(&progs);
		return;
	}
	strvec_push(seen, want);
	for (i = 0; path == NULL && i < progs.n; i++)
		path = path_search(progs.v[i]);
	if (path != NULL)
		strbuf_addf(found, "%s%s", found->len ? ", " : "", path);
	else {
		strbuf_addf(missing, "%s%s", missing->len ? ", " : "",
		    progs.v[0]);
		if (e->set[E_LOCAL_PACKAGE].value != NULL)
			strbuf_addf(pkgs, " %s", e->set[E_LOCAL_PACKAGE].value);
	}
	free(path);
	strvec_clear(&progs);
}

/*
 * Optional: what the connection URLs are for, as each engine file names
 * its client (in the engines' order). A warning at most.
 */
static void
check_clients(struct doctor *d, struct result *r)
{
	struct strvec	 names = STRVEC_INIT, paths = STRVEC_INIT;
	struct strvec	 seen = STRVEC_INIT;
	struct strbuf	 found = STRBUF_INIT, missing = STRBUF_INIT;
	struct strbuf	 pkgs = STRBUF_INIT;
	struct engine	 e;
	char		*msg;
	size_t		 i;

	(void)d;
	config_list("engines", &names, &paths);
	for (i = 0; i < names.n; i++) {
		if (engine_load(paths.v[i], &e, &msg) == -1) {
			free(msg);	/* the engines check says so */
			continue;
		}
		client_find(&e, &seen, &found, &missing, &pkgs);
		engine_free(&e);
	}
	if (missing.len > 0) {
		set(r, ST_WARN, "not on PATH: %s", missing.buf);
		if (pkgs.len > 0)
			fix(r, "optional, to connect from here: apt-get "
			    "install%s", pkgs.buf);
		else
			fix(r, "optional, to connect from here: install %s",
			    missing.buf);
	} else if (found.len > 0)
		set(r, ST_OK, "%s", found.buf);
	else
		set(r, ST_OK, "no engine names a client to look for");
	strbuf_release(&found);
	strbuf_release(&missing);
	strbuf_release(&pkgs);
	strvec_clear(&seen);
	strvec_clear(&names);
	strvec_clear(&paths);
}

/*
 * The client libraries: built in, and loadable here. With them snapshot
 * and restore speak to a local server over its port, else they use a
 * slower docker exec.
 */
static void
check_libraries(struct doctor *d, struct result *r)
{
	static const char *const libs[] = { "libpq", "libmariadb" };
	struct strbuf	 ok = STRBUF_INIT, bad = STRBUF_INIT;
	char		*why;
	size_t		 i;

	(void)d;
	for (i = 0; i < sizeof libs / sizeof libs[0]; i++) {
		why = NULL;
		if (sql_library_load(libs[i], &why) == 0)
			strbuf_addf(&ok, "%s%s", ok.len ? ", " : "", libs[i]);
		else
			strbuf_addf(&bad, "%s%s", bad.len ? "; " : "", why);
		free(why);
	}
	if (bad.len == 0)
		set(r, ST_OK, "%s, loaded when needed", ok.buf);
	else {
		set(r, ST_WARN, "%s: snapshot and restore use docker exec "
		    "there", bad.buf);
		fix(r, "optional, for millisecond restores: apt-get install "
		    "libpq5 libmariadb3 (to build: libpq-dev libmariadb-dev, "
		    "then configure again)");
	}
	strbuf_release(&ok);
	strbuf_release(&bad);
}

static void
print_text(struct strbuf *out, const struct result *res, int quiet,
    int colour)
{
	static const enum colour colours[] = {
		COLOUR_GREEN, COLOUR_YELLOW, COLOUR_RED
	};
	const struct result	*r;
	size_t			 i;

	for (i = 0; i < NCHECKS; i++) {
		r = &res[i];
		if (quiet && r->status == ST_OK)
			continue;
		if (colour)
			strbuf_addf(out, "%s%-4s%s", colour_on(
			    colours[r->status]), status_names[r->status],
			    colour_off());
		else
			strbuf_addf(out, "%-4s", status_names[r->status]);
		strbuf_addf(out, " %-11s %s", checks[i].name, r->msg.buf);
		if (r->status != ST_OK && r->fix.len > 0)
			strbuf_addf(out, " \342\200\224 fix: %s", r->fix.buf);
		strbuf_addch(out, '\n');
	}
}

static void
print_json(struct strbuf *out, const struct result *res)
{
	struct json_writer	jw = JSON_WRITER_INIT;
	size_t			i;

	jw_array_begin(&jw, NULL);
	for (i = 0; i < NCHECKS; i++) {
		jw_object_begin(&jw, NULL);
		jw_string(&jw, "check", checks[i].name);
		jw_string(&jw, "status", status_names[res[i].status]);
		jw_string(&jw, "message", res[i].msg.buf);
		jw_string(&jw, "fix", res[i].fix.len ? res[i].fix.buf : NULL);
		jw_end(&jw);
	}
	jw_end(&jw);
	jw_finish(&jw, out);
}

static int
cmd_doctor_exec(const struct args *args, int argc, char **argv)
{
	struct doctor		 d;
	struct result		 res[NCHECKS];
	struct strbuf		 out = STRBUF_INIT;
	enum output_format	 f = FORMAT_TEXT;
	long long		 start = now_ms();
	size_t			 i, n[3] = { 0, 0, 0 };
	int			 pass, quiet;

	(void)argv;
	memset(&d, 0, sizeof d);
	if ((d.bind = args_get(args, "bind")) == NULL)
		d.bind = "127.0.0.1";
	if (args_format(args, &f) == -1)
		return (EXIT_USAGE);
	quiet = g.quiet || args_has(args, "quiet");
	if (argc != 0)
		return (cmd_usage_error(&cmd_doctor_entry,
		    "too many arguments"));
	if (!valid_ip(d.bind))
		return (cmd_usage_error(&cmd_doctor_entry, "invalid --bind "
		    "'%s': an IP address", d.bind));
	d.progress = g.tty && !quiet && f == FORMAT_TEXT;

	/* Both docker calls at once; the local checks run meanwhile. */
	call_start(&d.client, 0);
	call_start(&d.server, 1);
	for (i = 0; i < NCHECKS; i++) {
		strbuf_init(&res[i].msg);
		strbuf_init(&res[i].fix);
		res[i].status = ST_OK;
	}
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < NCHECKS; i++) {
			if (checks[i].docker == pass)
				checks[i].fn(&d, &res[i]);
		}
	}

	for (i = 0; i < NCHECKS; i++)
		n[res[i].status]++;
	if (f == FORMAT_JSON)
		print_json(&out, res);
	else {
		print_text(&out, res, quiet, colour_wanted(STDOUT_FILENO));
		if (!quiet)
			strbuf_addf(&out, "%zu ok, %zu warn, %zu fail in "
			    "%.2fs\n", n[ST_OK], n[ST_WARN], n[ST_FAIL],
			    (now_ms() - start) / 1000.0);
	}
	fputs(out.buf, stdout);
	strbuf_release(&out);
	for (i = 0; i < NCHECKS; i++) {
		strbuf_release(&res[i].msg);
		strbuf_release(&res[i].fix);
	}
	call_free(&d.client);
	call_free(&d.server);
	return (n[ST_FAIL] > 0 ? EXIT_FAIL : EXIT_OK);
}

static const struct cmd_option doctor_options[] = {
	{ "bind", 0, "ADDR", "check the ports on this address, as create "
	    "--bind would publish them" },
	{ "format", 0, "table|json", "print lines (the default) or JSON" },
	{ "quiet", 'q', NULL, "print only the warnings and failures" },
	{ NULL, 0, NULL, NULL }
};

const struct cmd_entry cmd_doctor_entry = {
	"doctor", NULL, "[--bind ADDR] [--format table|json] [--quiet]",
	"Check docker, the engine, the registry, ports and profile files.",
	doctor_options, NULL, cmd_doctor_exec, 0
};
