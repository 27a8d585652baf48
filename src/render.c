/*
 * Turning an engine file, a profile and the command line into what docker
 * is to run (a struct run_spec; the adapter knows docker's flags for it). Abstract profile settings (storage, durability, CDC,
 * resources) become engine-specific flags through the engine file's
 * [flags] templates; nothing here knows about any particular database.
 * Secrets never enter an argument vector: the spec names them ("-e NAME")
 * and the value goes in secret_env, for the docker child's environment; so does every
 * environment value from a profile or --env, whatever its name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docker.h"
#include "render.h"

#define DEFAULT_BIND		"127.0.0.1"
#define DEFAULT_TMPFS_SIZE	"1g"
#define DEFAULT_TIMEOUT_MS	60000
#define HEALTH_INTERVAL		"5s"
#define HEALTH_RETRIES		3
#define PLAIN			"plain"	/* an origin: may stand in argv */

#define VARS_MAX	24

struct vars {
	const char	*names[VARS_MAX];
	const char	*values[VARS_MAX];
	int		 n;
};

static void
var_add(struct vars *v, const char *name, const char *value)
{
	if (v->n == VARS_MAX)
		fatal("render: more than %d template variables", VARS_MAX);
	v->names[v->n] = name;
	v->values[v->n++] = value != NULL ? value : "";
}

static void
add_urlencoded(struct strbuf *sb, const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789-._~", *s) != NULL)
			strbuf_addch(sb, *s);
		else
			strbuf_addf(sb, "%%%02X", (unsigned char)*s);
	}
}

/* Expand {name} references; an unknown name is an error. */
static int
expand(const char *tmpl, const struct vars *v, struct strbuf *out,
    char **err)
{
	const char	*p, *end;
	size_t		 len;
	int		 i;

	for (p = tmpl; *p != '\0'; p++) {
		if (*p != '{' || (end = strchr(p, '}')) == NULL) {
			strbuf_addch(out, *p);
			continue;
		}
		len = end - p - 1;
		for (i = 0; i < v->n; i++) {
			if (strlen(v->names[i]) == len &&
			    strncmp(v->names[i], p + 1, len) == 0)
				break;
		}
		if (i == v->n) {
			if (err != NULL)
				*err = xasprintf("unknown template variable "
				    "'{%.*s}' in '%s'", (int)len, p + 1, tmpl);
			return (-1);
		}
		strbuf_adds(out, v->values[i]);
		p = end;
	}
	return (0);
}

static int
push_words(struct strvec *argv, const char *tmpl, const struct vars *v,
    char **err)
{
	struct strvec	 words = STRVEC_INIT;
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i;

	if (tmpl == NULL)
		return (0);
	if (strvec_split(&words, tmpl, err) == -1)
		return (-1);
	for (i = 0; i < words.n; i++) {
		strbuf_reset(&sb);
		if (expand(words.v[i], v, &sb, err) == -1) {
			strvec_clear(&words);
			strbuf_release(&sb);
			return (-1);
		}
		strvec_push(argv, sb.buf);
	}
	strvec_clear(&words);
	strbuf_release(&sb);
	return (0);
}

/*
 * A mirror replaces the registry part of a reference: "postgres:16" and
 * "mcr.microsoft.com/mssql/server:2022" become "MIRROR/postgres:16" and
 * "MIRROR/mssql/server:2022".
 */
char *
render_image(const char *repo, const char *tag, const char *registry)
{
	const char	*slash, *path = repo;
	size_t		 len;

	if (registry == NULL || *registry == '\0')
		return (xasprintf("%s:%s", repo, tag));
	slash = strchr(repo, '/');
	if (slash != NULL) {
		len = slash - repo;
		if (memchr(repo, '.', len) != NULL ||
		    memchr(repo, ':', len) != NULL ||
		    (len == 9 && strncmp(repo, "localhost", 9) == 0))
			path = slash + 1;
	}
	len = strlen(registry);
	while (len > 0 && registry[len - 1] == '/')
		len--;
	return (xasprintf("%.*s/%s:%s", (int)len, registry, path, tag));
}

