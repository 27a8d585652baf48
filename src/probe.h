/*
 * Protocol-level readiness probes. A bare TCP connect proves nothing:
 * docker-proxy accepts before the server listens. Each probe makes the
 * server say something only a live server says.
 */
#ifndef DBARENA_PROBE_H
#define DBARENA_PROBE_H

int	probe_known(const char *);
int	probe_server(const char *, const char *, int, int, const char *,
	    const char *);
int	probe_pg_reply(const unsigned char *, size_t);
int	probe_http_status(const char *, int, const char *, int);
int	probe_http_parse_status(const char *, size_t);

#endif
