/*
 * A database's forward over ssh, for the commands that hand out an
 * address on this machine for a database on a remote engine's loopback:
 * tunnel holds forwards in the foreground, run for its command's life.
 */
#ifndef DBARENA_FORWARD_H
#define DBARENA_FORWARD_H

#include "database.h"
#include "tunnel.h"

#define FORWARD_OPEN_MS	30000

struct forward {
	struct database	*d;
	struct tunnel	 t;
};

int	forward_open(struct forward *, const struct ssh_dest *,
	    struct strvec *);
int	forward_watch(struct forward *, size_t, int, int);
void	forward_close_all(struct forward *, size_t);

#endif
