/*
 * Talking to docker through its CLI, never its socket, so that contexts,
 * DOCKER_HOST, and podman all work. dbarena asks docker for exactly the
 * fields it needs with --format templates that print one record per line,
 * each field a JSON value ({{json}}) and the fields separated by tabs, and
 * parses them here and nowhere else. Docker's error messages are
 * classified here too, with PCRE2 patterns, so callers can act on "the
 * name is taken" rather than on strings.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "util.h"
#include "docker.h"
#include "sha256.h"
#include "sig.h"
#include "tar.h"

static const char	*docker_program = "docker";
static int		 podman_fallback;	/* podman: no docker on PATH */
static const char	*docker_context;
static int		 where_known, where_remote, offline;
static long long	 timeout_override;	/* DBARENA_DOCKER_TIMEOUT */
static int		 uncancellable;		/* cleanup must finish */
static int		 exec_errno;		/* why the program did not run */

#define RETRIES		3
#define BACKOFF_MS	100

/*
 * Every value a template prints goes through Go's json function: it
 * escapes tabs, newlines and every other control character, so no value
 * (a label anyone can set, a password) can split a record or forge
 * another, and docker has already made any byte that is not UTF-8 into
 * U+FFFD. Records are these values separated by tabs; the decoder below
 * ("Decoding") takes back exactly what Go prints.
 *
 * The record printed by docker inspect for each container, made (like
 * every record) from a table of its fields below. Labels carry what dbarena
 * needs to describe a database again later: docker is the only state.
 * State.Health is absent before a container first starts (nil in docker,
 * an empty struct in podman): "with" prints "" for it. The first port
 * binding ("the one we made") and the password's "NAME=value" are picked
 * into template variables, so each is printed once, as one value. The
 * template is evaluated against docker's typed structs (falling back to
 * the JSON map only if that fails) and against podman's, whose field
 * names differ from the JSON keys: ID and HostIP, not Id and HostIp, are
 * the spellings both have.
 */
static const char *const label_names[] = {
	[DL_MANAGED] = "managed",
	[DL_OWNER] = "owner",
	[DL_ENGINE] = "engine",
	[DL_VERSION] = "version",
	[DL_PROFILE] = "profile",
	[DL_CREATED] = "created",
	[DL_USER] = "user",
	[DL_DATABASE] = "database",
	[DL_PORT] = "port",
	[DL_BIND] = "bind",
	[DL_HOST_PORT] = "host-port",
	[DL_STORAGE] = "storage",
	[DL_PASSWORD_VAR] = "password-var",
	[DL_VOLUME] = "volume",
	[DL_POOL] = "pool",
	[DL_EXPIRES] = "expires",
	[DL_CDC] = "cdc",
	[DL_SERVER_ID] = "server-id",
	[DL_CONTAINER] = "container",
	[DL_SEEDED] = "seeded",
	[DL_NETWORK] = "network",
	[DL_RUN] = "run",
};

const char *
docker_label(enum docker_label l)
{
	return (label_names[l]);
}

/*
 * One field of a record: its template, where "@" stands for the full
 * name of its label (dbarena.engine); a label's field may leave the
 * template to its record's way of reading labels. off is the string of
 * struct database it fills as it is, NONE where the parser does more.
 */
struct field {
	const char	*tmpl;
	int		 label;		/* enum docker_label, or -1 */
	size_t		 off;
};
#define NONE		((size_t)-1)
#define OFF(m)		offsetof(struct database, m)
#define LABELLED(l, m)	{ NULL, l, OFF(m) }
/* What both container records read from labels, in this order. */
#define DESCRIBED \
	LABELLED(DL_ENGINE, engine), LABELLED(DL_VERSION, version), \
	LABELLED(DL_PROFILE, profile), LABELLED(DL_CREATED, created), \
	LABELLED(DL_USER, user), LABELLED(DL_DATABASE, database), \
	LABELLED(DL_STORAGE, storage), LABELLED(DL_VOLUME, volume), \
	{ NULL, DL_PORT, NONE }

enum {
	I_ID, I_NAME, I_STATE, I_HEALTH, I_STARTED, I_ENGINE, I_VERSION,
	I_PROFILE, I_CREATED, I_USER, I_DATABASE, I_STORAGE, I_VOLUME,
	I_PORT, I_EXPIRES, I_CDC, I_SERVER_ID, I_BINDING, I_PASSWORD,
	I_NETWORK, I_COUNT
};
static const struct field inspect_fields[I_COUNT] = {
	[I_ID] = { "{{json .ID}}", -1, OFF(id) },
	[I_NAME] = { "{{json .Name}}", -1, NONE },	/* "/name" */
	[I_STATE] = { "{{json .State.Status}}", -1, OFF(state) },
	[I_HEALTH] = { "{{with .State.Health}}{{json .Status}}"
	    "{{else}}\"\"{{end}}", -1, OFF(health) },
	[I_STARTED] = { "{{json .State.StartedAt}}", -1, NONE },	/* utc_time */
	[I_ENGINE] = DESCRIBED,		/* up to I_PORT */
	[I_EXPIRES] = LABELLED(DL_EXPIRES, expires),
	[I_CDC] = LABELLED(DL_CDC, cdc),
	[I_SERVER_ID] = LABELLED(DL_SERVER_ID, server_id),
	[I_BINDING] = { "{{$hb := \"\"}}{{range $p, $b := "
	    ".HostConfig.PortBindings}}{{range $b}}{{if not $hb}}"
	    "{{$hb = printf \"%s:%s\" .HostIP .HostPort}}{{end}}{{end}}"
	    "{{end}}{{json $hb}}", -1, NONE },
	[I_PASSWORD] = { "{{$pv := index .Config.Labels \"@\"}}"
	    "{{$pw := \"\"}}{{range .Config.Env}}"
	    "{{if eq (index (split . \"=\") 0) $pv}}{{$pw = .}}{{end}}{{end}}"
	    "{{json $pw}}", DL_PASSWORD_VAR, NONE },
	[I_NETWORK] = LABELLED(DL_NETWORK, network),
};

/*
 * What list and name resolution need, from one "docker ps": a single API
 * request however many containers there are (inspect makes one request
 * per container). Everything but the state comes from labels; the health
 * is in docker's status text, "Up 5 minutes (healthy)".
 *
 * One template serves docker and podman. Docker's .Labels is a string
 * and its labels are read with .Label; podman's is a map with no .Label
 * method, read with index, and its .State is the status text, its raw
 * state being .ListContainer.State. A branch not taken is never
 * evaluated, so each engine only meets the fields it has; the test is
 * the type of .Labels, which costs no extra call.
 */
#define PODMAN_IF "{{if ne (printf \"%T\" .Labels) \"string\"}}"
enum {
	P_ID, P_NAME, P_STATE, P_STATUS, P_ENGINE, P_VERSION, P_PROFILE,
	P_CREATED, P_USER, P_DATABASE, P_STORAGE, P_VOLUME, P_PORT,
	P_HOST_PORT, P_BIND, P_EXPIRES, P_NETWORK, P_RUN, P_COUNT
};
static const struct field ps_fields[P_COUNT] = {
	[P_ID] = { "{{json .ID}}", -1, OFF(id) },
	[P_NAME] = { "{{json .Names}}", -1, OFF(name) },
	[P_STATE] = { PODMAN_IF "{{json .ListContainer.State}}"
	    "{{else}}{{json .State}}{{end}}", -1, OFF(state) },
	[P_STATUS] = { "{{json .Status}}", -1, NONE },
	[P_ENGINE] = DESCRIBED,		/* up to P_PORT */
	[P_HOST_PORT] = { NULL, DL_HOST_PORT, NONE },
	[P_BIND] = LABELLED(DL_BIND, host_ip),
	[P_EXPIRES] = LABELLED(DL_EXPIRES, expires),
	[P_NETWORK] = LABELLED(DL_NETWORK, network),
	[P_RUN] = LABELLED(DL_RUN, run),
};

_Static_assert(I_PORT - I_ENGINE == P_PORT - P_ENGINE,
    "DESCRIBED fills I_ENGINE to I_PORT and P_ENGINE to P_PORT");

/* Volumes: name, the container it was made for, engine; labels as ps. */
enum { V_NAME, V_CONTAINER, V_ENGINE, V_COUNT };
static const struct field volume_fields[V_COUNT] = {
	[V_NAME] = { "{{json .Name}}", -1, NONE },
	[V_CONTAINER] = { NULL, DL_CONTAINER, NONE },
	[V_ENGINE] = { NULL, DL_ENGINE, NONE },
};

/*
 * Local images: "image ls" gives one record per reference in one request;
 * "image inspect" of their IDs then the exact size and the label images
 * build sets. Labels may be null on an image: hence the with. .ID, not
 * .Id: podman's image inspect has only the former (and its IDs lack
 * docker's "sha256:"), docker's typed struct has both.
 */
enum { M_ID, M_REPOSITORY, M_TAG, M_DIGEST, M_COUNT };
static const struct field image_fields[M_COUNT] = {
	[M_ID] = { "{{json .ID}}", -1, NONE },
	[M_REPOSITORY] = { "{{json .Repository}}", -1, NONE },
	[M_TAG] = { "{{json .Tag}}", -1, NONE },
	[M_DIGEST] = { "{{json .Digest}}", -1, NONE },
};
enum { D_ID, D_SIZE, D_SEEDED, D_COUNT };
static const struct field image_details_fields[D_COUNT] = {
	[D_ID] = { "{{json .ID}}", -1, NONE },
	[D_SIZE] = { "{{json .Size}}", -1, NONE },
	[D_SEEDED] = { "{{with .Config.Labels}}{{json (index . \"@\")}}"
	    "{{else}}\"\"{{end}}", DL_SEEDED, NONE },
};

/*
 * A network: its name, driver, and the two labels that make it one
 * dbarena made (managed, and its own name under dbarena.network: a
 * network merely joined carries neither). Labels is a map in docker and
 * podman alike; index gives "" for a label that is not there.
 */
enum { N_NAME, N_DRIVER, N_MANAGED, N_MARK, N_ID, N_COUNT };
static const struct field network_fields[N_COUNT] = {
	[N_NAME] = { "{{json .Name}}", -1, NONE },
	[N_DRIVER] = { "{{json .Driver}}", -1, NONE },
	[N_MANAGED] = { NULL, DL_MANAGED, NONE },
	[N_MARK] = { NULL, DL_NETWORK, NONE },
	[N_ID] = { "{{json .ID}}", -1, NONE },
};

/* Each record: its fields, and how it reads a label left to it. */
static const struct {
	const struct field	*f;
	size_t			 n;
	const char		*label;
} records[] = {
	[DR_INSPECT] = { inspect_fields, I_COUNT,
	    "{{json (index .Config.Labels \"@\")}}" },
	[DR_PS] = { ps_fields, P_COUNT, PODMAN_IF
	    "{{json (index .Labels \"@\")}}{{else}}{{json (.Label \"@\")}}"
	    "{{end}}" },
	[DR_VOLUME] = { volume_fields, V_COUNT, PODMAN_IF
	    "{{json (index .Labels \"@\")}}{{else}}{{json (.Label \"@\")}}"
	    "{{end}}" },
	[DR_IMAGE] = { image_fields, M_COUNT, NULL },
	[DR_IMAGE_DETAILS] = { image_details_fields, D_COUNT, NULL },
	[DR_NETWORK] = { network_fields, N_COUNT,
	    "{{with .Labels}}{{json (index . \"@\")}}{{else}}\"\"{{end}}" },
};

/* The --format template of a record: its fields' templates, tab-separated. */
void
docker_record_format(enum docker_record r, struct strbuf *sb)
{
	const struct field	*f;
	const char		*t;
	size_t			 i;

	for (i = 0; i < records[r].n; i++) {
		f = &records[r].f[i];
		if (i > 0)
			strbuf_addch(sb, '\t');
		for (t = f->tmpl != NULL ? f->tmpl : records[r].label; *t != '\0';
		    t++) {
			if (*t == '@')
				strbuf_addf(sb, "dbarena.%s",
				    label_names[f->label]);
			else
				strbuf_addch(sb, *t);
		}
	}
}

/* Push "--format TEMPLATE" for a record. */
static void
push_format(struct strvec *args, enum docker_record r)
{
	struct strbuf	sb = STRBUF_INIT;

	docker_record_format(r, &sb);
	strvec_push(args, "--format");
	strvec_push(args, sb.buf);
	strbuf_release(&sb);
}

/* "--label dbarena.NAME=VALUE". */
static void
push_label(struct strvec *args, enum docker_label l, const char *value)
{
	strvec_push(args, "--label");
	strvec_pushf(args, "dbarena.%s=%s", label_names[l], value);
}

