/*
 * PostgreSQL gets a real StartupMessage, as pg_isready sends: the
 * postmaster answers an SSLRequest even while the database is still
 * starting up, so only the reply to a startup packet tells - an
 * authentication request, or any error but 57P03 "the database system is
 * starting up", means a live server. MySQL and MariaDB greet first with
 * protocol version 10, or with an error packet, which is decoded: a host
 * the server will not let in, or a user it denies, is final; "too many
 * connections" and the like pass. SQL Server answers a TDS pre-login with
 * a tabular-result packet of pre-login options; that only says the
 * process listens, so the caller confirms a login afterwards.
 *
 * A probe never gives up on a connection the server has accepted: a
 * MariaDB that resolves its client's address greets only once the lookup
 * ends, ten seconds later where no resolver answers, and a probe that
 * hangs up sooner never sees a greeting (the server only logs "Aborted
 * connection"). The connection stays open until the server answers or
 * closes it, or the caller's deadline passes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe.h"
#include "util.h"

#define CONNECT_MS	500
#define PROBE_BUF	(sizeof ((struct probe *)0)->buf)

/* MySQL error codes that waiting does not cure. */
#define ER_ACCESS_DENIED_ERROR	1045
#define ER_HOST_IS_BLOCKED	1129
#define ER_HOST_NOT_PRIVILEGED	1130

static const unsigned char tds_prelogin[20] = {
	0x12, 0x01, 0x00, 0x14, 0x00, 0x00, 0x01, 0x00,	/* header */
	0x00, 0x00, 0x06, 0x00, 0x06, 0xff,		/* VERSION, end */
	0x0f, 0x00, 0x00, 0x00, 0x00, 0x00		/* version data */
};

static int
connect_to(const char *host, int port, int timeout_ms)
{
	struct addrinfo	 hints, *res, *ai;
	struct pollfd	 pfd;
	char		 portstr[16];
	int		 fd = -1, err;
	socklen_t	 len;

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(portstr, sizeof portstr, "%d", port);
	if (getaddrinfo(host, portstr, &hints, &res) != 0)
		return (-1);
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
		if (fd == -1)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (errno == EINPROGRESS) {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			len = sizeof err;
			if (poll(&pfd, 1, timeout_ms) == 1 &&
			    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
			    &len) == 0 && err == 0)
				break;
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return (fd);
}

static ssize_t
read_some(int fd, unsigned char *buf, size_t want, int timeout_ms)
{
	struct pollfd	pfd;
	size_t		got = 0;
	ssize_t		n;
	long long	deadline = now_ms() + timeout_ms;
	long long	left;

	while (got < want) {
		left = deadline - now_ms();
		if (left <= 0)
			break;
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)left) != 1)
			break;
		n = read(fd, buf + got, want - got);
		if (n <= 0)
			break;
		got += n;
	}
	return (got);
}

static void
put32(unsigned char *p, unsigned long v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* Is this reply to a StartupMessage from a server that takes queries? */
int
probe_pg_reply(const unsigned char *buf, size_t len)
{
	size_t	i;

	if (len < 1)
		return (0);
	if (buf[0] == 'R')
		return (1);
	if (buf[0] != 'E')
		return (0);
	/* Fields: a type byte, a NUL-terminated value; C is the SQLSTATE. */
	for (i = 5; i + 6 < len; i++) {
		if (buf[i - 1] == '\0' && buf[i] == 'C')
			return (memcmp(buf + i + 1, "57P03", 5) != 0);
	}
	return (1);
}

/* A StartupMessage for user and database; 0 when they do not fit. */
static size_t
pg_startup(unsigned char *msg, size_t size, const char *user,
    const char *database)
{
	size_t	len = 8;

	if (strlen(user) + strlen(database) + 32 > size)
		return (0);
	put32(msg + 4, 196608);		/* protocol 3.0 */
	memcpy(msg + len, "user", 5);
	len += 5;
	memcpy(msg + len, user, strlen(user) + 1);
	len += strlen(user) + 1;
	if (*database != '\0') {
		memcpy(msg + len, "database", 9);
		len += 9;
		memcpy(msg + len, database, strlen(database) + 1);
		len += strlen(database) + 1;
	}
	msg[len++] = '\0';
	put32(msg, len);
	return (len);
}

/* The server's own words, made safe to print on a terminal. */
static void
add_server_text(struct strbuf *why, const unsigned char *s, size_t len)
{
	size_t	i;

	if (why == NULL)
		return;
	strbuf_reset(why);
	for (i = 0; i < len && s[i] != '\0'; i++)
		strbuf_addch(why, s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i]);
}

