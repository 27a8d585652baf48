/*
 * url, env, shell and exec: using a database once it exists. url and env
 * rebuild the connection details from the container, as inspect does;
 * shell and exec run the engine's client, or any command, inside the
 * container with docker exec. Which client and which environment
 * variables belong to an engine is in its file ([client]), and the
 * password reaches the client through docker's environment, never an
 * argument vector.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "dbarena.h"
#include "docker.h"
#include "optfile.h"
#include "render.h"
#include "report.h"

/*
 * One database named on the command line, with its engine file. url and
 * env complete it (where a client connects, its URL); shell and exec
 * need neither, nor the docker call finding a remote engine's host may
 * take.
 */
struct target {
	struct database_list	 full;
	struct database		*d;
	struct engine		 e;
};

static void
target_close(struct target *t)
{
	if (t->e.name != NULL)
		engine_free(&t->e);
	database_list_free(&t->full);
}

static int
target_open(char *name, struct target *t)
{
	char	*msg = NULL;
	int	 code;

	memset(t, 0, sizeof *t);
	if ((code = cmd_resolve_full(1, &name, &t->full)) != EXIT_OK)
		return (code);
	if (t->full.n != 1) {
		error_msg("no such database: %s", name);
		return (EXIT_NOT_FOUND);
	}
	t->d = &t->full.v[0];
	if (engine_load(t->d->engine, &t->e, &msg) == -1) {
		error_msg("%s: %s", t->d->name, msg);
		free(msg);
		memset(&t->e, 0, sizeof t->e);
		return (EXIT_CONFIG);
	}
	return (EXIT_OK);
}

/*
 * Where a client connects: this machine's view, or with --network NET
 * the view of a container on that network. EXIT_OK, or said why no
 * address works (a remote engine's loopback, another network).
 */
static int
target_complete(struct target *t, const struct args *args)
{
	const char	*network = args_get(args, "network");

	database_complete(t->d, &t->e);
	if (network == NULL)
		return (report_unreachable(t->d));
	return (database_from_network(t->d, &t->e, network));
}

static int
require_running(const struct database *d)
{
	if (strcmp(d->state, "running") == 0)
		return (EXIT_OK);
	error_msg("%s is not running", d->name);
	hint_msg("start it with: dbarena start %s", d->name);
	return (EXIT_NOT_READY);
}

/*
 * A [client] env or exec_env word split at its '=': its value, or NULL
 * (said) when the engine file has no NAME before one.
 */
static char *
env_word_value(const struct target *t, char *word)
{
	char	*eq;

	if ((eq = strchr(word, '=')) == NULL || eq == word) {
		error_msg("%s: bad [client] env word '%s': expected "
		    "NAME=VALUE", t->e.path, word);
		return (NULL);
	}
	*eq = '\0';
	return (eq + 1);
}

static int
cmd_url_exec(const struct args *args, int argc, char **argv)
{
	struct target	 t;
	int		 code;

	if (argc != 1)
		return (cmd_usage_error(&cmd_url_entry, "give one NAME"));
	if ((code = target_open(argv[0], &t)) == EXIT_OK &&
	    (code = target_complete(&t, args)) == EXIT_OK) {
		if (t.d->url == NULL || t.d->host_port <= 0) {
			error_msg("%s has no URL: %s", t.d->name,
			    t.d->url == NULL ? "its engine file has none" :
			    "no published port");
			code = EXIT_FAIL;
		} else
			printf("%s\n", t.d->url);
	}
	target_close(&t);
	return (code);
}

