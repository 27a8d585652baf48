/*
 * Loading engine and profile files. One schema per kind of file says which
 * [section] key pairs exist and what values they take; anything else is an
 * error naming FILE:LINE and the key, never silently ignored. inih does the
 * parsing, fed through our own reader so we know the line being handled,
 * refuse binary or oversized files and lines longer than inih would keep.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "config.h"
#include "probe.h"

#define MAX_FILE_SIZE	(256 * 1024)
#define MAX_INHERIT	16

enum value_type {
	T_TEXT,
	T_ENUM,
	T_SIZE,
	T_UINT,
	T_CPUS,
	T_DURATION,
	T_WORDS,
	T_SQL,		/* statements; continued over lines like words */
	T_REGEX,
	T_NAME,
	T_MEMORY,
	T_REGISTRY,
	T_PROBE,
	T_PROGRAMS,
	T_PACKAGE,
	T_ERROR_LINE,
	T_FILE_NAME,
	T_LINES
};

struct schema {
	const char	*section;
	const char	*key;
	enum value_type	 type;
	int		 index;
	const char	*arg;		/* enum values, or "min-max" */
};

static const struct schema profile_schema[] = {
	{ "profile", "description", T_TEXT, P_DESCRIPTION, NULL },
	{ "profile", "inherits", T_NAME, P_INHERITS, NULL },
	{ "storage", "type", T_ENUM, P_STORAGE, "tmpfs|volume|container" },
	{ "storage", "tmpfs_size", T_SIZE, P_TMPFS_SIZE, NULL },
	{ "server", "durability", T_ENUM, P_DURABILITY, "off|on" },
	{ "server", "flags", T_WORDS, P_FLAGS, NULL },
	{ "resources", "memory", T_MEMORY, P_MEMORY, NULL },
	{ "resources", "cpus", T_CPUS, P_CPUS, NULL },
	{ "cdc", "enabled", T_ENUM, P_CDC, "off|on" },
	{ "cdc", "slots", T_UINT, P_CDC_SLOTS, "1-1000" },
	{ "cdc", "senders", T_UINT, P_CDC_SENDERS, "1-1000" },
	{ "cdc", "server_id", T_UINT, P_SERVER_ID, "1-4294967295" },
	{ "health", "timeout", T_DURATION, P_TIMEOUT, NULL },
	{ "image", "registry", T_REGISTRY, P_REGISTRY, NULL },
	{ NULL, NULL, 0, 0, NULL }
};

const char *const profile_key_names[P_MAX] = {
	"profile.description", "profile.inherits", "storage.type",
	"storage.tmpfs_size", "server.durability", "server.flags",
	"resources.memory", "resources.cpus", "cdc.enabled", "cdc.slots",
	"cdc.senders", "cdc.server_id", "health.timeout", "image.registry"
};

