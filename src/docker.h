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

void		 docker_init(const char *, const char *);
long long	 docker_timeout(long long);
void		 docker_set_cancellable(int);
void		 docker_set_offline(int);
void		 docker_argv(struct strvec *);
int		 docker_is_remote(void);
const char	*docker_remote_host(void);
int		 docker_run(const struct strvec *, const struct strvec *,
		     struct strbuf *, struct strbuf *, long long,
		     enum docker_error *);
enum docker_error docker_classify(int, const char *);
enum docker_error docker_classify_exec(int, const char *);
void		 docker_error_line(const char *, struct strbuf *);
int		 docker_cancelled(void);
int		 docker_exec_errno(void);
/* In docker-report.c, above the adapter: message, hint, exit code. */
int		 docker_report(enum docker_error, const char *, const char *);

int		 docker_list(int, struct database_list *, enum docker_error *,
		     struct strbuf *);
int		 docker_list_filtered(int, const char *, struct database_list *,
		     enum docker_error *, struct strbuf *);
int		 docker_inspect(const struct strvec *, struct database_list *,
		     enum docker_error *, struct strbuf *);
int		 docker_rename(const char *, const char *, enum docker_error *,
		     struct strbuf *);
int		 docker_remove_ids(const struct strvec *, enum docker_error *,
		     struct strbuf *);
int		 docker_remove_owned(const char *, int *, int *,
		     enum docker_error *, struct strbuf *);
int		 docker_parse_records(const char *, struct database_list *,
		     struct strvec *);
int		 docker_parse_ps(const char *, struct database_list *,
		     struct strvec *);
int		 docker_decode_value(const char *, struct strbuf *);
long long	 docker_parse_time(const char *);
enum docker_field {
	DF_VOLUME_NAME,
	DF_RUNNING,		/* "true" or "false" */
	DF_ENTRYPOINT		/* one word a line */
};

int		 docker_inspect_field(enum docker_field, const char *,
		     struct strbuf *, enum docker_error *, struct strbuf *);
int		 docker_volumes(struct strvec *, struct strvec *, struct strvec *,
		     enum docker_error *, struct strbuf *);
int		 docker_parse_volumes(const char *, struct strvec *,
		     struct strvec *, struct strvec *, struct strvec *);
#define DOCKER_EXEC_STDIN	0x1
#define DOCKER_EXEC_TTY		0x2
void		 docker_exec_args(struct strvec *, const char *, int,
		     const char *, const struct strvec *);
int		 docker_exec_file(const char *, const char *, const char *,
		     const struct strvec *, const char *, struct strbuf *,
		     struct strbuf *, enum docker_error *);
/* What doctor learns from "docker --version" and "docker version". */
struct docker_version {
	char	*version;	/* "" when the program did not say */
	int	 podman;	/* podman's CLI, or a podman service */
};

const char	*docker_program_name(void);
int		 docker_version_start(struct child *, int);
int		 docker_version_finish(struct child *, int,
		     struct docker_version *, enum docker_error *,
		     struct strbuf *);
int		 docker_parse_client_version(const char *,
		     struct docker_version *);
int		 docker_parse_server_version(const char *,
		     struct docker_version *);
void		 docker_version_free(struct docker_version *);
void		 docker_start_logs(struct child *, const char *, int,
		     const char *);

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

int		 docker_images(struct image_list *, enum docker_error *,
		     struct strbuf *);
int		 docker_parse_images(const char *, struct image_list *,
		     struct strvec *);
int		 docker_parse_image_details(const char *,
		     struct image_list *, struct strvec *);
const struct imageinfo *docker_find_image(const struct image_list *,
		     const char *);
void		 image_list_free(struct image_list *);
int		 docker_container_images(struct strvec *, enum docker_error *,
		     struct strbuf *);
int		 docker_image_in_use(const struct image_list *, const char *,
		     const struct strvec *);
int		 docker_remove_images(const struct strvec *, struct strvec *,
		     enum docker_error *, struct strbuf *);
void		 docker_parse_untagged(const char *, const struct strvec *,
		     struct strvec *);
void		 docker_start_pull(struct child *, const char *);
int		 docker_pull(const char *, long long, enum docker_error *,
		     struct strbuf *);

#endif
