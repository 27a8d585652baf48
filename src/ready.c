/*
 * Readiness without blind polling. "docker logs --follow" streams the
 * server's output; the engine's ready line (matched with PCRE2, never
 * counted: official images print it twice on a first start and once on a
 * restart) arms a protocol probe: at once, then again at intervals that
 * grow from PROBE_MS to PROBE_MAX_MS until the server answers. A match is
 * a trigger, not proof. Engines without a ready line, and logs that never
 * match, fall back to a probe every FALLBACK_MS. A probe connection the
 * server accepted is polled together with the log stream and kept until
 * the server answers or the deadline passes, however slow the answer. A
 * pre-login answer from SQL Server only says the process listens: the
 * engine's health command (a sqlcmd login) confirms it in the container.
 * On a remote engine the published port may not be on this host: over
 * ssh the probe goes through a forward (tunnel.c) opened for the wait
 * and closed after it; on any other remote engine the check runs inside
 * the container with docker exec.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "dbarena.h"
#include "docker.h"
#include "probe.h"
#include "ready.h"
#include "render.h"
#include "sig.h"
#include "tunnel.h"

#define PROBE_MS	20
#define PROBE_MAX_MS	250
#define CONNECT_MS	500
#define EXEC_MS		250
#define FALLBACK_AFTER	2000
#define FALLBACK_MS	500
#define TAIL_KEEP	4096
#define FORWARD_MS	30000	/* ssh's own ConnectTimeout is longer */

/* The engine's health command, in the container: 1 when it succeeds. */
static int
exec_health(const struct ready_spec *rs)
{
	struct docker_result	res = DOCKER_RESULT_INIT;
	int			rc;

	rc = docker_exec(rs->db->name, NULL, NULL, rs->health_argv, NULL, 10000,
	    &res);
	docker_result_release(&res);
	return (rc == 0);
}

static int
has_health(const struct ready_spec *rs)
{
	return (rs->health_argv != NULL && rs->health_argv->n > 0);
}

/* A check that is not a probe connection: docker exec, or the log line. */
static int
check_once(const struct ready_spec *rs, int armed)
{
	/* Nothing to ask: the ready line is all the engine offers. */
	if (!has_health(rs))
		return (armed && rs->ready_log != NULL);
	return (exec_health(rs));
}

/*
 * A probe's answer, confirmed where the protocol proves too little: SQL
 * Server answers a pre-login before it takes logins.
 */
static enum probe_answer
confirm_login(const struct ready_spec *rs, enum probe_answer a)
{
	if (a == PROBE_READY && strcmp(rs->probe, "tds") == 0 &&
	    has_health(rs) && !exec_health(rs))
		return (PROBE_NO);
	return (a);
}

static int
container_running(const char *name)
{
	struct docker_result	res = DOCKER_RESULT_INIT;
	int			rc;

	rc = docker_is_running(name, &res) == 1;
	docker_result_release(&res);
	return (rc);
}

/* Keep the last lines of output, for the error a timeout prints. */
static void
keep_tail(struct strbuf *tail, const char *line, size_t len)
{
	const char	*nl;

	strbuf_add(tail, line, len);
	strbuf_addch(tail, '\n');
	if (tail->len > TAIL_KEEP) {
		nl = memchr(tail->buf + tail->len - TAIL_KEEP, '\n', TAIL_KEEP);
		if (nl != NULL)
			strbuf_remove(tail, 0, nl + 1 - tail->buf);
	}
}

/*
 * How to wait for a database that exists, from its engine file; health
 * gets the engine's health command and stays the caller's to clear. The
 * timeout and the progress line are the caller's to choose.
 */
void
ready_from_engine(struct ready_spec *rs, const struct database *d,
    const struct engine *e, struct strvec *health)
{
	memset(rs, 0, sizeof *rs);
	rs->db = d;
	rs->ready_log = e->set[E_READY_LOG].value;
	rs->probe = e->set[E_PROBE].value != NULL ? e->set[E_PROBE].value :
	    "none";
	render_health_argv(e, d->version, d->user, d->database, health);
	rs->health_argv = health;
	rs->use_exec = docker_is_remote();
}

/*
 * One wait: the log stream, the pattern that arms the probe, the probe
 * connection, and when the next check is due. READY_WAITING means
 * nothing decided yet.
 */
#define READY_WAITING	(-1)

struct waiter {
	const struct ready_spec	*rs;
	struct strbuf		*tail;
	struct child		 logs;
	int			 logs_open;
	struct strbuf		 pending;	/* a log line not ended yet */
	struct strbuf		 why;
	struct probe		 pb;
	int			 net;		/* probe over the network */
	int			 exec;		/* check with docker exec */
	struct tunnel		 fwd;		/* an ssh engine's forward */
	const char		*phost;		/* where the probe connects */
	int			 pport;
	pcre2_code		*re;
	pcre2_match_data	*md;
	int			 armed;		/* a ready line was seen */
	int			 step;		/* ms between armed checks */
	long long		 next;		/* when the next check is due */
	long long		 deadline;
	long long		 started;
	long long		 shown;		/* the progress line's last draw */
};