static const struct schema engine_schema[] = {
	{ "engine", "description", T_TEXT, E_DESCRIPTION, NULL },
	{ "engine", "image", T_TEXT, E_IMAGE, NULL },
	{ "engine", "default_version", T_TEXT, E_DEFAULT_VERSION, NULL },
	{ "engine", "port", T_UINT, E_PORT, "1-65535" },
	{ "engine", "data_dir", T_TEXT, E_DATA_DIR, NULL },
	{ "engine", "tmpfs", T_ENUM, E_TMPFS, "yes|no" },
	{ "engine", "memory", T_MEMORY, E_MEMORY, NULL },
	{ "engine", "command", T_WORDS, E_COMMAND, NULL },
	{ "engine", "ready_log", T_REGEX, E_READY_LOG, NULL },
	{ "engine", "probe", T_PROBE, E_PROBE, NULL },
	{ "engine", "health", T_WORDS, E_HEALTH, NULL },
	{ "engine", "url", T_TEXT, E_URL, NULL },
	{ "credentials", "user_var", T_TEXT, E_USER_VAR, NULL },
	{ "credentials", "password_var", T_TEXT, E_PASSWORD_VAR, NULL },
	{ "credentials", "database_var", T_TEXT, E_DATABASE_VAR, NULL },
	{ "credentials", "user", T_TEXT, E_USER, NULL },
	{ "credentials", "password", T_TEXT, E_PASSWORD, NULL },
	{ "credentials", "database", T_TEXT, E_DATABASE, NULL },
	{ "flags", "durability_off", T_WORDS, E_DURABILITY_OFF, NULL },
	{ "flags", "durability_on", T_WORDS, E_DURABILITY_ON, NULL },
	{ "flags", "cdc_on", T_WORDS, E_CDC_ON, NULL },
	{ "flags", "cdc_off", T_WORDS, E_CDC_OFF, NULL },
	{ "cdc", "check", T_WORDS, E_CDC_CHECK, NULL },
	{ "cdc", "check_expect", T_REGEX, E_CDC_EXPECT, NULL },
	{ "client", "shell", T_WORDS, E_SHELL, NULL },
	{ "client", "init", T_WORDS, E_INIT, NULL },
	{ "client", "password_env", T_TEXT, E_PASSWORD_ENV, NULL },
	{ "client", "env", T_WORDS, E_ENV, NULL },
	{ "client", "exec_env", T_WORDS, E_EXEC_ENV, NULL },
	{ "client", "local_client", T_PROGRAMS, E_LOCAL_CLIENT, NULL },
	{ "client", "local_package", T_PACKAGE, E_LOCAL_PACKAGE, NULL },
	{ "client", "init_error", T_ERROR_LINE, E_INIT_ERROR, NULL },
	{ "client", "option_file", T_FILE_NAME, E_OPTION_FILE, NULL },
	{ "client", "option_text", T_LINES, E_OPTION_TEXT, NULL },
	{ "client", "exec_option_text", T_LINES, E_EXEC_OPTION_TEXT, NULL },
	{ "snapshot", "library", T_ENUM, E_SNAP_LIBRARY, "libpq|libmariadb" },
	{ "snapshot", "exec", T_WORDS, E_SNAP_EXEC, NULL },
	{ "snapshot", "exec_stdin", T_WORDS, E_SNAP_EXEC_STDIN, NULL },
	{ "snapshot", "connect_database", T_TEXT, E_SNAP_CONNECT, NULL },
	{ "snapshot", "session", T_SQL, E_SNAP_SESSION, NULL },
	{ "snapshot", "lock", T_SQL, E_SNAP_LOCK, NULL },
	{ "snapshot", "list", T_SQL, E_SNAP_LIST, NULL },
	{ "snapshot", "size", T_SQL, E_SNAP_SIZE, NULL },
	{ "snapshot", "sessions", T_SQL, E_SNAP_SESSIONS, NULL },
	{ "snapshot", "end_session", T_SQL, E_SNAP_END_SESSION, NULL },
	{ "snapshot", "take_ends_sessions", T_ENUM, E_SNAP_TAKE_ENDS, "yes|no" },
	{ "snapshot", "slots", T_SQL, E_SNAP_SLOTS, NULL },
	{ "snapshot", "drop_slot", T_SQL, E_SNAP_DROP_SLOT, NULL },
	{ "snapshot", "create_slot", T_SQL, E_SNAP_CREATE_SLOT, NULL },
	{ "snapshot", "copy", T_SQL, E_SNAP_COPY, NULL },
	{ "snapshot", "empty", T_SQL, E_SNAP_EMPTY, NULL },
	{ "snapshot", "tables", T_SQL, E_SNAP_TABLES, NULL },
	{ "snapshot", "table_ddl", T_SQL, E_SNAP_TABLE_DDL, NULL },
	{ "snapshot", "columns", T_SQL, E_SNAP_COLUMNS, NULL },
	{ "snapshot", "copy_begin", T_SQL, E_SNAP_COPY_BEGIN, NULL },
	{ "snapshot", "copy_table", T_SQL, E_SNAP_COPY_TABLE, NULL },
	{ "snapshot", "seal", T_SQL, E_SNAP_SEAL, NULL },
	{ "snapshot", "swap", T_SQL, E_SNAP_SWAP, NULL },
	{ "snapshot", "swap_pair", T_SQL, E_SNAP_SWAP_PAIR, NULL },
	{ "snapshot", "rename", T_SQL, E_SNAP_RENAME, NULL },
	{ "snapshot", "rename_tables", T_SQL, E_SNAP_RENAME_TABLES, NULL },
	{ "snapshot", "restore", T_SQL, E_SNAP_RESTORE, NULL },
	{ "snapshot", "drop", T_SQL, E_SNAP_DROP, NULL },
	{ NULL, NULL, 0, 0, NULL }
};

static const char *engine_required[] = {
	"image", "default_version", "port", "data_dir", NULL
};

static char	*sysconf_dir = "/etc";
static char	*data_dir = "/usr/share/dbarena";

struct parse {
	const char		*path;
	const char		*buf;
	size_t			 len;
	size_t			 pos;
	int			 line;
	int			 too_long;
	const struct schema	*schema;
	struct setting		*set;
	struct kvlist		*env;
	struct engine		*engine;	/* NULL for profiles */
	char			*err;
	int			 errline;
};

void
config_set_dirs(const char *sysconfdir, const char *datadir)
{
	const char	*e;

	if (sysconfdir != NULL)
		sysconf_dir = xstrdup(sysconfdir);
	if ((e = getenv("DBARENA_DATA_DIR")) != NULL && *e != '\0')
		data_dir = xstrdup(e);
	else if (datadir != NULL)
		data_dir = xstrdup(datadir);
}

