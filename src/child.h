/*
 * The one child-process API. Every program dbarena runs (docker, podman,
 * ssh for a forward, nothing else) goes through here: an argument
 * vector, never a shell.
 */
#ifndef DBARENA_CHILD_H
#define DBARENA_CHILD_H

#include <sys/types.h>

#include "util.h"

enum child_io {
	CHILD_INHERIT = 0,	/* share dbarena's descriptor */
	CHILD_NULL,		/* /dev/null */
	CHILD_PIPE,		/* a pipe read by dbarena */
	CHILD_FILE,		/* stdin only: the file in_path */
	CHILD_DATA		/* stdin only: in_len bytes at in_data */
};

struct child {
	struct strvec	 argv;
	struct strvec	 env;		/* "K=V" sets K, "K" unsets it */
	enum child_io	 in;		/* CHILD_INHERIT, _NULL, _FILE, _DATA */
	const char	*in_path;	/* for CHILD_FILE */
	const char	*in_data;	/* for CHILD_DATA */
	size_t		 in_len;
	enum child_io	 out;
	enum child_io	 err;
	int		 err_to_out;	/* stderr joins the stdout pipe */
	long long	 timeout_ms;	/* 0: wait for ever */
	int		(*cancel)(void);	/* non-zero: kill the child */

	/* Filled in by child_start. */
	pid_t		 pid;
	int		 out_fd;
	int		 err_fd;
	long long	 deadline;
	int		 timed_out;
};
#define CHILD_INIT { STRVEC_INIT, STRVEC_INIT, CHILD_NULL, NULL, NULL, 0, \
	CHILD_INHERIT, CHILD_INHERIT, 0, 0, NULL, -1, -1, -1, 0, 0 }

int	child_start(struct child *);
int	child_finish(struct child *);
int	child_run(struct child *);
int	child_capture(struct child *, struct strbuf *, struct strbuf *);
int	child_start_capture(struct child *, int);
int	child_drain(struct child *, struct strbuf *, struct strbuf *);
void	child_kill(struct child *);
void	child_clear(struct child *);
int	child_wait_readable(struct child *, int, long long);
int	child_done(const struct child *);
int	child_exited(const struct child *);
int	child_pidfd(const struct child *);
void	child_poll(struct child **, struct strbuf **, struct strbuf **,
	    size_t, int);


#endif
