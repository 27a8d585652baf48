/*
 * Forwards over ssh, for an engine whose endpoint is ssh://[user@]host
 * [:port]. The docker CLI reaches such an engine by running "ssh [-l
 * user] [-p port] -- host docker system dial-stdio"; a forward runs the
 * same ssh to the same destination, so the user's ssh configuration
 * (aliases, keys, jump hosts) applies to both. It is started through
 * child.c (fork and exec, never a shell), which asks the kernel to kill
 * it when dbarena dies, however it dies: a forward never outlives the
 * dbarena that opened it. ssh's own options that make that dependable:
 * BatchMode (never a prompt: there is no one to answer it),
 * ExitOnForwardFailure (a port it cannot forward ends it, rather than
 * leaving it connected and useless), ControlPath=none (a forward handed
 * to a shared master connection would stay open in that master after
 * this ssh ends) and ServerAliveInterval (a dead connection ends it, and
 * so is reported, within half a minute).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "docker.h"
#include "runmark.h"
#include "sig.h"
#include "tunnel.h"

#define TUNNEL_TRIES	3	/* another program may take our free port */
#define TUNNEL_ERR_KEEP	8192

/* ssh://[user@]host[:port][/...]: 0, or -1 when it is not one. */
int
ssh_dest_parse(const char *ep, struct ssh_dest *d)
{
	const char	*p, *at, *end, *colon;

	memset(d, 0, sizeof *d);
	if (strncmp(ep, "ssh://", 6) != 0)
		return (-1);
	p = ep + 6;
	end = p + strcspn(p, "/?");
	at = memchr(p, '@', end - p);
	if (at != NULL) {
		d->user = xstrndup(p, at - p);
		p = at + 1;
	}
	if (*p == '[') {			/* [IPv6]:port */
		p++;
		colon = memchr(p, ']', end - p);
		if (colon == NULL)
			goto bad;
		d->host = xstrndup(p, colon - p);
		colon = colon + 1 < end && colon[1] == ':' ? colon + 1 : NULL;
	} else {
		colon = memchr(p, ':', end - p);
		d->host = xstrndup(p, (colon != NULL ? colon : end) - p);
	}
	if (colon != NULL && colon + 1 < end)
		d->port = xstrndup(colon + 1, end - colon - 1);
	if (*d->host == '\0' || (d->user != NULL && *d->user == '\0'))
		goto bad;
	return (0);
bad:
	ssh_dest_free(d);
	return (-1);
}

/* The engine's ssh destination: 0 when it is reached over ssh, else -1. */
int
tunnel_engine_dest(struct ssh_dest *d)
{
	const char	*ep = docker_endpoint();

	memset(d, 0, sizeof *d);
	return (ep != NULL ? ssh_dest_parse(ep, d) : -1);
}

/*
 * Where on the remote host a forward connects for a port published on
 * bind: that address, or its loopback when published on all of them.
 */
const char *
tunnel_remote_addr(const char *bind)
{
	if (bind == NULL || *bind == '\0' || strcmp(bind, "0.0.0.0") == 0)
		return ("127.0.0.1");
	if (strcmp(bind, "::") == 0)
		return ("::1");
	return (bind);
}

void
ssh_dest_free(struct ssh_dest *d)
{
	free(d->user);
	free(d->host);
	free(d->port);
	memset(d, 0, sizeof *d);
}

/* "ssh [-l user] [-p port]", as the docker CLI runs it. */
static void
ssh_argv(struct strvec *argv, const struct ssh_dest *d)
{
	strvec_push(argv, "ssh");
	if (d->user != NULL) {
		strvec_push(argv, "-l");
		strvec_push(argv, d->user);
	}
	if (d->port != NULL) {
		strvec_push(argv, "-p");
		strvec_push(argv, d->port);
	}
}

/*
 * The host name ssh really connects to ("ssh -G": the configuration,
 * aliases resolved, without connecting), for an address a client on this
 * machine can use when a port is published on all of the remote's
 * addresses. 0, or -1 when ssh cannot say.
 */
int
ssh_hostname(const struct ssh_dest *d, struct strbuf *out)
{
	struct child	 c = CHILD_INIT;
	struct strbuf	 sb = STRBUF_INIT;
	const char	*p;
	int		 rc;

	ssh_argv(&c.argv, d);
	strvec_push(&c.argv, "-G");
	strvec_push(&c.argv, "--");
	strvec_push(&c.argv, d->host);
	c.timeout_ms = 10000;
	rc = child_capture(&c, &sb, NULL);
	child_clear(&c);
	p = strstr(sb.buf, "\nhostname ");
	if (rc == 0 && (p != NULL || strncmp(sb.buf, "hostname ", 9) == 0)) {
		p = p != NULL ? p + 10 : sb.buf + 9;
		strbuf_reset(out);
		strbuf_add(out, p, strcspn(p, "\r\n"));
	}
	strbuf_release(&sb);
	return (rc == 0 && p != NULL && out->len > 0 ? 0 : -1);
}