/* First match wins: the user's, the administrator's, then the shipped. */
void
config_search_dirs(const char *kind, struct strvec *dirs)
{
	const char	*xdg, *home;

	if ((xdg = getenv("XDG_CONFIG_HOME")) != NULL && *xdg == '/')
		strvec_pushf(dirs, "%s/dbarena/%s", xdg, kind);
	else if ((home = getenv("HOME")) != NULL && *home == '/')
		strvec_pushf(dirs, "%s/.config/dbarena/%s", home, kind);
	strvec_pushf(dirs, "%s/dbarena/%s", sysconf_dir, kind);
	strvec_pushf(dirs, "%s/%s", data_dir, kind);
}

static int
is_path(const char *s)
{
	size_t	len = strlen(s);

	return (strchr(s, '/') != NULL ||
	    (len > 4 && strcmp(s + len - 4, ".ini") == 0));
}

/*
 * Find NAME.ini of a kind. With skip set, directories up to and including
 * the one holding skip are passed over: a profile that inherits its own
 * name extends the next one along the path.
 */
static char *
config_find(const char *kind, const char *name, const char *skip)
{
	struct strvec	 dirs = STRVEC_INIT;
	struct stat	 st;
	char		*path, *found = NULL;
	size_t		 i;
	int		 skipping = skip != NULL;

	config_search_dirs(kind, &dirs);
	for (i = 0; i < dirs.n && found == NULL; i++) {
		path = xasprintf("%s/%s.ini", dirs.v[i], name);
		if (skipping) {
			if (strcmp(path, skip) == 0)
				skipping = 0;
			free(path);
			continue;
		}
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			found = path;
		else
			free(path);
	}
	strvec_clear(&dirs);
	return (found);
}

void
config_list(const char *kind, struct strvec *names, struct strvec *paths)
{
	struct strvec	 dirs = STRVEC_INIT;
	struct dirent	*de;
	DIR		*d;
	char		*n, *tmp;
	size_t		 i, j, len;
	int		 dup;

	config_search_dirs(kind, &dirs);
	for (i = 0; i < dirs.n; i++) {
		if ((d = opendir(dirs.v[i])) == NULL)
			continue;
		while ((de = readdir(d)) != NULL) {
			len = strlen(de->d_name);
			if (len <= 4 || de->d_name[0] == '.' ||
			    strcmp(de->d_name + len - 4, ".ini") != 0)
				continue;
			n = xstrndup(de->d_name, len - 4);
			dup = 0;
			for (j = 0; j < names->n; j++)
				dup |= strcmp(names->v[j], n) == 0;
			if (!dup) {
				strvec_push(names, n);
				strvec_pushf(paths, "%s/%s", dirs.v[i],
				    de->d_name);
			}
			free(n);
		}
		closedir(d);
	}
	strvec_clear(&dirs);
	/* Sort both vectors by name; lists are short. */
	for (i = 1; i < names->n; i++) {
		for (j = i; j > 0 &&
		    strcmp(names->v[j - 1], names->v[j]) > 0; j--) {
			tmp = names->v[j];
			names->v[j] = names->v[j - 1];
			names->v[j - 1] = tmp;
			tmp = paths->v[j];
			paths->v[j] = paths->v[j - 1];
			paths->v[j - 1] = tmp;
		}
	}
}

const char *
kvlist_get(const struct kvlist *l, const char *key)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].key, key) == 0)
			return (l->v[i].s.value);
	}
	return (NULL);
}

void
kvlist_set(struct kvlist *l, const char *key, const char *value,
    const char *origin)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].key, key) == 0)
			break;
	}
	if (i == l->n) {
		if (l->n == l->alloc) {
			l->alloc = l->alloc < 8 ? 8 : l->alloc * 2;
			l->v = xreallocarray(l->v, l->alloc, sizeof *l->v);
		}
		l->v[l->n].key = xstrdup(key);
		l->n++;
	} else {
		free(l->v[i].s.value);
		free(l->v[i].s.origin);
	}
	l->v[i].s.value = xstrdup(value);
	l->v[i].s.origin = xstrdup(origin != NULL ? origin : "");
}

void
kvlist_free(struct kvlist *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].s.value);
		free(l->v[i].s.origin);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

int
conf_bool(const char *s)
{
	return (s != NULL && (strcmp(s, "on") == 0 || strcmp(s, "yes") == 0 ||
	    strcmp(s, "true") == 0 || strcmp(s, "1") == 0));
}

/*
 * The line of a client's output that says why an --init script failed:
 * the first line where the engine's init_error pattern matches, else the
 * first line that is not blank. The pattern's capture group, when it has
 * one, is the client's name for its input ("<stdin>"), and the script's
 * file name takes its place. Returns the end of that line in text, for
 * the lines of context after it.
 */
