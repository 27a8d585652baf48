/*
 * Clocks, the validators every option goes through before any docker call
 * is made, and the few questions about this machine (is a port free, where
 * is a program, may we colour) that more than one command asks.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

long long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

void
sleep_ms(long ms)
{
	struct timespec	ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/*
 * "512m", "1g", "65536k" or plain bytes. Whole numbers only: the kernel's
 * tmpfs takes no fractions, and every size is rendered by format_size.
 */
int
parse_size(const char *s, unsigned long long *out)
{
	char		*end;
	unsigned long long v, mult = 1;

	if (s == NULL || !isdigit((unsigned char)*s))
		return (-1);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return (-1);
	switch (tolower((unsigned char)*end)) {
	case '\0':
		break;
	case 'b':
		end++;
		break;
	case 'k':
		mult = 1024ULL, end++;
		break;
	case 'm':
		mult = 1024ULL * 1024, end++;
		break;
	case 'g':
		mult = 1024ULL * 1024 * 1024, end++;
		break;
	case 't':
		mult = 1024ULL * 1024 * 1024 * 1024, end++;
		break;
	default:
		return (-1);
	}
	if (*end == 'b' || *end == 'B')
		end++;
	if (*end != '\0' || v == 0 || v > (1ULL << 50) / mult)
		return (-1);
	*out = v * mult;
	return (0);
}

/* The largest unit that divides exactly: what docker and tmpfs both take. */
void
format_size(unsigned long long v, char *buf, size_t len)
{
	static const char	units[] = "kmgt";
	int			i = -1;

	while (i < 3 && v % 1024 == 0 && v >= 1024) {
		v /= 1024;
		i++;
	}
	if (i < 0)
		snprintf(buf, len, "%llu", v);
	else
		snprintf(buf, len, "%llu%c", v, units[i]);
}

int
parse_uint(const char *s, unsigned long min, unsigned long max,
    unsigned long *out)
{
	char		*end;
	unsigned long	 v;

	if (s == NULL || !isdigit((unsigned char)*s))
		return (-1);
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return (-1);
	*out = v;
	return (0);
}

/* "90", "90s", "500ms", "2m", "1h": a bare number is seconds. */
int
parse_duration_ms(const char *s, long long *out)
{
	char	*end;
	double	 v;

	if (s == NULL || !isdigit((unsigned char)*s))
		return (-1);
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || v < 0)
		return (-1);
	if (strcmp(end, "") == 0 || strcmp(end, "s") == 0)
		v *= 1000;
	else if (strcmp(end, "ms") == 0)
		;
	else if (strcmp(end, "m") == 0)
		v *= 60 * 1000;
	else if (strcmp(end, "h") == 0)
		v *= 3600 * 1000;
	else if (strcmp(end, "d") == 0)
		v *= 24 * 3600 * 1000;
	else
		return (-1);
	if (v > 1e12)
		return (-1);
	*out = (long long)v;
	return (0);
}

/* Docker's own rule for container and volume names. */
int
valid_name(const char *s)
{
	if (s == NULL || !isalnum((unsigned char)*s))
		return (0);
	if (strlen(s) > 128)
		return (0);
	for (s++; *s != '\0'; s++) {
		if (!isalnum((unsigned char)*s) && strchr("_.-", *s) == NULL)
			return (0);
	}
	return (1);
}

/*
 * An environment variable's name, the first len bytes of s: what a shell
 * can export ([A-Za-z_][A-Za-z0-9_]*), so that `dbarena env` output and
 * the image's entrypoint can both use it.
 */
int
valid_env_name(const char *s, size_t len)
{
	size_t	i;

	if (len == 0 || (!isalpha((unsigned char)*s) && *s != '_'))
		return (0);
	for (i = 1; i < len; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return (0);
	}
	return (1);
}

/*
 * A registry host as an image reference's prefix: "host", "host:port" or
 * "host:port/path", letters, digits and ".-_:/" (and "[]" for an IPv6
 * host), starting with a letter or digit; no empty path part.
 */
int
valid_registry(const char *s)
{
	const char	*p;

	if (s == NULL || !isalnum((unsigned char)*s) ||
	    strstr(s, "//") != NULL || s[strlen(s) - 1] == '/')
		return (0);
	for (p = s; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr(".-_:/[]", *p) == NULL)
			return (0);
	}
	return (1);
}

/*
 * A memory limit docker and podman accept: a size, and at least their
 * minimum of 6 MiB (below it they refuse the container).
 */
int
valid_memory(const char *s)
{
	unsigned long long	sz;

	return (parse_size(s, &sz) == 0 && sz >= MIN_MEMORY);
}

/* An IPv4 or IPv6 address, as --bind takes. */
int
valid_ip(const char *s)
{
	struct in_addr	a4;
	struct in6_addr	a6;

	return (inet_pton(AF_INET, s, &a4) == 1 ||
	    inet_pton(AF_INET6, s, &a6) == 1);
}

/*
 * Whether nobody listens on a port of the bind address: a bind, as the
 * engine's docker-proxy will do. 0 for an address that is not an IP.
 */
int
port_free(const char *bind_addr, int port)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	int			 fd, one = 1, ok;

	memset(&sin, 0, sizeof sin);
	memset(&sin6, 0, sizeof sin6);
	if (inet_pton(AF_INET, bind_addr, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons(port);
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	} else if (inet_pton(AF_INET6, bind_addr, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(port);
		fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	} else
		return (0);
	if (fd == -1)
		return (1);	/* cannot tell: let docker decide */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (sin.sin_family == AF_INET)
		ok = bind(fd, (struct sockaddr *)&sin, sizeof sin) == 0;
	else
		ok = bind(fd, (struct sockaddr *)&sin6, sizeof sin6) == 0;
	close(fd);
	return (ok);
}

/*
 * Where execvp would find a program: itself when it names a path,
 * else the first executable on PATH. NULL when there is none.
 */
char *
path_search(const char *prog)
{
	const char	*path, *p, *end;
	char		*try;

	if (strchr(prog, '/') != NULL)
		return (access(prog, X_OK) == 0 ? xstrdup(prog) : NULL);
	if ((path = getenv("PATH")) == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = end + 1) {
		end = p + strcspn(p, ":");
		/* An empty PATH entry is the current directory. */
		if (end == p)
			try = xasprintf("./%s", prog);
		else
			try = xasprintf("%.*s/%s", (int)(end - p), p, prog);
		if (access(try, X_OK) == 0)
			return (try);
		free(try);
		if (*end == '\0')
			return (NULL);
	}
}

/*
 * Colour only for a person at a terminal that can show it: never into a
 * pipe or file, never on TERM=dumb, and never when NO_COLOR is set to
 * anything non-empty (https://no-color.org).
 */
int
colour_wanted(int fd)
{
	const char	*e;

	if ((e = getenv("NO_COLOR")) != NULL && *e != '\0')
		return (0);
	if ((e = getenv("TERM")) != NULL && strcmp(e, "dumb") == 0)
		return (0);
	return (isatty(fd));
}

const char *
colour_on(enum colour c)
{
	switch (c) {
	case COLOUR_GREEN:
		return ("\033[32m");
	case COLOUR_YELLOW:
		return ("\033[33m");
	case COLOUR_RED:
		return ("\033[31m");
	}
	return ("");
}

const char *
colour_off(void)
{
	return ("\033[0m");
}
