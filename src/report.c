/*
 * The connection block, as text for people and as a JSON object for
 * scripts, and what a database needs for it beyond docker's records. The
 * JSON shape is documented in dbarena(1) and kept stable: fields are only
 * ever added.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "report.h"
#include "tunnel.h"

/* Whether an address is a loopback one: 127.0.0.0/8 or ::1. */
static int
is_loopback(const char *ip)
{
	return (strncmp(ip, "127.", 4) == 0 || strcmp(ip, "::1") == 0);
}

/*
 * Where a client on this machine reaches a published port, into host.
 * A remote engine's ports are on its host, not ours: its loopback is
 * reached only through a forward over ssh; all of its addresses through
 * the name ssh really connects to (an ssh alias means nothing to a
 * database client), or the endpoint's host; one address through itself.
 */
static enum database_reach
reach_host(const struct database *d, struct strbuf *host)
{
	struct ssh_dest	 sd;
	const char	*ip = d->host_ip != NULL ? d->host_ip : "";
	const char	*rh;
	int		 ssh;

	if (!docker_is_remote()) {
		strbuf_adds(host, connect_host(ip));
		return (REACH_HERE);
	}
	ssh = tunnel_engine_dest(&sd) == 0;
	if (is_loopback(ip)) {
		ssh_dest_free(&sd);
		return (ssh ? REACH_TUNNEL : REACH_NONE);
	}
	if (strcmp(connect_host(ip), ip) == 0)	/* one address */
		strbuf_adds(host, ip);
	else if (!(ssh && ssh_hostname(&sd, host) == 0) &&
	    (rh = docker_remote_host()) != NULL)
		strbuf_adds(host, rh);
	ssh_dest_free(&sd);
	return (host->len > 0 ? REACH_HERE : REACH_NONE);
}

/* The URL from the engine's template, for where a client connects. */
static void
set_url(struct database *d, const struct engine *e)
{
	free(d->url);
	d->url = e == NULL ? NULL : render_url(e->set[E_URL].value, d->host,
	    d->host_port, d->user, d->password, d->database);
}

/*
 * What a database's labels and environment (docker is the only state) do
 * not say: where a client connects, and the URL from the engine's
 * template when its file can still be found (else NULL). Neither is set
 * when no address reaches the port from here (d->reach says why).
 */
void
database_complete(struct database *d, const struct engine *e)
{
	struct strbuf	host = STRBUF_INIT;

	free(d->host);
	free(d->url);
	d->host = d->url = NULL;
	d->reach = reach_host(d, &host);
	if (d->reach != REACH_HERE) {
		strbuf_release(&host);
		return;
	}
	d->host = strbuf_detach(&host);
	set_url(d, e);
}

/*
 * The database as a container on its network reaches it: by its name,
 * which docker's DNS there resolves (it joined with the name as its
 * alias), on the server's own port in the container, not the host's.
 * Such an address always works from where it is meant to be used, on
 * a remote engine as well. EXIT_OK, or EXIT_USAGE after saying that it
 * is not on that network.
 */
int
database_from_network(struct database *d, const struct engine *e,
    const char *network)
{
	if (d->network == NULL || strcmp(d->network, network) != 0) {
		error_msg("%s is not on network %s", d->name, network);
		if (d->network != NULL && *d->network != '\0')
			hint_msg("it is on network %s", d->network);
		else
			hint_msg("create it with --network %s", network);
		return (EXIT_USAGE);
	}
	free(d->host);
	d->host = xstrdup(d->name);
	d->host_port = d->port;
	d->reach = REACH_HERE;
	set_url(d, e);
	return (EXIT_OK);
}

/*
 * For url, env and cdc, which print an address a client uses: EXIT_OK
 * when one works from here; else why not and what does, said, and
 * EXIT_UNREACHABLE.
 */
int
report_unreachable(const struct database *d)
{
	const char	*rh = docker_remote_host();

	if (d->reach == REACH_HERE)
		return (EXIT_OK);
	error_msg("%s listens on %s of %s only: no address reaches it from "
	    "here", d->name, d->host_ip != NULL && *d->host_ip != '\0' ?
	    d->host_ip : "the loopback", rh != NULL ? rh : "the remote host");
	if (d->reach == REACH_TUNNEL)
		hint_msg("forward it over ssh with: dbarena tunnel %s", d->name);
	else
		hint_msg("publish it on an address this machine reaches: "
		    "dbarena create %s --bind ADDR", d->engine);
	return (EXIT_UNREACHABLE);
}