/* A reply to a StartupMessage: the type byte, a length, the rest. */
static enum probe_answer
pg_answer(const unsigned char *buf, size_t len)
{
	size_t	need;

	if (len < 1)
		return (PROBE_WAIT);
	if (buf[0] == 'R')
		return (PROBE_READY);
	if (buf[0] != 'E')
		return (PROBE_NO);
	if (len < 5)
		return (PROBE_WAIT);
	need = 1 + ((size_t)buf[1] << 24 | (size_t)buf[2] << 16 |
	    (size_t)buf[3] << 8 | buf[4]);
	if (need > PROBE_BUF)
		need = PROBE_BUF;
	if (len < need)
		return (PROBE_WAIT);
	return (probe_pg_reply(buf, need) ? PROBE_READY : PROBE_NO);
}

/*
 * The first packet of a MySQL server: a 3-byte length and a sequence
 * number, then 10 (the protocol of a handshake) or 0xff, a 2-byte error
 * code, an optional "#" and SQLSTATE, and the message.
 */
static enum probe_answer
mysql_answer(const unsigned char *buf, size_t len, struct strbuf *why)
{
	size_t		need, skip = 7;
	unsigned	code;

	if (len < 5)
		return (PROBE_WAIT);
	if (buf[4] == 0x0a)
		return (PROBE_READY);
	if (buf[4] != 0xff)
		return (PROBE_NO);
	need = 4 + ((size_t)buf[0] | (size_t)buf[1] << 8 |
	    (size_t)buf[2] << 16);
	if (need > PROBE_BUF)
		need = PROBE_BUF;
	if (len < need)
		return (PROBE_WAIT);
	if (need < 7)
		return (PROBE_NO);
	code = buf[5] | buf[6] << 8;
	if (need >= skip + 6 && buf[skip] == '#')
		skip += 6;
	add_server_text(why, buf + skip, need - skip);
	switch (code) {
	case ER_ACCESS_DENIED_ERROR:
	case ER_HOST_IS_BLOCKED:
	case ER_HOST_NOT_PRIVILEGED:
		return (PROBE_REFUSED);
	default:
		/* Too many connections, shutting down, ...: wait it out. */
		return (PROBE_NO);
	}
}

/*
 * A pre-login response: a tabular-result packet (type 4, end of message)
 * whose payload is a list of option tokens (a type, a 2-byte offset and
 * length into the payload) up to 0xff, VERSION among them.
 */
static enum probe_answer
tds_answer(const unsigned char *buf, size_t len)
{
	const unsigned char	*pl;
	size_t			 plen, n, i, off, olen;
	int			 version = 0;

	if (len < 8)
		return (PROBE_WAIT);
	plen = (size_t)buf[2] << 8 | buf[3];
	if (buf[0] != 0x04 || (buf[1] & 0x01) == 0 || plen <= 8 ||
	    plen > PROBE_BUF)
		return (PROBE_NO);
	if (len < plen)
		return (PROBE_WAIT);
	pl = buf + 8;
	n = plen - 8;
	for (i = 0; i < n && pl[i] != 0xff; i += 5) {
		if (i + 5 > n)
			return (PROBE_NO);
		off = (size_t)pl[i + 1] << 8 | pl[i + 2];
		olen = (size_t)pl[i + 3] << 8 | pl[i + 4];
		if (off + olen > n)
			return (PROBE_NO);
		if (pl[i] == 0x00 && olen >= 6)
			version = 1;
	}
	return (i < n && version ? PROBE_READY : PROBE_NO);
}