char *
render_url(const char *tmpl, const char *host, int port, const char *user,
    const char *password, const char *database)
{
	struct vars	 v;
	struct strbuf	 sb = STRBUF_INIT, u = STRBUF_INIT, p = STRBUF_INIT;
	struct strbuf	 d = STRBUF_INIT, h = STRBUF_INIT;
	char		 portbuf[16];
	int		 rc;

	if (tmpl == NULL)
		return (NULL);
	/* Credentials are percent-encoded; an IPv6 host goes in brackets. */
	add_urlencoded(&u, user != NULL ? user : "");
	add_urlencoded(&p, password != NULL ? password : "");
	add_urlencoded(&d, database != NULL ? database : "");
	if (strchr(host, ':') != NULL)
		strbuf_addf(&h, "[%s]", host);
	else
		strbuf_adds(&h, host);
	memset(&v, 0, sizeof v);
	snprintf(portbuf, sizeof portbuf, "%d", port);
	var_add(&v, "host", h.buf);
	var_add(&v, "port", portbuf);
	var_add(&v, "user", u.buf);
	var_add(&v, "password", p.buf);
	var_add(&v, "database", d.buf);
	rc = expand(tmpl, &v, &sb, NULL);
	strbuf_release(&u);
	strbuf_release(&p);
	strbuf_release(&d);
	strbuf_release(&h);
	if (rc == -1) {
		strbuf_release(&sb);
		return (NULL);
	}
	return (strbuf_detach(&sb));
}

/* Where a client on this machine connects for a given --bind address. */
const char *
connect_host(const char *bind)
{
	if (strcmp(bind, "0.0.0.0") == 0 || strcmp(bind, "::") == 0 ||
	    strcmp(bind, "") == 0)
		return ("127.0.0.1");
	return (bind);
}

char *
volume_name_for(const char *name)
{
	if (strncmp(name, "dbarena-", 8) == 0)
		return (xasprintf("%s-data", name));
	return (xasprintf("dbarena-%s-data", name));
}

/*
 * "NAME=value" for a plain value, else "NAME" in the spec's environment
 * and "NAME=value" in secret_env, for the docker child's
 * environment. No guessing from a variable's name which value is a
 * secret: DB_PASS and API_KEY are too.
 */
static void
push_env(struct plan *pl, const char *key, const char *value, int plain)
{
	if (plain)
		strvec_pushf(&pl->run.env, "%s=%s", key, value);
	else {
		strvec_push(&pl->run.env, key);
		strvec_pushf(&pl->secret_env, "%s=%s", key, value);
	}
}

static const char *
pick(const char *a, const char *b, const char *c)
{
	return (a != NULL ? a : b != NULL ? b : c);
}

/* A label, under the name the adapter reads it back by. */
static void
label(struct plan *pl, enum docker_label k, const char *v)
{
	free(pl->run.label[k]);
	pl->run.label[k] = xstrdup(v);
}

/*
 * What the server really gets for variable var when a profile's
 * [environment] or --env sets it (the last one wins, as in the
 * container's environment): that is what clients must be told.
 */
static void
env_override(const struct profile *pr, const struct create_opts *o,
    const char *var, char **value)
{
	const char	*found = NULL;
	size_t		 i, len;

	if (var == NULL)
		return;
	len = strlen(var);
	for (i = 0; i < pr->env.n; i++) {
		if (strcmp(pr->env.v[i].key, var) == 0)
			found = pr->env.v[i].s.value;
	}
	for (i = 0; o->env != NULL && i < o->env->n; i++) {
		if (strncmp(o->env->v[i], var, len) == 0 &&
		    o->env->v[i][len] == '=')
			found = o->env->v[i] + len + 1;
	}
	if (found != NULL) {
		free(*value);
		*value = xstrdup(found);
	}
}