/* The Host line of a database no address reaches from here. */
static void
text_unreached(struct strbuf *sb, const struct database *d)
{
	const char	*rh = docker_remote_host();

	strbuf_addf(sb, "  %-9s ", "Host:");
	strbuf_add_escaped(sb, d->host_ip != NULL ? d->host_ip : "");
	strbuf_addf(sb, ":%d on ", d->host_port);
	strbuf_add_escaped(sb, rh != NULL ? rh : "the remote host");
	if (d->reach == REACH_TUNNEL) {
		strbuf_adds(sb, " only; reach it with: dbarena tunnel ");
		strbuf_add_escaped(sb, d->name);
	} else
		strbuf_adds(sb, " only; not reachable from here");
	strbuf_addch(sb, '\n');
}

static const char *
reach_name(enum database_reach r)
{
	return (r == REACH_TUNNEL ? "tunnel" : r == REACH_NONE ? "none" :
	    "direct");
}

/*
 * One "  Key:      value" line, the value escaped: labels and passwords
 * are anyone's, and none may forge a line ("Password: a\tb").
 */
static void
text_line(struct strbuf *sb, const char *key, const char *value)
{
	strbuf_addf(sb, "  %-9s ", key);
	strbuf_add_escaped(sb, value != NULL ? value : "");
	strbuf_addch(sb, '\n');
}

void
report_text(struct strbuf *sb, const struct database *d, long long ready_ms)
{
	struct strbuf	v = STRBUF_INIT;

	strbuf_add_escaped(sb, d->name);
	if (ready_ms >= 0)
		strbuf_addf(sb, " ready in %.1fs", ready_ms / 1000.0);
	strbuf_addch(sb, '\n');
	strbuf_add_escaped(&v, d->engine);
	strbuf_addch(&v, ' ');
	strbuf_add_escaped(&v, d->version);
	strbuf_adds(&v, " (profile ");
	strbuf_add_escaped(&v, d->profile);
	strbuf_addch(&v, ')');
	strbuf_addf(sb, "  %-9s %s\n", "Engine:", v.buf);
	text_line(sb, "Status:", database_status(d));
	if (d->host_port > 0 && d->reach != REACH_HERE)
		text_unreached(sb, d);
	else if (d->host_port > 0) {
		strbuf_reset(&v);
		strbuf_add_escaped(&v, d->host);
		strbuf_addf(sb, "  %-9s %s:%d\n", "Host:", v.buf, d->host_port);
	}
	if (d->network != NULL && *d->network != '\0')
		text_line(sb, "Network:", d->network);
	text_line(sb, "User:", d->user);
	text_line(sb, "Password:", d->password);
	if (d->database != NULL && *d->database != '\0')
		text_line(sb, "Database:", d->database);
	if (d->volume != NULL && *d->volume != '\0')
		text_line(sb, "Volume:", d->volume);
	if (d->url != NULL && d->host_port > 0)
		text_line(sb, "URL:", d->url);
	if (d->expires != NULL && *d->expires != '\0') {
		strbuf_reset(&v);
		strbuf_add_escaped(&v, d->expires);
		strbuf_addf(sb, "  %-9s %s (dbarena gc removes it then)\n",
		    "Expires:", v.buf);
	}
	strbuf_release(&v);
}

void
report_json(struct json_writer *jw, const struct database *d,
    long long ready_ms)
{
	jw_object_begin(jw, NULL);
	jw_string(jw, "name", d->name);
	jw_string(jw, "engine", d->engine);
	jw_string(jw, "version", d->version);
	jw_string(jw, "profile", d->profile);
	jw_string(jw, "status", database_status(d));
	if (d->image != NULL)
		jw_string(jw, "image", d->image);
	jw_string(jw, "host", d->host);
	jw_int(jw, "port", d->host_port);
	jw_string(jw, "user", d->user);
	jw_string(jw, "password", d->password);
	jw_string(jw, "database", d->database);
	jw_string(jw, "url", d->url);
	jw_string(jw, "storage", d->storage);
	jw_string(jw, "volume", d->volume != NULL && *d->volume ?
	    d->volume : NULL);
	jw_string(jw, "expires", d->expires != NULL && *d->expires ?
	    d->expires : NULL);
	jw_string(jw, "created", d->created);
	if (ready_ms >= 0)
		jw_int(jw, "ready_ms", ready_ms);
	else	/* read back from docker, which knows when it started */
		jw_string(jw, "started", database_started(d));
	/* Added later: new members go last. */
	jw_int(jw, "container_port", d->port);
	jw_string(jw, "network", d->network != NULL && *d->network ?
	    d->network : NULL);
	jw_string(jw, "reach", reach_name(d->reach));
	jw_end(jw);
}
