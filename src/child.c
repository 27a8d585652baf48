/*
 * Running programs with fork and exec, as git's run-command does, never
 * through a shell. Every child dies with dbarena, SIGKILL included. The
 * results follow the shell's convention: the exit code, or
 * 128+signal; -1 with errno set when the program could not be started at
 * all (ENOENT: not installed). A child that outlives its timeout is killed
 * and reported as timed out.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"

extern char **environ;

static char **
child_environ(const struct strvec *edits, struct strvec *store)
{
	char		**e;
	size_t		  i, klen;
	const char	 *eq;
	int		  drop;

	if (edits->n == 0)
		return (environ);
	for (e = environ; *e != NULL; e++) {
		drop = 0;
		for (i = 0; i < edits->n; i++) {
			eq = strchr(edits->v[i], '=');
			klen = eq != NULL ? (size_t)(eq - edits->v[i]) :
			    strlen(edits->v[i]);
			if (strncmp(*e, edits->v[i], klen) == 0 &&
			    (*e)[klen] == '=')
				drop = 1;
		}
		if (!drop)
			strvec_push(store, *e);
	}
	for (i = 0; i < edits->n; i++) {
		if (strchr(edits->v[i], '=') != NULL)
			strvec_push(store, edits->v[i]);
	}
	if (store->v == NULL)
		strvec_push(store, "DBARENA_EMPTY_ENV=1");
	return (store->v);
}

/*
 * In the forked child, before exec: only async-signal-safe calls. Any
 * failure sends errno up the close-on-exec pipe and ends the child.
 */
static void
child_exec(const struct child *c, char **envp, pid_t parent, int inr,
    int outw, int errw, int report)
{
	struct sigaction	sa;
	sigset_t		none;
	int			fd, e, sigs[] = { SIGINT, SIGTERM, SIGPIPE,
				    SIGHUP };
	size_t			i;

	/* Die with dbarena, however it dies: SIGKILL included. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		goto fail;
	/* Default signals and an empty mask, whatever dbarena set up. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* A Ctrl-C reaches dbarena alone, which then cleans up in order. */
	if (c->out == CHILD_PIPE && setpgid(0, 0) == -1)
		goto fail;
	if (c->in == CHILD_NULL || c->in == CHILD_FILE) {
		fd = open(c->in == CHILD_FILE ? c->in_path : "/dev/null",
		    O_RDONLY);
		if (fd == -1 || dup2(fd, 0) == -1)
			goto fail;
		if (fd != 0)
			close(fd);
	}
	if (c->in == CHILD_DATA && dup2(inr, 0) == -1)
		goto fail;
	if (c->out == CHILD_NULL || (c->err == CHILD_NULL &&
	    !(c->err_to_out && c->out == CHILD_PIPE))) {
		if ((fd = open("/dev/null", O_WRONLY)) == -1)
			goto fail;
		if (c->out == CHILD_NULL && dup2(fd, 1) == -1)
			goto fail;
		if (c->err == CHILD_NULL && !(c->err_to_out &&
		    c->out == CHILD_PIPE) && dup2(fd, 2) == -1)
			goto fail;
		if (fd > 2)
			close(fd);
	}
	if (c->out == CHILD_PIPE && dup2(outw, 1) == -1)
		goto fail;
	if (c->err_to_out && c->out == CHILD_PIPE) {
		if (dup2(outw, 2) == -1)
			goto fail;
	} else if (c->err == CHILD_PIPE && dup2(errw, 2) == -1)
		goto fail;
	execvpe(c->argv.v[0], c->argv.v, envp);
fail:
	e = errno;
	if (write(report, &e, sizeof e) == -1)
		_exit(127);
	_exit(127);
}

/*
 * The bytes a CHILD_DATA child reads on its stdin, in an unnamed file in
 * memory: the child can read them at its own pace with no pipe for
 * dbarena to feed (nor to deadlock on), and they never touch a disk.
 */