/* The pre-login packet, as is: a SQL Server needs nothing of ours. */
static size_t
tds_hello(unsigned char *msg, size_t size, const char *user,
    const char *database)
{
	(void)user;
	(void)database;
	if (size < sizeof tds_prelogin)
		return (0);
	memcpy(msg, tds_prelogin, sizeof tds_prelogin);
	return (sizeof tds_prelogin);
}

/*
 * No user, no message: a server checks the user before whether it is
 * starting up, so an empty one would be refused at once, and that answer
 * would pass for ready. The engine file names the user (engine_load
 * insists), so the caller always has one.
 */
static size_t
pg_hello(unsigned char *msg, size_t size, const char *user,
    const char *database)
{
	if (user == NULL || *user == '\0')
		return (0);
	return (pg_startup(msg, size, user, database != NULL ? database :
	    ""));
}

static enum probe_answer
pg_parse(const unsigned char *buf, size_t len, struct strbuf *why)
{
	(void)why;
	return (pg_answer(buf, len));
}

static enum probe_answer
tds_parse(const unsigned char *buf, size_t len, struct strbuf *why)
{
	(void)why;
	return (tds_answer(buf, len));
}

/*
 * The wire protocols a probe speaks, as an engine file's "probe =" names
 * them (config.c checks the name against this table): what the client
 * says first (NULL: the server speaks first), whether that names the
 * user, and how to read the answer. A new engine on a known protocol
 * needs no C.
 */
static const struct probe_kind {
	const char		*name;
	size_t			(*hello)(unsigned char *, size_t,
				    const char *, const char *);
	int			 user;
	enum probe_answer	(*parse)(const unsigned char *, size_t,
				    struct strbuf *);
} probe_kinds[] = {
	{ "postgres", pg_hello, 1, pg_parse },
	{ "mysql", NULL, 0, mysql_answer },
	{ "tds", tds_hello, 0, tds_parse },
};
#define NKINDS	(sizeof probe_kinds / sizeof probe_kinds[0])

static const struct probe_kind *
probe_kind(const char *name)
{
	size_t	i;

	for (i = 0; i < NKINDS; i++) {
		if (strcmp(probe_kinds[i].name, name) == 0)
			return (&probe_kinds[i]);
	}
	return (NULL);
}

int
probe_known(const char *kind)
{
	return (probe_kind(kind) != NULL);
}

/* The i-th protocol's name, NULL past the last: for listing them. */
const char *
probe_kind_name(size_t i)
{
	return (i < NKINDS ? probe_kinds[i].name : NULL);
}

/* 1 when the probe logs in as the database's user, who must be known. */
int
probe_needs_user(const char *kind)
{
	const struct probe_kind	*k = probe_kind(kind);

	return (k != NULL && k->user);
}

/*
 * What the bytes a server sent so far say: PROBE_WAIT while an answer is
 * incomplete. why, when not NULL, gets a MySQL error packet's message.
 */
enum probe_answer
probe_parse(const char *kind, const unsigned char *buf, size_t len,
    struct strbuf *why)
{
	const struct probe_kind	*k = probe_kind(kind);

	return (k != NULL ? k->parse(buf, len, why) : PROBE_NO);
}

/*
 * Connect (within connect_ms) and say what the kind of server must answer;
 * 0, or -1 when nothing accepted the connection.
 */
int
probe_open(struct probe *p, const char *kind, const char *host, int port,
    int connect_ms, const char *user, const char *database)
{
	const struct probe_kind	*k = probe_kind(kind);
	unsigned char		 msg[512];
	size_t			 len;

	memset(p, 0, sizeof *p);
	p->kind = kind;
	p->fd = -1;
	if (k == NULL || (p->fd = connect_to(host, port, connect_ms)) == -1)
		return (-1);
	if (k->hello == NULL)
		return (0);
	/* A few hundred bytes: they fit in the socket's buffer at once. */
	if ((len = k->hello(msg, sizeof msg, user, database)) == 0 ||
	    write(p->fd, msg, len) != (ssize_t)len) {
		probe_close(p);
		return (-1);
	}
	return (0);
}