static int
cmd_env_exec(const struct args *args, int argc, char **argv)
{
	struct target		 t;
	struct strvec		 kv = STRVEC_INIT;
	struct strbuf		 out = STRBUF_INIT;
	struct json_writer	 jw = JSON_WRITER_INIT;
	enum output_format	 format = FORMAT_TEXT;
	char			*msg = NULL, *eq, *dir = NULL;
	size_t			 i;
	int			 code;

	if (args_format(args, &format) == -1)
		return (EXIT_USAGE);
	if (argc != 1)
		return (cmd_usage_error(&cmd_env_entry, "give one NAME"));
	if ((code = target_open(argv[0], &t)) != EXIT_OK ||
	    (code = target_complete(&t, args)) != EXIT_OK)
		goto out;
	if ((code = optfile_write(&t.e, t.d, &dir)) != EXIT_OK)
		goto out;
	if (render_client_env(&t.e, t.d, dir, &kv, &msg) == -1 || kv.n == 0) {
		error_msg("%s: %s", t.e.path, msg != NULL ? msg :
		    "no [client] env for this engine");
		code = EXIT_CONFIG;
		goto out;
	}
	if (format == FORMAT_JSON)
		jw_object_begin(&jw, NULL);
	for (i = 0; i < kv.n; i++) {
		if ((eq = env_word_value(&t, kv.v[i])) == NULL) {
			code = EXIT_CONFIG;
			goto out;
		}
		if (format == FORMAT_JSON)
			jw_string(&jw, kv.v[i], eq);
		else {
			/* Always single quotes: eval must take it literally. */
			strbuf_addf(&out, "export %s='", kv.v[i]);
			for (; *eq != '\0'; eq++) {
				if (*eq == '\'')
					strbuf_adds(&out, "'\\''");
				else
					strbuf_addch(&out, *eq);
			}
			strbuf_adds(&out, "'\n");
		}
	}
	if (format == FORMAT_JSON) {
		jw_end(&jw);
		jw_finish(&jw, &out);
	}
	fputs(out.buf, stdout);
out:
	jw_release(&jw);
	target_close(&t);
	strvec_clear(&kv);
	strbuf_release(&out);
	free(msg);
	free(dir);
	return (code);
}

static volatile sig_atomic_t	running_pid = -1;

/* The docker child answers for itself: pass termination on to it. */
static void
forward_signal(int sig)
{
	if (running_pid > 0)
		kill(running_pid, sig);
}

/*
 * The engine's client environment inside the container ([client]
 * exec_env), so that "dbarena exec NAME -- psql" connects as the
 * database's user to its database with no flags; for an engine whose
 * client reads those from an option file only, the file is put into the
 * container first and the environment points at it. Every value, not
 * only the password, travels in docker's environment with "-e NAME" in
 * the argument vector: one rule, and no secret can slip into an argv.
 */
static int
exec_env(const struct target *t, struct strvec *names, struct strvec *env)
{
	struct strvec	 kv = STRVEC_INIT;
	const char	*dir;
	char		*msg = NULL;
	size_t		 i;
	int		 code;

	if ((code = optfile_put(&t->e, t->d, &dir)) != EXIT_OK)
		return (code);
	if (render_exec_env(&t->e, t->d, dir, &kv, &msg) == -1) {
		error_msg("%s: %s", t->e.path, msg);
		free(msg);
		code = EXIT_CONFIG;
	}
	for (i = 0; code == EXIT_OK && i < kv.n; i++) {
		strvec_push(env, kv.v[i]);
		if (env_word_value(t, kv.v[i]) == NULL)
			code = EXIT_CONFIG;
		else
			strvec_push(names, kv.v[i]);
	}
	strvec_clear(&kv);
	return (code);
}

/*
 * docker exec in the foreground, sharing our terminal. A Ctrl-C reaches
 * the docker child from the terminal (or, with -t, the container), so
 * dbarena ignores it and waits; SIGTERM and SIGHUP are passed on. The
 * result is the command's exit status.
 */