/* "FLAG VALUE", when there is a value. */
static void
push_flag(struct strvec *args, const char *flag, const char *value)
{
	if (value == NULL)
		return;
	strvec_push(args, flag);
	strvec_push(args, value);
}

/* "--filter label=dbarena.NAME[=VALUE]": what carries the label. */
static void
push_filter(struct strvec *args, enum docker_label l, const char *value)
{
	strvec_push(args, "--filter");
	strvec_pushf(args, "label=dbarena.%s%s%s", label_names[l],
	    value != NULL ? "=" : "", value != NULL ? value : "");
}

/* The strings of struct database a record fills as they are. */
static void
fill_fields(struct database *d, enum docker_record r, const struct strvec *v)
{
	const struct field	*f = records[r].f;
	size_t			 i;

	for (i = 0; i < records[r].n; i++) {
		if (f[i].off != NONE)
			*(char **)(void *)((char *)d + f[i].off) =
			    xstrdup(v->v[i]);
	}
}

/* Every string of struct database a record does not give is "". */
static void
fill_empty(struct database *d)
{
	static const size_t	 strings[] = { OFF(id), OFF(name), OFF(state),
	    OFF(health), OFF(started), OFF(engine), OFF(version),
	    OFF(profile), OFF(created), OFF(user), OFF(database),
	    OFF(storage), OFF(volume), OFF(password), OFF(uptime),
	    OFF(expires), OFF(cdc), OFF(server_id), OFF(host_ip),
	    OFF(network), OFF(run) };
	char			**s;
	size_t			  i;

	for (i = 0; i < sizeof strings / sizeof strings[0]; i++) {
		s = (char **)(void *)((char *)d + strings[i]);
		if (*s == NULL)
			*s = xstrdup("");
	}
}

static const struct {
	enum docker_error	 err;
	const char		*pattern;
} classes[] = {
	{ DERR_PERMISSION, "permission denied while trying to connect|"
	    "Got permission denied" },
	/*
	 * The request reached the daemon and the answer was cut off: it may
	 * have acted. Not "cannot connect", which would send the user to
	 * look for a daemon that is running.
	 */
	{ DERR_BROKEN, "error during connect: .*: EOF$|"
	    "error during connect: .*: EOF\\s|connection reset by peer" },
	/* What only the engine can check: its CPU count, its minimums. */
	{ DERR_REFUSED, "Range of CPUs is from|"
	    "Minimum memory limit allowed is|Minimum memoryswap limit|"
	    "cannot be less than .* memory limit" },
	/*
	 * docker's ssh helper, before "error during connect" says daemon:
	 * "command [ssh ... dial-stdio] has exited with exit status 255,
	 * ...: stderr=ssh's own words".
	 */
	{ DERR_SSH, "command \\[ssh .*\\] has exited" },
	{ DERR_DAEMON, "Cannot connect to the Docker daemon|"
	    "error during connect|Is the docker daemon running|"
	    "Cannot connect to Podman|unable to connect to Podman" },
	{ DERR_NAME_IN_USE, "is already in use by container|"
	    "container name .* is already in use|name is already in use|"
	    "name \\S+ already in use, cannot rename" },
	{ DERR_PORT_IN_USE, "port is already allocated|"
	    "address already in use|Bind for .* failed" },
	{ DERR_IMAGE, "pull access denied|manifest unknown|"
	    "manifest for .* not found|not found: manifest|"
	    "repository does not exist|No such image|name unknown|"
	    "failed to resolve reference|invalid reference format|"
	    "image not known|Trying to pull .* not found" },
	{ DERR_REGISTRY, "dial tcp|no such host|i/o timeout|"
	    "TLS handshake timeout|server gave HTTP response to HTTPS" },
	{ DERR_IN_USE, "volume is in use|volume is being used|"
	    "image is being used|is using its referenced image|image is in use|"
	    "has active endpoints|network is being used" },
	/* Someone else's removal in progress: it is gone, for our purposes. */
	{ DERR_NO_SUCH, "No such container|No such object|No such volume|"
	    "No such network|unable to find network|network \\S+ not found|"
	    "no such container|no such volume|no container with name|"
	    "removal of container .* is already in progress" },
};

/*
 * No program named: docker if it is on PATH, else podman if that is, so
 * that either one of the Debian package's "Recommends: docker.io |
 * podman" works by itself. With neither, "docker", whose "command not
 * found" is the message people expect.
 */
static void
choose_program(void)
{
	char	*docker, *podman = NULL;

	docker_program = "docker";
	podman_fallback = 0;
	if ((docker = path_search("docker")) == NULL &&
	    (podman = path_search("podman")) != NULL) {
		docker_program = "podman";
		podman_fallback = 1;
	}
	free(docker);
	free(podman);
}

/* Whether podman was chosen because there is no docker, for doctor. */
int
docker_program_fallback(void)
{
	return (podman_fallback);
}

void
docker_init(const char *program, const char *context)
{
	const char	*t;
	long long	 ms;

	if (program != NULL && *program != '\0') {
		docker_program = program;
		podman_fallback = 0;
	} else
		choose_program();
	docker_context = context;
	where_known = 0;	/* where the engine is: asked again */
	if ((t = getenv("DBARENA_DOCKER_TIMEOUT")) != NULL &&
	    parse_duration_ms(t, &ms) == 0 && ms > 0)
		timeout_override = ms;
}

/* A call's timeout, or DBARENA_DOCKER_TIMEOUT where that is shorter. */
long long
docker_timeout(long long ms)
{
	if (timeout_override > 0 && timeout_override < ms)
		return (timeout_override);
	return (ms);
}

/*
 * A dry run asks docker nothing, not even where a context points: a named
 * context then counts as remote, the cautious guess.
 */
void
docker_set_offline(int on)
{
	offline = on;
}

/* Cleanup after an interrupt must run to the end: no cancelling it. */
void
docker_set_cancellable(int on)
{
	uncancellable = !on;
}

static int
cancel_check(void)
{
	return (!uncancellable && interrupted());
}

static int	docker_call(const struct strvec *, const struct strvec *,
		    struct strbuf *, long long, struct docker_result *);

void
docker_result_reset(struct docker_result *res)
{
	res->err = DERR_NONE;
	strbuf_reset(&res->msg);
	strvec_clear(&res->odd);
	res->odd_what = NULL;
}

void
docker_result_release(struct docker_result *res)
{
	strbuf_release(&res->msg);
	strvec_clear(&res->odd);
	res->err = DERR_NONE;
	res->odd_what = NULL;
}

/*
 * Whether a failure is worth another try. Not reaching the daemon at all
 * is, for any call: nothing happened. An EOF or a 5xx mid-request may
 * have done the work, so only calls that are safe to repeat are retried
 * then - never run or rename.
 */
static int
transient(enum docker_error e, const char *err, const struct strvec *args)
{
	static const char *const safe[] = {
		"ps", "inspect", "container", "image", "volume", "logs",
		"pull", "start", "stop", "version", "info", NULL
	};
	const char	*verb = args->n > 0 ? args->v[0] : "";
	size_t		 i;

	if ((e == DERR_DAEMON && (strstr(err, "Cannot connect") != NULL ||
	    strstr(err, "connection refused") != NULL ||
	    strstr(err, "no such file or directory") != NULL)) ||
	    strstr(err, "TLS handshake timeout") != NULL)
		return (1);
	/*
	 * "error during connect: ...: EOF" may have done the work; exec is
	 * not on the list, as the command (a replication slot, an init
	 * script) may have half run.
	 */
	if (strstr(err, "EOF") == NULL && strstr(err, "500 Internal") == NULL &&
	    strstr(err, "502 Bad Gateway") == NULL &&
	    strstr(err, "503 Service Unavailable") == NULL &&
	    strstr(err, "connection reset by peer") == NULL)
		return (0);
	for (i = 0; safe[i] != NULL; i++) {
		if (strcmp(verb, safe[i]) == 0)
			return (1);
	}
	return (0);
}

void
docker_argv(struct strvec *argv)
{
	strvec_push(argv, docker_program);
	if (docker_context != NULL) {
		strvec_push(argv, "--context");
		strvec_push(argv, docker_context);
	}
}

/*
 * Where the engine is. Published ports are on this machine only when the
 * engine is: a tcp:// or ssh:// endpoint may be another host, and then
 * readiness is checked inside the container and connection info names
 * that host. The endpoint is DOCKER_HOST, or the context's: --context,
 * DOCKER_CONTEXT, or the one "docker context use" wrote to config.json.
 * A context's endpoint is read where the docker CLI keeps it; only when
 * that fails (podman, a layout we do not know) does it cost a docker
 * call ("context inspect", no daemon), once.
 */
static char	 where_host[256];
static char	 where_endpoint[512];
static void	 endpoint_host(const char *, char *, size_t);
static const char *json_string(const char *, struct strbuf *);

/* The endpoint, whole, for what must reach it as docker does (ssh). */
static void
endpoint_set(const char *ep)
{
	snprintf(where_endpoint, sizeof where_endpoint, "%s", ep);
	endpoint_host(ep, where_host, sizeof where_host);
}

/* The host of a tcp://[user@]host:port or ssh://... endpoint. */
static void
endpoint_host(const char *ep, char *host, size_t len)
{
	const char	*p, *end;

	*host = '\0';
	if ((p = strstr(ep, "://")) == NULL)
		return;
	p += 3;
	if ((end = strchr(p, '@')) != NULL)
		p = end + 1;
	if (*p == '[') {			/* [IPv6]:port */
		p++;
		end = p + strcspn(p, "]");
	} else
		end = p + strcspn(p, ":/");
	if (end != p && (size_t)(end - p) < len) {
		memcpy(host, p, end - p);
		host[end - p] = '\0';
	}
}

/* A small file's text, or NULL. */
static char *
slurp(const char *path, size_t max)
{
	FILE	*f;
	char	*buf;
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL)
		return (NULL);
	buf = xmalloc(max + 1);
	n = fread(buf, 1, max, f);
	buf[n] = '\0';
	fclose(f);
	return (buf);
}

/* The context "docker context use" chose, from the CLI's config.json. */
static char *
config_context(void)
{
	const char	*dir = getenv("DOCKER_CONFIG"), *home;
	char		*path, *json, *p, *end, *ctx = NULL;

	if (dir != NULL && *dir != '\0')
		path = xasprintf("%s/config.json", dir);
	else if ((home = getenv("HOME")) != NULL)
		path = xasprintf("%s/.docker/config.json", home);
	else
		return (NULL);
	json = slurp(path, 1 << 20);
	free(path);
	if (json != NULL && (p = strstr(json, "\"currentContext\"")) != NULL &&
	    (p = strchr(p + 16, ':')) != NULL &&
	    (p = strchr(p, '"')) != NULL && (end = strchr(++p, '"')) != NULL)
		ctx = xstrndup(p, end - p);
	free(json);
	return (ctx);
}

/*
 * A context's docker endpoint as the docker CLI itself reads it, with no
 * call: DOCKER_CONFIG/contexts/meta/SHA256(NAME)/meta.json, its
 * Endpoints.docker.Host. 0, or -1 (no such file or field: ask docker).
 */
static int
context_meta_host(const char *ctx, struct strbuf *host)
{
	const char	*dir = getenv("DOCKER_CONFIG"), *home;
	const char	*keys[] = { "\"Endpoints\"", "\"docker\"", "\"Host\"" };
	char		 sum[SHA256_HEX_LEN], *path, *json, *p;
	size_t		 i;
	int		 rc = -1;

	sha256_hex(ctx, strlen(ctx), sum);
	if (dir != NULL && *dir != '\0')
		path = xasprintf("%s/contexts/meta/%s/meta.json", dir, sum);
	else if ((home = getenv("HOME")) != NULL)
		path = xasprintf("%s/.docker/contexts/meta/%s/meta.json", home,
		    sum);
	else
		return (-1);
	json = slurp(path, 1 << 20);
	free(path);
	p = json;
	for (i = 0; p != NULL && i < sizeof keys / sizeof keys[0]; i++) {
		if ((p = strstr(p, keys[i])) != NULL)
			p += strlen(keys[i]);
	}
	if (p != NULL) {
		p += strspn(p, " \t\r\n");
		p = *p == ':' ? p + 1 + strspn(p + 1, " \t\r\n") : NULL;
	}
	if (p != NULL && *p == '"' && json_string(p, host) != NULL)
		rc = host->len > 0 ? 0 : -1;
	free(json);
	return (rc);
}

static int
program_is_podman(void)
{
	const char	*base = strrchr(docker_program, '/');

	return (strstr(base != NULL ? base + 1 : docker_program, "podman") !=
	    NULL);
}

