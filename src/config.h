/*
 * Engine definitions and profiles: both are INI files found on a search
 * path, validated against one schema each, and kept as strings with the
 * file:line they came from (so "profiles show" can say where a value was
 * set, and errors can point at it).
 */
#ifndef DBARENA_CONFIG_H
#define DBARENA_CONFIG_H

#include "util.h"

struct setting {
	char	*value;		/* NULL: not set */
	char	*origin;	/* "file:line" */
};

struct kv {
	char		*key;
	struct setting	 s;
};

struct kvlist {
	struct kv	*v;
	size_t		 n;
	size_t		 alloc;
};

enum profile_key {
	P_DESCRIPTION,
	P_INHERITS,
	P_STORAGE,
	P_TMPFS_SIZE,
	P_DURABILITY,
	P_FLAGS,
	P_MEMORY,
	P_CPUS,
	P_CDC,
	P_CDC_SLOTS,
	P_CDC_SENDERS,
	P_SERVER_ID,
	P_TIMEOUT,
	P_REGISTRY,
	P_MAX
};

struct profile {
	char		*name;
	char		*path;
	struct setting	 set[P_MAX];
	struct kvlist	 env;
};

enum engine_key {
	E_DESCRIPTION,
	E_IMAGE,
	E_DEFAULT_VERSION,
	E_PORT,
	E_DATA_DIR,
	E_TMPFS,
	E_MEMORY,
	E_COMMAND,
	E_READY_LOG,
	E_PROBE,
	E_HEALTH,
	E_URL,
	E_USER_VAR,
	E_PASSWORD_VAR,
	E_DATABASE_VAR,
	E_USER,
	E_PASSWORD,
	E_DATABASE,
	E_DURABILITY_OFF,
	E_DURABILITY_ON,
	E_CDC_ON,
	E_CDC_OFF,
	E_CDC_CHECK,
	E_CDC_EXPECT,
	E_SHELL,
	E_INIT,
	E_PASSWORD_ENV,
	E_ENV,
	E_EXEC_ENV,
	E_LOCAL_CLIENT,
	E_LOCAL_PACKAGE,
	E_INIT_ERROR,
	E_OPTION_FILE,
	E_OPTION_TEXT,
	E_EXEC_OPTION_TEXT,
	E_SNAP_LIBRARY,		/* [snapshot]: how to reach the server */
	E_SNAP_EXEC,
	E_SNAP_EXEC_STDIN,
	E_SNAP_CONNECT,
	E_SNAP_SESSION,		/* the statements, in the order they run */
	E_SNAP_LOCK,
	E_SNAP_LIST,
	E_SNAP_SIZE,
	E_SNAP_SESSIONS,
	E_SNAP_END_SESSION,
	E_SNAP_TAKE_ENDS,
	E_SNAP_SLOTS,
	E_SNAP_DROP_SLOT,
	E_SNAP_CREATE_SLOT,
	E_SNAP_COPY,
	E_SNAP_EMPTY,
	E_SNAP_TABLES,
	E_SNAP_TABLE_DDL,
	E_SNAP_COLUMNS,
	E_SNAP_COPY_BEGIN,
	E_SNAP_COPY_TABLE,
	E_SNAP_SEAL,
	E_SNAP_SWAP,
	E_SNAP_SWAP_PAIR,
	E_SNAP_RENAME,		/* a spare into a clone */
	E_SNAP_RENAME_TABLES,
	E_SNAP_RESTORE,
	E_SNAP_DROP,
	E_MAX
};

struct engine_version {
	char		*version;
	struct setting	 tag;
	struct setting	 data_dir;
	struct setting	 health;
	struct setting	 shell;
	struct setting	 init;
	struct setting	 snapshot_copy;	/* [snapshot] copy, for this one */
};

struct engine {
	char			*name;
	char			*path;
	struct setting		 set[E_MAX];
	struct kvlist		 env;
	struct kvlist		 connector;	/* [connector], in file order */
	struct engine_version	*versions;
	size_t			 nversions;
};

extern const char *const profile_key_names[P_MAX];

/* Where the installed data lives; set by main from configure. */
void		 config_set_dirs(const char *sysconfdir, const char *datadir);
void		 config_search_dirs(const char *, struct strvec *);

int		 profile_load(const char *, struct profile *, char **);
void		 profile_free(struct profile *);
int		 engine_load(const char *, struct engine *, char **);
void		 engine_free(struct engine *);
const struct engine_version *engine_find_version(const struct engine *,
		     const char *);
const char	*engine_get(const struct engine *, enum engine_key,
		     const struct engine_version *);
void		 config_list(const char *, struct strvec *, struct strvec *);

const char	*kvlist_get(const struct kvlist *, const char *);
void		 kvlist_set(struct kvlist *, const char *, const char *,
		     const char *);
void		 kvlist_free(struct kvlist *);

int		 conf_bool(const char *);
const char	*init_error_line(const char *, const char *, const char *,
		     struct strbuf *);

#endif
