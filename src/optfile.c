/*
 * The engine's option file ([client] option_file and option_text): the
 * mysql and mariadb clients read a password, host and port from their
 * environment but a user and a default database only from option files,
 * among them $MARIADB_HOME/my.cnf and $MYSQL_HOME/my.cnf. So env writes
 * the file into a directory of its own on this machine, for the exports
 * to point at, and exec and shell put it into the container before the
 * client runs. On this machine the directory is one per database under
 * one per user, each mode 0700 and the user's, the file 0600: a
 * directory that is not so is refused, never used or changed. destroy
 * and gc remove the file and its directory, nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbarena.h"
#include "docker.h"
#include "optfile.h"
#include "render.h"

/* Where exec and shell put it inside a container: dbarena's own. */
#define CONTAINER_DIR	"/run/dbarena-client"

/* A directory that is ours alone: 0 yes, -1 no (why in *err). */
static int
private_dir_ok(const char *path, const struct stat *st, char **err)
{
	if (!S_ISDIR(st->st_mode))
		*err = xasprintf("refusing %s: not a directory", path);
	else if (st->st_uid != geteuid())
		*err = xasprintf("refusing %s: owned by uid %lu, not you",
		    path, (unsigned long)st->st_uid);
	else if ((st->st_mode & 077) != 0)
		*err = xasprintf("refusing %s: mode %04o, not 0700", path,
		    (unsigned)(st->st_mode & 07777));
	else
		return (0);
	return (-1);
}

/* Make path (mode 0700) unless it is there; either way, check it. */
static int
private_dir(const char *path, char **err)
{
	struct stat	st;

	if (mkdir(path, 0700) == -1 && errno != EEXIST) {
		*err = xasprintf("cannot make %s: %s", path, strerror(errno));
		return (-1);
	}
	if (lstat(path, &st) == -1) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return (-1);
	}
	return (private_dir_ok(path, &st, err));
}

/*
 * The per-user directory: $XDG_RUNTIME_DIR/dbarena when that is the
 * user's own (0700, as the XDG spec promises; su may leave root's set),
 * else ${TMPDIR:-/tmp}/dbarena-UID. xdg chooses which: both are looked
 * in when removing, as env may have run with the other.
 */
static char *
user_dir(int xdg)
{
	const char	*x = getenv("XDG_RUNTIME_DIR"), *t = getenv("TMPDIR");
	struct stat	 st;
	char		*err = NULL;

	if (x != NULL && *x == '/' && stat(x, &st) == 0 &&
	    private_dir_ok(x, &st, &err) == 0)
		return (xdg ? xasprintf("%s/dbarena", x) : NULL);
	free(err);
	if (xdg)
		return (NULL);
	if (t == NULL || *t != '/')
		t = "/tmp";
	return (xasprintf("%s/dbarena-%lu", t, (unsigned long)geteuid()));
}

static char *
local_dir(void)
{
	char	*d;

	if ((d = user_dir(1)) == NULL)
		d = user_dir(0);
	return (d);
}

/* All of text to fd: 0, or -1 with errno. */
static int
write_all(int fd, const char *text, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, text, len)) == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return (-1);
		text += n;
		len -= n;
	}
	return (0);
}

/* Write text to dir/file, whole or not at all: a new file renamed. */
static int
write_file(const char *dir, const char *file, const char *text, char **err)
{
	char	*tmp, *path;
	int	 fd, rc = -1;

	tmp = xasprintf("%s/.%s.%ld", dir, file, (long)getpid());
	path = xasprintf("%s/%s", dir, file);
	unlink(tmp);	/* left by one killed with this pid, long ago */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd != -1 && write_all(fd, text, strlen(text)) == 0) {
		rc = close(fd);
		fd = -1;
		if (rc == 0)
			rc = rename(tmp, path);
	}
	if (rc == -1) {
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		unlink(tmp);
	}
	free(tmp);
	free(path);
	return (rc);
}

