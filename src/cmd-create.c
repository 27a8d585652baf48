/*
 * create: the command line - options, and everything the user typed
 * checked before the first docker call. The work is create.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "create.h"
#include "dbarena.h"
#include "docker.h"

static int
validate(struct create_args *a, int nengines, char **engines)
{
	char			*end;
	double			 d;
	struct stat		 st;
	size_t			 i;
	int			 fd;
	const struct cmd_entry	*ce = &cmd_create_entry;

	if (a->o.name != NULL && !valid_name(a->o.name))
		return (cmd_usage_error(ce, "invalid name '%s': use letters, "
		    "digits, '_', '.' and '-', starting with a letter or "
		    "digit", a->o.name));
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
env_from_environ(struct strvec *env)
{
	const char	*val;
	char		*kv;
	size_t		 i;

	for (i = 0; i < env->n; i++) {
		if (strchr(env->v[i], '=') != NULL)
			continue;
		if (!valid_env_name(env->v[i], strlen(env->v[i])))
			return (cmd_usage_error(&cmd_create_entry, "invalid "
			    "--env '%s': expected KEY=VALUE or KEY, KEY a "
			    "variable name", env->v[i]));
		if ((val = getenv(env->v[i])) == NULL)
			return (cmd_usage_error(&cmd_create_entry, "--env %s: "
			    "%s is not set in the environment", env->v[i],
			    env->v[i]));
		kv = xasprintf("%s=%s", env->v[i], val);
		free(env->v[i]);
		env->v[i] = kv;
	}
	return (EXIT_OK);
}

static int
cmd_create_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "bind", required_argument, NULL, 'b' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "database", required_argument, NULL, 'D' },
		{ "dry-run", no_argument, NULL, 'N' },
		{ "durable", no_argument, NULL, 'u' },
		{ "env", required_argument, NULL, 'e' },
		{ "fast", no_argument, NULL, 'f' },
		{ "format", required_argument, NULL, 'F' },
		{ "image", required_argument, NULL, 'i' },
		{ "init", required_argument, NULL, 'I' },
		{ "memory", required_argument, NULL, 'm' },
		{ "name", required_argument, NULL, 'n' },
		{ "no-pool", no_argument, NULL, 'O' },
		{ "password", required_argument, NULL, 'W' },
		{ "password-file", required_argument, NULL, 'Y' },
		{ "password-stdin", no_argument, NULL, 'Z' },
		{ "persistent", no_argument, NULL, 'P' },
		{ "port", required_argument, NULL, 'p' },
		{ "profile", required_argument, NULL, 'r' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "registry", required_argument, NULL, 'R' },
		{ "timeout", required_argument, NULL, 't' },
		{ "ttl", required_argument, NULL, 'T' },
		{ "user", required_argument, NULL, 'U' },
		{ "version", required_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	struct create_args	 a;
	unsigned long		 u;
	const char		*env, *pwfile = NULL;
	char			*pw = NULL;
	int			 ch, code, shortcuts = 0, pwsources = 0;

	memset(&a, 0, sizeof a);
	a.profile = "fast";
	a.quiet = g.quiet;
	a.tty = g.tty;
	if ((env = getenv("DBARENA_REGISTRY")) != NULL && *env != '\0')
		a.o.registry = env;
	while ((ch = getopt_long(argc, argv, "e:m:n:p:qv:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'b':
			a.o.bind = optarg;
			break;
		case 'c':
			a.o.cpus = optarg;
			break;
		case 'D':
			a.o.database = optarg;
			break;
		case 'N':
			a.dry_run = 1;
			break;
		case 'u':
			a.profile = "durable";
			shortcuts++;
			break;
		case 'e':
			strvec_push(&a.env, optarg);
			break;
		case 'f':
			a.profile = "fast";
			shortcuts++;
			break;
		case 'F':
			if (parse_format(optarg, &a.format) == -1) {
				code = EXIT_USAGE;
				goto out;
			}
			break;
		case 'i':
			a.o.image = optarg;
			break;
		case 'I':
			strvec_push(&a.init, optarg);
			break;
		case 'm':
			a.o.memory = optarg;
			break;
		case 'n':
			a.o.name = optarg;
			break;
		case 'O':
			a.no_pool = 1;
			break;
		case 'W':
			a.o.password = optarg;
			pwsources++;
			break;
		case 'Y':
			pwfile = optarg;
			pwsources++;
			break;
		case 'Z':
			pwfile = "-";
			pwsources++;
			break;
		case 'P':
			a.profile = "persistent";
			shortcuts++;
			break;
		case 'p':
			if (parse_uint(optarg, 1, 65535, &u) == -1) {
				code = cmd_usage_error(&cmd_create_entry,
				    "invalid --port '%s': 1 to 65535", optarg);
				goto out;
			}
			a.o.port = u;
			a.explicit_port = 1;
			break;
		case 'r':
			a.profile = optarg;
			shortcuts++;
			break;
		case 'q':
			a.quiet = 1;
			break;
		case 'R':
			a.o.registry = optarg;
			break;
		case 't':
			if (parse_duration_ms(optarg, &a.o.timeout_ms) == -1 ||
			    a.o.timeout_ms == 0) {
				code = cmd_usage_error(&cmd_create_entry,
				    "invalid --timeout '%s': such as 60 or 2m",
				    optarg);
				goto out;
			}
			break;
		case 'T':
			if (parse_duration_ms(optarg, &a.ttl_ms) == -1 ||
			    a.ttl_ms < 1000) {
				code = cmd_usage_error(&cmd_create_entry,
				    "invalid --ttl '%s': a duration of a second "
				    "or more, such as 30s, 15m, 2h or 1d", optarg);
				goto out;
			}
			break;
		case 'U':
			a.o.user = optarg;
			break;
		case 'v':
			a.o.version = optarg;
			break;
		default:
			code = cmd_usage_error(&cmd_create_entry, NULL);
			goto out;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		code = cmd_usage_error(&cmd_create_entry, "no engine given");
		goto out;
	}
	if (shortcuts > 1) {
		code = cmd_usage_error(&cmd_create_entry, "choose one of "
		    "--profile, --fast, --durable and --persistent");
		goto out;
	}
	if (pwsources > 1) {
		code = cmd_usage_error(&cmd_create_entry, "choose one of "
		    "--password, --password-file and --password-stdin");
		goto out;
	}
	if (pwfile != NULL) {
		if ((pw = read_secret(pwfile)) == NULL) {
			code = EXIT_USAGE;
			goto out;
		}
		a.o.password = pw;
	} else if (a.o.password == NULL &&
	    (env = getenv("DBARENA_PASSWORD")) != NULL && *env != '\0')
		a.o.password = env;
	if ((code = env_from_environ(&a.env)) != EXIT_OK)
		goto out;
	a.o.env = &a.env;
	if ((code = validate(&a, argc, argv)) != EXIT_OK)
		goto out;
	if (!a.dry_run)
		signals_init();
	docker_set_offline(a.dry_run);
	code = create_databases(argc, argv, &a);
out:
	strvec_clear(&a.env);
	strvec_clear(&a.init);
	if (pw != NULL) {
		explicit_bzero(pw, strlen(pw));
		free(pw);
	}
	return (code);
}

const struct cmd_entry cmd_create_entry = {
	"create", "new",
	"[--profile P | --fast | --durable | --persistent] [--version V] "
	"[--name N] [--port P] [--bind ADDR] [--image REF] [--registry HOST] "
	"[--env K=V | --env K]... [--memory SIZE] [--cpus N] [--user U] "
	"[--password PW | --password-file FILE | --password-stdin] "
	"[--database DB] [--timeout S] [--ttl DURATION] [--init FILE]... "
	"[--format table|json] [--quiet] "
	"[--no-pool] [--dry-run] ENGINE...",
	"Create databases and wait until they accept connections.",
	cmd_create_exec, 0
};