const char *
init_error_line(const char *pattern, const char *text, const char *file,
    struct strbuf *line)
{
	pcre2_code		*re = NULL;
	pcre2_match_data	*md = NULL;
	PCRE2_SIZE		*ov, gs = 0, ge = 0, eoff;
	const char		*p = NULL, *nl;
	int			 ecode;

	if (pattern != NULL)
		re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
		    PCRE2_MULTILINE, &ecode, &eoff, NULL);
	if (re != NULL) {
		md = pcre2_match_data_create_from_pattern(re, NULL);
		if (pcre2_match(re, (PCRE2_SPTR)text, strlen(text), 0, 0, md,
		    NULL) >= 0) {
			ov = pcre2_get_ovector_pointer(md);
			for (p = text + ov[0]; p > text && p[-1] != '\n'; p--)
				;
			if (pcre2_get_ovector_count(md) > 1 &&
			    ov[2] != PCRE2_UNSET) {
				gs = ov[2];
				ge = ov[3];
			}
		}
		pcre2_match_data_free(md);
		pcre2_code_free(re);
	}
	if (p == NULL)
		p = text + strspn(text, " \t\n");
	nl = p + strcspn(p, "\n");
	strbuf_reset(line);
	if (ge > gs && text + gs >= p && text + ge <= nl) {
		strbuf_add(line, p, text + gs - p);
		strbuf_adds(line, file);
		strbuf_add(line, text + ge, nl - (text + ge));
	} else
		strbuf_add(line, p, nl - p);
	return (nl);
}

static void
setting_set(struct setting *s, const char *value, const char *origin)
{
	free(s->value);
	free(s->origin);
	s->value = xstrdup(value);
	s->origin = xstrdup(origin);
}

static void
setting_free(struct setting *s)
{
	free(s->value);
	free(s->origin);
	s->value = s->origin = NULL;
}

static int
enum_ok(const char *choices, const char *v)
{
	const char	*p = choices, *bar;
	size_t		 len;

	for (;;) {
		bar = strchr(p, '|');
		len = bar != NULL ? (size_t)(bar - p) : strlen(p);
		if (strlen(v) == len && strncmp(p, v, len) == 0)
			return (1);
		if (bar == NULL)
			return (0);
		p = bar + 1;
	}
}

/*
 * A PCRE2 pattern, with at most maxgroups capture groups (-1: any); NULL
 * when it is good, else what was expected.
 */
static char *
check_pattern(const char *v, int maxgroups)
{
	pcre2_code	*re;
	uint32_t	 groups = 0;
	int		 ecode;
	PCRE2_SIZE	 eoff;
	PCRE2_UCHAR	 emsg[128];

	re = pcre2_compile((PCRE2_SPTR)v, PCRE2_ZERO_TERMINATED, 0, &ecode,
	    &eoff, NULL);
	if (re == NULL) {
		pcre2_get_error_message(ecode, emsg, sizeof emsg);
		return (xasprintf("a PCRE2 pattern (%s at offset %zu)",
		    (char *)emsg, (size_t)eoff));
	}
	pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &groups);
	pcre2_code_free(re);
	if (maxgroups >= 0 && groups > (uint32_t)maxgroups)
		return (xasprintf("a PCRE2 pattern with at most %d capture "
		    "group (use (?:...) for the others)", maxgroups));
	return (NULL);
}

/* The protocols probe.c speaks, or none: the table there is the list. */
static char *
check_probe(const char *v)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*k;
	size_t		 i;

	if (strcmp(v, "none") == 0 || probe_known(v))
		return (NULL);
	strbuf_adds(&sb, "one of ");
	for (i = 0; (k = probe_kind_name(i)) != NULL; i++)
		strbuf_addf(&sb, "%s|", k);
	strbuf_adds(&sb, "none");
	return (strbuf_detach(&sb));
}