/* The text of key for d into text; else say why, for EXIT_CONFIG. */
static int
text_of(const struct engine *e, enum engine_key key,
    const struct database *d, struct strbuf *text)
{
	char	*err = NULL;

	if (render_option_text(e, key, d, text, &err) == 0)
		return (EXIT_OK);
	error_msg("%s: %s", e->path, err);
	free(err);
	return (EXIT_CONFIG);
}

/*
 * Write a database's option file on this machine: *dir is then its
 * directory, for the exports (NULL for an engine with no option file).
 * Returns an exit code, having said what went wrong.
 */
int
optfile_write(const struct engine *e, const struct database *d, char **dir)
{
	struct strbuf	 text = STRBUF_INIT;
	char		*base, *err = NULL;
	int		 code;

	*dir = NULL;
	if (e->set[E_OPTION_TEXT].value == NULL)
		return (EXIT_OK);
	if ((code = text_of(e, E_OPTION_TEXT, d, &text)) != EXIT_OK) {
		strbuf_release(&text);
		return (code);
	}
	base = local_dir();
	*dir = xasprintf("%s/%s", base, d->name);
	if (private_dir(base, &err) == -1 || private_dir(*dir, &err) == -1 ||
	    write_file(*dir, e->set[E_OPTION_FILE].value, text.buf,
	    &err) == -1) {
		error_msg("%s's option file: %s", d->name, err);
		free(*dir);
		*dir = NULL;
		code = EXIT_FAIL;
	}
	free(err);
	free(base);
	strbuf_release(&text);
	return (code);
}

/*
 * Put a database's option file into its container, for exec and shell:
 * *dir is then its directory there (NULL for an engine with none).
 * Returns an exit code, having said what went wrong.
 */
int
optfile_put(const struct engine *e, const struct database *d,
    const char **dir)
{
	struct docker_result	 res = DOCKER_RESULT_INIT;
	struct strbuf		 text = STRBUF_INIT;
	int			 code = EXIT_OK;

	*dir = NULL;
	if (e->set[E_EXEC_OPTION_TEXT].value != NULL &&
	    (code = text_of(e, E_EXEC_OPTION_TEXT, d, &text)) == EXIT_OK) {
		if (docker_put_file(d->name, CONTAINER_DIR,
		    e->set[E_OPTION_FILE].value, text.buf, &res) == -1)
			code = docker_report(&res,
			    "copying the client's option file");
		else
			*dir = CONTAINER_DIR;
	}
	docker_result_release(&res);
	strbuf_release(&text);
	return (code);
}

/* The file and its directory under one per-user directory, if ours. */
static void
remove_in(const char *base, const char *name, const char *file)
{
	struct stat	 st;
	char		*dir, *path, *err = NULL;

	if (base == NULL || lstat(base, &st) == -1 ||
	    private_dir_ok(base, &st, &err) == -1) {
		free(err);
		return;
	}
	dir = xasprintf("%s/%s", base, name);
	path = xasprintf("%s/%s", dir, file);
	if (lstat(dir, &st) == 0 && private_dir_ok(dir, &st, &err) == 0) {
		if (unlink(path) == -1 && errno != ENOENT)
			warn_msg("cannot remove %s: %s", path, strerror(errno));
		/* Anything else in it was not dbarena's: it stays. */
		if (rmdir(dir) == -1 && errno != ENOENT && errno != ENOTEMPTY)
			warn_msg("cannot remove %s: %s", dir, strerror(errno));
	}
	free(err);
	free(dir);
	free(path);
}

/* After destroy or gc removed a database: its option file goes too. */
void
optfile_remove(const struct database *d)
{
	struct engine	 e;
	char		*err = NULL, *base;
	int		 xdg;

	if (d->engine == NULL || engine_load(d->engine, &e, &err) == -1) {
		free(err);
		return;
	}
	for (xdg = 0; e.set[E_OPTION_FILE].value != NULL && xdg < 2; xdg++) {
		base = user_dir(xdg);
		remove_in(base, d->name, e.set[E_OPTION_FILE].value);
		free(base);
	}
	engine_free(&e);
}
