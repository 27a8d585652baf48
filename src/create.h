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
	struct created_list	*made;		/* run: collect, print nothing */
};

/*
 * One database a create made or claimed, as run needs it: in db, its ID
 * ("" when it carries the run's mark), engine, name, URL ("" when the
 * engine has no template or no address reaches it), volume ("": none),
 * where it is published and how it is reached, its user, password and
 * database (for a forward's URL); nothing else of the model is set.
 */
struct created {
	struct database	 db;
	char		*report;	/* what create prints, in its format */
	struct strvec	 env;		/* the engine's client variables */
};
struct created_list {
	struct created	*v;
	size_t		 n;
};

int	create_databases(int, char **, struct create_args *);
void	created_list_free(struct created_list *);

/* In cmd-create.c, for create and run: the options into a create. */
int	create_args_parse(const struct cmd_entry *, const struct args *,
	    int, char **, struct create_args *, char **);
void	create_args_free(struct create_args *, char *);
extern const struct cmd_option cmd_create_options[];

#endif
