/*
 * PostgreSQL answers an SSLRequest with a single 'S' or 'N'; MySQL and
 * MariaDB greet first with protocol version 10 (or an error packet, which
 * still proves a server); SQL Server answers a TDS pre-login with a
 * tabular-result packet. Each probe is one short connection.
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

static const unsigned char pg_sslrequest[8] = {
	0x00, 0x00, 0x00, 0x08, 0x04, 0xd2, 0x16, 0x2f
};

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

/* 1: a live server answered; 0: not (yet). */
int
probe_server(const char *kind, const char *host, int port, int timeout_ms)
{
	unsigned char	buf[8];
	int		fd, ok = 0;

	if ((fd = connect_to(host, port, timeout_ms)) == -1)
		return (0);
	if (strcmp(kind, "postgres") == 0) {
		if (write(fd, pg_sslrequest, sizeof pg_sslrequest) ==
		    (ssize_t)sizeof pg_sslrequest &&
		    read_some(fd, buf, 1, timeout_ms) == 1)
			ok = buf[0] == 'S' || buf[0] == 'N' || buf[0] == 'E';
	} else if (strcmp(kind, "mysql") == 0) {
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
