/*
 * CDC is checked, not assumed. After a CDC profile's server is ready,
 * create runs the engine's [cdc] check inside the container - one docker
 * exec, so one round trip - and matches what it prints against
 * check_expect. The password reaches the client through docker's
 * environment ("-e VAR" in argv, the value in ours), never an argument.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "cdc.h"
#include "dbarena.h"
#include "docker.h"
#include "render.h"

#define NVARS	9

/* The {name} values [cdc] check and [connector] templates may use. */
static void
cdc_vars(const struct database *d, const char **names, const char **values,
    char *port, char *cport, char *client_id, size_t len)
{
	unsigned long long	id;

	snprintf(port, len, "%d", d->host_port);
	snprintf(cport, len, "%d", d->port);
	/* A replication client must not reuse the server's own id. */
	id = strtoull(d->server_id != NULL ? d->server_id : "1", NULL, 10);
	snprintf(client_id, len, "%llu", id >= 4294967295ULL ? 1 : id + 1);
	names[0] = "name";		values[0] = d->name;
	names[1] = "version";		values[1] = d->version;
	names[2] = "host";		values[2] = d->host;
	names[3] = "port";		values[3] = port;
	names[4] = "container_port";	values[4] = cport;
	names[5] = "user";		values[5] = d->user;
	names[6] = "database";		values[6] = d->database;
	names[7] = "client_id";		values[7] = client_id;
	/* Last, so that the check can leave it out. */
	names[8] = "password";		values[8] = d->password;
}

static int
cdc_matches(const char *pattern, const char *text)
{
	pcre2_code		*re;
	pcre2_match_data	*md;
	PCRE2_SIZE		 eoff;
	int			 ecode, m;

	if ((re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_MULTILINE, &ecode, &eoff, NULL)) == NULL)
		return (0);
	md = pcre2_match_data_create_from_pattern(re, NULL);
	m = pcre2_match(re, (PCRE2_SPTR)text, strlen(text), 0, 0, md, NULL);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return (m >= 0);
}

/* EXIT_OK, or the exit code after saying what failed. */
int
cdc_check(const struct engine *e, const struct database *d)
{
	const char		*names[NVARS], *values[NVARS];
	const char		*pv = e->set[E_PASSWORD_ENV].value;
	const char		*expect = e->set[E_CDC_EXPECT].value;
	char			 port[24], cport[24], cid[24], *msg = NULL;
	struct strvec		 words = STRVEC_INIT;
	struct strbuf		 out = STRBUF_INIT;
	struct strbuf		 w = STRBUF_INIT, why = STRBUF_INIT;
	struct docker_result	 res = DOCKER_RESULT_INIT;
	size_t			 i;
	int			 rc, code = EXIT_OK;

	if (e->set[E_CDC_CHECK].value == NULL)
		return (EXIT_OK);
	cdc_vars(d, names, values, port, cport, cid, sizeof port);
	if (strvec_split(&words, e->set[E_CDC_CHECK].value, &msg) == -1)
		goto bad;
	for (i = 0; i < words.n; i++) {
		strbuf_reset(&w);
		/* No {password}: it only ever goes through the environment. */
		if (render_text(words.v[i], names, values, NVARS - 1, &w,
		    &msg) == -1)
			goto bad;
		free(words.v[i]);
		words.v[i] = strbuf_detach(&w);
	}
	rc = docker_exec(d->name, pv, d->password, &words, &out,
	    CDC_CHECK_TIMEOUT_MS, &res);
	if (rc != 0 && res.err != DERR_OTHER) {
		code = docker_report(&res, "checking CDC");
		goto out;
	}
	if (rc == 0 && (expect == NULL || cdc_matches(expect, out.buf)))
		goto out;
	/* The client's own words say most: its error, else its output. */
	strbuf_addbuf(&why, res.msg.len > 0 ? &res.msg : &out);
	strbuf_rtrim(&why);
	for (i = 0; i < why.len; i++)
		if (why.buf[i] == '\n' || why.buf[i] == '\t')
			why.buf[i] = ' ';
	error_msg("%s failed its CDC check (profile %s): %s", d->name,
	    d->profile, why.len > 0 ? why.buf : "no output");
	if (expect != NULL && rc == 0)
		hint_msg("expected output matching /%s/; do the profile's "
		    "server flags undo [cdc]? see: dbarena profiles show %s",
		    expect, d->profile);
	else
		hint_msg("do the profile's server flags undo [cdc]? see: "
		    "dbarena profiles show %s", d->profile);
	code = EXIT_NOT_READY;
	goto out;
bad:
	error_msg("%s: [cdc] check: %s", e->path, msg);
	free(msg);
	code = EXIT_CONFIG;
out:
	strvec_clear(&words);
	strbuf_release(&out);
	docker_result_release(&res);
	strbuf_release(&w);
	strbuf_release(&why);
	return (code);
}

/*
 * [connector] with its templates filled in, in file order; -1 with *err
 * when a template names an unknown variable.
 */
int
cdc_connector(const struct engine *e, const struct database *d,
    struct kvlist *out, char **err)
{
	const char	*names[NVARS], *values[NVARS];
	char		 port[24], cport[24], cid[24];
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i;

	cdc_vars(d, names, values, port, cport, cid, sizeof port);
	for (i = 0; i < e->connector.n; i++) {
		strbuf_reset(&sb);
		if (render_text(e->connector.v[i].s.value, names, values,
		    NVARS, &sb, err) == -1) {
			strbuf_release(&sb);
			return (-1);
		}
		kvlist_set(out, e->connector.v[i].key, sb.buf,
		    e->connector.v[i].s.origin);
	}
	strbuf_release(&sb);
	return (0);
}
