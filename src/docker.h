/*
 * The one place that knows the docker CLI: how to invoke it (program,
 * --context), what its error messages mean, and the line-oriented records
 * of JSON values dbarena asks it to print with --format templates.
 * Everything else works on the typed structs below.
 */
#ifndef DBARENA_DOCKER_H
#define DBARENA_DOCKER_H

#include "child.h"
#include "database.h"

#define DOCKER_TIMEOUT_MS	60000	/* one CLI call, pulls excepted */
/* Pulls, --init scripts, a whole log: long, but never unbounded. */
#define DOCKER_LONG_TIMEOUT_MS	(30 * 60 * 1000)

enum docker_error {
	DERR_NONE,
	DERR_MISSING,		/* the docker program is not installed */
	DERR_EXEC,		/* it is there but cannot be run */
	DERR_DAEMON,		/* no daemon answers */
	DERR_SSH,		/* the ssh to an ssh:// engine failed */
	DERR_BROKEN,		/* the connection broke mid-request (EOF) */
	DERR_REFUSED,		/* the daemon refuses the request's values */
	DERR_PERMISSION,	/* the socket or context refuses us */
	DERR_IMAGE,		/* no such image, tag or repository */
	DERR_REGISTRY,		/* the registry cannot be reached */
	DERR_NAME_IN_USE,
	DERR_PORT_IN_USE,
	DERR_NO_SUCH,		/* no such container or volume */
	DERR_IN_USE,		/* volume in use */
	DERR_TIMEOUT,		/* the CLI hung and was killed */
	DERR_OTHER
};

/*
 * What every operation answers, in one place: err is DERR_NONE when it
 * worked; msg holds docker's own words when it did not; odd names the
 * records a listing skipped because docker described them oddly (escaped
 * for a terminal), which the CLI warns about as odd_what ("a
 * container"). The adapter prints nothing.
 */
struct docker_result {
	enum docker_error	 err;
	struct strbuf		 msg;
	struct strvec		 odd;
	const char		*odd_what;
};
#define DOCKER_RESULT_INIT { DERR_NONE, STRBUF_INIT, STRVEC_INIT, NULL }

void		 docker_result_reset(struct docker_result *);
void		 docker_result_release(struct docker_result *);

void		 docker_init(const char *, const char *);
long long	 docker_timeout(long long);
void		 docker_set_cancellable(int);
void		 docker_set_offline(int);
void		 docker_argv(struct strvec *);
int		 docker_is_remote(void);
const char	*docker_remote_host(void);
const char	*docker_endpoint(void);
enum docker_error docker_classify(int, const char *);
enum docker_error docker_classify_exec(int, const char *);
void		 docker_error_line(const char *, struct strbuf *);
int		 docker_cancelled(void);
int		 docker_exec_errno(void);
/* In docker-report.c, above the adapter: message, hint, exit code. */
int		 docker_report(const struct docker_result *, const char *);
int		 docker_report_error(enum docker_error, const char *,
		     const char *);
void		 docker_report_odd(struct docker_result *);
int		 docker_report_listing(struct docker_result *, int,
		     const char *);

/*
 * The labels dbarena puts on what it makes, and reads back: docker is the
 * only state. render.c sets them in a struct run_spec; the record
 * templates that read them, and their parsers, are made from the same
 * table in docker.c.
 */
enum docker_label {
	DL_MANAGED,
	DL_OWNER,
	DL_ENGINE,
	DL_VERSION,
	DL_PROFILE,
	DL_CREATED,
	DL_USER,
	DL_DATABASE,
	DL_PORT,
	DL_BIND,
	DL_HOST_PORT,
	DL_STORAGE,
	DL_PASSWORD_VAR,
	DL_VOLUME,
	DL_POOL,
	DL_EXPIRES,
	DL_CDC,
	DL_SERVER_ID,
	DL_CONTAINER,		/* on a volume: the container it is for */
	DL_SEEDED,		/* on an image images build made */
	DL_NETWORK,		/* the network a database joined; on a
				   network: its own name, dbarena made it */
	DL_RUN,			/* the mark of the run that made it (runmark.c) */
	DL_NLABELS
};

/*
 * What "docker run" gets, as data: the renderer fills it, and only
 * docker_run_argv knows docker's flags for it. Every string is owned.
 * env holds "K=V" for a value that may stand in the argument vector, or
 * "K" alone for one docker takes from its own environment (a secret).
 */