static int
exec_in(const struct target *t, const struct strvec *cmd, int flags)
{
	struct sigaction	 sa, old_int, old_term, old_hup;
	sigset_t		 block, old_mask;
	struct child		 c = CHILD_INIT;
	struct strvec		 names = STRVEC_INIT;
	int			 rc;

	if ((rc = exec_env(t, &names, &c.env)) != EXIT_OK) {
		strvec_clear(&names);
		child_clear(&c);
		return (rc);
	}
	docker_exec_env_argv(&c.argv, t->d->name, flags, &names, cmd);
	strvec_clear(&names);
	c.in = CHILD_INHERIT;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, &old_int);
	sa.sa_handler = forward_signal;
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	/* A SIGTERM before running_pid is set waits, then is passed on. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old_mask);
	if ((rc = child_start(&c)) == 0)
		running_pid = c.pid;
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	if (rc == 0) {
		rc = child_finish(&c);
		running_pid = -1;
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	child_clear(&c);
	if (rc == -1)
		return (docker_report_error(docker_classify(-1, ""),
		    "running exec", NULL));
	return (rc);
}

/*
 * shell and exec: NAME, an optional --, then the words to run - after the
 * engine's client for shell (its own options), on their own for exec.
 * stdin is always kept open, so SQL can be piped in; a terminal is asked
 * for when there is one.
 */
static int
exec_command(const struct cmd_entry *ce, int shell, int argc, char **argv)
{
	struct target	 t;
	struct strvec	 cmd = STRVEC_INIT;
	int		 code, flags = DOCKER_EXEC_STDIN;

	if (argc < 1)
		return (cmd_usage_error(ce, "no name given"));
	if (!shell && (argc < 2 || (strcmp(argv[1], "--") == 0 && argc < 3)))
		return (cmd_usage_error(ce, "no command given"));
	if ((code = target_open(argv[0], &t)) != EXIT_OK ||
	    (code = require_running(t.d)) != EXIT_OK)
		goto out;
	if (shell && (render_engine_argv(&t.e, E_SHELL, t.d->version,
	    t.d->user, t.d->database, &cmd) == -1 || cmd.n == 0)) {
		error_msg("%s: no [client] shell for %s %s", t.e.path,
		    t.d->engine, t.d->version);
		code = EXIT_CONFIG;
		goto out;
	}
	argc--;
	argv++;
	if (argc > 0 && strcmp(argv[0], "--") == 0) {
		argc--;
		argv++;
	}
	strvec_pushv(&cmd, argv);
	if (isatty(STDIN_FILENO) && (shell || isatty(STDOUT_FILENO)))
		flags |= DOCKER_EXEC_TTY;
	code = exec_in(&t, &cmd, flags);
out:
	strvec_clear(&cmd);
	target_close(&t);
	return (code);
}

static int
cmd_shell_exec(const struct args *args, int argc, char **argv)
{
	(void)args;
	return (exec_command(&cmd_shell_entry, 1, argc, argv));
}

static int
cmd_exec_exec(const struct args *args, int argc, char **argv)
{
	(void)args;
	return (exec_command(&cmd_exec_entry, 0, argc, argv));
}

const struct cmd_entry cmd_env_entry = {
	"env", NULL, "[--format table|json] [--network NET] NAME",
	"Print shell exports for the engine's clients: "
	    "eval \"$(dbarena env NAME)\".",
	cmd_connect_options, NULL, cmd_env_exec, 0
};

/* Options end at NAME: what follows is the program's. */
const struct cmd_entry cmd_exec_entry = {
	"exec", NULL, "NAME [--] PROGRAM [ARG...]",
	"Run a command inside a database's container; exits with "
	    "its status.",
	NULL, NULL, cmd_exec_exec, CMD_IN_ORDER
};

const struct cmd_entry cmd_shell_entry = {
	"shell", "sh", "NAME [[--] CLIENT-ARG...]",
	"Open the engine's own client (psql, mariadb, sqlcmd) "
	    "inside the container.",
	NULL, NULL, cmd_shell_exec, CMD_IN_ORDER
};

static const struct cmd_option url_options[] = {
	CMD_OPTION_NETWORK,
	{ NULL, 0, NULL, NULL }
};

const struct cmd_entry cmd_url_entry = {
	"url", NULL, "[--network NET] NAME",
	"Print the connection URL of a database.",
	url_options, NULL, cmd_url_exec, 0
};