/* A context's endpoint: remote unless a local socket or pipe. */
static void
where_remote_set(const char *host)
{
	where_remote = strncmp(host, "unix://", 7) != 0 &&
	    strncmp(host, "npipe://", 8) != 0;
	if (where_remote)
		endpoint_set(host);
}

static void
where_resolve(void)
{
	struct strvec		 args = STRVEC_INIT;
	struct strbuf		 out = STRBUF_INIT, host = STRBUF_INIT;
	struct docker_result	 res = DOCKER_RESULT_INIT;
	const char		*h = getenv("DOCKER_HOST");
	char			*ctx = NULL;

	if (where_known)
		return;
	where_known = 1;
	where_remote = 0;
	*where_host = *where_endpoint = '\0';
	if (docker_context == NULL && h != NULL && *h != '\0') {
		where_remote = strncmp(h, "unix://", 7) != 0;
		endpoint_set(h);
		return;
	}
	if (docker_context != NULL)
		ctx = xstrdup(docker_context);
	else if ((h = getenv("DOCKER_CONTEXT")) != NULL && *h != '\0')
		ctx = xstrdup(h);
	else if (!program_is_podman())
		ctx = config_context();	/* podman does not read it */
	if (ctx == NULL || *ctx == '\0' || strcmp(ctx, "default") == 0) {
		free(ctx);
		return;
	}
	/* Unknown (no such context, podman): assume remote. */
	where_remote = 1;
	if (offline) {
		free(ctx);
		return;
	}
	if (!program_is_podman() && context_meta_host(ctx, &host) == 0)
		where_remote_set(host.buf);
	else {
		strvec_push(&args, "context");
		strvec_push(&args, "inspect");
		strvec_push(&args, "--format");
		strvec_push(&args, "{{json .Endpoints.docker.Host}}");
		strvec_push(&args, ctx);
		if (docker_call(&args, NULL, &out, DOCKER_TIMEOUT_MS,
		    &res) == 0) {
			strbuf_rtrim(&out);
			if (docker_decode_value(out.buf, &host) == 0)
				where_remote_set(host.buf);
		}
	}
	strvec_clear(&args);
	strbuf_release(&out);
	strbuf_release(&host);
	docker_result_release(&res);
	free(ctx);
}

int
docker_is_remote(void)
{
	where_resolve();
	return (where_remote);
}

/* The host a remote engine's published ports are on, if its endpoint says. */
const char *
docker_remote_host(void)
{
	where_resolve();
	return (where_remote && *where_host != '\0' ? where_host : NULL);
}

/* A remote engine's endpoint as docker has it (ssh://devbox), or NULL. */
const char *
docker_endpoint(void)
{
	where_resolve();
	return (where_remote && *where_endpoint != '\0' ? where_endpoint :
	    NULL);
}

/*
 * A failed "docker exec" is the command's own failure (DERR_OTHER), its
 * words whatever they happen to contain, unless docker itself failed:
 * no program, exit 125 (docker's and podman's own error), or docker's
 * lead-in on the first line.
 */
enum docker_error
docker_classify_exec(int rc, const char *err)
{
	static const char *const	 docker_says[] = {
		"Error response from daemon", "Cannot connect to the Docker",
		"error during connect", "Error: ", NULL
	};
	size_t				 i;

	if (rc == 0)
		return (DERR_NONE);
	if (rc == -1 || rc == 125)
		return (docker_classify(rc, err));
	for (i = 0; docker_says[i] != NULL; i++) {
		if (strncmp(err, docker_says[i], strlen(docker_says[i])) == 0)
			return (docker_classify(rc, err));
	}
	return (DERR_OTHER);
}

enum docker_error
docker_classify(int rc, const char *err)
{
	pcre2_code		*re;
	pcre2_match_data	*md;
	size_t			 i;
	int			 ecode, m;
	PCRE2_SIZE		 eoff;

	if (rc == -1) {
		exec_errno = errno;
		return (errno == ENOENT ? DERR_MISSING : DERR_EXEC);
	}
	if (rc == 0)
		return (DERR_NONE);
	/*
	 * Where the spawn cannot report a failed exec (valgrind, some
	 * libcs) the child exits 127, the shell's "command not found";
	 * docker's own 127 (a container command not found) says so.
	 */
	if (rc == 127 && strspn(err, " \t\r\n") == strlen(err))
		return (DERR_MISSING);
	for (i = 0; i < sizeof classes / sizeof classes[0]; i++) {
		re = pcre2_compile((PCRE2_SPTR)classes[i].pattern,
		    PCRE2_ZERO_TERMINATED, PCRE2_CASELESS | PCRE2_MULTILINE,
		    &ecode, &eoff, NULL);
		if (re == NULL)
			continue;
		md = pcre2_match_data_create_from_pattern(re, NULL);
		m = pcre2_match(re, (PCRE2_SPTR)err, strlen(err), 0, 0, md,
		    NULL);
		pcre2_match_data_free(md);
		pcre2_code_free(re);
		if (m >= 0)
			return (classes[i].err);
	}
	return (DERR_OTHER);
}

/*
 * Run one docker command, retrying transient failures up to RETRIES
 * times with exponential backoff and jitter. Every call has a timeout;
 * a hung CLI is killed and reported as DERR_TIMEOUT. Docker's stderr
 * goes to res->msg. Returns 0, or -1 with res->err.
 */
static int
docker_call_input(const struct strvec *args, const struct strvec *env,
    const struct strbuf *in, struct strbuf *out, long long timeout_ms,
    struct docker_result *res)
{
	struct child		 c = CHILD_INIT;
	struct strbuf		*err = &res->msg;
	enum docker_error	*derr = &res->err;
	long			 delay;
	int			 rc, attempt;

	timeout_ms = docker_timeout(timeout_ms);
	for (attempt = 0;; attempt++) {
		docker_argv(&c.argv);
		strvec_pushvec(&c.argv, args);
		if (env != NULL)
			strvec_pushvec(&c.env, env);
		c.timeout_ms = timeout_ms;
		c.cancel = cancel_check;
		if (in != NULL) {
			c.in = CHILD_DATA;
			c.in_data = in->buf;
			c.in_len = in->len;
		}
		if (out != NULL)
			strbuf_reset(out);
		strbuf_reset(err);
		rc = child_capture(&c, out, err);
		if (c.timed_out)
			*derr = DERR_TIMEOUT;
		else if (args->n > 0 && strcmp(args->v[0], "exec") == 0)
			*derr = docker_classify_exec(rc, err->buf);
		else
			*derr = docker_classify(rc, err->buf);
		child_clear(&c);
		c = (struct child)CHILD_INIT;
		if (rc == 0 || attempt == RETRIES || cancel_check() ||
		    !transient(*derr, err->buf, args))
			break;
		delay = BACKOFF_MS << attempt;
		delay += random() % delay;	/* jitter: racers spread out */
		sleep_ms(delay);
	}
	return (rc == 0 ? 0 : -1);
}

/* The same with nothing on stdin: every call but a cp. */
static int
docker_call(const struct strvec *args, const struct strvec *env,
    struct strbuf *out, long long timeout_ms, struct docker_result *res)
{
	return (docker_call_input(args, env, NULL, out, timeout_ms, res));
}

/* Docker's own words, minus its "Error response from daemon:". */
static int
memmem_str(const char *s, size_t len, const char *needle)
{
	return (memmem(s, len, needle, strlen(needle)) != NULL);
}

void
docker_error_line(const char *detail, struct strbuf *sb)
{
	const char	*p, *line;
	size_t		 len;

	if ((p = strstr(detail, "Error response from daemon: ")) != NULL)
		detail = p + 28;
	/* docker's ssh helper failed: what ssh said is what matters. */
	else if (strstr(detail, "] has exited with") != NULL &&
	    (p = strstr(detail, "stderr=")) != NULL && p[7] != '\n' &&
	    p[7] != '\0')
		detail = p + 7;
	/*
	 * Podman without systemd logs that it cannot manage health-check
	 * timers before the error that matters: skip such lines.
	 */
	for (line = detail; *line != '\0'; line += len + (line[len] != '\0')) {
		len = strcspn(line, "\n");
		if (len > 0 && !memmem_str(line, len, "systemd"))
			break;
	}
	if (*line == '\0')
		line = detail;
	strbuf_add(sb, line, strcspn(line, "\n"));
	strbuf_rtrim(sb);
}

/*
 * What docker_report (docker-report.c, above the adapter) needs to know:
 * whether the call was cut short by an interrupt, and why the program
 * did not run.
 */
int
docker_cancelled(void)
{
	return (cancel_check());
}

int
docker_exec_errno(void)
{
	return (exec_errno);
}

/*
 * Decoding. Go's json function prints a string with every control
 * character, quote and backslash escaped (perhaps <, > and & too, as
 * \u003c...), valid UTF-8 otherwise; a number; true, false or null. The
 * decoder takes that and nothing else: a raw control character, a bad
 * escape, a lone surrogate, a stray byte or a \u0000 (no C string can
 * hold it) makes the value, and so its record, malformed.
 */
static int
hex4(const char *p, unsigned long *v)
{
	int	i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		*v <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			*v |= p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			*v |= p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			*v |= p[i] - 'A' + 10;
		else
			return (-1);
	}
	return (0);
}

static void
add_utf8(struct strbuf *sb, unsigned long cp)
{
	if (cp < 0x80)
		strbuf_addch(sb, cp);
	else if (cp < 0x800) {
		strbuf_addch(sb, 0xc0 | cp >> 6);
		strbuf_addch(sb, 0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		strbuf_addch(sb, 0xe0 | cp >> 12);
		strbuf_addch(sb, 0x80 | (cp >> 6 & 0x3f));
		strbuf_addch(sb, 0x80 | (cp & 0x3f));
	} else {
		strbuf_addch(sb, 0xf0 | cp >> 18);
		strbuf_addch(sb, 0x80 | (cp >> 12 & 0x3f));
		strbuf_addch(sb, 0x80 | (cp >> 6 & 0x3f));
		strbuf_addch(sb, 0x80 | (cp & 0x3f));
	}
}

/* The JSON string at p, its quotes included; returns its end, or NULL. */
static const char *
json_string(const char *p, struct strbuf *out)
{
	static const char	 from[] = "\"\\/bfnrt";
	static const char	 to[] = "\"\\/\b\f\n\r\t";
	const char		*e;
	unsigned long		 cp, lo;
	size_t			 n;

	if (*p++ != '"')
		return (NULL);
	while (*p != '"') {
		if ((unsigned char)*p < 0x20)	/* NUL: unterminated */
			return (NULL);
		if (*p != '\\') {
			if ((n = utf8_len(p)) == 0)
				return (NULL);
			strbuf_add(out, p, n);
			p += n;
			continue;
		}
		if (p[1] != 'u') {
			if (p[1] == '\0' || (e = strchr(from, p[1])) == NULL)
				return (NULL);
			strbuf_addch(out, to[e - from]);
			p += 2;
			continue;
		}
		if (hex4(p + 2, &cp) == -1 || cp == 0 ||
		    (cp >= 0xdc00 && cp <= 0xdfff))
			return (NULL);
		p += 6;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (p[0] != '\\' || p[1] != 'u' ||
			    hex4(p + 2, &lo) == -1 || lo < 0xdc00 ||
			    lo > 0xdfff)
				return (NULL);
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			p += 6;
		}
		add_utf8(out, cp);
	}
	return (p + 1);
}

/* A JSON number, as its text; returns its end, or NULL. */
static const char *
json_number(const char *p, struct strbuf *out)
{
	const char	*start = p;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		p += strspn(p, "0123456789");
	else
		return (NULL);
	if (*p == '.') {
		if (strspn(++p, "0123456789") == 0)
			return (NULL);
		p += strspn(p, "0123456789");
	}
	if (*p == 'e' || *p == 'E') {
		if (*++p == '+' || *p == '-')
			p++;
		if (strspn(p, "0123456789") == 0)
			return (NULL);
		p += strspn(p, "0123456789");
	}
	strbuf_add(out, start, p - start);
	return (p);
}

/*
 * One field that must be exactly one JSON value: a string decoded, a
 * number or true/false as their text, null as "". Returns 0, or -1 with
 * out empty.
 */
int
docker_decode_value(const char *field, struct strbuf *out)
{
	const char	*end;

	strbuf_reset(out);
	if (strcmp(field, "null") == 0)
		return (0);
	if (strcmp(field, "true") == 0 || strcmp(field, "false") == 0) {
		strbuf_adds(out, field);
		return (0);
	}
	end = *field == '"' ? json_string(field, out) :
	    json_number(field, out);
	if (end == NULL || *end != '\0') {
		strbuf_reset(out);
		return (-1);
	}
	return (0);
}