/* Words that are each a plain program name, looked for on PATH. */
static char *
check_programs(const char *v)
{
	struct strvec	 words = STRVEC_INIT;
	char		*err = NULL;
	size_t		 i;
	int		 ok;

	if (strvec_split(&words, v, &err) == -1) {
		strvec_clear(&words);
		return (err);
	}
	ok = words.n > 0;
	for (i = 0; ok && i < words.n; i++)
		ok = words.v[i][0] != '-' && words.v[i][0] != '\0' &&
		    words.v[i][strspn(words.v[i],
		    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789._+-")] == '\0';
	strvec_clear(&words);
	if (!ok)
		return (xstrdup("program names without a path, such as "
		    "'mariadb mysql'"));
	return (NULL);
}

/* The types only engine files use. */
static char *
check_engine_value(const struct schema *sc, const char *v)
{
	switch (sc->type) {
	case T_PROBE:
		return (check_probe(v));
	case T_PROGRAMS:
		return (check_programs(v));
	case T_PACKAGE:
		/* Debian's rule for a package name. */
		if (strlen(v) < 2 || strchr("abcdefghijklmnopqrstuvwxyz"
		    "0123456789", *v) == NULL || v[strspn(v,
		    "abcdefghijklmnopqrstuvwxyz0123456789+.-")] != '\0')
			return (xstrdup("a package name such as "
			    "postgresql-client"));
		return (NULL);
	case T_ERROR_LINE:
		/* The one group is the client's name for its input. */
		return (check_pattern(v, 1));
	case T_FILE_NAME:
		/* Made in a directory dbarena owns, never beside it. */
		if (strchr(v, '/') != NULL || strcmp(v, ".") == 0 ||
		    strcmp(v, "..") == 0 || strpbrk(v, "\t\n\r") != NULL)
			return (xstrdup("a file name without a directory, "
			    "such as my.cnf"));
		return (NULL);
	default:
		return (NULL);
	}
}

/* Returns NULL when the value is good, else what was expected. */
static char *
check_value(const struct schema *sc, const char *v)
{
	unsigned long long	 size;
	unsigned long		 u, min, max;
	long long		 ms;
	struct strvec		 words = STRVEC_INIT;
	char			*err = NULL, *end;
	double			 d;

	switch (sc->type) {
	case T_TEXT:
	case T_LINES:
		if (strpbrk(v, "\t\n\r") != NULL)
			return (xstrdup("text without tabs or newlines"));
		return (NULL);
	case T_NAME:
		if (!valid_name(v) || (strlen(v) > 4 &&
		    strcmp(v + strlen(v) - 4, ".ini") == 0))
			return (xstrdup("a profile name (not a file)"));
		return (NULL);
	case T_ENUM:
		if (!enum_ok(sc->arg, v))
			return (xasprintf("one of %s", sc->arg));
		return (NULL);
	case T_SIZE:
		if (parse_size(v, &size) == -1)
			return (xstrdup("a size such as 512m or 2g"));
		return (NULL);
	case T_MEMORY:
		if (!valid_memory(v))
			return (xstrdup("a memory size of 6m or more, such as "
			    "512m or 2g"));
		return (NULL);
	case T_REGISTRY:
		if (!valid_registry(v))
			return (xstrdup("a registry host such as "
			    "mirror.example:5000"));
		return (NULL);
	case T_UINT:
		min = strtoul(sc->arg, &end, 10);
		max = strtoul(end + 1, NULL, 10);
		if (parse_uint(v, min, max, &u) == -1)
			return (xasprintf("a whole number from %s", sc->arg));
		return (NULL);
	case T_CPUS:
		d = strtod(v, &end);
		if (end == v || *end != '\0' || !(d > 0 && d <= 1024))
			return (xstrdup("a number of CPUs such as 0.5 or 2"));
		return (NULL);
	case T_DURATION:
		if (parse_duration_ms(v, &ms) == -1 || ms == 0)
			return (xstrdup("a duration such as 60s or 2m"));
		return (NULL);
	case T_WORDS:
		if (strvec_split(&words, v, &err) == -1) {
			strvec_clear(&words);
			return (err);
		}
		strvec_clear(&words);
		return (NULL);
	case T_REGEX:
		return (check_pattern(v, -1));
	case T_SQL:
		return (NULL);	/* the server judges it */
	default:
		return (check_engine_value(sc, v));
	}
}

static int
fail(struct parse *p, char *msg)
{
	if (p->err == NULL) {
		p->err = msg;
		p->errline = p->line;
	} else
		free(msg);
	return (0);
}

static struct engine_version *
version_section(struct parse *p, const char *section)
{
	struct engine		*e = p->engine;
	struct engine_version	*v;
	const char		*name;
	size_t			 len, i;

	if (strncmp(section, "version \"", 9) != 0)
		return (NULL);
	name = section + 9;
	len = strlen(name);
	if (len < 2 || name[len - 1] != '"')
		return (NULL);
	for (i = 0; i < e->nversions; i++) {
		if (strncmp(e->versions[i].version, name, len - 1) == 0 &&
		    e->versions[i].version[len - 1] == '\0')
			return (&e->versions[i]);
	}
	e->versions = xreallocarray(e->versions, e->nversions + 1,
	    sizeof *e->versions);
	v = &e->versions[e->nversions++];
	memset(v, 0, sizeof *v);
	v->version = xstrndup(name, len - 1);
	return (v);
}

static int
handler(void *arg, const char *section, const char *key, const char *value)
{
	struct parse		*p = arg;
	const struct schema	*sc;
	struct engine_version	*ver;
	struct setting		*dst = NULL;
	struct schema		 vsc;
	char			*origin, *why, *joined;
	int			 words = 0;

	if (p->err != NULL)
		return (1);	/* report the first problem only */
	origin = xasprintf("%s:%d", p->path, p->line);
	if (strcmp(section, "environment") == 0) {
		if (!valid_env_name(key, strlen(key))) {
			free(origin);
			return (fail(p, xasprintf("bad environment variable "
			    "name '%s'", key)));
		}
		if (kvlist_get(p->env, key) != NULL) {
			free(origin);
			return (fail(p, xasprintf("duplicate key '%s' in "
			    "[environment]", key)));
		}
		kvlist_set(p->env, key, value, origin);
		free(origin);
		return (1);
	}
	/* Free-form: what "dbarena cdc" prints, templates as values. */
	if (p->engine != NULL && strcmp(section, "connector") == 0) {
		if (kvlist_get(&p->engine->connector, key) != NULL) {
			free(origin);
			return (fail(p, xasprintf("duplicate key '%s' in "
			    "[connector]", key)));
		}
		kvlist_set(&p->engine->connector, key, value, origin);
		free(origin);
		return (1);
	}
	if (p->engine != NULL && (ver = version_section(p, section)) != NULL) {
		memset(&vsc, 0, sizeof vsc);
		vsc.type = T_TEXT;
		if (strcmp(key, "tag") == 0)
			dst = &ver->tag;
		else if (strcmp(key, "data_dir") == 0)
			dst = &ver->data_dir;
		else if (strcmp(key, "health") == 0) {
			dst = &ver->health;
			vsc.type = T_WORDS;
		} else if (strcmp(key, "shell") == 0) {
			dst = &ver->shell;
			vsc.type = T_WORDS;
		} else if (strcmp(key, "init") == 0) {
			dst = &ver->init;
			vsc.type = T_WORDS;
		} else if (strcmp(key, "snapshot_copy") == 0) {
			dst = &ver->snapshot_copy;
			vsc.type = T_SQL;
		}
		sc = &vsc;
	} else {
		for (sc = p->schema; sc->section != NULL; sc++) {
			if (strcmp(sc->section, section) == 0 &&
			    strcmp(sc->key, key) == 0)
				break;
		}
		if (sc->section != NULL)
			dst = &p->set[sc->index];
	}
	if (dst == NULL) {
		free(origin);
		return (fail(p, xasprintf("unknown key '%s' in [%s]", key,
		    section)));
	}
	words = sc->type == T_WORDS || sc->type == T_LINES ||
	    sc->type == T_SQL;
	if ((why = check_value(sc, value)) != NULL) {
		free(origin);
		fail(p, xasprintf("bad value '%s' for '%s' in [%s]: "
		    "expected %s", value, key, section, why));
		free(why);
		return (0);
	}
	/*
	 * Each file is parsed into fresh settings, so a value already here
	 * was set earlier in this file: inih hands continuation lines over
	 * as the same key again, which only word lists and lines may take
	 * (a line each: the text of a file).
	 */
	if (dst->value != NULL) {
		if (!words) {
			free(origin);
			return (fail(p, xasprintf("duplicate key '%s' in [%s]",
			    key, section)));
		}
		joined = xasprintf("%s%c%s", dst->value,
		    sc->type == T_LINES ? '\n' : ' ', value);
		free(dst->value);
		dst->value = joined;
		free(origin);
		return (1);
	}
	setting_set(dst, value, origin);
	free(origin);
	return (1);
}

static char *
reader(char *str, int num, void *arg)
{
	struct parse	*p = arg;
	size_t		 n = 0;

	if (p->pos >= p->len)
		return (NULL);
	p->line++;
	while (p->pos < p->len && n + 1 < (size_t)num) {
		str[n++] = p->buf[p->pos];
		if (p->buf[p->pos++] == '\n')
			break;
	}
	str[n] = '\0';
	if (n > 0 && str[n - 1] != '\n' && p->pos < p->len) {
		/* inih would split this line silently: refuse it instead. */
		if (!p->too_long)
			fail(p, xasprintf("line longer than %d characters",
			    num - 2));
		p->too_long = 1;
		while (p->pos < p->len && p->buf[p->pos++] != '\n')
			;
	}
	return (str);
}

static char *
read_file(const char *path, size_t *len, char **err)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct stat	 st;
	char		 buf[8192];
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return (NULL);
	}
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		close(fd);
		*err = xasprintf("%s: not a regular file", path);
		return (NULL);
	}
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		strbuf_add(&sb, buf, n);
		if (sb.len > MAX_FILE_SIZE) {
			close(fd);
			strbuf_release(&sb);
			*err = xasprintf("%s: file larger than %d KiB", path,
			    MAX_FILE_SIZE / 1024);
			return (NULL);
		}
	}
	close(fd);
	if (n == -1) {
		strbuf_release(&sb);
		*err = xasprintf("%s: %s", path, strerror(errno));
		return (NULL);
	}
	if (memchr(sb.buf, '\0', sb.len) != NULL) {
		strbuf_release(&sb);
		*err = xasprintf("%s: binary file (contains NUL bytes)", path);
		return (NULL);
	}
	*len = sb.len;
	return (strbuf_detach(&sb));
}