static int
render_env(const struct engine *e, const struct profile *pr,
    const struct create_opts *o, const struct vars *v, struct plan *pl,
    char **err)
{
	const char	*pv = e->set[E_PASSWORD_VAR].value;
	struct kvlist	 env;
	struct strbuf	 sb = STRBUF_INIT;
	const char	*eq;
	char		*key;
	size_t		 i;

	/*
	 * An origin of PLAIN marks a value that may stand in the argument
	 * vector: the user and database names (the labels show them anyway)
	 * and the engine file's constants. A value that templates
	 * {password}, and everything from a profile or --env, whatever its
	 * variable is called, goes by name only.
	 */
	memset(&env, 0, sizeof env);
	if (e->set[E_USER_VAR].value != NULL)
		kvlist_set(&env, e->set[E_USER_VAR].value, pl->db.user, PLAIN);
	if (pv != NULL)
		kvlist_set(&env, pv, pl->db.password, NULL);
	if (e->set[E_DATABASE_VAR].value != NULL)
		kvlist_set(&env, e->set[E_DATABASE_VAR].value, pl->db.database,
		    PLAIN);
	for (i = 0; i < e->env.n; i++) {
		strbuf_reset(&sb);
		if (expand(e->env.v[i].s.value, v, &sb, err) == -1) {
			kvlist_free(&env);
			strbuf_release(&sb);
			return (-1);
		}
		kvlist_set(&env, e->env.v[i].key, sb.buf,
		    strstr(e->env.v[i].s.value, "{password}") == NULL ?
		    PLAIN : NULL);
	}
	for (i = 0; i < pr->env.n; i++)
		kvlist_set(&env, pr->env.v[i].key, pr->env.v[i].s.value, NULL);
	for (i = 0; o->env != NULL && i < o->env->n; i++) {
		eq = strchr(o->env->v[i], '=');
		key = xstrndup(o->env->v[i], eq - o->env->v[i]);
		kvlist_set(&env, key, eq + 1, NULL);
		free(key);
	}
	for (i = 0; i < env.n; i++)
		push_env(pl, env.v[i].key, env.v[i].s.value,
		    strcmp(env.v[i].s.origin, PLAIN) == 0);
	kvlist_free(&env);
	strbuf_release(&sb);
	return (0);
}

static int
render_health(const struct engine *e, const struct engine_version *ver,
    const struct vars *v, struct plan *pl, char **err)
{
	struct strbuf	sb = STRBUF_INIT;

	if (push_words(&pl->health_argv, engine_get(e, E_HEALTH, ver), v,
	    err) == -1)
		return (-1);
	if (pl->health_argv.n == 0)
		return (0);
	/*
	 * Docker runs a string health command through the image's shell;
	 * quoting keeps it the same words dbarena itself would exec.
	 */
	strvec_join_quoted(&pl->health_argv, &sb);
	pl->run.health_cmd = strbuf_detach(&sb);
	pl->run.health_interval = xstrdup(HEALTH_INTERVAL);
	pl->run.health_timeout = xstrdup(HEALTH_INTERVAL);
	pl->run.health_retries = HEALTH_RETRIES;
	/*
	 * Until the server is up the check fails (PostgreSQL's init runs a
	 * server on the socket only, then restarts it); three failures
	 * before readiness, on a slow or busy machine, made docker say
	 * "unhealthy" just as create reported it healthy. Failures within
	 * the start period do not count, and it lasts as long as create
	 * waits (docker >= 17.05 and podman have it).
	 */
	pl->run.health_start_period = xasprintf("%llds",
	    (long long)(pl->timeout_ms + 999) / 1000);
	return (0);
}

/* Fill {name} placeholders of a text (an image template) from pairs. */
int
render_text(const char *tmpl, const char *const *names,
    const char *const *values, int n, struct strbuf *out, char **err)
{
	struct vars	v;
	int		i;

	memset(&v, 0, sizeof v);
	for (i = 0; i < n && i < 16; i++)
		var_add(&v, names[i], values[i]);
	return (expand(tmpl, &v, out, err));
}

/*
 * Command words run inside a database's container (health, shell, init),
 * for a database described by its labels: {port} is the server's port in
 * the container, and {password} is never expanded, so no argument vector
 * carries it.
 */
int
render_engine_argv(const struct engine *e, enum engine_key key,
    const char *version, const char *user, const char *database,
    struct strvec *argv)
{
	struct vars	v;

	memset(&v, 0, sizeof v);
	var_add(&v, "user", user);
	var_add(&v, "database", database);
	var_add(&v, "password", "");
	var_add(&v, "name", "");
	var_add(&v, "version", version);
	var_add(&v, "port", e->set[E_PORT].value);
	return (push_words(argv, engine_get(e, key,
	    engine_find_version(e, version)), &v, NULL));
}