/*
 * One record: exactly n tab-separated values, decoded into f. Returns 0,
 * or -1 when the line is no such record; f then still holds n values,
 * "" where one did not decode, to name the culprit with.
 */
static int
record_split(const char *line, size_t len, int n, struct strvec *f)
{
	struct strbuf	 v = STRBUF_INIT;
	char		*copy = xstrndup(line, len), *p = copy, *tab;
	int		 i, rc = 0;

	strvec_clear(f);
	for (i = 0; i < n; i++) {
		if (p == NULL) {
			strvec_push(f, "");
			rc = -1;
			continue;
		}
		if ((tab = strchr(p, '\t')) != NULL)
			*tab++ = '\0';
		if (docker_decode_value(p, &v) == -1)
			rc = -1;
		strvec_push(f, v.buf);
		p = tab;
	}
	if (p != NULL)
		rc = -1;
	free(copy);
	strbuf_release(&v);
	return (rc);
}

/*
 * A record that does not decode, or whose values make no sense, is
 * skipped, and who it describes goes on odd (when given), escaped for a
 * terminal: its name, else its ID, else the start of the line. One
 * stranger's odd labels must not stop every command.
 */
static void
add_odd(struct strvec *odd, const struct strvec *f, size_t name,
    const char *line, size_t len)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*who = f->v[name];
	char		*raw;

	if (odd == NULL)
		return;
	if (*who == '/')
		who++;
	if (*who == '\0')
		who = f->v[0];
	if (*who != '\0')
		strbuf_add_escaped(&sb, who);
	else {
		raw = xstrndup(line, len < 40 ? len : 40);
		strbuf_add_escaped(&sb, raw);
		free(raw);
	}
	strvec_push(odd, sb.buf);
	strbuf_release(&sb);
}

/*
 * Reading a listing record by record: records_next gives the next line
 * that decodes into n values with f[key] not empty, passing over blank
 * lines and skipping (naming in odd) the rest; a parser that finds
 * more wrong with a record skips it with records_skip.
 */
struct records {
	const char	*rest;		/* the text after the current line */
	const char	*line;
	size_t		 len;
	int		 n;
	struct strvec	 f;		/* the current record's values */
	struct strvec	*odd;
	int		 skipped;
};

static void
records_init(struct records *r, const char *text, int n, struct strvec *odd)
{
	memset(r, 0, sizeof *r);
	r->rest = text;
	r->n = n;
	r->odd = odd;
}

static void
records_skip(struct records *r, size_t key)
{
	add_odd(r->odd, &r->f, key, r->line, r->len);
	r->skipped++;
}

static int
records_next(struct records *r, size_t key)
{
	while (*r->rest != '\0') {
		r->line = r->rest;
		r->len = strcspn(r->line, "\n");
		r->rest = r->line + r->len + (r->line[r->len] != '\0');
		if (r->len == 0)
			continue;
		if (record_split(r->line, r->len, r->n, &r->f) == 0 &&
		    *r->f.v[key] != '\0')
			return (1);
		records_skip(r, key);
	}
	return (0);
}

/* How many records were skipped. */
static int
records_done(struct records *r)
{
	strvec_clear(&r->f);
	return (r->skipped);
}

/* One JSON value a line, each decoded onto values; -1 if one does not. */
static int
decode_lines(const char *text, struct strvec *values)
{
	struct strbuf	 v = STRBUF_INIT;
	const char	*line, *nl;
	char		*copy;
	int		 rc = 0;

	for (line = text; *line != '\0' && rc == 0; line = nl + (*nl != '\0')) {
		nl = line + strcspn(line, "\n");
		if (nl == line)
			continue;
		copy = xstrndup(line, nl - line);
		if ((rc = docker_decode_value(copy, &v)) == 0)
			strvec_push(values, v.buf);
		free(copy);
	}
	strbuf_release(&v);
	return (rc);
}

/* A port: "" (none, 0) or a number up to 65535. */
static int
port_value(const char *s, int *port)
{
	unsigned long	v = 0;

	if (*s != '\0' && parse_uint(s, 0, 65535, &v) == -1)
		return (-1);
	*port = (int)v;
	return (0);
}

static struct database *
database_add(struct database_list *l)
{
	struct database	*d;

	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	d = &l->v[l->n++];
	memset(d, 0, sizeof *d);
	return (d);
}

/*
 * The health and uptime in docker's status text: "Up 5 minutes
 * (healthy)"; podman says "Up 5 minutes ago (healthy)".
 */
static void
ps_status(struct database *d, const char *st)
{
	char	*paren;
	size_t	 len;

	if (strstr(st, "(healthy)") != NULL)
		d->health = xstrdup("healthy");
	else if (strstr(st, "(unhealthy)") != NULL)
		d->health = xstrdup("unhealthy");
	else if (strstr(st, "(health: starting)") != NULL ||
	    strstr(st, "(starting)") != NULL)
		d->health = xstrdup("starting");
	if (strncmp(st, "Up ", 3) == 0) {
		d->uptime = xstrdup(st + 3);
		if ((paren = strstr(d->uptime, " (")) != NULL)
			*paren = '\0';
		len = strlen(d->uptime);
		if (len > 4 && strcmp(d->uptime + len - 4, " ago") == 0)
			d->uptime[len - 4] = '\0';
	}
}

/*
 * Parse ps records, skipping (and naming in odd) those that do not decode
 * or whose ID, name or port labels make no sense. Returns how many were
 * skipped.
 */
int
docker_parse_ps(const char *text, struct database_list *l, struct strvec *odd)
{
	struct records	 r;
	struct database	*d;
	int		 port, host_port;

	records_init(&r, text, P_COUNT, odd);
	while (records_next(&r, P_NAME)) {
		if (*r.f.v[P_ID] == '\0' ||
		    port_value(r.f.v[P_PORT], &port) == -1 ||
		    port_value(r.f.v[P_HOST_PORT], &host_port) == -1) {
			records_skip(&r, P_NAME);
			continue;
		}
		d = database_add(l);
		fill_fields(d, DR_PS, &r.f);
		ps_status(d, r.f.v[P_STATUS]);
		d->port = port;
		d->host_port = host_port;
		fill_empty(d);
	}
	return (records_done(&r));
}

/*
 * The first port binding, "127.0.0.1:5432" (the one we made), or "":
 * its address and port. Returns -1 when it is neither.
 */
static int
binding(const char *hb, char **ip, int *port)
{
	const char	*colon;

	*port = 0;
	if (*hb == '\0') {
		*ip = xstrdup("");
		return (0);
	}
	if ((colon = strrchr(hb, ':')) == NULL ||
	    port_value(colon + 1, port) == -1)
		return (-1);
	*ip = xstrndup(hb, colon - hb);
	return (0);
}

/*
 * Docker's time as create writes its own: "2026-11-23T14:00:00Z", UTC to
 * the second. Docker gives nanoseconds and "Z", podman the local offset;
 * the zero time of a container never started, or anything else, is "".
 */
static char *
utc_time(const char *s)
{
	struct tm	 tm;
	const char	*p;
	char		 buf[32];
	time_t		 t;
	int		 hh, mm, sign;

	memset(&tm, 0, sizeof tm);
	if ((p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL ||
	    tm.tm_year < 70)
		return (xstrdup(""));
	p += *p == '.' ? 1 + strspn(p + 1, "0123456789") : 0;
	t = timegm(&tm);
	if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (sscanf(p + 1, "%2d:%2d", &hh, &mm) != 2)
			return (xstrdup(""));
		t -= sign * (hh * 3600 + mm * 60);
	} else if (strcmp(p, "Z") != 0)
		return (xstrdup(""));
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return (xstrdup(""));
	return (xstrdup(buf));
}

/* Parse inspect records, skipping odd ones as docker_parse_ps does. */
int
docker_parse_records(const char *text, struct database_list *l,
    struct strvec *odd)
{
	struct records	 r;
	const char	*p, *name;
	struct database	*d;
	char		*host_ip = NULL;
	int		 port, host_port;

	records_init(&r, text, I_COUNT, odd);
	while (records_next(&r, I_NAME)) {
		if (*r.f.v[I_ID] == '\0' ||
		    port_value(r.f.v[I_PORT], &port) == -1 ||
		    binding(r.f.v[I_BINDING], &host_ip, &host_port) == -1) {
			records_skip(&r, I_NAME);
			continue;
		}
		d = database_add(l);
		fill_fields(d, DR_INSPECT, &r.f);
		name = r.f.v[I_NAME];
		d->name = xstrdup(name + (*name == '/'));
		d->port = port;
		d->host_ip = host_ip;
		d->host_port = host_port;
		p = strchr(r.f.v[I_PASSWORD], '=');
		d->password = xstrdup(p != NULL ? p + 1 : "");
		d->started = utc_time(r.f.v[I_STARTED]);
		fill_empty(d);
	}
	return (records_done(&r));
}

int
docker_inspect(const struct strvec *names, struct database_list *l,
    struct docker_result *res)
{
	struct strvec	args = STRVEC_INIT;
	struct strbuf	out = STRBUF_INIT;
	int		rc;

	memset(l, 0, sizeof *l);
	docker_result_reset(res);
	res->odd_what = "a container";
	strvec_push(&args, "container");
	strvec_push(&args, "inspect");
	push_format(&args, DR_INSPECT);
	strvec_pushvec(&args, names);
	rc = docker_call(&args, NULL, &out, DOCKER_TIMEOUT_MS, res);
	/* Some names may be gone (a race with destroy): keep the rest. */
	if (rc == 0 || res->err == DERR_NO_SUCH)
		docker_parse_records(out.buf, l, &res->odd);
	if (rc != 0 && res->err == DERR_NO_SUCH && l->n > 0) {
		res->err = DERR_NONE;
		rc = 0;
	}
	strvec_clear(&args);
	strbuf_release(&out);
	return (rc);
}

/*
 * The same for one name, started and collected apart so that the caller
 * can work while docker answers. No retry: a caller falls back.
 */
int
docker_inspect_start(struct child *c, const char *name)
{
	docker_argv(&c->argv);
	strvec_push(&c->argv, "container");
	strvec_push(&c->argv, "inspect");
	push_format(&c->argv, DR_INSPECT);
	strvec_push(&c->argv, name);
	c->timeout_ms = docker_timeout(DOCKER_TIMEOUT_MS);
	c->cancel = cancel_check;
	return (child_start_capture(c, 1));
}

int
docker_inspect_finish(struct child *c, struct database_list *l,
    struct docker_result *res)
{
	struct strbuf	out = STRBUF_INIT;
	int		rc;

	memset(l, 0, sizeof *l);
	docker_result_reset(res);
	res->odd_what = "a container";
	rc = child_drain(c, &out, &res->msg);
	res->err = c->timed_out ? DERR_TIMEOUT :
	    docker_classify(rc, res->msg.buf);
	if (rc == 0)
		docker_parse_records(out.buf, l, &res->odd);
	strbuf_release(&out);
	return (rc == 0 ? 0 : -1);
}

/* Every managed container, in one docker call however many there are. */
int
docker_list(int all, struct database_list *l, struct docker_result *res)
{
	return (docker_list_labelled(all, DL_MANAGED, l, res));
}

/* The same, for the containers carrying a label, whatever its value. */
int
docker_list_labelled(int all, enum docker_label label,
    struct database_list *l, struct docker_result *res)
{
	struct strvec	 args = STRVEC_INIT;
	struct strbuf	 out = STRBUF_INIT;
	int		 rc;

	memset(l, 0, sizeof *l);
	docker_result_reset(res);
	res->odd_what = "a container";
	strvec_push(&args, "ps");
	strvec_push(&args, "--no-trunc");
	if (all)
		strvec_push(&args, "--all");
	/* Label filters are ANDed: never a container dbarena did not make. */
	push_filter(&args, DL_MANAGED, "true");
	if (label != DL_MANAGED)
		push_filter(&args, label, NULL);
	push_format(&args, DR_PS);
	rc = docker_call(&args, NULL, &out, DOCKER_TIMEOUT_MS, res);
	if (rc == 0)
		docker_parse_ps(out.buf, l, &res->odd);
	strvec_clear(&args);
	strbuf_release(&out);
	return (rc);
}

/*
 * One docker command of fixed words followed by a list (names, IDs),
 * its output dropped: the shape of most operations below.
 */
static int
call_words(const char *const *words, const struct strvec *list,
    long long timeout_ms, struct docker_result *res)
{
	struct strvec	args = STRVEC_INIT;
	int		rc;

	docker_result_reset(res);
	for (; *words != NULL; words++)
		strvec_push(&args, *words);
	if (list != NULL)
		strvec_pushvec(&args, list);
	rc = docker_call(&args, NULL, NULL, timeout_ms, res);
	strvec_clear(&args);
	return (rc);
}