/* The whole ssh command line of a forward from 127.0.0.1:lport. */
void
tunnel_argv(struct strvec *argv, const struct ssh_dest *d, int lport,
    const char *raddr, int rport)
{
	ssh_argv(argv, d);
	strvec_push(argv, "-N");
	strvec_push(argv, "-T");
	strvec_push(argv, "-o");
	strvec_push(argv, "BatchMode=yes");
	strvec_push(argv, "-o");
	strvec_push(argv, "ExitOnForwardFailure=yes");
	strvec_push(argv, "-o");
	strvec_push(argv, "ControlPath=none");
	strvec_push(argv, "-o");
	strvec_push(argv, "ServerAliveInterval=10");
	strvec_push(argv, "-L");
	strvec_pushf(argv, strchr(raddr, ':') != NULL ?
	    "127.0.0.1:%d:[%s]:%d" : "127.0.0.1:%d:%s:%d", lport, raddr,
	    rport);
	strvec_push(argv, "--");
	strvec_push(argv, d->host);
}

/* A port on 127.0.0.1 nobody listens on now, as the kernel picks one. */
static int
free_local_port(void)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;
	int			fd, port = -1;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return (-1);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sin, &len) == 0)
		port = ntohs(sin.sin_port);
	close(fd);
	return (port);
}

/* Take what ssh said; at its end, reap it. 1 while it runs. */
static int
tunnel_read(struct tunnel *t)
{
	char	buf[4096];
	ssize_t	n;

	if (t->ssh.pid <= 0)
		return (0);
	n = read(t->ssh.out_fd, buf, sizeof buf);
	if (n > 0) {
		/* Only the last words matter; a long forward says a lot. */
		if (t->err.len > TUNNEL_ERR_KEEP)
			strbuf_remove(&t->err, 0, t->err.len / 2);
		strbuf_add(&t->err, buf, n);
		return (1);
	}
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return (1);
	t->status = child_finish(&t->ssh);
	return (0);
}

/* Does process pid hold the socket whose link reads want? */
static int
holds_socket(const char *pid, const char *want)
{
	char		 path[320], link[64];
	struct dirent	*de;
	DIR		*dir;
	ssize_t		 n;
	int		 held = 0;

	snprintf(path, sizeof path, "/proc/%s/fd", pid);
	if ((dir = opendir(path)) == NULL)
		return (0);
	while (!held && (de = readdir(dir)) != NULL) {
		snprintf(path, sizeof path, "/proc/%s/fd/%s", pid, de->d_name);
		if ((n = readlink(path, link, sizeof link - 1)) > 0) {
			link[n] = '\0';
			held = strcmp(link, want) == 0;
		}
	}
	closedir(dir);
	return (held);
}

/* The process group of process pid (a /proc name); -1: unknown. */
static long
pgrp_of(const char *pid)
{
	unsigned long long	pgrp;

	return (proc_stat_field(strtol(pid, NULL, 10), 5, &pgrp) == 0 ?
	    (long)pgrp : -1);
}

/*
 * Is the socket listening on 127.0.0.1:port held by a process of the
 * process group pgid (ssh's: child.c makes it one of its own, so an ssh
 * that is a wrapper, or one whose listener is in a child, counts)? 1
 * yes, 0 another process's or none listens, -1 cannot tell (no /proc).
 * From the kernel's table of TCP sockets and the processes' descriptors.
 */
int
tunnel_port_owner(pid_t pgid, int port)
{
	char		 line[512], want[64];
	unsigned long	 inode = 0;
	unsigned int	 addr, lport, st;
	struct dirent	*de;
	FILE		*f;
	DIR		*dir;
	int		 owned = 0;

	if ((f = fopen("/proc/net/tcp", "r")) == NULL)
		return (-1);
	while (inode == 0 && fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, " %*u: %x:%x %*x:%*x %x %*x:%*x %*x:%*x "
		    "%*x %*u %*u %lu", &addr, &lport, &st, &inode) != 4 ||
		    (int)lport != port || st != 0x0A ||
		    ntohl(addr) != INADDR_LOOPBACK)
			inode = 0;
	}
	fclose(f);
	if (inode == 0)
		return (0);
	if ((dir = opendir("/proc")) == NULL)
		return (-1);
	snprintf(want, sizeof want, "socket:[%lu]", inode);
	while (!owned && (de = readdir(dir)) != NULL) {
		if (strspn(de->d_name, "0123456789") != strlen(de->d_name) ||
		    pgrp_of(de->d_name) != (long)pgid)
			continue;
		owned = holds_socket(de->d_name, want);
	}
	closedir(dir);
	return (owned);
}

