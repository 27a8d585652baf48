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
 * template when its file can still be found (else NULL). Published ports
 * of a remote engine are on its host, not ours.
 */
void
database_complete(struct database *d, const struct engine *e)
{
	const char	*rh = docker_remote_host();

	free(d->host);
	d->host = xstrdup(rh != NULL ? rh : connect_host(d->host_ip));
	set_url(d, e);
}

/*
 * The database as a container on its network reaches it: by its name,
 * which docker's DNS there resolves (it joined with the name as its
 * alias), on the server's own port in the container, not the host's.
 * EXIT_OK, or EXIT_USAGE after saying that it is not on that network.
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
	set_url(d, e);
	return (EXIT_OK);
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
	if (d->host_port > 0) {
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
	jw_end(jw);
}