/*
 * Rename a container. Never retried: a rename that half happened must
 * not be done again (see the pool claim in create.c, which relies on a
 * rename failing when the name is already taken).
 */
int
docker_rename(const char *from, const char *to, struct docker_result *res)
{
	const char *const	words[] = { "rename", from, to, NULL };

	return (call_words(words, NULL, DOCKER_TIMEOUT_MS, res));
}

/*
 * The "run" arguments for a spec, in the order dbarena has always
 * written them: what a dry run prints is what create runs. Pure.
 */
void
docker_run_argv(const struct run_spec *rs, struct strvec *args)
{
	size_t	i;

	strvec_push(args, "run");
	strvec_push(args, "--detach");
	strvec_push(args, "--pull");
	strvec_push(args, "never");
	strvec_push(args, "--name");
	strvec_push(args, rs->name);
	for (i = 0; i < DL_NLABELS; i++) {
		if (rs->label[i] != NULL)
			push_label(args, i, rs->label[i]);
	}
	/* One call: the network and the name other containers use there. */
	if (rs->network != NULL) {
		strvec_push(args, "--network");
		strvec_push(args, rs->network);
		strvec_push(args, "--network-alias");
		strvec_push(args, rs->name);
	}
	strvec_push(args, "--publish");
	strvec_pushf(args, "%s:%d:%d", rs->publish_ip, rs->publish_port,
	    rs->port);
	push_flag(args, "--memory", rs->memory);
	push_flag(args, "--cpus", rs->cpus);
	if (rs->tmpfs != NULL) {
		strvec_push(args, "--tmpfs");
		strvec_pushf(args, "%s:rw,size=%s", rs->tmpfs, rs->tmpfs_size);
	} else if (rs->volume != NULL) {
		strvec_push(args, "--volume");
		strvec_pushf(args, "%s:%s", rs->volume, rs->volume_path);
	}
	if (rs->health_cmd != NULL) {
		push_flag(args, "--health-cmd", rs->health_cmd);
		push_flag(args, "--health-interval", rs->health_interval);
		push_flag(args, "--health-timeout", rs->health_timeout);
		strvec_push(args, "--health-retries");
		strvec_pushf(args, "%d", rs->health_retries);
		if (rs->health_start_period != NULL)
			push_flag(args, "--health-start-period",
			    rs->health_start_period);
	}
	for (i = 0; i < rs->env.n; i++) {
		strvec_push(args, "-e");
		strvec_push(args, rs->env.v[i]);
	}
	strvec_push(args, rs->image);
	strvec_pushvec(args, &rs->command);
}

void
run_spec_free(struct run_spec *rs)
{
	size_t	i;

	free(rs->name);
	for (i = 0; i < DL_NLABELS; i++)
		free(rs->label[i]);
	free(rs->publish_ip);
	free(rs->memory);
	free(rs->cpus);
	free(rs->tmpfs);
	free(rs->tmpfs_size);
	free(rs->volume);
	free(rs->volume_path);
	free(rs->network);
	free(rs->health_cmd);
	free(rs->health_start_period);
	free(rs->health_interval);
	free(rs->health_timeout);
	strvec_clear(&rs->env);
	free(rs->image);
	strvec_clear(&rs->command);
	memset(rs, 0, sizeof *rs);
}

/*
 * The whole command line, "docker [--context X] ARGS...", shell-quoted
 * so that a dry run's output can be pasted.
 */
void
docker_command_line(const struct strvec *args, struct strbuf *out)
{
	struct strvec	argv = STRVEC_INIT;

	docker_argv(&argv);
	strvec_pushvec(&argv, args);
	strvec_join_quoted(&argv, out);
	strvec_clear(&argv);
}

/*
 * Run a container from the renderer's spec, its secrets in docker's
 * environment (never an argument); out gets the new ID. Not cut short
 * by an interrupt only when the caller says so.
 */
int
docker_run_container(const struct run_spec *rs, const struct strvec *env,
    struct strbuf *out, struct docker_result *res)
{
	struct strvec	args = STRVEC_INIT;
	int		rc;

	docker_run_argv(rs, &args);
	docker_result_reset(res);
	rc = docker_call(&args, env, out, DOCKER_TIMEOUT_MS, res);
	strvec_clear(&args);
	return (rc);
}

int
docker_start(const struct strvec *names, struct docker_result *res)
{
	static const char *const	words[] = { "start", NULL };

	return (call_words(words, names, DOCKER_TIMEOUT_MS, res));
}

int
docker_restart(const struct strvec *names, struct docker_result *res)
{
	static const char *const	words[] = { "restart", NULL };

	return (call_words(words, names, DOCKER_TIMEOUT_MS, res));
}

/*
 * "stop [--time SECONDS] NAME...": grace_ms is the time the server gets
 * to shut down cleanly (-1: docker's own ten seconds).
 */
void
docker_stop_args(struct strvec *args, const struct strvec *names,
    long long grace_ms)
{
	strvec_push(args, "stop");
	if (grace_ms >= 0) {
		strvec_push(args, "--time");
		strvec_pushf(args, "%lld", grace_ms / 1000);
	}
	strvec_pushvec(args, names);
}

/* The call may take the grace time on top of the usual minute. */
int
docker_stop(const struct strvec *names, long long grace_ms,
    struct docker_result *res)
{
	struct strvec	args = STRVEC_INIT;
	int		rc;

	docker_result_reset(res);
	docker_stop_args(&args, names, grace_ms);
	rc = docker_call(&args, NULL, NULL, DOCKER_TIMEOUT_MS +
	    (grace_ms > 0 ? grace_ms : 10000), res);
	strvec_clear(&args);
	return (rc);
}

/* "rm --force --volumes ID...": anonymous volumes only, never a named one. */
void
docker_rm_args(struct strvec *args, const struct strvec *ids)
{
	strvec_push(args, "rm");
	strvec_push(args, "--force");
	strvec_push(args, "--volumes");
	strvec_pushvec(args, ids);
}

/*
 * The IDs a successful "rm --force" did not echo. With --force, docker
 * (since 23) and podman both exit 0 for a container that is not there,
 * so the echo (one ID a line) is the only word on who removed it.
 */
void
docker_parse_removed(const char *out, const struct strvec *ids,
    struct strvec *missing)
{
	const char	*p;
	size_t		 i, len;

	for (i = 0; i < ids->n; i++) {
		len = strlen(ids->v[i]);
		for (p = out; (p = strstr(p, ids->v[i])) != NULL; p += len) {
			if ((p == out || p[-1] == '\n') &&
			    (p[len] == '\n' || p[len] == '\0'))
				break;
		}
		if (p == NULL)
			strvec_push(missing, ids->v[i]);
	}
}

/*
 * Remove containers by ID (a name may be someone else's by the time
 * docker looks it up), with their anonymous volumes. With missing, the
 * IDs docker did not say it removed go there: a racer got them first.
 */
int
docker_rm(const struct strvec *ids, struct strvec *missing,
    struct docker_result *res)
{
	struct strvec	args = STRVEC_INIT;
	struct strbuf	out = STRBUF_INIT;
	int		rc;

	docker_result_reset(res);
	docker_rm_args(&args, ids);
	rc = docker_call(&args, NULL, &out, DOCKER_TIMEOUT_MS, res);
	if (rc == 0 && missing != NULL)
		docker_parse_removed(out.buf, ids, missing);
	strvec_clear(&args);
	strbuf_release(&out);
	return (rc);
}

/*
 * Whether none of these containers exists any more. Two forced removals
 * of one container can race inside the daemon and the loser gets a
 * filesystem error rather than "no such container"; what matters is that
 * it is gone.
 */
int
docker_all_gone(const struct strvec *ids)
{
	struct docker_result	res = DOCKER_RESULT_INIT;
	size_t			i;
	int			gone = 1;

	for (i = 0; i < ids->n && gone; i++) {
		if (docker_is_running(ids->v[i], &res) != -1 ||
		    res.err != DERR_NO_SUCH)
			gone = 0;
	}
	docker_result_release(&res);
	return (gone);
}

/* Each line of a --quiet listing (IDs, volume names) as one word. */
static void
push_lines(struct strvec *v, const char *text)
{
	const char	*p, *nl;

	for (p = text; *p != '\0'; p = nl + (*nl != '\0')) {
		nl = p + strcspn(p, "\n");
		if (nl > p)
			strvec_pushf(v, "%.*s", (int)(nl - p), p);
	}
}

/*
 * Remove containers by ID, as docker_rm, when one already gone is no
 * failure. Runs to the end even after an interrupt.
 */
int
docker_remove_ids(const struct strvec *ids, struct docker_result *res)
{
	int	rc = 0, was = uncancellable;

	docker_result_reset(res);
	if (ids->n == 0)
		return (0);
	uncancellable = 1;
	if (docker_rm(ids, NULL, res) != 0 && res->err != DERR_NO_SUCH)
		rc = -1;
	uncancellable = was;
	return (rc);
}

/* The IDs (or names) a --quiet listing filtered by a mark gives. */
static int
owned(const char *const *words, enum docker_label l, const char *mark,
    struct strvec *found, struct docker_result *res)
{
	struct strvec	args = STRVEC_INIT;
	struct strbuf	out = STRBUF_INIT;
	int		rc;

	for (; *words != NULL; words++)
		strvec_push(&args, *words);
	push_filter(&args, l, mark);
	if ((rc = docker_call(&args, NULL, &out, DOCKER_TIMEOUT_MS, res)) == 0)
		push_lines(found, out.buf);
	strvec_clear(&args);
	strbuf_release(&out);
	return (rc);
}

/* Push each of more that v does not hold yet. */
static void
push_new(struct strvec *v, const struct strvec *more)
{
	size_t	i, j;

	for (i = 0; i < more->n; i++) {
		for (j = 0; j < v->n && strcmp(v->v[j], more->v[i]) != 0; j++)
			;
		if (j == v->n)
			strvec_push(v, more->v[i]);
	}
}

/*
 * Remove what carries the label l=MARK: the containers (by ID, with
 * their anonymous volumes, and with them those of ids, if any), then,
 * with vols or nets non-NULL, the named volumes and the networks. A
 * volume that existed before keeps its own labels, so it is never among
 * them; a network still in use by a container we did not make stays
 * (docker refuses), and that is no failure. Runs to the end even after
 * an interrupt. *ctrs, *vols and *nets count what went. Returns 0, or -1
 * with res.
 */
static int
remove_marked(enum docker_label l, const char *mark,
    const struct strvec *ids, int *ctrs, int *vols, int *nets,
    struct docker_result *res)
{
	static const char *const	ps[] = { "ps", "--all", "--quiet",
	    "--no-trunc", NULL };
	static const char *const	vls[] = { "volume", "ls", "--quiet", NULL };
	static const char *const	nls[] = { "network", "ls", "--quiet",
	    "--no-trunc", NULL };
	static const char *const	vrm[] = { "volume", "rm", NULL };
	static const char *const	nrm[] = { "network", "rm", NULL };
	struct strvec			found = STRVEC_INIT;
	int				rc = -1, was = uncancellable;

	*ctrs = 0;
	if (vols != NULL)
		*vols = 0;
	if (nets != NULL)
		*nets = 0;
	docker_result_reset(res);
	uncancellable = 1;
	if (owned(ps, l, mark, &found, res) != 0)
		goto out;
	if (ids != NULL)
		push_new(&found, ids);
	if (docker_remove_ids(&found, res) != 0)
		goto out;
	*ctrs = found.n;
	strvec_clear(&found);
	if (vols != NULL && (owned(vls, l, mark, &found, res) != 0 ||
	    (found.n > 0 && call_words(vrm, &found, DOCKER_TIMEOUT_MS,
	    res) != 0 && res->err != DERR_NO_SUCH)))
		goto out;
	if (vols != NULL)
		*vols = found.n;
	strvec_clear(&found);
	if (nets != NULL && owned(nls, l, mark, &found, res) != 0)
		goto out;
	if (nets != NULL)
		*nets = found.n > 0 && call_words(nrm, &found,
		    DOCKER_TIMEOUT_MS, res) == 0 ? found.n : 0;
	docker_result_reset(res);
	rc = 0;
out:
	uncancellable = was;
	strvec_clear(&found);
	return (rc);
}

/*
 * Remove what one operation made, proven by the mark it put on each
 * thing it asked docker for: the label dbarena.owner=OWNER, a random
 * value no other operation has. Containers, and with vols non-NULL the
 * named volumes.
 */