/*
 * One [snapshot] statement (or unit of several) with its {names} filled
 * in: empty when the engine file has none. The names are identifiers
 * the caller has checked (snapshot.c), quoted by the engine file.
 */
int
render_snapshot_sql(const struct engine *e, const char *version,
    enum engine_key key, const struct snap_vars *sv, struct strbuf *out,
    char **err)
{
	struct vars	 v;
	const char	*tmpl;

	memset(&v, 0, sizeof v);
	var_add(&v, "database", sv->database);
	var_add(&v, "user", sv->user);
	var_add(&v, "source", sv->source);
	var_add(&v, "target", sv->target);
	var_add(&v, "tmp", sv->tmp);
	var_add(&v, "old", sv->old);
	var_add(&v, "table", sv->table);
	var_add(&v, "from", sv->from);
	var_add(&v, "to", sv->to);
	var_add(&v, "slot", sv->slot);
	var_add(&v, "plugin", sv->plugin);
	var_add(&v, "id", sv->id);
	var_add(&v, "pairs", sv->pairs);
	var_add(&v, "columns", sv->columns);
	var_add(&v, "wait", sv->wait);
	var_add(&v, "wait_ms", sv->wait_ms);
	strbuf_reset(out);
	tmpl = engine_get(e, key, engine_find_version(e, version));
	return (tmpl == NULL ? 0 : expand(tmpl, &v, out, err));
}

/*
 * The client words of the exec fallback (key: E_SNAP_EXEC, the unit to
 * follow, or E_SNAP_EXEC_STDIN, the unit on stdin): {port} is
 * the server's port in the container, {tab} a tab (psql's -F), {session}
 * the engine's session unit (one word), and {password} is never
 * expanded.
 */
int
render_snapshot_exec(const struct engine *e, enum engine_key key,
    const char *user, const char *database, const char *session,
    struct strvec *argv, char **err)
{
	struct vars	v;

	memset(&v, 0, sizeof v);
	var_add(&v, "session", session);
	var_add(&v, "user", user);
	var_add(&v, "database", database);
	var_add(&v, "password", "");
	var_add(&v, "port", e->set[E_PORT].value);
	var_add(&v, "tab", "\t");
	return (push_words(argv, e->set[key].value, &v, err));
}

/* The health command words for a database described by its labels. */
int
render_health_argv(const struct engine *e, const char *version,
    const char *user, const char *database, struct strvec *argv)
{
	return (render_engine_argv(e, E_HEALTH, version, user, database,
	    argv));
}

/*
 * The client environment for a database (completed: its host is where
 * a client connects), as "NAME=value" words from the engine's [client]
 * env: what "dbarena env" exports. {option_dir} is where the engine's
 * option file was written, for an engine that has one (NULL: none).
 */
int
render_client_env(const struct engine *e, const struct database *d,
    const char *option_dir, struct strvec *kv, char **err)
{
	struct vars	v;
	char		portbuf[16];

	memset(&v, 0, sizeof v);
	snprintf(portbuf, sizeof portbuf, "%d", d->host_port);
	var_add(&v, "host", d->host);
	var_add(&v, "port", portbuf);
	var_add(&v, "user", d->user);
	var_add(&v, "password", d->password);
	var_add(&v, "database", d->database);
	if (option_dir != NULL)
		var_add(&v, "option_dir", option_dir);
	return (push_words(kv, e->set[E_ENV].value, &v, err));
}

/*
 * A value for an option file, to stand between double quotes: the
 * escapes MySQL's and MariaDB's option-file reader undoes (a backslash,
 * a quote, and the control characters a line cannot hold).
 */
static void
add_option_quoted(struct strbuf *sb, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\\':
		case '"':
			strbuf_addch(sb, '\\');
			strbuf_addch(sb, *s);
			break;
		case '\t':
			strbuf_adds(sb, "\\t");
			break;
		case '\n':
			strbuf_adds(sb, "\\n");
			break;
		case '\r':
			strbuf_adds(sb, "\\r");
			break;
		default:
			strbuf_addch(sb, *s);
		}
	}
}