struct run_spec {
	char		*name;
	char		*label[DL_NLABELS];	/* NULL: not set */
	char		*publish_ip;
	int		 publish_port;		/* on the host */
	int		 port;			/* in the container */
	char		*memory;		/* NULL: no limit */
	char		*cpus;			/* NULL: no limit */
	char		*tmpfs;			/* mount point; NULL: none */
	char		*tmpfs_size;
	char		*volume;		/* NULL: none */
	char		*volume_path;
	char		*network;		/* joined as name; NULL: none */
	char		*health_cmd;		/* shell words; NULL: none */
	char		*health_interval;
	char		*health_timeout;
	int		 health_retries;
	char		*health_start_period;	/* "60s" */
	struct strvec	 env;
	char		*image;
	struct strvec	 command;		/* after the image */
};

/* What "docker volume create" gets; the strings are the caller's. */
struct volume_spec {
	const char	*name;			/* NULL: no volume */
	const char	*container;
	const char	*engine;
	const char	*owner;			/* NULL: none */
	const char	*run;			/* run's mark; NULL: none */
};

void		 docker_run_argv(const struct run_spec *, struct strvec *);
void		 run_spec_free(struct run_spec *);
void		 docker_command_line(const struct strvec *, struct strbuf *);

/* The records dbarena asks docker for, one per line. */
enum docker_record {
	DR_INSPECT,		/* container inspect: struct database */
	DR_PS,			/* ps: struct database, from one request */
	DR_VOLUME,		/* volume ls: name, container, engine */
	DR_IMAGE,		/* image ls: ID, repository, tag, digest */
	DR_IMAGE_DETAILS,	/* image inspect: ID, size, seeded label */
	DR_NETWORK		/* network inspect: name, driver, labels */
};

const char	*docker_label(enum docker_label);
void		 docker_record_format(enum docker_record, struct strbuf *);

/* Containers: dbarena's, described as struct database. */
int		 docker_list(int, struct database_list *,
		     struct docker_result *);
int		 docker_list_labelled(int, enum docker_label,
		     struct database_list *, struct docker_result *);
int		 docker_inspect(const struct strvec *, struct database_list *,
		     struct docker_result *);
int		 docker_inspect_start(struct child *, const char *);
int		 docker_inspect_finish(struct child *, struct database_list *,
		     struct docker_result *);
int		 docker_parse_records(const char *, struct database_list *,
		     struct strvec *);
int		 docker_parse_ps(const char *, struct database_list *,
		     struct strvec *);
int		 docker_decode_value(const char *, struct strbuf *);
long long	 docker_parse_time(const char *);
int		 docker_is_running(const char *, struct docker_result *);

/* The typed operations on containers. */
int		 docker_run_container(const struct run_spec *,
		     const struct strvec *, struct strbuf *,
		     struct docker_result *);
int		 docker_rename(const char *, const char *,
		     struct docker_result *);
int		 docker_start(const struct strvec *, struct docker_result *);
int		 docker_restart(const struct strvec *, struct docker_result *);
void		 docker_stop_args(struct strvec *, const struct strvec *,
		     long long);
int		 docker_stop(const struct strvec *, long long,
		     struct docker_result *);
void		 docker_rm_args(struct strvec *, const struct strvec *);
int		 docker_rm(const struct strvec *, struct strvec *,
		     struct docker_result *);
void		 docker_parse_removed(const char *, const struct strvec *,
		     struct strvec *);
int		 docker_all_gone(const struct strvec *);
int		 docker_remove_ids(const struct strvec *,
		     struct docker_result *);
int		 docker_remove_owned(const char *, int *, int *,
		     struct docker_result *);
int		 docker_remove_run(const char *, const struct strvec *, int *,
		     int *, int *, struct docker_result *);

/* Volumes and networks. */
int		 docker_volume_exists(const char *, struct docker_result *);
int		 docker_volume_owned(const char *, const char *,
		     struct docker_result *);
void		 docker_volume_create_args(struct strvec *,
		     const struct volume_spec *);
int		 docker_volume_create(const struct volume_spec *,
		     struct docker_result *);