static int
parse_file(struct parse *p, char **err)
{
	char	*buf;
	int	 rc;

	if ((buf = read_file(p->path, &p->len, err)) == NULL)
		return (-1);
	p->buf = buf;
	rc = ini_parse_stream(reader, p, handler, p);
	free(buf);
	if (p->err != NULL && (rc <= 0 || p->errline <= rc)) {
		*err = xasprintf("%s:%d: %s", p->path, p->errline, p->err);
		free(p->err);
		return (-1);
	}
	free(p->err);
	if (rc > 0) {
		*err = xasprintf("%s:%d: syntax error (expected [section] or "
		    "key = value)", p->path, rc);
		return (-1);
	}
	if (rc < 0) {
		*err = xasprintf("%s: cannot parse", p->path);
		return (-1);
	}
	return (0);
}

static int
profile_load_depth(const char *spec, const char *skip, struct profile *pr,
    const char **stack, int depth, char **err)
{
	struct parse	 p;
	struct profile	 parent;
	char		*path;
	const char	*inh;
	size_t		 i;
	int		 k;

	memset(pr, 0, sizeof *pr);
	if (is_path(spec))
		path = xstrdup(spec);
	else if ((path = config_find("profiles", spec, skip)) == NULL) {
		*err = xasprintf("unknown profile '%s'", spec);
		return (-1);
	}
	for (k = 0; k < depth; k++) {
		if (strcmp(stack[k], path) == 0) {
			*err = xasprintf("%s: inheritance loop through "
			    "profile '%s'", path, spec);
			free(path);
			return (-1);
		}
	}
	if (depth >= MAX_INHERIT) {
		*err = xasprintf("%s: profiles inherit more than %d deep",
		    path, MAX_INHERIT);
		free(path);
		return (-1);
	}
	memset(&p, 0, sizeof p);
	p.path = path;
	p.schema = profile_schema;
	p.set = pr->set;
	p.env = &pr->env;
	if (parse_file(&p, err) == -1) {
		free(path);
		profile_free(pr);
		return (-1);
	}
	pr->path = path;
	if (is_path(spec)) {
		const char	*b = strrchr(spec, '/');
		size_t		 len;

		b = b != NULL ? b + 1 : spec;
		len = strlen(b);
		if (len > 4 && strcmp(b + len - 4, ".ini") == 0)
			len -= 4;
		pr->name = xstrndup(b, len);
	} else
		pr->name = xstrdup(spec);
	if ((inh = pr->set[P_INHERITS].value) == NULL)
		return (0);

	stack[depth] = path;
	if (profile_load_depth(inh, strcmp(inh, pr->name) == 0 ? path : NULL,
	    &parent, stack, depth + 1, err) == -1) {
		char	*inner = *err;

		/* Say which line asked for the parent. */
		*err = xasprintf("%s: inherits: %s",
		    pr->set[P_INHERITS].origin, inner);
		free(inner);
		profile_free(pr);
		return (-1);
	}
	/* The child's values win; unset ones come from the parent. */
	for (k = 0; k < P_MAX; k++) {
		if (k == P_INHERITS || pr->set[k].value != NULL ||
		    parent.set[k].value == NULL)
			continue;
		setting_set(&pr->set[k], parent.set[k].value,
		    parent.set[k].origin);
	}
	for (i = 0; i < parent.env.n; i++) {
		if (kvlist_get(&pr->env, parent.env.v[i].key) == NULL)
			kvlist_set(&pr->env, parent.env.v[i].key,
			    parent.env.v[i].s.value, parent.env.v[i].s.origin);
	}
	profile_free(&parent);
	return (0);
}