/*
 * The engine's option file for a database, a line each and a newline at
 * the end, into out; nothing when the engine has no such text. key says
 * which: option_text, for env on this machine (with {host} and {port},
 * where a client connects: the database completed), or exec_option_text,
 * for exec and shell in the container. The clients that read no user or
 * database from their environment read them from here. Every value is
 * escaped as add_option_quoted does, so the template quotes each.
 */
int
render_option_text(const struct engine *e, enum engine_key key,
    const struct database *d, struct strbuf *out, char **err)
{
	struct strbuf	 q[4] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT,
			    STRBUF_INIT };
	struct vars	 v;
	char		 port[16];
	int		 i, rc;

	if (e->set[key].value == NULL)
		return (0);
	add_option_quoted(&q[0], d->user != NULL ? d->user : "");
	add_option_quoted(&q[1], d->password != NULL ? d->password : "");
	add_option_quoted(&q[2], d->database != NULL ? d->database : "");
	memset(&v, 0, sizeof v);
	var_add(&v, "user", q[0].buf);
	var_add(&v, "password", q[1].buf);
	var_add(&v, "database", q[2].buf);
	if (key == E_OPTION_TEXT) {
		add_option_quoted(&q[3], d->host != NULL ? d->host : "");
		var_add(&v, "host", q[3].buf);
		snprintf(port, sizeof port, "%d", d->host_port);
		var_add(&v, "port", port);
	}
	if ((rc = expand(e->set[key].value, &v, out, err)) == 0)
		strbuf_addch(out, '\n');
	for (i = 0; i < 4; i++)
		strbuf_release(&q[i]);
	return (rc);
}

/*
 * The environment the engine's client gets inside the container from
 * exec and shell, as "NAME=value" words from [client] exec_env. There is
 * no {host} or {port}: inside, the client's defaults already reach the
 * server. An engine file without exec_env gets what exec always passed,
 * the password under password_env. {option_dir} is where the option
 * file was put in the container (NULL: the engine has none).
 */
int
render_exec_env(const struct engine *e, const struct database *d,
    const char *option_dir, struct strvec *kv, char **err)
{
	const char	*pwenv = e->set[E_PASSWORD_ENV].value;
	struct vars	 v;

	if (e->set[E_EXEC_ENV].value == NULL) {
		if (pwenv != NULL && *pwenv != '\0')
			strvec_pushf(kv, "%s=%s", pwenv,
			    d->password != NULL ? d->password : "");
		return (0);
	}
	memset(&v, 0, sizeof v);
	var_add(&v, "user", d->user);
	var_add(&v, "password", d->password);
	var_add(&v, "database", d->database);
	if (option_dir != NULL)
		var_add(&v, "option_dir", option_dir);
	return (push_words(kv, e->set[E_EXEC_ENV].value, &v, err));
}

/*
 * The password, user and database reach the server through docker, which
 * keeps a container's environment and labels as JSON (a byte that is not
 * UTF-8 comes out as U+FFFD), and through the images' entrypoints, which
 * read the password as one line (postgres's initdb --pwfile). Of the
 * control characters only a tab survives both; the rest would leave a
 * database that is not the one printed.
 */
static int
check_value(const char *what, const char *v, char **err)
{
	const char	*p;
	size_t		 n;

	for (p = v; *p != '\0'; p += n) {
		if ((n = utf8_len(p)) == 0) {
			*err = xasprintf("the %s is not valid UTF-8 (byte "
			    "0x%02x): docker would store U+FFFD in its place",
			    what, (unsigned char)*p);
			return (-1);
		}
		if ((unsigned char)*p < 0x20 && *p != '\t') {
			*err = xasprintf("the %s holds a control character "
			    "(0x%02x): of those, only a tab reaches the server "
			    "intact", what, (unsigned char)*p);
			return (-1);
		}
	}
	return (0);
}