int
docker_remove_owned(const char *owner, int *ctrs, int *vols,
    struct docker_result *res)
{
	return (remove_marked(DL_OWNER, owner, NULL, ctrs, vols, NULL, res));
}

/*
 * All that one run made, by the label dbarena.run=MARK, and the pool
 * members of ids, which the run took and could not mark.
 */
int
docker_remove_run(const char *mark, const struct strvec *ids, int *ctrs,
    int *vols, int *nets, struct docker_result *res)
{
	return (remove_marked(DL_RUN, mark, ids, ctrs, vols, nets, res));
}

long long
docker_parse_time(const char *s)
{
	struct tm	tm;
	char		*end;

	memset(&tm, 0, sizeof tm);
	if ((end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL ||
	    tm.tm_year < 70)
		return (0);
	return ((long long)timegm(&tm));
}

void
docker_start_logs(struct child *c, const char *name, int follow,
    const char *tail)
{
	docker_argv(&c->argv);
	strvec_push(&c->argv, "logs");
	if (follow)
		strvec_push(&c->argv, "--follow");
	if (tail != NULL) {
		strvec_push(&c->argv, "--tail");
		strvec_push(&c->argv, tail);
	}
	strvec_push(&c->argv, name);
}

/*
 * "docker exec" arguments, without the program: -i keeps stdin open, -t
 * gives the command a terminal, and "-e NAME" with no value passes NAME
 * on from docker's own environment, so a secret never enters an argument
 * vector.
 */
static void
exec_args_names(struct strvec *args, const char *name, int flags,
    const struct strvec *envnames, const struct strvec *cmd)
{
	size_t	i;

	strvec_push(args, "exec");
	if (flags & DOCKER_EXEC_STDIN)
		strvec_push(args, "-i");
	if (flags & DOCKER_EXEC_TTY)
		strvec_push(args, "-t");
	for (i = 0; i < envnames->n; i++) {
		strvec_push(args, "-e");
		strvec_push(args, envnames->v[i]);
	}
	strvec_push(args, name);
	strvec_pushvec(args, cmd);
}

/* The same with at most one variable passed on, the usual case. */
static void
docker_exec_args(struct strvec *args, const char *name, int flags,
    const char *envname, const struct strvec *cmd)
{
	struct strvec	names = STRVEC_INIT;

	if (envname != NULL && *envname != '\0')
		strvec_push(&names, envname);
	exec_args_names(args, name, flags, &names, cmd);
	strvec_clear(&names);
}

/* The whole "docker exec" vector, program first: connect, a dry run. */
void
docker_exec_argv(struct strvec *argv, const char *name, int flags,
    const char *envname, const struct strvec *cmd)
{
	docker_argv(argv);
	docker_exec_args(argv, name, flags, envname, cmd);
}

/*
 * The same with several variables passed on by name: a client's whole
 * environment (user, database, password) for exec and shell.
 */
void
docker_exec_env_argv(struct strvec *argv, const char *name, int flags,
    const struct strvec *envnames, const struct strvec *cmd)
{
	docker_argv(argv);
	exec_args_names(argv, name, flags, envnames, cmd);
}

/* The secret "NAME=value" for docker's environment, if there is one. */
static void
exec_env(struct strvec *env, const char *envname, const char *secret)
{
	if (envname != NULL && *envname != '\0' && secret != NULL)
		strvec_pushf(env, "%s=%s", envname, secret);
}

/*
 * Run a command in a container, its output (if wanted) in out and its
 * stderr in res->msg, a secret passed as docker_exec_args says. A failure
 * is DERR_OTHER when it is the command's own, not docker's.
 */
int
docker_exec(const char *name, const char *envname, const char *secret,
    const struct strvec *cmd, struct strbuf *out, long long timeout_ms,
    struct docker_result *res)
{
	return (docker_exec_input(name, envname, secret, cmd, NULL, out,
	    timeout_ms, res));
}

/* docker_exec, with input (unless NULL) on the command's stdin. */
int
docker_exec_input(const char *name, const char *envname, const char *secret,
    const struct strvec *cmd, const struct strbuf *input, struct strbuf *out,
    long long timeout_ms, struct docker_result *res)
{
	struct strvec	args = STRVEC_INIT, env = STRVEC_INIT;
	int		rc;

	docker_result_reset(res);
	docker_exec_args(&args, name, input != NULL ? DOCKER_EXEC_STDIN : 0,
	    envname, cmd);
	exec_env(&env, envname, secret);
	rc = docker_call_input(&args, &env, input, out, timeout_ms, res);
	strvec_clear(&args);
	strvec_clear(&env);
	return (rc);
}

/*
 * Run a command in a container with a file on its stdin (an --init
 * script), the secret "K=V" in docker's environment. No retries: a
 * script may have half run. Output is collected in out and res->msg; a
 * failure is DERR_OTHER when it is the command's, not docker's, and
 * DERR_TIMEOUT when it ran past DOCKER_LONG_TIMEOUT_MS and was killed.
 */
int
docker_exec_file(const char *name, const char *envname, const char *secret,
    const struct strvec *cmd, const char *path, struct strbuf *out,
    struct docker_result *res)
{
	struct child	c = CHILD_INIT;
	int		rc;

	docker_result_reset(res);
	docker_exec_argv(&c.argv, name, DOCKER_EXEC_STDIN, envname, cmd);
	exec_env(&c.env, envname, secret);
	c.in = CHILD_FILE;
	c.in_path = path;
	c.cancel = cancel_check;
	c.timeout_ms = docker_timeout(DOCKER_LONG_TIMEOUT_MS);
	rc = child_capture(&c, out, &res->msg);
	res->err = c.timed_out ? DERR_TIMEOUT :
	    docker_classify_exec(rc, res->msg.buf);
	child_clear(&c);
	return (rc == 0 ? 0 : -1);
}

/*
 * Put a file into a container: dir (absolute; made mode 0700 when
 * missing) and in it file, mode 0600, both root's, holding text. "docker
 * cp -" reads a tar archive on its stdin, so the image needs no shell,
 * a remote engine works the same, and the text (a password) is in no
 * argument vector and no file on this machine. Copying it again is
 * harmless, so a transient failure is retried like any other call.
 */
int
docker_put_file(const char *name, const char *dir, const char *file,
    const char *text, struct docker_result *res)
{
	struct strvec	 args = STRVEC_INIT;
	struct strbuf	 tar = STRBUF_INIT;
	const char	*rel = dir + strspn(dir, "/");	/* from "/" */
	char		*path;
	int		 rc;

	docker_result_reset(res);
	path = xasprintf("%s/%s", rel, file);
	if (tar_add_dir(&tar, rel, 0700, time(NULL)) == -1 ||
	    tar_add_file(&tar, path, 0600, time(NULL), text,
	    strlen(text)) == -1) {
		res->err = DERR_OTHER;
		strbuf_addf(&res->msg, "path too long for a tar entry: %s",
		    path);
		free(path);
		strbuf_release(&tar);
		return (-1);
	}
	tar_end(&tar);
	strvec_push(&args, "cp");
	strvec_push(&args, "-");
	strvec_pushf(&args, "%s:/", name);
	rc = docker_call_input(&args, NULL, &tar, NULL, DOCKER_TIMEOUT_MS,
	    res);
	strvec_clear(&args);
	strbuf_release(&tar);
	free(path);
	return (rc);
}

enum docker_field {
	DF_VOLUME_NAME,
	DF_RUNNING,		/* "true" or "false" */
	DF_ENTRYPOINT		/* one word a line */
};

/*
 * One field of one object, through an inspect template only this file
 * knows: its values decoded onto words. Returns 0, or -1 with res.
 */
static int
inspect_field(enum docker_field f, const char *name, struct strvec *words,
    struct docker_result *res)
{
	static const struct {
		const char	*kind;
		const char	*tmpl;
	} fields[] = {
		[DF_VOLUME_NAME] = { "volume", "{{json .Name}}" },
		[DF_RUNNING] = { "container", "{{json .State.Running}}" },
		/* One word a line: no JSON array parser needed. */
		[DF_ENTRYPOINT] = { "image", "{{range .Config.Entrypoint}}"
		    "{{json .}}{{println}}{{end}}" },
	};
	const char *const	words_of[] = { fields[f].kind, "inspect",
	    "--format", fields[f].tmpl, name, NULL };
	struct strvec		args = STRVEC_INIT;
	struct strbuf		raw = STRBUF_INIT;
	size_t			i;
	int			rc;

	docker_result_reset(res);
	for (i = 0; words_of[i] != NULL; i++)
		strvec_push(&args, words_of[i]);
	rc = docker_call(&args, NULL, &raw, DOCKER_TIMEOUT_MS, res);
	strvec_clear(&args);
	if (rc == 0 && (decode_lines(raw.buf, words) == -1 ||
	    (f != DF_ENTRYPOINT && words->n != 1)))
		rc = -1;
	/* An item with a newline in it is unexpected output too. */
	for (i = 0; rc == 0 && i < words->n; i++) {
		if (strchr(words->v[i], '\n') != NULL)
			rc = -1;
	}
	if (rc == -1 && res->err == DERR_NONE) {
		res->err = DERR_OTHER;
		strbuf_adds(&res->msg, "unexpected output from docker inspect");
	}
	strbuf_release(&raw);
	return (rc);
}

/*
 * Whether a one-value field is want (any value, with want NULL): 1 or 0,
 * or -1 with res.
 */
static int
inspect_is(enum docker_field f, const char *name, const char *want,
    struct docker_result *res)
{
	struct strvec	words = STRVEC_INIT;
	int		rc;

	if ((rc = inspect_field(f, name, &words, res)) == 0)
		rc = want == NULL || strcmp(words.v[0], want) == 0;
	strvec_clear(&words);
	return (rc);
}

/* 1 running, 0 not, -1 with res: no such container, or docker failed. */
int
docker_is_running(const char *name, struct docker_result *res)
{
	return (inspect_is(DF_RUNNING, name, "true", res));
}

/* 1 the volume exists, 0 it does not, -1 with res: docker failed. */
int
docker_volume_exists(const char *name, struct docker_result *res)
{
	int	rc;

	rc = inspect_is(DF_VOLUME_NAME, name, NULL, res);
	return (rc == -1 && res->err == DERR_NO_SUCH ? 0 : rc);
}

/* An image's entrypoint, one word each (empty words dropped). */
int
docker_entrypoint(const char *image, struct strvec *ep,
    struct docker_result *res)
{
	struct strvec	words = STRVEC_INIT;
	size_t		i;
	int		rc;

	rc = inspect_field(DF_ENTRYPOINT, image, &words, res);
	for (i = 0; rc == 0 && i < words.n; i++) {
		if (*words.v[i] != '\0')
			strvec_push(ep, words.v[i]);
	}
	strvec_clear(&words);
	return (rc);
}

/*
 * "volume create" with the labels that make a volume dbarena's: the
 * container it is made for, its engine, and (when given) the mark of the
 * create making it. volume create succeeds for an existing volume too
 * and leaves its labels alone, so the mark says whether the volume is
 * ours to remove when that create fails.
 */
void
docker_volume_create_args(struct strvec *args, const struct volume_spec *vs)
{
	strvec_push(args, "volume");
	strvec_push(args, "create");
	push_label(args, DL_MANAGED, "true");
	push_label(args, DL_CONTAINER, vs->container);
	push_label(args, DL_ENGINE, vs->engine);
	if (vs->owner != NULL)
		push_label(args, DL_OWNER, vs->owner);
	if (vs->run != NULL)
		push_label(args, DL_RUN, vs->run);
	strvec_push(args, vs->name);
}

/* Make the volume a spec (the plan's) describes. */
int
docker_volume_create(const struct volume_spec *vs, struct docker_result *res)
{
	struct strvec	args = STRVEC_INIT;
	int		rc;

	docker_volume_create_args(&args, vs);
	docker_result_reset(res);
	rc = docker_call(&args, NULL, NULL, DOCKER_TIMEOUT_MS, res);
	strvec_clear(&args);
	return (rc);
}

int
docker_volume_rm(const struct strvec *names, struct docker_result *res)
{
	static const char *const	words[] = { "volume", "rm", NULL };

	return (call_words(words, names, DOCKER_TIMEOUT_MS, res));
}

/*
 * Networks, for databases other containers reach by name (CDC
 * pipelines, CI jobs): a user-defined bridge, made by dbarena only when
 * it is missing, and then labelled with its own name under
 * dbarena.network as well as managed, the mark that lets dbarena remove
 * it again. The create's mark (owner) goes on too when given.
 */
void
docker_network_create_args(struct strvec *args, const char *network,
    const char *owner)
{
	strvec_push(args, "network");
	strvec_push(args, "create");
	strvec_push(args, "--driver");
	strvec_push(args, "bridge");
	push_label(args, DL_MANAGED, "true");
	push_label(args, DL_NETWORK, network);
	if (owner != NULL)
		push_label(args, DL_OWNER, owner);
	strvec_push(args, network);
}

/* "network connect [--alias ALIAS] NETWORK CONTAINER". */
void
docker_network_connect_args(struct strvec *args, const char *network,
    const char *container, const char *alias)
{
	strvec_push(args, "network");
	strvec_push(args, "connect");
	if (alias != NULL) {
		strvec_push(args, "--alias");
		strvec_push(args, alias);
	}
	strvec_push(args, network);
	strvec_push(args, container);
}

int
docker_network_create(const char *network, const char *owner,
    struct docker_result *res)
{
	struct strvec	args = STRVEC_INIT;
	int		rc;

	docker_result_reset(res);
	docker_network_create_args(&args, network, owner);
	rc = docker_call(&args, NULL, NULL, DOCKER_TIMEOUT_MS, res);
	strvec_clear(&args);
	return (rc);
}

/*
 * One network inspect record. It is dbarena's only when labelled managed
 * and with its own name: a network made by hand and labelled managed
 * alone is not. Returns 0, or -1 when the text is no such record.
 */
int
docker_parse_network(const char *text, struct network_info *ni)
{
	struct records	r;
	int		found;

	memset(ni, 0, sizeof *ni);
	records_init(&r, text, N_COUNT, NULL);
	if ((found = records_next(&r, N_NAME))) {
		ni->name = xstrdup(r.f.v[N_NAME]);
		ni->driver = xstrdup(r.f.v[N_DRIVER]);
		ni->id = xstrdup(r.f.v[N_ID]);
		ni->ours = strcmp(r.f.v[N_MANAGED], "true") == 0 &&
		    strcmp(r.f.v[N_MARK], ni->name) == 0;
	}
	records_done(&r);
	return (found ? 0 : -1);
}

void
network_info_free(struct network_info *ni)
{
	free(ni->name);
	free(ni->driver);
	free(ni->id);
	memset(ni, 0, sizeof *ni);
}

/* 1 the network exists (ni filled in), 0 it does not, -1 with res. */
int
docker_network_inspect(const char *network, struct network_info *ni,
    struct docker_result *res)
{
	struct strvec	args = STRVEC_INIT;
	struct strbuf	out = STRBUF_INIT;
	int		rc;

	memset(ni, 0, sizeof *ni);
	docker_result_reset(res);
	strvec_push(&args, "network");
	strvec_push(&args, "inspect");
	push_format(&args, DR_NETWORK);
	strvec_push(&args, network);
	rc = docker_call(&args, NULL, &out, DOCKER_TIMEOUT_MS, res);
	if (rc != 0 && res->err == DERR_NO_SUCH) {
		docker_result_reset(res);
		rc = 0;
	} else if (rc == 0 && docker_parse_network(out.buf, ni) == 0)
		rc = 1;
	else if (rc == 0) {
		res->err = DERR_OTHER;
		strbuf_adds(&res->msg, "unexpected output from docker network "
		    "inspect");
		rc = -1;
	}
	strvec_clear(&args);
	strbuf_release(&out);
	return (rc);
}

/*
 * Every container on a network, running or stopped (a stopped one still
 * needs it to start again), by ID, dbarena's or not.
 */
int
docker_network_users(const char *network, struct strvec *ids,
    struct docker_result *res)
{
	struct strvec	args = STRVEC_INIT;
	struct strbuf	out = STRBUF_INIT;
	int		rc;

	docker_result_reset(res);
	strvec_push(&args, "ps");
	strvec_push(&args, "--all");
	strvec_push(&args, "--quiet");
	strvec_push(&args, "--no-trunc");
	strvec_push(&args, "--filter");
	strvec_pushf(&args, "network=%s", network);
	if ((rc = docker_call(&args, NULL, &out, DOCKER_TIMEOUT_MS, res)) == 0)
		push_lines(ids, out.buf);
	strvec_clear(&args);
	strbuf_release(&out);
	return (rc);
}

int
docker_network_rm(const char *network, struct docker_result *res)
{
	const char *const	words[] = { "network", "rm", network, NULL };

	return (call_words(words, NULL, DOCKER_TIMEOUT_MS, res));
}

int
docker_network_connect(const char *network, const char *container,
    const char *alias, struct docker_result *res)
{
	struct strvec	args = STRVEC_INIT;
	int		rc;

	docker_result_reset(res);
	docker_network_connect_args(&args, network, container, alias);
	rc = docker_call(&args, NULL, NULL, DOCKER_TIMEOUT_MS, res);
	strvec_clear(&args);
	return (rc);
}

/*
 * Parse volume ls records: name, the container it was made for, engine.
 * Odd records are skipped and named in odd. Returns how many.
 */
int
docker_parse_volumes(const char *text, struct strvec *names,
    struct strvec *containers, struct strvec *engines, struct strvec *odd)
{
	struct records	r;

	records_init(&r, text, V_COUNT, odd);
	while (records_next(&r, V_NAME)) {
		strvec_push(names, r.f.v[V_NAME]);
		strvec_push(containers, r.f.v[V_CONTAINER]);
		strvec_push(engines, r.f.v[V_ENGINE]);
	}
	return (records_done(&r));
}

/* Volumes dbarena made: name, the container it was made for, engine. */
int
docker_volumes(struct strvec *names, struct strvec *containers,
    struct strvec *engines, struct docker_result *res)
{
	struct strvec	 args = STRVEC_INIT;
	struct strbuf	 out = STRBUF_INIT;
	int		 rc;

	docker_result_reset(res);
	res->odd_what = "a volume";
	strvec_push(&args, "volume");
	strvec_push(&args, "ls");
	push_filter(&args, DL_MANAGED, "true");
	push_format(&args, DR_VOLUME);
	rc = docker_call(&args, NULL, &out, DOCKER_TIMEOUT_MS, res);
	if (rc == 0)
		docker_parse_volumes(out.buf, names, containers, engines,
		    &res->odd);
	strvec_clear(&args);
	strbuf_release(&out);
	return (rc);
}

/*
 * Whether volume name is one dbarena made for the database container:
 * labelled managed and made for that container. Labels are anyone's,
 * but a volume without them is surely not ours, and one made for another
 * database is not this one's to use or remove. 1 yes, 0 no, -1 docker
 * failed.
 */
int
docker_volume_owned(const char *name, const char *container,
    struct docker_result *res)
{
	struct strvec	names = STRVEC_INIT, ctrs = STRVEC_INIT;
	struct strvec	engines = STRVEC_INIT;
	size_t		i;
	int		rc;

	if ((rc = docker_volumes(&names, &ctrs, &engines, res)) == 0) {
		for (i = 0; i < names.n; i++) {
			if (strcmp(names.v[i], name) == 0 &&
			    strcmp(ctrs.v[i], container) == 0)
				break;
		}
		rc = i < names.n;
	}
	strvec_clear(&names);
	strvec_clear(&ctrs);
	strvec_clear(&engines);
	return (rc);
}

const char *
docker_program_name(void)
{
	return (docker_program);
}

/*
 * The server's version, then on the next line the whole server record as
 * JSON (no tab: docker version pads its output with a tabwriter): a podman
 * service names itself there ("Podman Engine" among the components),
 * and podman's own CLI has no Components field a template could name.
 * Without a server (a local podman) the line is empty.
 */
static const char server_version_format[] =
	"{{with .Server}}{{json .Version}}\n{{json .}}{{end}}";

#define VERSION_TIMEOUT_MS	10000

/*
 * Start "docker --version" (client: no daemon needed) or "docker version"
 * (server) without waiting, so doctor can ask both at once and do its
 * local checks meanwhile. One attempt, no retries: doctor reports what
 * it finds rather than hoping it goes away.
 */
int
docker_version_start(struct child *c, int server)
{
	docker_argv(&c->argv);
	if (server) {
		strvec_push(&c->argv, "version");
		strvec_push(&c->argv, "--format");
		strvec_push(&c->argv, server_version_format);
	} else
		strvec_push(&c->argv, "--version");
	c->timeout_ms = docker_timeout(VERSION_TIMEOUT_MS);
	c->cancel = cancel_check;
	return (child_start_capture(c, 1));
}

/* Collect a docker_version_start child; 0 when it answered. */
int
docker_version_finish(struct child *c, int server, struct docker_version *v,
    struct docker_result *res)
{
	struct strbuf	out = STRBUF_INIT;
	int		rc;

	memset(v, 0, sizeof *v);
	docker_result_reset(res);
	rc = child_drain(c, &out, &res->msg);
	if (c->timed_out)
		res->err = DERR_TIMEOUT;
	else
		res->err = docker_classify(rc, res->msg.buf);
	if (rc == 0) {
		if (server)
			docker_parse_server_version(out.buf, v);
		else
			docker_parse_client_version(out.buf, v);
	}
	strbuf_release(&out);
	return (rc == 0 ? 0 : -1);
}

/* "Docker version 28.2.2, build e6534b4" or "podman version 4.3.1". */
int
docker_parse_client_version(const char *out, struct docker_version *v)
{
	const char	*p;
	size_t		 len;

	memset(v, 0, sizeof *v);
	len = strcspn(out, "\n");
	if ((p = strstr(out, " version ")) == NULL || (size_t)(p - out) > len) {
		/* Something else answering to the name: say what it said. */
		v->version = xstrndup(out, len);
		return (-1);
	}
	v->podman = strncasecmp(out, "podman", 6) == 0;
	p += 9;
	v->version = xstrndup(p, strcspn(p, ", \n"));
	return (0);
}

/*
 * "\"20.10.24\"\n{...}"; an empty answer means no separate server. A
 * version that does not decode is kept as it was said, escaped.
 */
int
docker_parse_server_version(const char *out, struct docker_version *v)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*nl;
	char		*first;

	memset(v, 0, sizeof *v);
	if ((nl = strchr(out, '\n')) == NULL || nl == out) {
		v->version = xstrdup("");
		return (-1);
	}
	first = xstrndup(out, nl - out);
	if (docker_decode_value(first, &sb) == -1)
		strbuf_add_escaped(&sb, first);
	free(first);
	v->version = strbuf_detach(&sb);
	v->podman = strcasestr(nl, "podman") != NULL;
	return (0);
}