/*
 * Take what the server sent since the last call (when poll says the
 * socket is readable): PROBE_WAIT while its answer is incomplete and the
 * connection open, PROBE_NO when it hung up without one.
 */
enum probe_answer
probe_read(struct probe *p, struct strbuf *why)
{
	enum probe_answer	a;
	ssize_t			n;
	int			eof = 0;

	if (p->fd == -1)
		return (PROBE_NO);
	while (p->got < PROBE_BUF) {
		n = read(p->fd, p->buf + p->got, PROBE_BUF - p->got);
		if (n > 0) {
			p->got += n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
			eof = 1;
		break;
	}
	a = probe_parse(p->kind, p->buf, p->got, why);
	if (a == PROBE_WAIT && (eof || p->got == PROBE_BUF))
		a = PROBE_NO;
	return (a);
}

void
probe_close(struct probe *p)
{
	if (p->fd != -1)
		close(p->fd);
	p->fd = -1;
}

/* One probe, waiting up to timeout_ms in all for the server's answer. */
enum probe_answer
probe_ask(const char *kind, const char *host, int port, int timeout_ms,
    const char *user, const char *database, struct strbuf *why)
{
	struct probe		p;
	struct pollfd		pfd;
	enum probe_answer	a = PROBE_NO;
	long long		deadline = now_ms() + timeout_ms, left;

	if (probe_open(&p, kind, host, port, timeout_ms < CONNECT_MS ?
	    timeout_ms : CONNECT_MS, user, database) == -1)
		return (PROBE_NO);
	while ((left = deadline - now_ms()) > 0) {
		pfd.fd = p.fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)left) == -1 && errno != EINTR)
			break;
		if (pfd.revents == 0)
			continue;
		if ((a = probe_read(&p, why)) != PROBE_WAIT)
			break;
	}
	if (a == PROBE_WAIT)
		a = PROBE_NO;
	probe_close(&p);
	return (a);
}

/* 1: a live server answered; 0: not (yet). */
int
probe_server(const char *kind, const char *host, int port, int timeout_ms,
    const char *user, const char *database)
{
	return (probe_ask(kind, host, port, timeout_ms, user, database,
	    NULL) == PROBE_READY);
}

/*
 * The status code of an HTTP/1.x response's first line, or 0 when the
 * bytes are no HTTP response.
 */
int
probe_http_parse_status(const char *buf, size_t len)
{
	int	code = 0;
	size_t	i;

	if (len < 12 || strncmp(buf, "HTTP/1.", 7) != 0 || buf[8] != ' ')
		return (0);
	for (i = 9; i < 12; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			return (0);
		code = code * 10 + (buf[i] - '0');
	}
	return (code);
}

/*
 * One plain HTTP GET, for doctor's look at a registry mirror: the status
 * code, 0 when something answered that does not speak HTTP, -1 when
 * nothing could be connected to in timeout_ms.
 */
int
probe_http_status(const char *host, int port, const char *path,
    int timeout_ms)
{
	struct strbuf	req = STRBUF_INIT;
	char		reply[64];
	size_t		n;
	int		fd, code = 0;

	if ((fd = connect_to(host, port, timeout_ms)) == -1)
		return (-1);
	/* An IPv6 literal goes in brackets, or the port reads as part of it. */
	strbuf_addf(&req, "GET %s HTTP/1.0\r\nHost: %s%s%s:%d\r\n"
	    "User-Agent: dbarena\r\nConnection: close\r\n\r\n", path,
	    strchr(host, ':') != NULL ? "[" : "", host,
	    strchr(host, ':') != NULL ? "]" : "", port);
	if (write(fd, req.buf, req.len) == (ssize_t)req.len) {
		n = read_some(fd, (unsigned char *)reply, sizeof reply - 1,
		    timeout_ms);
		code = probe_http_parse_status(reply, n);
	}
	strbuf_release(&req);
	close(fd);
	return (code);
}