/* What the engine cannot do for these options, said before anything. */
static const struct engine_version *
render_refuse(const struct engine *e, const struct profile *pr,
    const struct create_opts *o, const char *version, char **err)
{
	const struct engine_version	*ver;
	struct strbuf			 known = STRBUF_INIT;
	size_t				 i;

	if ((ver = engine_find_version(e, version)) == NULL) {
		for (i = 0; i < e->nversions; i++)
			strbuf_addf(&known, "%s%s", i ? ", " : "",
			    e->versions[i].version);
		*err = xasprintf("unknown version '%s' of %s (known: %s)",
		    version, e->name, known.buf);
		strbuf_release(&known);
		return (NULL);
	}
	if (o->user != NULL && e->set[E_USER_VAR].value == NULL) {
		*err = xasprintf("%s has a fixed user (%s): --user cannot change "
		    "it", e->name, pick(e->set[E_USER].value, "none", NULL));
		return (NULL);
	}
	/* A profile's CDC promise is kept or refused, never dropped. */
	if (conf_bool(pr->set[P_CDC].value) && e->set[E_CDC_ON].value == NULL) {
		*err = xasprintf("%s: profile %s asks for CDC, but %s has no "
		    "[flags] cdc_on to turn it on", e->path, pr->name, e->name);
		return (NULL);
	}
	if (o->database != NULL && e->set[E_DATABASE_VAR].value == NULL) {
		*err = xasprintf("%s cannot create a database at start: "
		    "--database is not supported", e->name);
		return (NULL);
	}
	return (ver);
}

/* The plan's database: who, where, which image, how long to wait. */
static int
render_database(const struct engine *e, const struct profile *pr,
    const struct create_opts *o, const struct engine_version *ver,
    struct plan *pl, char **err)
{
	struct database	*d = &pl->db;
	const char	*reg;
	long long	 ms;
	int		 cdc = conf_bool(pr->set[P_CDC].value);

	d->engine = xstrdup(e->name);
	d->profile = xstrdup(pr->name);
	d->name = xstrdup(o->name);
	/* docker's words for a container not started yet */
	d->state = xstrdup("created");
	d->health = xstrdup("");
	d->created = xstrdup(pick(o->created, "", NULL));
	d->expires = xstrdup(pick(o->expires, "", NULL));
	d->host_ip = xstrdup(o->bind != NULL ? o->bind : DEFAULT_BIND);
	d->host_port = o->port;
	d->port = atoi(e->set[E_PORT].value);
	d->user = xstrdup(pick(o->user, e->set[E_USER].value, ""));
	d->password = xstrdup(pick(o->password, e->set[E_PASSWORD].value, ""));
	d->database = xstrdup(pick(o->database, e->set[E_DATABASE].value, ""));
	/* The server takes its user, password and database from these. */
	env_override(pr, o, e->set[E_USER_VAR].value, &d->user);
	env_override(pr, o, e->set[E_PASSWORD_VAR].value, &d->password);
	env_override(pr, o, e->set[E_DATABASE_VAR].value, &d->database);
	if (check_value("password", d->password, err) == -1 ||
	    check_value("user", d->user, err) == -1 ||
	    check_value("database", d->database, err) == -1)
		return (-1);
	reg = o->registry != NULL ? o->registry : pr->set[P_REGISTRY].value;
	d->image = o->image != NULL ? xstrdup(o->image) :
	    render_image(e->set[E_IMAGE].value, ver->tag.value, reg);
	if (e->set[E_READY_LOG].value != NULL)
		pl->ready_log = xstrdup(e->set[E_READY_LOG].value);
	pl->probe = xstrdup(pick(e->set[E_PROBE].value, "none", NULL));
	ms = DEFAULT_TIMEOUT_MS;
	if (pr->set[P_TIMEOUT].value != NULL)
		parse_duration_ms(pr->set[P_TIMEOUT].value, &ms);
	pl->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : ms;
	d->cdc = xstrdup(cdc ? "on" : "");
	d->server_id = xstrdup(cdc ? pick(pr->set[P_SERVER_ID].value, "1",
	    NULL) : "");
	d->host = xstrdup(connect_host(d->host_ip));
	d->url = render_url(e->set[E_URL].value, d->host, d->host_port,
	    d->user, d->password, d->database);
	return (0);
}

/*
 * The labels: docker is the only state, and every other command reads
 * the database back from them.
 */
