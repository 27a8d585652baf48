/*
 * Forwards over ssh to a remote engine's published ports: the same
 * destination, user, port and ssh configuration the docker CLI uses for
 * an ssh:// endpoint, so a database that listens on the remote host's
 * loopback is reached from here at 127.0.0.1:PORT while the forward
 * runs. Used by "dbarena tunnel", by create's readiness probe, and by
 * anything else that needs one for its own life.
 */
#ifndef DBARENA_TUNNEL_H
#define DBARENA_TUNNEL_H

#include "child.h"

/* ssh://[user@]host[:port], as the docker CLI reads it. */
struct ssh_dest {
	char	*user;		/* NULL: ssh's configuration decides */
	char	*host;		/* a name ssh resolves: an alias is fine */
	char	*port;		/* NULL: likewise */
};

int	 ssh_dest_parse(const char *, struct ssh_dest *);
void	 ssh_dest_free(struct ssh_dest *);
int	 tunnel_engine_dest(struct ssh_dest *);
const char *tunnel_remote_addr(const char *);
int	 ssh_hostname(const struct ssh_dest *, struct strbuf *);

/*
 * One forward: ssh -N -L 127.0.0.1:local_port:raddr:rport. The ssh child
 * is dbarena's (it dies with dbarena, SIGKILL included: see child.c) and
 * in a process group of its own, so a Ctrl-C reaches dbarena, which then
 * closes it. err collects what ssh says on stderr.
 */
struct tunnel {
	struct child	 ssh;
	struct strbuf	 err;
	int		 local_port;
	int		 status;	/* ssh's exit status once gone, else -1 */
};
#define TUNNEL_INIT { CHILD_INIT, STRBUF_INIT, 0, -1 }

void	 tunnel_argv(struct strvec *, const struct ssh_dest *, int,
	     const char *, int);
int	 tunnel_open(struct tunnel *, const struct ssh_dest *, const char *,
	     int, long long);
int	 tunnel_fd(const struct tunnel *);
int	 tunnel_port_owner(pid_t, int);
int	 tunnel_check(struct tunnel *);
void	 tunnel_why(const struct tunnel *, struct strbuf *);
void	 tunnel_close(struct tunnel *);

#endif
