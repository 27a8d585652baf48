/*
 * create: the command line - options, and everything the user typed
 * checked before the first docker call. The work is create.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "create.h"
#include "dbarena.h"
#include "docker.h"

/* A container's or network's name, as docker takes it. */
static int
bad_name(const char *opt, const char *value)
{
	return (cmd_usage_error(&cmd_create_entry, "invalid --%s '%s': use "
	    "letters, digits, '_', '.' and '-', starting with a letter or "
	    "digit", opt, value));
}

static int
validate(const struct cmd_entry *ce, struct create_args *a, int nengines,
    char **engines)
{
	char			*end;
	double			 d;
	struct stat		 st;
	size_t			 i;
	int			 fd;

	if (a->o.name != NULL && !valid_name(a->o.name))
		return (bad_name("name", a->o.name));
	if (a->o.network != NULL && !valid_name(a->o.network))
		return (bad_name("network", a->o.network));
	if (nengines > 1 && (a->o.name != NULL || a->explicit_port))
		return (cmd_usage_error(ce, "--name and --port take one engine "
		    "at a time"));
	/* One image can serve several databases of one engine. */
	for (i = 1; a->o.image != NULL && i < (size_t)nengines; i++) {
		if (strcmp(engines[i], engines[0]) != 0)
			return (cmd_usage_error(ce, "--image takes one engine "
			    "(several of it are fine)"));
	}
	if (a->o.image != NULL && (*a->o.image == '-' || *a->o.image == '\0' ||
	    strpbrk(a->o.image, " \t\n") != NULL))
		return (cmd_usage_error(ce, "invalid --image '%s': an image "
		    "reference", a->o.image));
	if (a->o.registry != NULL && !valid_registry(a->o.registry))
		return (cmd_usage_error(ce, "invalid registry '%s': a host such "
		    "as mirror.example:5000", a->o.registry));
	if (a->o.memory != NULL && !valid_memory(a->o.memory))
		return (cmd_usage_error(ce, "invalid --memory '%s': a size of "
		    "6m or more (docker's minimum), such as 512m or 2g",
		    a->o.memory));
	if (a->o.cpus != NULL) {
		d = strtod(a->o.cpus, &end);
		if (end == a->o.cpus || *end != '\0' || !(d > 0 && d <= 1024))
			return (cmd_usage_error(ce, "invalid --cpus '%s'",
			    a->o.cpus));
	}
	if (a->o.bind != NULL && !valid_ip(a->o.bind))
		return (cmd_usage_error(ce, "invalid --bind '%s': an IP "
		    "address", a->o.bind));
	/* A script that cannot be read fails before any docker call. */
	for (i = 0; i < a->init.n; i++) {
		if ((fd = open(a->init.v[i], O_RDONLY | O_CLOEXEC)) == -1 ||
		    fstat(fd, &st) == -1 || S_ISDIR(st.st_mode)) {
			error_msg("--init %s: %s", a->init.v[i], fd == -1 ?
			    strerror(errno) : "a directory, not a file");
			if (fd != -1)
				close(fd);
			return (EXIT_USAGE);
		}
		close(fd);
	}
	for (i = 0; i < a->env.n; i++) {
		end = strchr(a->env.v[i], '=');
		if (end == NULL ||
		    !valid_env_name(a->env.v[i], end - a->env.v[i]))
			return (cmd_usage_error(ce, "invalid --env '%s': "
			    "expected KEY=VALUE, KEY a variable name", a->env.v[i]));
	}
	return (EXIT_OK);
}

/*
 * A password from a file, or from stdin for "-": its first line, without
 * the newline. Given this way it is in no process's argument vector.
 */
static char *
read_secret(const char *path)
{
	struct strbuf	sb = STRBUF_INIT;
	char		buf[512];
	ssize_t		n;
	int		fd;

	fd = strcmp(path, "-") == 0 ? STDIN_FILENO :
	    open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		error_msg("--password-file %s: %s", path, strerror(errno));
		return (NULL);
	}
	while (sb.len < 4096 && (n = read(fd, buf, sizeof buf)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			break;
		strbuf_add(&sb, buf, n);
	}
	explicit_bzero(buf, sizeof buf);
	if (fd != STDIN_FILENO)
		close(fd);
	strbuf_remove(&sb, strcspn(sb.buf, "\r\n"), sb.len);
	if (sb.len == 0) {
		error_msg("%s: no password in it", strcmp(path, "-") == 0 ?
		    "standard input" : path);
		strbuf_release(&sb);
		return (NULL);
	}
	return (strbuf_detach(&sb));
}

