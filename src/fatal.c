/*
 * The bottom of every message: a line formatted into a fixed buffer on
 * the stack and written in one write(2), so that parallel children never
 * interleave within a line, and fatal(), which uses nothing else. The
 * allocation wrappers call fatal() when memory runs out, so it must not
 * allocate, or it would fail again and call itself until the stack ran
 * out (git's usage.c does the same). A fatal message longer than the
 * buffer is cut short with "...". This file calls nothing of dbarena's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

void
msg_write(int fd, const char *p, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= n;
	}
}

/* prefix and message into buf, cut to fit; returns its length. */
size_t
msg_format(char *buf, size_t size, const char *prefix, const char *fmt,
    va_list ap, int *cut)
{
	size_t	len, plen;
	int	n;

	plen = strlen(prefix);
	if (plen > size - 5)
		plen = size - 5;
	memcpy(buf, prefix, plen);
	n = vsnprintf(buf + plen, size - plen - 1, fmt, ap);
	if (n < 0) {
		n = snprintf(buf + plen, size - plen - 1, "(bad message)");
		if (n < 0)
			n = 0;
	}
	*cut = (size_t)n >= size - plen - 1;
	len = *cut ? size - 2 : plen + (size_t)n;
	if (*cut)
		memcpy(buf + len - 3, "...", 3);
	buf[len++] = '\n';
	return (len);
}

/* Never allocates: see above. */
void
fatal(const char *fmt, ...)
{
	char	buf[MSG_MAX];
	va_list	ap;
	size_t	len;
	int	cut;

	va_start(ap, fmt);
	len = msg_format(buf, sizeof buf, "dbarena: fatal: ", fmt, ap, &cut);
	va_end(ap);
	fflush(stderr);
	msg_write(STDERR_FILENO, buf, len);
	exit(1);
}
