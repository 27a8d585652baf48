/*
 * The connection block, as text for people and as a JSON object for
 * scripts. The JSON shape is documented in dbarena(1) and kept stable:
 * fields are only ever added.
 */
#include <stdio.h>
#include <string.h>

#include "render.h"
#include "report.h"

/*
 * The connection block of an existing database, from its labels and
 * environment (docker is the only state); the engine, when its file can
 * still be found, gives the URL. Returns the URL, allocated, or NULL.
 * Published ports of a remote engine are on its host, not ours.
 */
char *
conninfo_from(struct conninfo *ci, const struct database *d,
    const struct engine *e)
{
	const char	*rh = docker_remote_host();
	char		*url;

	memset(ci, 0, sizeof *ci);
	ci->name = d->name;
	ci->engine = d->engine;
	ci->version = d->version;
	ci->profile = d->profile;
	ci->status = database_status(d);
	ci->host = rh != NULL ? rh : connect_host(d->host_ip);
	ci->port = d->host_port;
	ci->user = d->user;
	ci->password = d->password;
	ci->database = d->database;
	ci->volume = d->volume;
	ci->storage = d->storage;
	ci->created = d->created;
	ci->expires = d->expires;
	ci->ready_ms = -1;
	if (e == NULL)
		return (NULL);
	url = render_url(e->set[E_URL].value, ci->host, ci->port, ci->user,
	    ci->password, ci->database);
	ci->url = url;
	return (url);
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
report_text(struct strbuf *sb, const struct conninfo *ci)
{
	struct strbuf	v = STRBUF_INIT;

	strbuf_add_escaped(sb, ci->name);
	if (ci->ready_ms >= 0)
		strbuf_addf(sb, " ready in %.1fs", ci->ready_ms / 1000.0);
	strbuf_addch(sb, '\n');
	strbuf_add_escaped(&v, ci->engine);
	strbuf_addch(&v, ' ');
	strbuf_add_escaped(&v, ci->version);
	strbuf_adds(&v, " (profile ");
	strbuf_add_escaped(&v, ci->profile);
	strbuf_addch(&v, ')');
	strbuf_addf(sb, "  %-9s %s\n", "Engine:", v.buf);
	if (ci->status != NULL)
		text_line(sb, "Status:", ci->status);
	if (ci->port > 0) {
		strbuf_reset(&v);
		strbuf_add_escaped(&v, ci->host);
		strbuf_addf(sb, "  %-9s %s:%d\n", "Host:", v.buf, ci->port);
	}
	text_line(sb, "User:", ci->user);
	text_line(sb, "Password:", ci->password);
	if (ci->database != NULL && *ci->database != '\0')
		text_line(sb, "Database:", ci->database);
	if (ci->volume != NULL && *ci->volume != '\0')
		text_line(sb, "Volume:", ci->volume);
	if (ci->url != NULL && ci->port > 0)
		text_line(sb, "URL:", ci->url);
	if (ci->expires != NULL && *ci->expires != '\0') {
		strbuf_reset(&v);
		strbuf_add_escaped(&v, ci->expires);
		strbuf_addf(sb, "  %-9s %s (dbarena gc removes it then)\n",
		    "Expires:", v.buf);
	}
	strbuf_release(&v);
}

void
report_json(struct json_writer *jw, const struct conninfo *ci)
{
	jw_object_begin(jw, NULL);
	jw_string(jw, "name", ci->name);
	jw_string(jw, "engine", ci->engine);
	jw_string(jw, "version", ci->version);
	jw_string(jw, "profile", ci->profile);
	jw_string(jw, "status", ci->status);
	if (ci->image != NULL)
		jw_string(jw, "image", ci->image);
	jw_string(jw, "host", ci->host);
	jw_int(jw, "port", ci->port);
	jw_string(jw, "user", ci->user);
	jw_string(jw, "password", ci->password);
	jw_string(jw, "database", ci->database);
	jw_string(jw, "url", ci->url);
	jw_string(jw, "storage", ci->storage);
	jw_string(jw, "volume", ci->volume != NULL && *ci->volume ?
	    ci->volume : NULL);
	jw_string(jw, "expires", ci->expires != NULL && *ci->expires ?
	    ci->expires : NULL);
	jw_string(jw, "created", ci->created);
	if (ci->ready_ms >= 0)
		jw_int(jw, "ready_ms", ci->ready_ms);
	jw_end(jw);
}