/*
 * "--env NAME" without a value takes NAME's value from dbarena's own
 * environment, as docker's -e does: a secret given that way is in no
 * argument vector. It becomes "NAME=value" here.
 */
static int
env_from_environ(const struct cmd_entry *ce, struct strvec *env)
{
	const char	*val;
	char		*kv;
	size_t		 i;

	for (i = 0; i < env->n; i++) {
		if (strchr(env->v[i], '=') != NULL)
			continue;
		if (!valid_env_name(env->v[i], strlen(env->v[i])))
			return (cmd_usage_error(ce, "invalid "
			    "--env '%s': expected KEY=VALUE or KEY, KEY a "
			    "variable name", env->v[i]));
		if ((val = getenv(env->v[i])) == NULL)
			return (cmd_usage_error(ce, "--env %s: "
			    "%s is not set in the environment", env->v[i],
			    env->v[i]));
		kv = xasprintf("%s=%s", env->v[i], val);
		free(env->v[i]);
		env->v[i] = kv;
	}
	return (EXIT_OK);
}

/* run takes them all too (cmd-run.c): one table for both. */
const struct cmd_option cmd_create_options[] = {
	{ "bind", 0, "ADDR", "the IP address to publish the port on "
	    "(127.0.0.1)" },
	{ "cpus", 0, "N", "limit the container to N CPUs, such as 0.5" },
	{ "database", 0, "DB", "the database to create, instead of the "
	    "engine's" },
	{ "dry-run", 0, NULL, "print the docker commands, run none" },
	{ "durable", 0, NULL, "short for --profile durable" },
	{ "env", 'e', "K=V", "set a variable in the container (K alone: its "
	    "value here); repeatable" },
	{ "fast", 0, NULL, "short for --profile fast, the default" },
	{ "format", 0, "table|json", "print the result as a table or JSON" },
	{ "image", 0, "REF", "run this image instead of the engine's" },
	{ "init", 0, "FILE", "run this SQL once the server is ready; "
	    "repeatable" },
	{ "memory", 'm', "SIZE", "the memory limit, such as 512m or 2g" },
	{ "name", 'n', "N", "the container's name (one engine only)" },
	{ "network", 0, "NET", "join this docker network (made when missing) "
	    "under the database's name" },
	{ "no-pool", 0, NULL, "never claim a pool member" },
	{ "password", 0, "PW", "the password, instead of the engine's" },
	{ "password-file", 0, "FILE", "the password: the first line of FILE "
	    "(- for stdin)" },
	{ "password-stdin", 0, NULL, "the password: the first line of the "
	    "standard input" },
	{ "persistent", 0, NULL, "short for --profile persistent" },
	{ "port", 'p', "P", "publish on this host port, 1 to 65535 (one engine "
	    "only)" },
	{ "profile", 0, "P", "a profile's name or file (default fast)" },
	{ "quiet", 'q', NULL, "print only each database's URL" },
	{ "registry", 0, "HOST", "pull through this registry mirror" },
	{ "timeout", 0, "S", "how long to wait for the server, such as 60 or "
	    "2m" },
	{ "ttl", 0, "DURATION", "let the database expire after this long "
	    "(gc removes it)" },
	{ "user", 0, "U", "the database user, instead of the engine's" },
	{ "version", 'v', "V", "the engine version (default: the engine's "
	    "first)" },
	{ NULL, 0, NULL, NULL }
};

/*
 * The options into a, with the values that need parsing checked. The
 * last of a repeated option wins, as getopt loops had it; *pwfile is the
 * password's file ("-": stdin), or NULL.
 */
static int
read_options(const struct cmd_entry *ce, const struct args *args,
    struct create_args *a, const char **pwfile)
{
	const char	*v, *env;
	unsigned long	 u;