static void
render_labels(const struct engine *e, const struct profile *pr,
    const struct create_opts *o, struct plan *pl, const char *cport,
    const char *hport)
{
	label(pl, DL_MANAGED, "true");
	/*
	 * The same mark on the container: a failed or interrupted create
	 * removes what carries it, never what merely has the name it asked
	 * for, which may be someone else's.
	 */
	if (o->owner != NULL) {
		label(pl, DL_OWNER, o->owner);
		pl->volume.owner = pl->run.label[DL_OWNER];
	}
	label(pl, DL_ENGINE, e->name);
	label(pl, DL_VERSION, pl->db.version);
	label(pl, DL_PROFILE, pr->name);
	label(pl, DL_CREATED, pl->db.created);
	label(pl, DL_USER, pl->db.user);
	label(pl, DL_DATABASE, pl->db.database);
	label(pl, DL_PORT, cport);
	label(pl, DL_BIND, pl->db.host_ip);
	label(pl, DL_HOST_PORT, hport);
	label(pl, DL_STORAGE, pl->db.storage);
	if (e->set[E_PASSWORD_VAR].value != NULL)
		label(pl, DL_PASSWORD_VAR, e->set[E_PASSWORD_VAR].value);
	if (pl->db.volume != NULL)
		label(pl, DL_VOLUME, pl->db.volume);
	if (o->pool_key != NULL)
		label(pl, DL_POOL, o->pool_key);
	/* What run made, and gc may remove once that run is gone. */
	if (o->run != NULL) {
		label(pl, DL_RUN, o->run);
		pl->volume.run = pl->run.label[DL_RUN];
	}
	/* gc and cdc read these back: docker is the only state. */
	if (o->expires != NULL)
		label(pl, DL_EXPIRES, o->expires);
	if (*pl->db.cdc != '\0') {
		label(pl, DL_CDC, pl->db.cdc);
		label(pl, DL_SERVER_ID, pl->db.server_id);
	}
	/* list, inspect, destroy: which network it joined, as its name. */
	if (o->network != NULL)
		label(pl, DL_NETWORK, o->network);
}

/* Where the data lives, and the limits: memory, CPUs, tmpfs size. */
static void
render_storage(const struct engine *e, const struct profile *pr,
    const struct create_opts *o, const struct engine_version *ver,
    struct plan *pl)
{
	const char		*storage, *data, *mem, *cpus, *tmpfs_size;
	char			 sizebuf[32];
	unsigned long long	 bytes = 1024ULL * 1024 * 1024;

	storage = pick(pr->set[P_STORAGE].value, "tmpfs", NULL);
	/* SQL Server, for one, needs O_DIRECT, which tmpfs refuses. */
	if (strcmp(storage, "tmpfs") == 0 &&
	    strcmp(pick(e->set[E_TMPFS].value, "yes", NULL), "no") == 0)
		storage = "container";
	pl->db.storage = xstrdup(storage);
	data = engine_get(e, E_DATA_DIR, ver);
	if (strcmp(storage, "volume") == 0) {
		pl->db.volume = volume_name_for(pl->db.name);
		/* The volume's strings are the plan's own. */
		pl->volume.name = pl->db.volume;
		pl->volume.container = pl->db.name;
		pl->volume.engine = pl->db.engine;
	}
	mem = pick(o->memory, pr->set[P_MEMORY].value, e->set[E_MEMORY].value);
	if (mem != NULL && parse_size(mem, &bytes) == 0) {
		format_size(bytes, sizebuf, sizeof sizebuf);
		pl->run.memory = xstrdup(sizebuf);
	}
	cpus = pick(o->cpus, pr->set[P_CPUS].value, NULL);
	if (cpus != NULL)
		pl->run.cpus = xstrdup(cpus);
	if (strcmp(storage, "tmpfs") == 0) {
		tmpfs_size = pick(pr->set[P_TMPFS_SIZE].value,
		    DEFAULT_TMPFS_SIZE, NULL);
		if (parse_size(tmpfs_size, &bytes) == 0)
			format_size(bytes, sizebuf, sizeof sizebuf);
		pl->run.tmpfs = xstrdup(data);
		pl->run.tmpfs_size = xstrdup(sizebuf);
	} else if (pl->db.volume != NULL) {
		pl->run.volume = xstrdup(pl->db.volume);
		pl->run.volume_path = xstrdup(data);
	}
}