void
docker_version_free(struct docker_version *v)
{
	free(v->version);
	memset(v, 0, sizeof *v);
}

/* Parse image ls records, skipping (and naming in odd) odd ones. */
int
docker_parse_images(const char *text, struct image_list *l,
    struct strvec *odd)
{
	struct records		 r;
	struct imageinfo	*im;

	records_init(&r, text, M_COUNT, odd);
	while (records_next(&r, M_ID)) {
		l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
		im = &l->v[l->n++];
		memset(im, 0, sizeof *im);
		im->id = xstrdup(r.f.v[M_ID]);
		im->repository = xstrdup(r.f.v[M_REPOSITORY]);
		im->tag = xstrdup(r.f.v[M_TAG]);
		im->digest = xstrdup(r.f.v[M_DIGEST]);
		im->seeded = xstrdup("");
	}
	return (records_done(&r));
}

/* One image ID as another: podman's inspect says it without "sha256:". */
static int
same_image_id(const char *a, const char *b)
{
	if (strncmp(a, "sha256:", 7) == 0)
		a += 7;
	if (strncmp(b, "sha256:", 7) == 0)
		b += 7;
	return (strcmp(a, b) == 0);
}

/*
 * Fill in size and label from image inspect records, matched by ID; an
 * odd record is skipped (and named in odd), its images left unsized.
 */
int
docker_parse_image_details(const char *text, struct image_list *l,
    struct strvec *odd)
{
	struct records	 r;
	const char	*size;
	size_t		 i;

	records_init(&r, text, D_COUNT, odd);
	while (records_next(&r, D_ID)) {
		size = r.f.v[D_SIZE];
		if (strspn(size, "0123456789") != strlen(size)) {
			records_skip(&r, D_ID);
			continue;
		}
		for (i = 0; i < l->n; i++) {
			if (!same_image_id(l->v[i].id, r.f.v[D_ID]))
				continue;
			l->v[i].size = strtoull(size, NULL, 10);
			free(l->v[i].seeded);
			l->v[i].seeded = xstrdup(r.f.v[D_SEEDED]);
		}
	}
	return (records_done(&r));
}

/*
 * Every local image, whatever the number of images or engines, in two
 * docker calls: image ls, then one image inspect of the distinct IDs.
 */
