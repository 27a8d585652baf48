/*
 * PostgreSQL gets a real StartupMessage, as pg_isready sends: the
 * postmaster answers an SSLRequest even while the database is still
 * starting up, so only the reply to a startup packet tells - an
 * authentication request, or any error but 57P03 "the database system is
 * starting up", means a live server. MySQL and MariaDB greet first with
 * protocol version 10 (or an error packet, which still proves a server);
 * SQL Server answers a TDS pre-login with a tabular-result packet. Each
 * probe is one short connection.
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


static const unsigned char tds_prelogin[20] = {
	0x12, 0x01, 0x00, 0x14, 0x00, 0x00, 0x01, 0x00,	/* header */
	0x00, 0x00, 0x06, 0x00, 0x06, 0xff,		/* VERSION, end */
	0x0f, 0x00, 0x00, 0x00, 0x00, 0x00		/* version data */
};

int
probe_known(const char *kind)
{
	return (strcmp(kind, "postgres") == 0 || strcmp(kind, "mysql") == 0 ||
	    strcmp(kind, "tds") == 0);
}

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

static int
probe_postgres(int fd, const char *user, const char *database, int timeout)
{
	unsigned char	msg[512], reply[512];
	size_t		len = 8;
	ssize_t		n;

	if (strlen(user) + strlen(database) > 400)
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
	if (write(fd, msg, len) != (ssize_t)len)
		return (0);
	/* The type byte and length first, then the rest of that message. */
	if ((n = read_some(fd, reply, 5, timeout)) != 5)
		return (0);
	len = 1 + ((size_t)reply[1] << 24 | reply[2] << 16 | reply[3] << 8 |
	    reply[4]);
	if (len > sizeof reply)
		len = sizeof reply;
	if (len > 5)
		n += read_some(fd, reply + 5, len - 5, timeout);
	return (probe_pg_reply(reply, n));
}

/* 1: a live server answered; 0: not (yet). */
int
probe_server(const char *kind, const char *host, int port, int timeout_ms,
    const char *user, const char *database)
{
	unsigned char	buf[8];
	int		fd, ok = 0;

	if ((fd = connect_to(host, port, timeout_ms)) == -1)
		return (0);
	if (strcmp(kind, "postgres") == 0)
		ok = probe_postgres(fd, user != NULL && *user ? user :
		    "postgres", database != NULL ? database : "", timeout_ms);
	else if (strcmp(kind, "mysql") == 0) {
		if (read_some(fd, buf, 5, timeout_ms) == 5)
			ok = buf[4] == 0x0a || buf[4] == 0xff;
	} else if (strcmp(kind, "tds") == 0) {
		if (write(fd, tds_prelogin, sizeof tds_prelogin) ==
		    (ssize_t)sizeof tds_prelogin &&
		    read_some(fd, buf, 1, timeout_ms) == 1)
			ok = buf[0] == 0x04;
	}
	close(fd);
	return (ok);
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
