/*
 * Protocol-level readiness probes. A bare TCP connect proves nothing:
 * docker-proxy accepts before the server listens. Each probe makes the
 * server say something only a live server says, and waits for it on a
 * connection the server has accepted, however slow the answer: a server
 * resolving the client's address greets only after the lookup.
 */
#ifndef DBARENA_PROBE_H
#define DBARENA_PROBE_H

#include <stddef.h>

#include "util.h"

enum probe_answer {
	PROBE_WAIT,	/* no (whole) answer yet: keep listening */
	PROBE_NO,	/* not ready: ask again later */
	PROBE_READY,	/* a live server that takes logins answered */
	PROBE_REFUSED	/* the server will not let this host or user in */
};

/* One probe connection, driven by the caller's poll loop. */
struct probe {
	const char	*kind;
	int		 fd;
	size_t		 got;
	unsigned char	 buf[1024];
};

int	probe_known(const char *);
const char *probe_kind_name(size_t);
int	probe_needs_user(const char *);
int	probe_open(struct probe *, const char *, const char *, int, int,
	    const char *, const char *);
enum probe_answer probe_read(struct probe *, struct strbuf *);
void	probe_close(struct probe *);
enum probe_answer probe_ask(const char *, const char *, int, int,
	    const char *, const char *, struct strbuf *);
int	probe_server(const char *, const char *, int, int, const char *,
	    const char *);

enum probe_answer probe_parse(const char *, const unsigned char *, size_t,
	    struct strbuf *);
int	probe_pg_reply(const unsigned char *, size_t);

int	probe_http_status(const char *, int, const char *, int);
int	probe_http_parse_status(const char *, size_t);

#endif
