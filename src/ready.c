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
 * On a remote engine the published port may not be on this host, so the
 * check runs inside the container with docker exec.
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

#define PROBE_MS	20
#define PROBE_MAX_MS	250
#define CONNECT_MS	500
#define EXEC_MS		250
#define FALLBACK_AFTER	2000
#define FALLBACK_MS	500
#define TAIL_KEEP	4096

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

enum ready_status
wait_ready(const struct ready_spec *rs, struct strbuf *tail)
{
	struct child		 logs = CHILD_INIT;
	struct strbuf		 pending = STRBUF_INIT, why = STRBUF_INIT;
	struct probe		 pb;
	struct pollfd		 pfd[2];
	pcre2_code		*re = NULL;
	pcre2_match_data	*md = NULL;
	enum ready_status	 st = READY_TIMEOUT;
	enum probe_answer	 a;
	long long		 deadline, next, t, wait, started, shown;
	char			 buf[8192], *nl;
	ssize_t			 n;
	int			 ecode, armed, logs_open, step, net, nfd;
	PCRE2_SIZE		 eoff;

	started = shown = now_ms();
	deadline = started + rs->timeout_ms;
	pb.fd = -1;
	net = !rs->use_exec && probe_known(rs->probe);
	if (rs->ready_log != NULL) {
		re = pcre2_compile((PCRE2_SPTR)rs->ready_log,
		    PCRE2_ZERO_TERMINATED, 0, &ecode, &eoff, NULL);
		if (re != NULL)
			md = pcre2_match_data_create_from_pattern(re, NULL);
	}
	armed = re == NULL;
	step = rs->use_exec ? EXEC_MS : PROBE_MS;
	if (re == NULL)
		step = FALLBACK_MS / 2;	/* nothing to trigger on: pace it */
	next = armed ? now_ms() : now_ms() + FALLBACK_AFTER;

	docker_start_logs(&logs, rs->db->name, 1, NULL);
	logs.out = CHILD_PIPE;
	logs.err_to_out = 1;
	logs_open = child_start(&logs) == 0;

	for (;;) {
		if (interrupted()) {
			st = READY_INTERRUPTED;
			break;
		}
		t = now_ms();
		if (t >= deadline) {
			st = READY_TIMEOUT;
			break;
		}
		if (rs->progress && t - shown >= 100) {
			fprintf(stderr, "\r\033[Kwaiting for %s ... %.1fs",
			    rs->db->name, (t - started) / 1000.0);
			fflush(stderr);
			shown = t;
		}
		/* One probe connection at a time, and it is left to answer. */
		if (t >= next && pb.fd == -1) {
			/* When nothing accepts it, pb.fd stays -1 until next. */
			if (net)
				(void)probe_open(&pb, rs->probe, rs->db->host,
				    rs->db->host_port, CONNECT_MS, rs->db->user,
				    rs->db->database);
			else if (check_once(rs, armed)) {
				st = READY_OK;
				break;
			}
			t = now_ms();
			next = t + (armed ? step : FALLBACK_MS);
			/*
			 * Each probe of a starting PostgreSQL forks a backend
			 * only to be told "starting up": probing every 20 ms
			 * from twenty creates starved the very startups they
			 * waited for. Back off to PROBE_MAX_MS.
			 */
			if (armed && step < PROBE_MAX_MS)
				step = step * 2 > PROBE_MAX_MS ? PROBE_MAX_MS :
				    step * 2;
		}
		/*
		 * A check can run past the deadline: never let that turn into
		 * a negative wait, which poll takes as "for ever". An open
		 * probe waits for its answer; the progress line still moves.
		 */
		wait = (pb.fd == -1 && next < deadline ? next : deadline) - t;
		if (rs->progress && wait > 100)
			wait = 100;
		if (wait < 1)
			wait = 1;
		nfd = 0;
		if (pb.fd != -1) {
			pfd[nfd].fd = pb.fd;
			pfd[nfd++].events = POLLIN;
		}
		if (logs_open) {
			pfd[nfd].fd = logs.out_fd;
			pfd[nfd++].events = POLLIN;
		}
		pfd[0].revents = pfd[1].revents = 0;
		if (nfd == 0) {
			sleep_ms(wait);
			continue;
		}
		if (poll(pfd, nfd, (int)wait) <= 0)
			continue;
		if (pb.fd != -1 && pfd[0].revents != 0) {
			a = probe_read(&pb, &why);
			if (a != PROBE_WAIT)
				probe_close(&pb);
			if ((a = confirm_login(rs, a)) == PROBE_READY) {
				st = READY_OK;
				break;
			}
			if (a == PROBE_REFUSED) {
				strbuf_reset(tail);
				strbuf_addbuf(tail, &why);
				st = READY_REFUSED;
				break;
			}
			continue;
		}
		if (!logs_open || pfd[nfd - 1].revents == 0)
			continue;
		n = read(logs.out_fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* The stream ends when the container stops. */
			child_finish(&logs);
			logs_open = 0;
			if (!container_running(rs->db->name)) {
				st = READY_EXITED;
				break;
			}
			armed = 1;
			next = now_ms();
			continue;
		}
		strbuf_add(&pending, buf, n);
		while ((nl = memchr(pending.buf, '\n', pending.len)) != NULL) {
			keep_tail(tail, pending.buf, nl - pending.buf);
			if (re != NULL && pcre2_match(re,
			    (PCRE2_SPTR)pending.buf, nl - pending.buf, 0, 0,
			    md, NULL) >= 0) {
				/* A (new) ready line: probe at once, quickly. */
				armed = 1;
				next = now_ms();
				if (!rs->use_exec && re != NULL)
					step = PROBE_MS;
			}
			strbuf_remove(&pending, 0, nl + 1 - pending.buf);
		}
	}
	if (rs->progress) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	probe_close(&pb);
	child_clear(&logs);
	strbuf_release(&pending);
	strbuf_release(&why);
	if (md != NULL)
		pcre2_match_data_free(md);
	if (re != NULL)
		pcre2_code_free(re);
	return (st);
}