static void
waiter_init(struct waiter *w, const struct ready_spec *rs,
    struct strbuf *tail)
{
	PCRE2_SIZE	eoff;
	int		ecode;

	memset(w, 0, sizeof *w);
	w->rs = rs;
	w->tail = tail;
	w->logs = (struct child)CHILD_INIT;
	strbuf_init(&w->pending);
	strbuf_init(&w->why);
	w->started = w->shown = now_ms();
	w->deadline = w->started + rs->timeout_ms;
	w->pb.fd = -1;
	w->fwd = (struct tunnel)TUNNEL_INIT;
	w->phost = rs->db->host;
	w->pport = rs->db->host_port;
	w->exec = rs->use_exec;
	w->net = !w->exec && probe_known(rs->probe);
	if (rs->ready_log != NULL) {
		w->re = pcre2_compile((PCRE2_SPTR)rs->ready_log,
		    PCRE2_ZERO_TERMINATED, 0, &ecode, &eoff, NULL);
		if (w->re != NULL)
			w->md = pcre2_match_data_create_from_pattern(w->re,
			    NULL);
	}
	w->armed = w->re == NULL;
	w->step = w->exec ? EXEC_MS : PROBE_MS;
	if (w->re == NULL)
		w->step = FALLBACK_MS / 2;	/* nothing to trigger on: pace it */
	w->next = w->armed ? now_ms() : now_ms() + FALLBACK_AFTER;

	docker_start_logs(&w->logs, rs->db->name, 1, NULL);
	w->logs.out = CHILD_PIPE;
	w->logs.err_to_out = 1;
	w->logs_open = child_start(&w->logs) == 0;
}

static void
waiter_free(struct waiter *w)
{
	if (w->rs->progress) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	probe_close(&w->pb);
	tunnel_close(&w->fwd);
	strbuf_release(&w->fwd.err);
	child_clear(&w->logs);
	strbuf_release(&w->pending);
	strbuf_release(&w->why);
	if (w->md != NULL)
		pcre2_match_data_free(w->md);
	if (w->re != NULL)
		pcre2_code_free(w->re);
}

/* A check when one is due: a probe opened, or a check run and judged. */
static int
waiter_check(struct waiter *w, long long t)
{
	const struct ready_spec	*rs = w->rs;

	/* A forward that died is the wait's end, in ssh's words. */
	if (w->fwd.local_port > 0 && !tunnel_check(&w->fwd)) {
		strbuf_reset(w->tail);
		tunnel_why(&w->fwd, w->tail);
		return (READY_TUNNEL);
	}
	/* One probe connection at a time, and it is left to answer. */
	if (t < w->next || w->pb.fd != -1)
		return (READY_WAITING);
	/* When nothing accepts it, pb.fd stays -1 until next. */
	if (w->net)
		(void)probe_open(&w->pb, rs->probe, w->phost, w->pport,
		    CONNECT_MS, rs->db->user, rs->db->database);
	else if (check_once(rs, w->armed))
		return (READY_OK);
	w->next = now_ms() + (w->armed ? w->step : FALLBACK_MS);
	/*
	 * Each probe of a starting PostgreSQL forks a backend only to be
	 * told "starting up": probing every 20 ms from twenty creates
	 * starved the very startups they waited for. Back off to
	 * PROBE_MAX_MS.
	 */
	if (w->armed && w->step < PROBE_MAX_MS)
		w->step = w->step * 2 > PROBE_MAX_MS ? PROBE_MAX_MS :
		    w->step * 2;
	return (READY_WAITING);
}

/* The probe's answer: ready, refused for good, or wait on. */
static int
waiter_answer(struct waiter *w)
{
	enum probe_answer	a;

	a = probe_read(&w->pb, &w->why);
	if (a != PROBE_WAIT)
		probe_close(&w->pb);
	if ((a = confirm_login(w->rs, a)) == PROBE_READY)
		return (READY_OK);
	if (a == PROBE_REFUSED) {
		strbuf_reset(w->tail);
		strbuf_addbuf(w->tail, &w->why);
		return (READY_REFUSED);
	}
	return (READY_WAITING);
}