int
profile_load(const char *spec, struct profile *pr, char **err)
{
	const char	*stack[MAX_INHERIT + 1];

	return (profile_load_depth(spec, NULL, pr, stack, 0, err));
}

void
profile_free(struct profile *pr)
{
	int	k;

	for (k = 0; k < P_MAX; k++)
		setting_free(&pr->set[k]);
	kvlist_free(&pr->env);
	free(pr->name);
	free(pr->path);
	memset(pr, 0, sizeof *pr);
}

/* What no single key can say: keys missing, or missing their partner. */
static char *
engine_check(const struct engine *e)
{
	const struct schema	*sc;
	const struct setting	*dv = &e->set[E_DEFAULT_VERSION];
	const struct setting	*probe = &e->set[E_PROBE];
	const struct setting	*pkg = &e->set[E_LOCAL_PACKAGE];
	size_t			 i;

	for (i = 0; engine_required[i] != NULL; i++) {
		for (sc = engine_schema; sc->section != NULL; sc++) {
			if (strcmp(sc->key, engine_required[i]) == 0)
				break;
		}
		if (e->set[sc->index].value == NULL)
			return (xasprintf("%s: missing key '%s' in [%s]",
			    e->path, sc->key, sc->section));
	}
	for (i = 0; i < e->nversions; i++) {
		if (e->versions[i].tag.value == NULL)
			return (xasprintf("%s: [version \"%s\"] has no tag",
			    e->path, e->versions[i].version));
	}
	if (engine_find_version(e, dv->value) == NULL)
		return (xasprintf("%s: default_version '%s' has no "
		    "[version \"%s\"] section", dv->origin, dv->value,
		    dv->value));
	/* The probe's login, with no user in C to fall back on. */
	if (probe->value != NULL && probe_needs_user(probe->value) &&
	    e->set[E_USER].value == NULL)
		return (xasprintf("%s: probe '%s' logs in as the default user: "
		    "missing key 'user' in [credentials]", probe->origin,
		    probe->value));
	if (pkg->value != NULL && e->set[E_LOCAL_CLIENT].value == NULL)
		return (xasprintf("%s: local_package names no client: missing "
		    "key 'local_client' in [client]", pkg->origin));
	if ((e->set[E_OPTION_FILE].value == NULL) !=
	    (e->set[E_OPTION_TEXT].value == NULL &&
	    e->set[E_EXEC_OPTION_TEXT].value == NULL))
		return (xasprintf("%s: an option file needs its name and its "
		    "text: missing key '%s' in [client]", e->path,
		    e->set[E_OPTION_FILE].value == NULL ? "option_file" :
		    "option_text or exec_option_text"));
	return (NULL);
}

