/*
 * gc: remove the databases whose --ttl has run out, and those of a run
 * that is gone (a SIGKILL left them behind). The expiry and the run's
 * mark are labels on each container, so one "docker ps" finds them on
 * any engine (local, remote, podman) and nothing has to stay behind to
 * reap them. A run's mark is judged only where its pid means something
 * (runmark.c): elsewhere its databases stay. Named volumes are data
 * someone asked to keep: gc never removes them, and says which ones it
 * left.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dbarena.h"
#include "docker.h"
#include "optfile.h"
#include "json.h"
#include "network.h"
#include "runmark.h"

/* Whether a name starts with one of the prefixes; none: every name. */
static int
gc_wanted(const char *name, int argc, char **argv)
{
	int	i;

	if (argc == 0)
		return (1);
	for (i = 0; i < argc; i++) {
		if (strncmp(name, argv[i], strlen(argv[i])) == 0)
			return (1);
	}
	return (0);
}

/*
 * Why d goes: "expired", "run gone", or NULL when it stays. An expiry
 * that does not parse was not written by us; a run this host cannot
 * judge is alive as far as gc knows.
 */
static const char *
gc_reason(const struct database *d, long long now)
{
	long long	exp;

	if ((exp = docker_parse_time(d->expires)) != 0 && exp <= now)
		return ("expired");
	if (*d->run != '\0' && run_mark_alive(d->run) == 0)
		return ("run gone");
	return (NULL);
}

/* One already gone (another gc, a destroy) is not a failure. */
static int
gc_report(int rc, struct docker_result *res, const char *what)
{
	int	code = EXIT_OK;

	if (rc != 0 && res->err != DERR_NO_SUCH)
		code = docker_report(res, what);
	docker_result_release(res);
	return (code);
}

/* Keep only the selected ones without a volume, in sel and in rm. */
static size_t
gc_drop_stopped(const struct database_list *l, size_t *sel, size_t nsel,
    struct strvec *rm)
{
	size_t	i, n = 0;

	strvec_clear(rm);
	for (i = 0; i < nsel; i++) {
		if (*l->v[sel[i]].volume != '\0')
			continue;
		sel[n++] = sel[i];
		strvec_push(rm, l->v[sel[i]].id);
	}
	return (n);
}

static void
gc_json(const struct database_list *l, const size_t *sel, size_t nsel,
    int dry_run, long long now, struct strbuf *out)
{
	struct json_writer	 jw = JSON_WRITER_INIT;
	const struct database	*d;
	size_t			 i;

	jw_object_begin(&jw, NULL);
	jw_bool(&jw, "dry_run", dry_run);
	jw_array_begin(&jw, "removed");
	for (i = 0; i < nsel; i++) {
		d = &l->v[sel[i]];
		jw_object_begin(&jw, NULL);
		jw_string(&jw, "name", d->name);
		jw_string(&jw, "engine", d->engine);
		jw_string(&jw, "expires", *d->expires ? d->expires : NULL);
		jw_string(&jw, "reason", gc_reason(d, now));
		jw_string(&jw, "kept_volume", *d->volume ? d->volume : NULL);
		jw_end(&jw);
	}
	jw_end(&jw);
	jw_end(&jw);
	jw_finish(&jw, out);
}

static void
gc_print(const struct database_list *l, const size_t *sel, size_t nsel,
    enum output_format format, int dry_run, long long now)
{
	struct strbuf		 out = STRBUF_INIT;
	const struct database	*d;
	size_t			 i;

	if (format == FORMAT_JSON)
		gc_json(l, sel, nsel, dry_run, now, &out);
	for (i = 0; i < nsel && format == FORMAT_TEXT && !g.quiet; i++) {
		d = &l->v[sel[i]];
		strbuf_addf(&out, "%s %s (", dry_run ? "would remove" :
		    "removed", d->name);
		if (strcmp(gc_reason(d, now), "expired") == 0) {
			strbuf_adds(&out, "expired ");
			strbuf_add_escaped(&out, d->expires);
		} else
			strbuf_adds(&out, "the run that made it is gone");
		strbuf_adds(&out, ")\n");
		if (*d->volume != '\0') {
			strbuf_adds(&out, "kept volume ");
			strbuf_add_escaped(&out, d->volume);
			strbuf_adds(&out, " (persistent: dbarena volumes rm "
			    "removes it)\n");
		}
	}
	fputs(out.buf, stdout);
	strbuf_release(&out);
}

