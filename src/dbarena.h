/*
 * What every subcommand shares: the exit codes (listed in dbarena(1),
 * EXIT STATUS), the global options, and the command table entry type.
 */
#ifndef DBARENA_H
#define DBARENA_H

#include <stdio.h>

#include "sig.h"
#include "util.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* docker failed in a way not listed below */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_CONFIG = 3,	/* bad profile or engine file, or bad value */
	EXIT_DOCKER = 4,	/* docker missing, daemon down, no permission */
	EXIT_NOT_FOUND = 5,	/* no such database or volume */
	EXIT_CONFLICT = 6,	/* name already in use */
	EXIT_IMAGE = 7,		/* image not found or pull failed */
	EXIT_PORT = 8,		/* no free port */
	EXIT_NOT_READY = 9,	/* server not ready in time, or it exited */
	EXIT_REFUSED = 10,	/* destructive step not confirmed */
	EXIT_INIT = 11,		/* an --init script failed */
	EXIT_UNREACHABLE = 12,	/* published where nothing here reaches */
	EXIT_TUNNEL = 13,	/* an ssh forward failed or dropped */
	EXIT_UNSUPPORTED = 14,	/* the engine cannot do it (no [snapshot]) */
	EXIT_INTERRUPT = 130	/* 128 + SIGINT; SIGTERM gives 143 */
};

enum output_format {
	FORMAT_TEXT,
	FORMAT_JSON,
	FORMAT_NAMES		/* -q: the names only, one a line */
};

struct globals {
	const char	*docker;	/* --docker, DBARENA_DOCKER; or NULL */
	const char	*context;	/* --context */
	int		 quiet;
	int		 tty;		/* stderr is a terminal: progress */
};
extern struct globals g;

/*
 * One option of a command, declared once: the parser, help COMMAND,
 * completion (through help --options) and the fuzz harness all read it.
 */
struct cmd_option {
	const char	*name;		/* long name, without the dashes */
	int		 letter;	/* short option letter, or 0 */
	const char	*arg;		/* its argument's placeholder, or NULL */
	const char	*help;		/* one line for help COMMAND */
};

/*
 * The option of url, env, inspect and cdc that gives the address a
 * container on the database's network uses, one wording for all four.
 */
#define CMD_OPTION_NETWORK \
	{ "network", 0, "NET", "the address containers on network NET use: " \
	    "the database's name and its container port" }

/* What the parser made of a command line (cmd-args.c). */
struct args_value {
	int		  n;		/* times given */
	char		**v;		/* its arguments, argv's own; or NULL */
};
struct args {
	const struct cmd_entry	*entry;	/* the command or subcommand run */
	struct args_value	*v;	/* one per entry->options */
};

struct cmd_entry {
	const char		*name;
	const char		*alias;
	const char		*usage;		/* NULL: the subcommands' */
	const char		*summary;
	const struct cmd_option	*options;	/* NULL-named last; or NULL */
	const struct cmd_entry	*subcommands;	/* NULL-named last; or NULL */
	/* The parsed options, then the operands. */
	int			(*exec)(const struct args *, int, char **);
	int			 flags;
#define CMD_NO_PREFIX	0x1	/* destructive: exact name or alias only */
#define CMD_IN_ORDER	0x2	/* options end at the first operand */
#define CMD_SUB_IMPLIED	0x4	/* a word naming no subcommand is the default's */
#define CMD_SUB_SHARED	0x8	/* refuses, by name, its siblings' options */
#define CMD_DEFAULT	0x10	/* the subcommand run when none is named */
};

extern const struct cmd_entry cmd_cdc_entry;
extern const struct cmd_entry cmd_create_entry;
extern const struct cmd_entry cmd_destroy_entry;
extern const struct cmd_entry cmd_doctor_entry;
extern const struct cmd_entry cmd_engines_entry;
extern const struct cmd_entry cmd_env_entry;
extern const struct cmd_entry cmd_exec_entry;
extern const struct cmd_entry cmd_gc_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_images_entry;
extern const struct cmd_entry cmd_inspect_entry;
extern const struct cmd_entry cmd_list_entry;
extern const struct cmd_entry cmd_logs_entry;
extern const struct cmd_entry cmd_pool_entry;
extern const struct cmd_entry cmd_profiles_entry;
extern const struct cmd_entry cmd_reset_entry;
extern const struct cmd_entry cmd_restart_entry;
extern const struct cmd_entry cmd_run_entry;
extern const struct cmd_entry cmd_restore_entry;
extern const struct cmd_entry cmd_shell_entry;
extern const struct cmd_entry cmd_clone_entry;
extern const struct cmd_entry cmd_snapshot_entry;
extern const struct cmd_entry cmd_start_entry;
extern const struct cmd_entry cmd_stop_entry;
extern const struct cmd_entry cmd_tunnel_entry;
extern const struct cmd_entry cmd_url_entry;
extern const struct cmd_entry cmd_version_entry;
extern const struct cmd_entry cmd_volumes_entry;

extern const struct cmd_entry *const cmd_table[];
extern const struct cmd_option cmd_format_options[];
extern const struct cmd_option cmd_connect_options[];
extern const struct cmd_option cmd_listing_options[];

const struct cmd_entry *cmd_find(const char *, char **);
int	 cmd_run(const struct cmd_entry *, int, char **);
int	 cmd_operands(const struct cmd_entry *, int, char **);
int	 cmd_usage_error(const struct cmd_entry *, const char *, ...)
	     PRINTFLIKE(2, 3);
int	 cmd_wants_help(int, char **, const struct cmd_entry *);
int	 cmd_suggest(const char *, const struct cmd_entry *const *,
	     const struct cmd_entry *);
void	 cmd_print_usage(FILE *, const struct cmd_entry *);
void	 cmd_print_help(FILE *, const struct cmd_entry *);
void	 cmd_print_options(FILE *, const struct cmd_entry *);
int	 args_has(const struct args *, const char *);
const char *args_get(const struct args *, const char *);
char	*const *args_values(const struct args *, const char *);
int	 args_format(const struct args *, enum output_format *);
int	 args_listing(const struct args *, enum output_format *);
int	 parse_format(const char *, enum output_format *);
struct database_list;
int	 cmd_resolve(int, char **, int, int, struct database_list *, size_t **,
	     size_t *);
int	 cmd_resolve_full(int, char **, struct database_list *);
int	 confirm(const char *);

#endif
