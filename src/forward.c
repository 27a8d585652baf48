/*
 * Forwards to databases, over the engine's own ssh (tunnel.c). Opening
 * one points the database at its local end: 127.0.0.1, the forward's
 * port, the URL and the client's variables rendered for them, so that
 * what tunnel prints and what run's COMMAND gets work while it runs.
 * Watching them says, in ssh's words, which one dropped.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dbarena.h"
#include "forward.h"
#include "optfile.h"
#include "render.h"

/* The database at the local end of its forward; env re-rendered too. */
static void
point_local(struct database *d, int port, struct strvec *env)
{
	struct engine	 e;
	char		*msg = NULL, *dir = NULL;

	free(d->host);
	free(d->url);
	d->host = xstrdup("127.0.0.1");
	d->host_port = port;
	d->reach = REACH_HERE;
	d->url = NULL;
	if (env != NULL)
		strvec_clear(env);
	if (engine_load(d->engine, &e, &msg) == 0) {
		d->url = render_url(e.set[E_URL].value, d->host, d->host_port,
		    d->user, d->password, d->database);
		/*
		 * No [client] env, or one that does not render: none. The
		 * option file (MariaDB's) names the forward too.
		 */
		if (env != NULL && optfile_write(&e, d, &dir) != EXIT_OK)
			dir = xstrdup("");	/* as create.c's pack */
		if (env != NULL &&
		    render_client_env(&e, d, dir, env, &msg) == -1)
			strvec_clear(env);
		free(dir);
		engine_free(&e);
	}
	free(msg);
}

/*
 * Open f's forward and point f->d at it (env, when given, becomes its
 * client variables). EXIT_OK; else said, with ssh's own words, and
 * EXIT_TUNNEL (or the interrupt's code).
 */
int
forward_open(struct forward *f, const struct ssh_dest *sd,
    struct strvec *env)
{
	struct database	*d = f->d;
	struct strbuf	 why = STRBUF_INIT;

	if (d->host_port <= 0) {
		error_msg("%s publishes no port to forward", d->name);
		return (EXIT_FAIL);
	}
	if (tunnel_open(&f->t, sd, tunnel_remote_addr(d->host_ip),
	    d->host_port, FORWARD_OPEN_MS) == -1) {
		if (interrupted())
			return (interrupted());
		if (f->t.err.len == 0)
			strbuf_addf(&why, "cannot run ssh: %s",
			    strerror(errno));
		else
			tunnel_why(&f->t, &why);
		error_msg("no ssh forward to %s: %s", d->name, why.buf);
		strbuf_release(&why);
		return (EXIT_TUNNEL);
	}
	point_local(d, f->t.local_port, env);
	return (EXIT_OK);
}

/*
 * Wait up to ms (-1: for ever) for a forward to drop or for fd (-1:
 * none) to become readable. Each forward that dropped is said once, in
 * ssh's words; how many did. A signal ends the wait early.
 */
int
forward_watch(struct forward *f, size_t n, int fd, int ms)
{
	struct pollfd	*pfd = xcalloc(n + 1, sizeof *pfd);
	struct strbuf	 why = STRBUF_INIT;
	size_t		 i;
	int		 dropped = 0;

	for (i = 0; i < n; i++) {
		pfd[i].fd = tunnel_fd(&f[i].t);	/* -1 once gone: ignored */
		pfd[i].events = POLLIN;
	}
	pfd[n].fd = fd;
	pfd[n].events = POLLIN;
	if (poll(pfd, n + 1, ms) > 0) {
		for (i = 0; i < n; i++) {
			if (pfd[i].revents == 0 || tunnel_check(&f[i].t))
				continue;
			strbuf_reset(&why);
			tunnel_why(&f[i].t, &why);
			error_msg("the ssh forward to %s dropped: %s",
			    f[i].d->name, why.buf);
			dropped++;
		}
	}
	strbuf_release(&why);
	free(pfd);
	return (dropped);
}

/* Close the forwards (their ssh ended and reaped) and free them. */
void
forward_close_all(struct forward *f, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		tunnel_close(&f[i].t);
		strbuf_release(&f[i].t.err);
	}
	free(f);
}