/*
 * Wait until ssh listens on the local port (its socket is there when a
 * bind to it fails: no connection is made, so the remote sees none), and
 * the socket is ssh's: a process that took the port between its choice
 * and ssh's bind is not the forward (ssh then exits, Address already in
 * use, and the port is chosen again). Or until ssh exits, the deadline
 * passes or a signal asks us to stop.
 */
static int
tunnel_wait_up(struct tunnel *t, long long deadline)
{
	struct pollfd	pfd;

	for (;;) {
		if (!port_free("127.0.0.1", t->local_port) &&
		    tunnel_port_owner(t->ssh.pid, t->local_port) != 0)
			return (0);
		if (interrupted() || now_ms() >= deadline) {
			strbuf_adds(&t->err, interrupted() ? "interrupted\n" :
			    "no forward in time\n");
			tunnel_close(t);
			return (-1);
		}
		pfd.fd = t->ssh.out_fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, 20) > 0 && !tunnel_read(t))
			return (-1);
	}
}

/*
 * Open a forward from a free port on 127.0.0.1 to raddr:rport as the
 * remote host sees it, and wait until it listens. 0, or -1 with t->err
 * holding ssh's words (see tunnel_why); -1 with errno set and err empty
 * when ssh could not be started at all.
 */
int
tunnel_open(struct tunnel *t, const struct ssh_dest *d, const char *raddr,
    int rport, long long timeout_ms)
{
	long long	deadline = now_ms() + timeout_ms;
	int		try;

	for (try = 0; try < TUNNEL_TRIES; try++) {
		tunnel_close(t);
		strbuf_reset(&t->err);
		t->status = -1;
		if ((t->local_port = free_local_port()) == -1)
			return (-1);
		tunnel_argv(&t->ssh.argv, d, t->local_port, raddr, rport);
		t->ssh.out = CHILD_PIPE;	/* its own process group */
		t->ssh.err_to_out = 1;
		if (child_start(&t->ssh) == -1)
			return (-1);
		if (tunnel_wait_up(t, deadline) == 0)
			return (0);
		if (strstr(t->err.buf, "Address already in use") == NULL)
			break;
	}
	return (-1);
}

/* Readable when ssh says something or ends: for the caller's poll. */
int
tunnel_fd(const struct tunnel *t)
{
	return (t->ssh.pid > 0 ? t->ssh.out_fd : -1);
}

/* 1 while the forward runs; 0 once ssh is gone (tunnel_why says why). */
int
tunnel_check(struct tunnel *t)
{
	struct pollfd	pfd;

	while (t->ssh.pid > 0) {
		pfd.fd = t->ssh.out_fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, 0) <= 0)
			return (1);
		if (!tunnel_read(t))
			return (0);
	}
	return (0);
}

/*
 * Why a forward failed or ended, in one line: ssh's last words (it says
 * what went wrong on its last line), and how it ended.
 */
void
tunnel_why(const struct tunnel *t, struct strbuf *sb)
{
	const char	*p, *end;

	end = t->err.buf + t->err.len;
	while (end > t->err.buf && (end[-1] == '\n' || end[-1] == '\r' ||
	    end[-1] == ' '))
		end--;
	for (p = end; p > t->err.buf && p[-1] != '\n'; p--)
		;
	strbuf_add(sb, p, end - p);
	/* 128+signal, as child.c says; 255 is ssh's own error status. */
	if (t->status > 128 && t->status < 255) {
		strbuf_addf(sb, "%sssh killed by signal %d", end > p ? "; " : "",
		    t->status - 128);
	} else if (t->status > 0 || end == p) {
		strbuf_addf(sb, "%sssh exited with status %d",
		    end > p ? "; " : "", t->status);
	}
}

/* Close the forward: ssh is ended and reaped, the caller's err kept. */
void
tunnel_close(struct tunnel *t)
{
	child_clear(&t->ssh);
	t->ssh = (struct child)CHILD_INIT;
}
