/*
 * Creating databases, shared by create and pool fill: the parsed request
 * and the entry point that runs one engine or several in parallel.
 */
#ifndef DBARENA_CREATE_H
#define DBARENA_CREATE_H

#include "dbarena.h"
#include "render.h"

#define POOL_PREFIX	"dbarena-pool-"

struct create_args {
	struct create_opts	 o;
	const char		*profile;
	struct strvec		 env;
	struct strvec		 init;		/* --init files, in order */
	int			 explicit_port;
	int			 port_offset;	/* where a parallel child starts */
	int			 sibling;	/* one of several in parallel */
	int			 dry_run;
	int			 quiet;
	int			 fill_pool;	/* make pool members */
	int			 no_pool;	/* never claim a pool member */
	int			 tty;		/* may draw progress on stderr */
	long long		 ttl_ms;	/* --ttl; 0: never expires */
	enum output_format	 format;
};

int	create_databases(int, char **, struct create_args *);

#endif