/* New log output: keep its tail, and a (new) ready line arms the probe. */
static int
waiter_logs(struct waiter *w)
{
	char	buf[8192], *nl;
	ssize_t	n;

	n = read(w->logs.out_fd, buf, sizeof buf);
	if (n == -1 && errno == EINTR)
		return (READY_WAITING);
	if (n <= 0) {
		/* The stream ends when the container stops. */
		child_finish(&w->logs);
		w->logs_open = 0;
		if (!container_running(w->rs->db->name))
			return (READY_EXITED);
		w->armed = 1;
		w->next = now_ms();
		return (READY_WAITING);
	}
	strbuf_add(&w->pending, buf, n);
	while ((nl = memchr(w->pending.buf, '\n', w->pending.len)) != NULL) {
		keep_tail(w->tail, w->pending.buf, nl - w->pending.buf);
		if (w->re != NULL && pcre2_match(w->re,
		    (PCRE2_SPTR)w->pending.buf, nl - w->pending.buf, 0, 0,
		    w->md, NULL) >= 0) {
			/* A (new) ready line: probe at once, quickly. */
			w->armed = 1;
			w->next = now_ms();
			if (!w->exec)
				w->step = PROBE_MS;
		}
		strbuf_remove(&w->pending, 0, nl + 1 - w->pending.buf);
	}
	return (READY_WAITING);
}

/*
 * Sleep until the probe answers, the log moves or the next check is
 * due, then hear what woke us.
 */
static int
waiter_sleep(struct waiter *w, long long t)
{
	struct pollfd	pfd[2];
	long long	wait;
	int		nfd = 0;

	/*
	 * A check can run past the deadline: never let that turn into a
	 * negative wait, which poll takes as "for ever". An open probe
	 * waits for its answer; the progress line still moves.
	 */
	wait = (w->pb.fd == -1 && w->next < w->deadline ? w->next :
	    w->deadline) - t;
	if (w->rs->progress && wait > 100)
		wait = 100;
	if (wait < 1)
		wait = 1;
	if (w->pb.fd != -1) {
		pfd[nfd].fd = w->pb.fd;
		pfd[nfd++].events = POLLIN;
	}
	if (w->logs_open) {
		pfd[nfd].fd = w->logs.out_fd;
		pfd[nfd++].events = POLLIN;
	}
	pfd[0].revents = pfd[1].revents = 0;
	if (nfd == 0) {
		sleep_ms(wait);
		return (READY_WAITING);
	}
	if (poll(pfd, nfd, (int)wait) <= 0)
		return (READY_WAITING);
	if (w->pb.fd != -1 && pfd[0].revents != 0)
		return (waiter_answer(w));
	if (!w->logs_open || pfd[nfd - 1].revents == 0)
		return (READY_WAITING);
	return (waiter_logs(w));
}

/*
 * On an ssh engine, a forward to the published port for the probe, so
 * readiness is the server's own answer rather than docker exec's exit
 * status (which a connection that closes early turns into a false 0).
 */
static int
waiter_forward(struct waiter *w)
{
	const struct database	*d = w->rs->db;
	struct ssh_dest		 sd;
	long long		 ms = w->rs->timeout_ms;
	int			 rc;

	if (!w->exec || !probe_known(w->rs->probe) || d->host_port <= 0 ||
	    tunnel_engine_dest(&sd) == -1)
		return (READY_WAITING);
	rc = tunnel_open(&w->fwd, &sd, tunnel_remote_addr(d->host_ip),
	    d->host_port, ms > 0 && ms < FORWARD_MS ? ms : FORWARD_MS);
	ssh_dest_free(&sd);
	if (rc == -1) {
		strbuf_reset(w->tail);
		if (w->fwd.err.len == 0)
			strbuf_addf(w->tail, "ssh: %s", strerror(errno));
		else
			tunnel_why(&w->fwd, w->tail);
		return (interrupted() ? READY_INTERRUPTED : READY_TUNNEL);
	}
	w->exec = 0;
	w->net = 1;
	w->step = PROBE_MS;
	w->phost = "127.0.0.1";
	w->pport = w->fwd.local_port;
	return (READY_WAITING);
}

enum ready_status
wait_ready(const struct ready_spec *rs, struct strbuf *tail)
{
	struct waiter	w;
	long long	t;
	int		st;

	waiter_init(&w, rs, tail);
	st = waiter_forward(&w);
	while (st == READY_WAITING) {
		if (interrupted()) {
			st = READY_INTERRUPTED;
			break;
		}
		t = now_ms();
		if (t >= w.deadline) {
			st = READY_TIMEOUT;
			break;
		}
		if (rs->progress && t - w.shown >= 100) {
			fprintf(stderr, "\r\033[Kwaiting for %s ... %.1fs",
			    rs->db->name, (t - w.started) / 1000.0);
			fflush(stderr);
			w.shown = t;
		}
		if ((st = waiter_check(&w, t)) == READY_WAITING)
			st = waiter_sleep(&w, now_ms());
	}
	waiter_free(&w);
	return ((enum ready_status)st);
}
