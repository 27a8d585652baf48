/*
 * Snapshots of a database, kept inside its own server under a reserved
 * name, and restores in place: the mechanism the snapshot, restore and
 * reset commands (and create, for the initial snapshot) call. What to run
 * is the engine file's [snapshot] section; the order is here.
 */
#ifndef DBARENA_SNAPSHOT_H
#define DBARENA_SNAPSHOT_H

#include "config.h"
#include "database.h"
#include "sql.h"

#define SNAP_PREFIX	"dbarena_snap_"	/* dbarena_snap_<db>_<snapshot> */
#define SNAP_TMP_PREFIX	"dbarena_tmp_"	/* a restore's copy, before the swap */
#define SNAP_OLD_PREFIX	"dbarena_old_"	/* the contents it replaced */
#define CLONE_PREFIX	"dbarena_clone_"	/* dbarena_clone_<db>_<n> */
#define SPARE_PREFIX	"dbarena_spare_"	/* ..._<db>_<snapshot>_<n> */
#define SNAP_DEFAULT	"default"
#define SNAP_INITIAL	"initial"	/* taken by create after --init */
#define SNAP_NAME_MAX	63		/* PostgreSQL's identifier limit */

/* One operation: its inputs, and what it did. */
struct snap_op {
	const struct engine	*e;
	const struct database	*d;	/* completed: host and port */
	const char		*verb;	/* for messages: "restore" */
	int			 ended;	/* sessions ended */
	int			 slots;	/* replication slots recreated */
	int			 empty;	/* reset to the engine's empty state */
	size_t			 spared;	/* clones taken from spares */
	int			 keep_spare;	/* snapshot_take: one, after */
	int			 ahead;		/* a spare is being made */
	enum sql_via		 via;
};

struct snap_info {
	char			*name;
	char			*object;	/* the server's name for it */
	char			*size;		/* bytes (list only), or NULL */
	size_t			 spares;	/* list only: copies kept ready */
};

struct snap_list {
	struct snap_info	*v;
	size_t			 n;
};

int	snapshot_valid_name(const char *);
int	snapshot_check(struct snap_op *, const char *);
int	snapshot_take(struct snap_op *, const char *);
int	snapshot_restore(struct snap_op *, const char *);
int	snapshot_list(struct snap_op *, struct snap_list *);
int	snapshot_remove(struct snap_op *, const char *);
void	snap_list_free(struct snap_list *);
int	snapshot_clone(struct snap_op *, const char *, size_t,
	    struct strvec *);
int	snapshot_spare_fill(struct snap_op *, const char *, size_t,
	    size_t *);
int	snapshot_spare_drain(struct snap_op *, const char *, struct strvec *);
int	snapshot_clone_list(struct snap_op *, struct snap_list *);
int	snapshot_clone_remove(struct snap_op *, const struct strvec *,
	    struct strvec *);

/* cmd-snapshot.c: the one database a snapshot command names. */
struct snap_target {
	struct database_list	 full;
	struct engine		 e;
	struct snap_op		 op;
	int			 loaded;
};

int	snap_target_open(struct snap_target *, char *, const char *);
void	snap_target_close(struct snap_target *);

#endif