static int
data_fd(const struct child *c)
{
	const char	*p = c->in_data;
	size_t		 left = c->in_len;
	ssize_t		 n;
	int		 fd, saved;

	if ((fd = memfd_create("dbarena-stdin", MFD_CLOEXEC)) == -1)
		return (-1);
	while (left > 0) {
		if ((n = write(fd, p, left)) == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		p += n;
		left -= n;
	}
	if (lseek(fd, 0, SEEK_SET) == -1)
		goto fail;
	return (fd);
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return (-1);
}

/*
 * Start the child with fork and exec, not posix_spawn: only a forked
 * child can ask the kernel (PR_SET_PDEATHSIG) to kill it when dbarena
 * dies, and a "docker logs --follow" of a server that prints nothing
 * more would otherwise outlive a SIGKILLed dbarena for ever. An exec
 * that fails reports its errno through a close-on-exec pipe, so the
 * caller still sees -1 with ENOENT for a program that is not installed.
 */
int
child_start(struct child *c)
{
	struct strvec	 envstore = STRVEC_INIT;
	char		**envp;
	pid_t		 parent = getpid();
	ssize_t		 n;
	int		 outp[2] = { -1, -1 }, errp[2] = { -1, -1 };
	int		 rep[2] = { -1, -1 }, e = 0, saved, inr = -1;

	if (c->argv.n == 0) {
		errno = EINVAL;
		return (-1);
	}
	if ((c->in == CHILD_DATA && (inr = data_fd(c)) == -1) ||
	    (c->out == CHILD_PIPE && pipe2(outp, O_CLOEXEC) == -1) ||
	    (c->err == CHILD_PIPE && !c->err_to_out &&
	    pipe2(errp, O_CLOEXEC) == -1) || pipe2(rep, O_CLOEXEC) == -1)
		goto fail;
	envp = child_environ(&c->env, &envstore);
	if ((c->pid = fork()) == -1) {
		strvec_clear(&envstore);
		goto fail;
	}
	if (c->pid == 0)
		child_exec(c, envp, parent, inr, outp[1], errp[1], rep[1]);
	strvec_clear(&envstore);
	if (inr != -1) {
		close(inr);
		inr = -1;
	}
	if (c->out == CHILD_PIPE)
		setpgid(c->pid, c->pid);	/* whichever runs first */
	close(rep[1]);
	rep[1] = -1;
	while ((n = read(rep[0], &e, sizeof e)) == -1 && errno == EINTR)
		;
	close(rep[0]);
	rep[0] = -1;
	if (n == sizeof e) {
		while (waitpid(c->pid, NULL, 0) == -1 && errno == EINTR)
			;
		c->pid = -1;
		errno = e;
		goto fail;
	}
	if (outp[1] != -1)
		close(outp[1]);
	if (errp[1] != -1)
		close(errp[1]);
	c->out_fd = outp[0];
	c->err_fd = errp[0];
	c->timed_out = 0;
	c->deadline = c->timeout_ms > 0 ? now_ms() + c->timeout_ms : 0;
	return (0);
fail:
	saved = errno;
	if (inr != -1)
		close(inr);
	if (outp[0] != -1) {
		close(outp[0]);
		close(outp[1]);
	}
	if (errp[0] != -1) {
		close(errp[0]);
		close(errp[1]);
	}
	if (rep[0] != -1)
		close(rep[0]);
	if (rep[1] != -1)
		close(rep[1]);
	c->pid = -1;
	errno = saved;
	return (-1);
}

void
child_kill(struct child *c)
{
	if (c->pid > 0)
		kill(c->pid, SIGKILL);
}

/* Whether the child has exited, without reaping it. */
int
child_exited(const struct child *c)
{
	siginfo_t	info;

	memset(&info, 0, sizeof info);
	return (c->pid > 0 && waitid(P_PID, (id_t)c->pid, &info,
	    WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == c->pid);
}

/*
 * A descriptor that becomes readable when the child exits (Linux 5.3's
 * pidfd), for a caller that polls on other things while it runs; the
 * caller closes it. -1 where the kernel has none: poll with a timeout
 * and ask child_exited then.
 */
int
child_pidfd(const struct child *c)
{
#ifdef SYS_pidfd_open
	if (c->pid > 0)
		return ((int)syscall(SYS_pidfd_open, c->pid, 0));
#endif
	(void)c;
	errno = ENOSYS;
	return (-1);
}

static void
close_fds(struct child *c)
{
	if (c->out_fd != -1)
		close(c->out_fd);
	if (c->err_fd != -1)
		close(c->err_fd);
	c->out_fd = c->err_fd = -1;
}

/* Reap the child, killing it first if its deadline has passed. */
int
child_finish(struct child *c)
{
	int	status, left;

	if (c->pid <= 0) {
		errno = ECHILD;
		return (-1);
	}
	for (;;) {
		if (c->deadline != 0) {
			/* One that ended in time is not late for being reaped late. */
			if (waitpid(c->pid, &status, WNOHANG) == c->pid)
				break;
			left = c->deadline - now_ms();
			if (left <= 0) {
				c->timed_out = 1;
				child_kill(c);
				c->deadline = 0;
				continue;
			}
			sleep_ms(left < 10 ? left : 10);
			continue;
		}
		if (waitpid(c->pid, &status, 0) == c->pid)
			break;
		if (errno != EINTR) {
			c->pid = -1;
			close_fds(c);
			return (-1);
		}
	}
	c->pid = -1;
	close_fds(c);
	if (WIFEXITED(status))
		return (WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		return (128 + WTERMSIG(status));
	return (-1);
}

int
child_run(struct child *c)
{
	if (child_start(c) == -1)
		return (-1);
	return (child_finish(c));
}

/*
 * Wait until fd is readable, the deadline passes, or ms elapse. Returns 1
 * readable, 0 nothing yet, -1 deadline passed.
 */
int
child_wait_readable(struct child *c, int fd, long long ms)
{
	struct pollfd	pfd;
	long long	left;

	if (c->deadline != 0) {
		left = c->deadline - now_ms();
		if (left <= 0)
			return (-1);
		if (ms < 0 || left < ms)
			ms = left;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, ms < 0 ? -1 : (int)ms) > 0)
		return (1);
	return (0);
}

/*
 * Start a child whose output child_drain will collect: stdout always
 * piped, stderr piped too when want_err, else dropped unless joined.
 * Several can run at once when each writes less than a pipe holds.
 */
int
child_start_capture(struct child *c, int want_err)
{
	c->out = CHILD_PIPE;
	if (want_err && !c->err_to_out)
		c->err = CHILD_PIPE;
	else if (!want_err && !c->err_to_out && c->err == CHILD_INHERIT)
		c->err = CHILD_NULL;
	return (child_start(c));
}

/*
 * Run and collect stdout and stderr together with poll(), so a child that
 * fills one pipe while dbarena reads the other never deadlocks.
 */
int
child_capture(struct child *c, struct strbuf *out, struct strbuf *err)
{
	if (child_start_capture(c, err != NULL) == -1)
		return (-1);
	return (child_drain(c, out, err));
}

/* Read what one readable pipe of c holds; at its end, close it. */
static void
child_read(struct child *c, int fd, struct strbuf *dst)
{
	char	buf[8192];
	ssize_t	n;

	n = read(fd, buf, sizeof buf);
	if (n > 0) {
		if (dst != NULL)
			strbuf_add(dst, buf, n);
		return;
	}
	if (n == -1 && errno == EINTR)
		return;
	close(fd);
	if (fd == c->out_fd)
		c->out_fd = -1;
	else
		c->err_fd = -1;
}

/* Collect a started child's output until it closes, then reap it. */
int
child_drain(struct child *c, struct strbuf *out, struct strbuf *err)
{
	struct pollfd	 pfd[2];
	struct strbuf	*dst[2];
	long long	 left;
	int		 i, nfd, timeout;

	for (;;) {
		nfd = 0;
		if (c->out_fd != -1) {
			pfd[nfd].fd = c->out_fd;
			pfd[nfd].events = POLLIN;
			dst[nfd++] = out;
		}
		if (c->err_fd != -1) {
			pfd[nfd].fd = c->err_fd;
			pfd[nfd].events = POLLIN;
			dst[nfd++] = err;
		}
		if (nfd == 0)
			break;
		/* A signal between two polls must not wait for the next. */
		if (c->cancel != NULL && c->cancel()) {
			child_kill(c);
			close_fds(c);
			break;
		}
		timeout = -1;
		if (c->deadline != 0) {
			left = c->deadline - now_ms();
			if (left <= 0 && child_exited(c)) {
				/* Collected late, not late itself: drain it. */
				c->deadline = 0;
				continue;
			}
			if (left <= 0) {
				c->timed_out = 1;
				child_kill(c);
				close_fds(c);
				break;
			}
			timeout = left;
		}
		if (poll(pfd, nfd, timeout) == -1) {
			/* Interrupted: stop waiting for a hung child. */
			if (errno == EINTR && c->cancel != NULL &&
			    c->cancel()) {
				child_kill(c);
				close_fds(c);
				break;
			}
			if (errno == EINTR)
				continue;
			/* Never wait for a child that may be stuck on a pipe. */
			child_kill(c);
			close_fds(c);
			break;
		}
		for (i = 0; i < nfd; i++) {
			if (pfd[i].revents != 0)
				child_read(c, pfd[i].fd, dst[i]);
		}
	}
	return (child_finish(c));
}

/* Whether a started child has closed all its pipes: time to finish it. */
int
child_done(const struct child *c)
{
	return (c->out_fd == -1 && c->err_fd == -1);
}

/*
 * One round of collecting from several started children at once, for a
 * caller that runs them side by side: each one past its deadline is
 * killed (and marked timed out); then, for up to ms, what any of them
 * prints goes to out[i] or err[i] (NULL: dropped). A child whose pipes
 * are all closed is left for the caller to reap with child_finish.
 */
void
child_poll(struct child **c, struct strbuf **out, struct strbuf **err,
    size_t n, int ms)
{
	struct pollfd	*pfd = xcalloc(2 * n + 1, sizeof *pfd);
	size_t		*who = xcalloc(2 * n + 1, sizeof *who);
	size_t		 i, nfd = 0;
	long long	 now = now_ms();

	for (i = 0; i < n; i++) {
		if (c[i]->deadline != 0 && now >= c[i]->deadline) {
			c[i]->timed_out = 1;
			child_kill(c[i]);
		}
		if (c[i]->out_fd != -1) {
			pfd[nfd].fd = c[i]->out_fd;
			pfd[nfd].events = POLLIN;
			who[nfd++] = i;
		}
		if (c[i]->err_fd != -1) {
			pfd[nfd].fd = c[i]->err_fd;
			pfd[nfd].events = POLLIN;
			who[nfd++] = i;
		}
	}
	if (nfd > 0 && poll(pfd, nfd, ms) > 0) {
		for (i = 0; i < nfd; i++) {
			if (pfd[i].revents == 0)
				continue;
			child_read(c[who[i]], pfd[i].fd,
			    pfd[i].fd == c[who[i]]->err_fd ? err[who[i]] :
			    out[who[i]]);
		}
	}
	free(pfd);
	free(who);
}

void
child_clear(struct child *c)
{
	if (c->pid > 0) {
		child_kill(c);
		child_finish(c);
	}
	close_fds(c);
	strvec_clear(&c->argv);
	strvec_clear(&c->env);
}