	a->profile = args_has(args, "durable") ? "durable" :
	    args_has(args, "persistent") ? "persistent" : "fast";
	if ((v = args_get(args, "profile")) != NULL)
		a->profile = v;
	if ((v = args_get(args, "port")) != NULL) {
		if (parse_uint(v, 1, 65535, &u) == -1)
			return (cmd_usage_error(ce,
			    "invalid --port '%s': 1 to 65535", v));
		a->o.port = u;
		a->explicit_port = 1;
	}
	if ((v = args_get(args, "timeout")) != NULL &&
	    (parse_duration_ms(v, &a->o.timeout_ms) == -1 ||
	    a->o.timeout_ms == 0))
		return (cmd_usage_error(ce, "invalid --timeout "
		    "'%s': such as 60 or 2m", v));
	if ((v = args_get(args, "ttl")) != NULL &&
	    (parse_duration_ms(v, &a->ttl_ms) == -1 || a->ttl_ms < 1000))
		return (cmd_usage_error(ce, "invalid --ttl '%s': "
		    "a duration of a second or more, such as 30s, 15m, 2h or "
		    "1d", v));
	if (args_format(args, &a->format) == -1)
		return (EXIT_USAGE);
	if ((a->o.registry = args_get(args, "registry")) == NULL &&
	    (env = getenv("DBARENA_REGISTRY")) != NULL && *env != '\0')
		a->o.registry = env;
	a->o.bind = args_get(args, "bind");
	a->o.cpus = args_get(args, "cpus");
	a->o.database = args_get(args, "database");
	a->o.image = args_get(args, "image");
	a->o.memory = args_get(args, "memory");
	a->o.name = args_get(args, "name");
	a->o.network = args_get(args, "network");
	a->o.password = args_get(args, "password");
	a->o.user = args_get(args, "user");
	a->o.version = args_get(args, "version");
	a->dry_run = args_has(args, "dry-run");
	a->no_pool = args_has(args, "no-pool");
	a->quiet = g.quiet || args_has(args, "quiet");
	strvec_pushv(&a->env, args_values(args, "env"));
	strvec_pushv(&a->init, args_values(args, "init"));
	*pwfile = args_has(args, "password-stdin") ? "-" :
	    args_get(args, "password-file");
	return (EXIT_OK);
}

/*
 * The options and engines of ce (create, or run, which takes create's
 * options) into a, everything checked before the first docker call. *pw
 * is the password read from a file or stdin, or NULL; create_args_free
 * releases it with a, whatever this returns.
 */
int
create_args_parse(const struct cmd_entry *ce, const struct args *args,
    int argc, char **argv, struct create_args *a, char **pw)
{
	const char	*env, *pwfile = NULL;
	int		 code;

	memset(a, 0, sizeof *a);
	*pw = NULL;
	a->tty = g.tty;
	if ((code = read_options(ce, args, a, &pwfile)) != EXIT_OK)
		return (code);
	if (argc == 0)
		return (cmd_usage_error(ce, "no engine given"));
	if (args_has(args, "profile") + args_has(args, "fast") +
	    args_has(args, "durable") + args_has(args, "persistent") > 1)
		return (cmd_usage_error(ce, "choose one of --profile, --fast, "
		    "--durable and --persistent"));
	if (args_has(args, "password") + args_has(args, "password-file") +
	    args_has(args, "password-stdin") > 1)
		return (cmd_usage_error(ce, "choose one of --password, "
		    "--password-file and --password-stdin"));
	if (pwfile != NULL) {
		if ((*pw = read_secret(pwfile)) == NULL)
			return (EXIT_USAGE);
		a->o.password = *pw;
	} else if (a->o.password == NULL &&
	    (env = getenv("DBARENA_PASSWORD")) != NULL && *env != '\0')
		a->o.password = env;
	if ((code = env_from_environ(ce, &a->env)) != EXIT_OK)
		return (code);
	a->o.env = &a->env;
	return (validate(ce, a, argc, argv));
}

void
create_args_free(struct create_args *a, char *pw)
{
	strvec_clear(&a->env);
	strvec_clear(&a->init);
	if (pw != NULL) {
		explicit_bzero(pw, strlen(pw));
		free(pw);
	}
}

static int
cmd_create_exec(const struct args *args, int argc, char **argv)
{
	struct create_args	 a;
	char			*pw;
	int			 code;

	code = create_args_parse(&cmd_create_entry, args, argc, argv, &a, &pw);
	if (code == EXIT_OK) {
		if (!a.dry_run)
			signals_init();
		docker_set_offline(a.dry_run);
		code = create_databases(argc, argv, &a);
	}
	create_args_free(&a, pw);
	return (code);
}

const struct cmd_entry cmd_create_entry = {
	"create", "new", "[--profile P | --fast | --durable | --persistent] "
	    "[--version V] [--name N] [--port P] [--bind ADDR] [--image REF] "
	    "[--registry HOST] [--env K=V | --env K]... [--memory SIZE] "
	    "[--cpus N] [--network NET] [--user U] "
	    "[--password PW | --password-file FILE | --password-stdin] "
	    "[--database DB] [--timeout S] [--ttl DURATION] [--init FILE]... "
	    "[--format table|json] [--quiet] [--no-pool] [--dry-run] ENGINE...",
	"Create databases and wait until they accept connections.",
	cmd_create_options, NULL, cmd_create_exec, 0
};