int		 docker_volume_rm(const struct strvec *, struct docker_result *);
int		 docker_volumes(struct strvec *, struct strvec *, struct strvec *,
		     struct docker_result *);
int		 docker_parse_volumes(const char *, struct strvec *,
		     struct strvec *, struct strvec *, struct strvec *);

/* A network as docker describes it. */
struct network_info {
	char	*name;
	char	*driver;	/* "bridge", "host", "macvlan", ... */
	char	*id;		/* what release goes by: never the name */
	int	 ours;		/* labelled as one dbarena made */
};

void		 docker_network_create_args(struct strvec *, const char *,
		     const char *);
void		 docker_network_connect_args(struct strvec *, const char *,
		     const char *, const char *);
int		 docker_network_create(const char *, const char *,
		     struct docker_result *);
int		 docker_network_inspect(const char *, struct network_info *,
		     struct docker_result *);
int		 docker_parse_network(const char *, struct network_info *);
void		 network_info_free(struct network_info *);
int		 docker_network_users(const char *, struct strvec *,
		     struct docker_result *);
int		 docker_network_rm(const char *, struct docker_result *);
int		 docker_network_connect(const char *, const char *,
		     const char *, struct docker_result *);

/* Commands in a container. */
#define DOCKER_EXEC_STDIN	0x1
#define DOCKER_EXEC_TTY		0x2
void		 docker_exec_argv(struct strvec *, const char *, int,
		     const char *, const struct strvec *);
void		 docker_exec_env_argv(struct strvec *, const char *, int,
		     const struct strvec *, const struct strvec *);
int		 docker_exec(const char *, const char *, const char *,
		     const struct strvec *, struct strbuf *, long long,
		     struct docker_result *);
int		 docker_exec_input(const char *, const char *, const char *,
		     const struct strvec *, const struct strbuf *,
		     struct strbuf *, long long, struct docker_result *);
int		 docker_put_file(const char *, const char *, const char *,
		     const char *, struct docker_result *);
int		 docker_exec_file(const char *, const char *, const char *,
		     const struct strvec *, const char *, struct strbuf *,
		     struct docker_result *);
void		 docker_start_logs(struct child *, const char *, int,
		     const char *);

/* What doctor learns from "docker --version" and "docker version". */
struct docker_version {
	char	*version;	/* "" when the program did not say */
	int	 podman;	/* podman's CLI, or a podman service */
};

const char	*docker_program_name(void);
int		 docker_program_fallback(void);
int		 docker_version_start(struct child *, int);
int		 docker_version_finish(struct child *, int,
		     struct docker_version *, struct docker_result *);
int		 docker_parse_client_version(const char *,
		     struct docker_version *);
int		 docker_parse_server_version(const char *,
		     struct docker_version *);
void		 docker_version_free(struct docker_version *);

/* A local image, one per reference (an image with two tags is two). */
struct imageinfo {
	char			*id;		/* sha256:... */
	char			*repository;	/* "<none>": dangling */
	char			*tag;
	char			*digest;
	char			*seeded;	/* label dbarena.seeded, "" */
	unsigned long long	 size;		/* bytes */
};

struct image_list {
	struct imageinfo	*v;
	size_t			 n;
};

int		 docker_images(struct image_list *, struct docker_result *);
int		 docker_parse_images(const char *, struct image_list *,
		     struct strvec *);
int		 docker_parse_image_details(const char *,
		     struct image_list *, struct strvec *);
const struct imageinfo *docker_find_image(const struct image_list *,
		     const char *);
void		 image_list_free(struct image_list *);
int		 docker_container_images(struct strvec *,
		     struct docker_result *);
int		 docker_image_in_use(const struct image_list *, const char *,
		     const struct strvec *);
int		 docker_remove_images(const struct strvec *, struct strvec *,
		     struct docker_result *);
void		 docker_parse_untagged(const char *, const struct strvec *,
		     struct strvec *);
int		 docker_entrypoint(const char *, struct strvec *,
		     struct docker_result *);
void		 docker_pull_argv(struct strvec *, const char *, int);
int		 docker_pull_start(struct child *, const char *, int,
		     struct docker_result *);
void		 docker_pull_finish(struct child *, int,
		     struct docker_result *);
int		 docker_pull(const char *, struct docker_result *);
int		 docker_build(const char *, const char *, const struct strvec *,
		     long long, struct docker_result *);

#endif