/* The networks dbarena made for what went, when nothing else is on them. */
static void
gc_release_networks(const struct database_list *l, const size_t *sel,
    size_t nsel, enum output_format format)
{
	struct strvec	nets = STRVEC_INIT;
	size_t		i;

	for (i = 0; i < nsel; i++)
		strvec_push(&nets, l->v[sel[i]].network);
	network_release_all(&nets, g.quiet || format == FORMAT_JSON);
	strvec_clear(&nets);
}

static int
cmd_gc_exec(const struct args *opts, int argc, char **argv)
{
	struct database_list	 l;
	struct strvec		 stop = STRVEC_INIT, rm = STRVEC_INIT;
	struct docker_result	 res = DOCKER_RESULT_INIT;
	enum output_format	 format = FORMAT_TEXT;
	const struct database	*d;
	long long		 now = time(NULL);
	size_t			*sel, nsel = 0, i;
	int			 dry_run, code = EXIT_OK, rm_code = EXIT_OK;

	dry_run = args_has(opts, "dry-run");
	if (args_format(opts, &format) == -1)
		return (EXIT_USAGE);
	/* One listing for both: expiries and run marks are labels. */
	code = docker_report_listing(&res, docker_list(1, &l, &res),
	    "listing databases");
	if (code != EXIT_OK) {
		docker_result_release(&res);
		return (code);
	}
	docker_result_release(&res);
	sel = xcalloc(l.n + 1, sizeof *sel);
	for (i = 0; i < l.n; i++) {
		d = &l.v[i];
		if (gc_reason(d, now) == NULL ||
		    !gc_wanted(d->name, argc, argv))
			continue;
		sel[nsel++] = i;
		/* By ID: the name may be someone else's by the time docker
		 * looks it up; the ID is the container whose labels we read. */
		if (*d->volume != '\0')
			strvec_push(&stop, d->id);
		strvec_push(&rm, d->id);
	}
	/*
	 * Ones with a volume stop cleanly first, as destroy does; if that
	 * fails they stay, and the others still go.
	 */
	if (!dry_run && stop.n > 0) {
		if ((code = gc_report(docker_stop(&stop, -1, &res), &res,
		    "stopping expired databases")) != EXIT_OK) {
			nsel = gc_drop_stopped(&l, sel, nsel, &rm);
			hint_msg("kept the expired databases with a volume; "
			    "see: dbarena destroy");
		}
	}
	/* Anonymous volumes go too, never a named one. */
	if (!dry_run && rm.n > 0)
		rm_code = gc_report(docker_rm(&rm, NULL, &res), &res,
		    "removing expired databases");
	if (rm_code != EXIT_OK)
		code = rm_code;
	else
		gc_print(&l, sel, nsel, format, dry_run, now);
	if (!dry_run && rm_code == EXIT_OK)
		gc_release_networks(&l, sel, nsel, format);
	for (i = 0; !dry_run && rm_code == EXIT_OK && i < nsel; i++)
		optfile_remove(&l.v[sel[i]]);
	if (rm_code == EXIT_OK && !g.quiet && format != FORMAT_JSON)
		fprintf(stderr, "dbarena: %s %zu expired or abandoned "
		    "database%s\n",
		    dry_run ? "would remove" : "removed", nsel,
		    nsel == 1 ? "" : "s");
	strvec_clear(&stop);
	strvec_clear(&rm);
	free(sel);
	database_list_free(&l);
	return (code);
}

static const struct cmd_option gc_options[] = {
	{ "dry-run", 0, NULL, "say what would be removed, remove nothing" },
	{ "format", 0, "table|json", "print lines (the default) or JSON" },
	{ NULL, 0, NULL, NULL }
};

/* Destructive: no short alias, no prefix. */
const struct cmd_entry cmd_gc_entry = {
	"gc", NULL, "[--dry-run] [--format table|json] [PREFIX...]",
	"Remove databases whose --ttl has expired or whose run is gone.",
	gc_options, NULL, cmd_gc_exec, CMD_NO_PREFIX
};
