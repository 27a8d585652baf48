/*
 * Waiting until a database really accepts connections, event-driven: the
 * container's log stream is followed and the engine's ready line arms a
 * protocol probe; a slow fallback poll covers engines without one.
 */
#ifndef DBARENA_READY_H
#define DBARENA_READY_H

#include "config.h"
#include "database.h"
#include "util.h"

/* How to wait for a database; what to wait for is the database itself. */
struct ready_spec {
	const struct database	*db;		/* name, host, port, user... */
	const char		*ready_log;	/* PCRE2, or NULL */
	const char		*probe;		/* postgres, mysql, tds, none */
	const struct strvec	*health_argv;	/* for docker exec */
	long long		 timeout_ms;
	int			 use_exec;	/* remote engine: check inside */
	int			 progress;	/* a waiting line on stderr */
};

enum ready_status {
	READY_OK,
	READY_TIMEOUT,
	READY_EXITED,
	READY_INTERRUPTED,
	READY_REFUSED,		/* the server turned us away, for good */
	READY_TUNNEL,		/* the ssh forward failed or dropped */
	READY_ERROR
};

/*
 * The strbuf gets the container's last log lines, for a timeout's or an
 * exit's report; on READY_REFUSED, the server's own words instead, and
 * on READY_TUNNEL, ssh's.
 */

void	ready_from_engine(struct ready_spec *, const struct database *,
	    const struct engine *, struct strvec *);
enum ready_status wait_ready(const struct ready_spec *, struct strbuf *);

#endif