/*
 * The health check, the environment and the server's command line, from
 * the engine's templates.
 */
static int
render_command(const struct engine *e, const struct profile *pr,
    const struct create_opts *o, const struct engine_version *ver,
    struct plan *pl, const char *cport, char **err)
{
	struct vars	v, av;
	size_t		i;
	int		cdc = *pl->db.cdc != '\0';
	int		durable = conf_bool(pr->set[P_DURABILITY].value);

	memset(&v, 0, sizeof v);
	var_add(&v, "user", pl->db.user);
	var_add(&v, "password", pl->db.password);
	var_add(&v, "database", pl->db.database);
	var_add(&v, "name", pl->db.name);
	var_add(&v, "version", pl->db.version);
	var_add(&v, "port", cport);
	var_add(&v, "cdc_slots", pick(pr->set[P_CDC_SLOTS].value, "10", NULL));
	var_add(&v, "cdc_senders", pick(pr->set[P_CDC_SENDERS].value, "10",
	    NULL));
	var_add(&v, "server_id", pick(pr->set[P_SERVER_ID].value, "1", NULL));
	/*
	 * A secret is never in an argument vector: in the words of the
	 * command, the flags and the health check, {password} is empty (a
	 * command that needs it reads it from the environment, as start and
	 * restart's health checks already must). Only the environment, which
	 * docker gets by name, sees it.
	 */
	av = v;
	for (i = 0; i < (size_t)av.n; i++) {
		if (strcmp(av.names[i], "password") == 0)
			av.values[i] = "";
	}
	if (render_health(e, ver, &av, pl, err) == -1 ||
	    render_env(e, pr, o, &v, pl, err) == -1)
		return (-1);
	pl->run.image = xstrdup(pl->db.image);
	if (push_words(&pl->run.command, e->set[E_COMMAND].value, &av, err) ==
	    -1 || push_words(&pl->run.command, durable ?
	    e->set[E_DURABILITY_ON].value : e->set[E_DURABILITY_OFF].value,
	    &av, err) == -1 ||
	    push_words(&pl->run.command, cdc ? e->set[E_CDC_ON].value :
	    e->set[E_CDC_OFF].value, &av, err) == -1 ||
	    push_words(&pl->run.command, pr->set[P_FLAGS].value, &av, err) == -1)
		return (-1);
	return (0);
}

int
render(const struct engine *e, const struct profile *pr,
    const struct create_opts *o, struct plan *pl, char **err)
{
	const struct engine_version	*ver;
	char				 cport[16], hport[16];

	memset(pl, 0, sizeof *pl);
	pl->db.version = xstrdup(o->version != NULL ? o->version :
	    e->set[E_DEFAULT_VERSION].value);
	if ((ver = render_refuse(e, pr, o, pl->db.version, err)) == NULL ||
	    render_database(e, pr, o, ver, pl, err) == -1)
		goto bad;
	snprintf(cport, sizeof cport, "%d", pl->db.port);
	snprintf(hport, sizeof hport, "%d", pl->db.host_port);
	render_storage(e, pr, o, ver, pl);
	pl->run.name = xstrdup(pl->db.name);
	render_labels(e, pr, o, pl, cport, hport);
	pl->run.publish_ip = xstrdup(pl->db.host_ip);
	pl->run.publish_port = pl->db.host_port;
	pl->run.port = pl->db.port;
	pl->db.network = xstrdup(o->network != NULL ? o->network : "");
	if (o->network != NULL)
		pl->run.network = xstrdup(o->network);
	if (render_command(e, pr, o, ver, pl, cport, err) == -1)
		goto bad;
	return (0);
bad:
	plan_free(pl);
	return (-1);
}

void
plan_free(struct plan *pl)
{
	database_free(&pl->db);
	free(pl->ready_log);
	free(pl->probe);
	run_spec_free(&pl->run);
	strvec_clear(&pl->secret_env);
	strvec_clear(&pl->health_argv);
	memset(pl, 0, sizeof *pl);
}