int
docker_images(struct image_list *l, struct docker_result *res)
{
	struct strvec	 args = STRVEC_INIT;
	struct strbuf	 out = STRBUF_INIT;
	size_t		 i, j, first;
	int		 rc;

	memset(l, 0, sizeof *l);
	docker_result_reset(res);
	res->odd_what = "an image";
	strvec_push(&args, "image");
	strvec_push(&args, "ls");
	strvec_push(&args, "--no-trunc");
	push_format(&args, DR_IMAGE);
	rc = docker_call(&args, NULL, &out, DOCKER_TIMEOUT_MS, res);
	if (rc == 0)
		docker_parse_images(out.buf, l, &res->odd);
	strvec_clear(&args);
	if (rc != 0 || l->n == 0)
		goto out;
	strvec_push(&args, "image");
	strvec_push(&args, "inspect");
	push_format(&args, DR_IMAGE_DETAILS);
	first = args.n;
	for (i = 0; i < l->n; i++) {
		for (j = first; j < args.n; j++) {
			if (strcmp(args.v[j], l->v[i].id) == 0)
				break;
		}
		if (j == args.n)
			strvec_push(&args, l->v[i].id);
	}
	rc = docker_call(&args, NULL, &out, DOCKER_TIMEOUT_MS, res);
	/* An image removed between the two calls: keep the rest. */
	if (rc != 0 && res->err == DERR_IMAGE) {
		rc = 0;
		res->err = DERR_NONE;
	}
	if (rc == 0)
		docker_parse_image_details(out.buf, l, &res->odd);
out:
	strvec_clear(&args);
	strbuf_release(&out);
	return (rc);
}

/*
 * A repository as docker's image ls prints it: Docker Hub's own names
 * without docker.io/ (or index.docker.io/) and library/ in front. Podman
 * lists them fully qualified; both sides of a comparison go through here.
 */
static char *
normalise_repo(const char *repo)
{
	static const char *const	 hub[] = { "docker.io/",
	    "index.docker.io/", "registry-1.docker.io/", NULL };
	const char			*p = repo;
	size_t				 i, len;

	for (i = 0; hub[i] != NULL; i++) {
		len = strlen(hub[i]);
		if (strncmp(p, hub[i], len) == 0) {
			p += len;
			break;
		}
	}
	/* library/ is Docker Hub's, with or without the host. */
	if (strncmp(p, "library/", 8) == 0 && strchr(p + 8, '/') == NULL)
		p += 8;
	return (xstrdup(p));
}

/* A reference normalised as above, with ":latest" where no tag is given. */
static char *
normalise_ref(const char *ref)
{
	const char	*slash;
	char		*n = normalise_repo(ref), *r;

	slash = strrchr(n, '/');
	if (strchr(n, '@') == NULL &&
	    strchr(slash != NULL ? slash : n, ':') == NULL) {
		r = xasprintf("%s:latest", n);
		free(n);
		return (r);
	}
	return (n);
}

/* Whether a listed image is the one a normalised reference names. */
static int
image_is(const struct imageinfo *im, const char *n)
{
	char	*repo = normalise_repo(im->repository), *s;
	int	 hit;

	s = xasprintf("%s:%s", repo, im->tag);
	hit = strcmp(s, n) == 0;
	free(s);
	if (!hit && strcmp(im->digest, "<none>") != 0 &&
	    *im->digest != '\0') {
		s = xasprintf("%s@%s", repo, im->digest);
		hit = strcmp(s, n) == 0;
		free(s);
	}
	free(repo);
	return (hit);
}

/* The local image a reference names, by repository:tag or @digest. */
const struct imageinfo *
docker_find_image(const struct image_list *l, const char *ref)
{
	char	*n = normalise_ref(ref);
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		if (image_is(&l->v[i], n))
			break;
	}
	free(n);
	return (i < l->n ? &l->v[i] : NULL);
}

void
image_list_free(struct image_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].repository);
		free(l->v[i].tag);
		free(l->v[i].digest);
		free(l->v[i].seeded);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/*
 * The image of every container, dbarena's or not, running or not, in one
 * call. Docker prints the reference the container was made from while it
 * still names the container's image, and the image ID otherwise. A line
 * that does not decode fails the call rather than being skipped: prune
 * must know every image in use.
 */
int
docker_container_images(struct strvec *images, struct docker_result *res)
{
	struct strvec	 args = STRVEC_INIT;
	struct strbuf	 out = STRBUF_INIT;
	int		 rc;

	docker_result_reset(res);
	strvec_push(&args, "ps");
	strvec_push(&args, "--all");
	strvec_push(&args, "--no-trunc");
	strvec_push(&args, "--format");
	strvec_push(&args, "{{json .Image}}");
	rc = docker_call(&args, NULL, &out, DOCKER_TIMEOUT_MS, res);
	if (rc == 0 && decode_lines(out.buf, images) == -1) {
		res->err = DERR_OTHER;
		strbuf_adds(&res->msg, "unexpected output from docker ps");
		rc = -1;
	}
	strvec_clear(&args);
	strbuf_release(&out);
	return (rc);
}

/*
 * Whether any container uses the image with this ID: by its ID (full or
 * short, with or without "sha256:"), or by a reference to it. A reference
 * that names no local image is taken as using every image of that
 * repository: unsure means in use.
 */
int
docker_image_in_use(const struct image_list *l, const char *id,
    const struct strvec *used)
{
	const struct imageinfo	*im;
	const char		*hex = id, *u;
	char			*n, *repo;
	size_t			 i, j, len;
	int			 hit;

	if (strncmp(hex, "sha256:", 7) == 0)
		hex += 7;
	for (i = 0; i < used->n; i++) {
		u = used->v[i];
		if (strncmp(u, "sha256:", 7) == 0)
			u += 7;
		len = strlen(u);
		if (len >= 12 && strncmp(hex, u, len) == 0)
			return (1);
		if ((im = docker_find_image(l, used->v[i])) != NULL) {
			if (strcmp(im->id, id) == 0)
				return (1);
			continue;
		}
		/* Unknown reference: its repository, without tag or digest. */
		n = normalise_ref(used->v[i]);
		n[strcspn(n, "@")] = '\0';
		if ((u = strrchr(n, ':')) != NULL && strchr(u, '/') == NULL)
			n[u - n] = '\0';
		hit = 0;
		for (j = 0; j < l->n && !hit; j++) {
			if (strcmp(l->v[j].id, id) != 0)
				continue;
			repo = normalise_repo(l->v[j].repository);
			hit = strcmp(repo, n) == 0;
			free(repo);
		}
		free(n);
		if (hit)
			return (1);
	}
	return (0);
}

/*
 * Which of refs an image rm removed, from its "Untagged: REF" lines: docker
 * prints Docker Hub's names short, podman fully qualified, so both are
 * normalised. The references are added to gone as the caller spelled them.
 */
void
docker_parse_untagged(const char *text, const struct strvec *refs,
    struct strvec *gone)
{
	const char	*line, *nl;
	char		*said, *n;
	size_t		 i;

	for (line = text; *line != '\0'; line = nl + (*nl != '\0')) {
		nl = line + strcspn(line, "\n");
		if (strncmp(line, "Untagged: ", 10) != 0)
			continue;
		said = xstrndup(line + 10, nl - line - 10);
		n = normalise_ref(said);
		free(said);
		for (i = 0; i < refs->n; i++) {
			said = normalise_ref(refs->v[i]);
			if (strcmp(said, n) == 0)
				strvec_push(gone, refs->v[i]);
			free(said);
		}
		free(n);
	}
}

/*
 * Remove images by reference, in one call; without --force, so docker
 * refuses an image a container started using meanwhile. The references
 * it did remove are added to gone, even when it failed for others.
 */
int
docker_remove_images(const struct strvec *refs, struct strvec *gone,
    struct docker_result *res)
{
	struct strvec	 args = STRVEC_INIT;
	struct strbuf	 out = STRBUF_INIT;
	int		 rc;

	docker_result_reset(res);
	strvec_push(&args, "image");
	strvec_push(&args, "rm");
	strvec_pushvec(&args, refs);
	rc = docker_call(&args, NULL, &out, DOCKER_TIMEOUT_MS, res);
	docker_parse_untagged(out.buf, refs, gone);
	strvec_clear(&args);
	strbuf_release(&out);
	return (rc);
}

/*
 * "pull [--quiet] IMAGE", program first. Without --quiet docker draws
 * its progress, when its stdout is a terminal.
 */
void
docker_pull_argv(struct strvec *argv, const char *image, int quiet)
{
	docker_argv(argv);
	strvec_push(argv, "pull");
	if (quiet)
		strvec_push(argv, "--quiet");
	strvec_push(argv, image);
}

/* Whatever else stops a pull, the image is not there. */
static void
pull_failed(struct docker_result *res)
{
	if (res->err == DERR_OTHER)
		res->err = DERR_IMAGE;
}

/*
 * Start a pull the caller waits for: drawing its progress on our
 * terminal (stdout inherited), or quiet with stdout piped. Its stderr
 * is piped, for the caller to collect in res->msg; the caller may set
 * c->cancel first. Returns 0, or -1 with res when it did not start.
 */
int
docker_pull_start(struct child *c, const char *image, int draw,
    struct docker_result *res)
{
	docker_result_reset(res);
	docker_pull_argv(&c->argv, image, !draw);
	c->out = draw ? CHILD_INHERIT : CHILD_PIPE;
	c->err = CHILD_PIPE;
	c->timeout_ms = docker_timeout(DOCKER_LONG_TIMEOUT_MS);
	if (child_start(c) == 0)
		return (0);
	res->err = docker_classify(-1, "");
	child_clear(c);
	return (-1);
}

/* A started pull that ended with rc, its stderr in res->msg: what it says. */
void
docker_pull_finish(struct child *c, int rc, struct docker_result *res)
{
	res->err = c->timed_out ? DERR_TIMEOUT :
	    docker_classify(rc, res->msg.buf);
	pull_failed(res);
	child_clear(c);
}

/*
 * A quiet pull, run to the end (or an interrupt) with docker_call's
 * retries.
 */
int
docker_pull(const char *image, struct docker_result *res)
{
	const char *const	words[] = { "pull", "--quiet", image, NULL };
	int			rc;

	if ((rc = call_words(words, NULL, DOCKER_LONG_TIMEOUT_MS, res)) != 0)
		pull_failed(res);
	return (rc);
}

/* "build --tag TAG [--build-arg NAME]... --label dbarena.managed=true DIR" */
static void
build_args(struct strvec *argv, const char *dir, const char *tag,
    const struct strvec *secret_env)
{
	char	*name;
	size_t	 i;

	docker_argv(argv);
	strvec_push(argv, "build");
	strvec_push(argv, "--tag");
	strvec_push(argv, tag);
	/* Secrets reach the build by name, from our environment. */
	for (i = 0; i < secret_env->n; i++) {
		name = xstrndup(secret_env->v[i],
		    strcspn(secret_env->v[i], "="));
		strvec_push(argv, "--build-arg");
		strvec_push(argv, name);
		free(name);
	}
	push_label(argv, DL_MANAGED, "true");
	strvec_push(argv, dir);
}

/*
 * Build an image from a directory, the secrets ("K=V") in docker's
 * environment. Where the CLI refuses for want of buildx, the classic
 * builder is asked instead. Its whole output (stdout and stderr in one)
 * is in res->msg; a failure of the build itself is DERR_OTHER. Its own
 * process group: a Ctrl-C must stop it through us.
 */
int
docker_build(const char *dir, const char *tag, const struct strvec *secret_env,
    long long timeout_ms, struct docker_result *res)
{
	struct child	c = CHILD_INIT;
	int		rc = -1, attempt;

	docker_result_reset(res);
	for (attempt = 0; attempt < 2; attempt++) {
		c = (struct child)CHILD_INIT;
		build_args(&c.argv, dir, tag, secret_env);
		strvec_pushvec(&c.env, secret_env);
		if (attempt == 1)
			strvec_push(&c.env, "DOCKER_BUILDKIT=0");
		c.err_to_out = 1;
		c.timeout_ms = docker_timeout(timeout_ms);
		c.cancel = interrupted;
		strbuf_reset(&res->msg);
		rc = child_capture(&c, &res->msg, NULL);
		/* Before child_clear, which may touch errno. */
		if (rc == -1)
			res->err = docker_classify(-1, "");
		else if (rc != 0)
			res->err = c.timed_out ? DERR_TIMEOUT : DERR_OTHER;
		child_clear(&c);
		if (rc == 0 || interrupted())
			break;
		if (strstr(res->msg.buf, "buildx") == NULL &&
		    strstr(res->msg.buf, "BuildKit") == NULL)
			break;
	}
	return (rc == 0 ? 0 : -1);
}