int
engine_load(const char *spec, struct engine *e, char **err)
{
	struct parse	 p;
	char		*path;
	const char	*b;
	size_t		 len;

	memset(e, 0, sizeof *e);
	if (is_path(spec))
		path = xstrdup(spec);
	else if (!valid_name(spec) ||
	    (path = config_find("engines", spec, NULL)) == NULL) {
		*err = xasprintf("unknown engine '%s'", spec);
		return (-1);
	}
	memset(&p, 0, sizeof p);
	p.path = path;
	p.schema = engine_schema;
	p.set = e->set;
	p.env = &e->env;
	p.engine = e;
	e->path = path;
	b = strrchr(path, '/');
	b = b != NULL ? b + 1 : path;
	len = strlen(b);
	if (len > 4 && strcmp(b + len - 4, ".ini") == 0)
		len -= 4;
	e->name = xstrndup(b, len);
	if (parse_file(&p, err) == -1) {
		engine_free(e);
		return (-1);
	}
	if ((*err = engine_check(e)) != NULL) {
		engine_free(e);
		return (-1);
	}
	return (0);
}

const struct engine_version *
engine_find_version(const struct engine *e, const char *v)
{
	size_t	i;

	for (i = 0; v != NULL && i < e->nversions; i++) {
		if (strcmp(e->versions[i].version, v) == 0)
			return (&e->versions[i]);
	}
	return (NULL);
}

/* An engine key, with the version's own value where it has one. */
const char *
engine_get(const struct engine *e, enum engine_key k,
    const struct engine_version *v)
{
	if (v != NULL) {
		if (k == E_DATA_DIR && v->data_dir.value != NULL)
			return (v->data_dir.value);
		if (k == E_HEALTH && v->health.value != NULL)
			return (v->health.value);
		if (k == E_SHELL && v->shell.value != NULL)
			return (v->shell.value);
		if (k == E_INIT && v->init.value != NULL)
			return (v->init.value);
		if (k == E_SNAP_COPY && v->snapshot_copy.value != NULL)
			return (v->snapshot_copy.value);
	}
	return (e->set[k].value);
}

void
engine_free(struct engine *e)
{
	size_t	i;
	int	k;

	for (k = 0; k < E_MAX; k++)
		setting_free(&e->set[k]);
	for (i = 0; i < e->nversions; i++) {
		free(e->versions[i].version);
		setting_free(&e->versions[i].tag);
		setting_free(&e->versions[i].data_dir);
		setting_free(&e->versions[i].health);
		setting_free(&e->versions[i].shell);
		setting_free(&e->versions[i].init);
		setting_free(&e->versions[i].snapshot_copy);
	}
	free(e->versions);
	kvlist_free(&e->env);
	kvlist_free(&e->connector);
	free(e->name);
	free(e->path);
	memset(e, 0, sizeof *e);
}
