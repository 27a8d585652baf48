/*
 * images: the images the engine files name. pull fetches them, several
 * at once; list shows which are cached and their size; prune removes the
 * cached ones no container uses. build makes a local image whose data
 * directory was initialised at build time, so that create skips the
 * server's first-start setup (initdb and friends) and only copies a seed
 * into its tmpfs: the Dockerfile is rendered from the engine's template
 * in templates/ and built with the docker CLI, BuildKit where present,
 * the classic builder otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "dbarena.h"
#include "docker.h"
#include "render.h"
#include "rows.h"

#define BUILD_TIMEOUT_MS	(20 * 60 * 1000)
#define PULL_PARALLEL		4	/* docker pulls at once */

/* One image an engine file names, with the registry mirror applied. */
struct known {
	char	*engine;
	char	*version;
	char	*image;
};

struct known_list {
	struct known	*v;
	size_t		 n;
};

static char *
read_all(const char *path)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		 buf[4096];
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (NULL);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		strbuf_add(&sb, buf, n);
	close(fd);
	return (strbuf_detach(&sb));
}

/* Write all of text, or fail with errno saying why. */
static int
write_file(const char *path, const char *text, mode_t mode)
{
	size_t	len = strlen(text);
	ssize_t	n;
	int	fd, saved;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    mode)) == -1)
		return (-1);
	while (len > 0) {
		if ((n = write(fd, text, len)) == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			saved = n == 0 ? EIO : errno;
			close(fd);
			errno = saved;
			return (-1);
		}
		text += n;
		len -= n;
	}
	return (close(fd));
}

/* A template from the search path: the user's, the system's, ours. */
static char *
find_template(const char *file)
{
	struct strvec	 dirs = STRVEC_INIT;
	char		*path, *text = NULL;
	size_t		 i;

	config_search_dirs("templates", &dirs);
	for (i = 0; i < dirs.n && text == NULL; i++) {
		path = xasprintf("%s/%s", dirs.v[i], file);
		text = read_all(path);
		free(path);
	}
	strvec_clear(&dirs);
	return (text);
}

/* The base image's entrypoint, one word each, pulling the image if missing. */
static int
base_entrypoint(const char *image, struct strvec *ep)
{
	struct docker_result	 res = DOCKER_RESULT_INIT;
	int			 code = EXIT_OK, tries;

	for (tries = 0;; tries++) {
		if (docker_entrypoint(image, ep, &res) == 0)
			break;
		if (tries == 0 && !interrupted() && (res.err == DERR_IMAGE ||
		    res.err == DERR_NO_SUCH || res.err == DERR_OTHER)) {
			if (!g.quiet)
				fprintf(stderr, "dbarena: pulling %s\n", image);
			if (docker_pull(image, &res) == 0)
				continue;
		}
		if ((code = interrupted()) == 0)
			code = docker_report(&res, "reading the base image");
		break;
	}
	docker_result_release(&res);
	return (code);
}

static int
build(const char *dir, const char *tag, const struct plan *pl)
{
	struct docker_result	 res = DOCKER_RESULT_INIT;
	const char		*tail;
	int			 rc;

	rc = docker_build(dir, tag, &pl->secret_env, BUILD_TIMEOUT_MS, &res);
	if (rc != 0 && interrupted())
		rc = interrupted();
	else if (rc != 0) {
		tail = res.msg.buf + (res.msg.len > 2000 ?
		    res.msg.len - 2000 : 0);
		error_msg("building %s failed:", tag);
		fprintf(stderr, "%s\n", tail);
		rc = res.err == DERR_MISSING || res.err == DERR_EXEC ?
		    docker_report_error(res.err, "building", NULL) : EXIT_FAIL;
	}
	docker_result_release(&res);
	return (rc);
}

static int
images_build(const struct args *args, int argc, char **argv)
{
	static const char *const names[] = {
		"base", "entrypoint_sh", "entrypoint_json", "flags",
		"data_dir", "user", "database", "engine", "version", "profile"
	};
	struct create_opts	 o;
	struct engine		 e;
	struct profile		 pr;
	struct plan		 pl;
	struct strvec		 ep = STRVEC_INIT, flags = STRVEC_INIT;
	struct strbuf		 df = STRBUF_INIT, sh = STRBUF_INIT;
	struct strbuf		 js = STRBUF_INIT, fl = STRBUF_INIT;
	const char		*values[10], *profile = "fast", *tag = NULL;
	char			*msg = NULL, *tmpl = NULL, *seed = NULL;
	char			*file = NULL, *deftag = NULL, *path;
	char			*dir = NULL;
	const char		*tmp;
	size_t			 i;
	int			 code = EXIT_OK, have_dir = 0;

	memset(&o, 0, sizeof o);
	if ((o.registry = args_get(args, "registry")) == NULL)
		o.registry = getenv("DBARENA_REGISTRY");
	if (args_get(args, "profile") != NULL)
		profile = args_get(args, "profile");
	tag = args_get(args, "tag");
	o.version = args_get(args, "version");
	if (argc != 1)
		return (cmd_usage_error(&cmd_images_entry,
		    "images build takes one engine"));
	/* Interrupted, it stops the build and removes its context. */
	signals_init();
	if (engine_load(argv[0], &e, &msg) == -1) {
		error_msg("%s", msg);
		free(msg);
		return (EXIT_CONFIG);
	}
	if (profile_load(profile, &pr, &msg) == -1) {
		error_msg("%s", msg);
		free(msg);
		engine_free(&e);
		return (EXIT_CONFIG);
	}
	o.name = "build";
	o.created = "";
	o.port = 1;
	memset(&pl, 0, sizeof pl);
	if (render(&e, &pr, &o, &pl, &msg) == -1) {
		error_msg("%s", msg);
		free(msg);
		code = EXIT_CONFIG;
		goto out;
	}
	file = xasprintf("%s.Dockerfile", e.name);
	if ((tmpl = find_template(file)) == NULL ||
	    (seed = find_template("dbarena-seed.sh")) == NULL) {
		error_msg("no image template for %s (templates/%s)", e.name,
		    file);
		code = EXIT_CONFIG;
		goto out;
	}
	if ((code = base_entrypoint(pl.db.image, &ep)) != EXIT_OK)
		goto out;
	/* The server flags are the command's words after the program. */
	for (i = 1; i < pl.run.command.n; i++)
		strvec_push(&flags, pl.run.command.v[i]);
	strvec_join_quoted(&flags, &fl);
	strvec_join_quoted(&ep, &sh);
	strbuf_adds(&js, "[\"/usr/local/bin/dbarena-seed\"");
	for (i = 0; i < ep.n; i++) {
		strbuf_addch(&js, ',');
		strbuf_add_json_string(&js, ep.v[i]);
	}
	strbuf_addch(&js, ']');
	values[0] = pl.db.image;
	values[1] = sh.buf;
	values[2] = js.buf;
	values[3] = fl.buf;
	values[4] = engine_get(&e, E_DATA_DIR, engine_find_version(&e,
	    pl.db.version));
	values[5] = pl.db.user;
	values[6] = pl.db.database;
	values[7] = e.name;
	values[8] = pl.db.version;
	values[9] = pr.name;
	if (render_text(tmpl, names, values, 10, &df, &msg) == -1) {
		error_msg("templates/%s: %s", file, msg);
		free(msg);
		code = EXIT_CONFIG;
		goto out;
	}
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	dir = xasprintf("%s/dbarena-build.XXXXXX", tmp);
	if (interrupted()) {
		code = interrupted();
		goto out;
	}
	if (mkdtemp(dir) == NULL) {
		error_msg("cannot make a build directory: %s",
		    strerror(errno));
		code = EXIT_FAIL;
		goto out;
	}
	have_dir = 1;
	path = xasprintf("%s/Dockerfile", dir);
	if (write_file(path, df.buf, 0644) == -1)
		code = EXIT_FAIL;
	free(path);
	path = xasprintf("%s/dbarena-seed", dir);
	if (code == EXIT_OK && write_file(path, seed, 0755) == -1)
		code = EXIT_FAIL;
	free(path);
	if (code != EXIT_OK) {
		error_msg("cannot write the build context: %s",
		    strerror(errno));
		goto out;
	}
	if (tag == NULL)
		tag = deftag = xasprintf("dbarena/%s:%s-%s", e.name,
		    pl.db.version, pr.name);
	if (!g.quiet)
		fprintf(stderr, "dbarena: building %s from %s\n", tag,
		    pl.db.image);
	if ((code = build(dir, tag, &pl)) == EXIT_OK) {
		printf("%s\n", tag);
		if (!g.quiet)
			fprintf(stderr, "dbarena: use it with: dbarena create "
			    "%s --profile %s --image %s\n", e.name, pr.name,
			    tag);
	}
out:
	if (code != EXIT_OK && code == interrupted())
		error_msg("interrupted: nothing built");
	if (have_dir) {
		path = xasprintf("%s/Dockerfile", dir);
		unlink(path);
		free(path);
		path = xasprintf("%s/dbarena-seed", dir);
		unlink(path);
		free(path);
		rmdir(dir);
	}
	strvec_clear(&ep);
	strvec_clear(&flags);
	strbuf_release(&df);
	strbuf_release(&sh);
	strbuf_release(&js);
	strbuf_release(&fl);
	free(tmpl);
	free(seed);
	free(file);
	free(deftag);
	free(dir);
	plan_free(&pl);
	profile_free(&pr);
	engine_free(&e);
	return (code);
}

static void
known_add(struct known_list *kl, const struct engine *e,
    const struct engine_version *v, const char *registry)
{
	struct known	*k;

	kl->v = xreallocarray(kl->v, kl->n + 1, sizeof *kl->v);
	k = &kl->v[kl->n++];
	k->engine = xstrdup(e->name);
	k->version = xstrdup(v->version);
	k->image = render_image(e->set[E_IMAGE].value, v->tag.value,
	    registry);
}

static void
known_free(struct known_list *kl)
{
	size_t	i;

	for (i = 0; i < kl->n; i++) {
		free(kl->v[i].engine);
		free(kl->v[i].version);
		free(kl->v[i].image);
	}
	free(kl->v);
	memset(kl, 0, sizeof *kl);
}

/*
 * The mirror, as create picks it: --registry, then DBARENA_REGISTRY, then
 * the profile's [image] registry. *reg is NULL for none; *own, if set,
 * is for the caller to free.
 */
static int
pick_registry(const char *opt, const char *profile, const char **reg,
    char **own)
{
	struct profile	 pr;
	char		*msg;

	*own = NULL;
	if ((*reg = opt) != NULL || (*reg = getenv("DBARENA_REGISTRY")) != NULL)
		return (EXIT_OK);
	if (profile_load(profile, &pr, &msg) == -1) {
		error_msg("%s", msg);
		free(msg);
		return (EXIT_CONFIG);
	}
	if (pr.set[P_REGISTRY].value != NULL)
		*reg = *own = xstrdup(pr.set[P_REGISTRY].value);
	profile_free(&pr);
	return (EXIT_OK);
}

/*
 * The images of the engines named (none: every engine on the search
 * path): every version with all set, else the one asked for or the
 * default. The references are the renderer's, mirror included.
 */
static int
known_images(int argc, char **argv, int all, const char *version,
    const char *registry, struct known_list *kl)
{
	struct strvec			 names = STRVEC_INIT;
	struct strvec			 paths = STRVEC_INIT;
	struct engine			 e;
	const struct engine_version	*v;
	const char			*want;
	char				*msg;
	size_t				 i, j;
	int				 code = EXIT_OK;

	memset(kl, 0, sizeof *kl);
	if (argc == 0)
		config_list("engines", &names, &paths);
	for (i = 0; i < (size_t)argc; i++)
		strvec_push(&paths, argv[i]);
	for (i = 0; i < paths.n && code == EXIT_OK; i++) {
		if (engine_load(paths.v[i], &e, &msg) == -1) {
			error_msg("%s", msg);
			free(msg);
			code = EXIT_CONFIG;
			break;
		}
		want = version != NULL ? version :
		    e.set[E_DEFAULT_VERSION].value;
		if (all) {
			for (j = 0; j < e.nversions; j++)
				known_add(kl, &e, &e.versions[j], registry);
		} else if ((v = engine_find_version(&e, want)) != NULL)
			known_add(kl, &e, v, registry);
		else {
			error_msg("unknown version '%s' of %s", want, e.name);
			hint_msg("see: dbarena engines");
			code = EXIT_CONFIG;
		}
		engine_free(&e);
	}
	strvec_clear(&names);
	strvec_clear(&paths);
	if (code != EXIT_OK)
		known_free(kl);
	return (code);
}

/* Sizes as docker prints them: decimal units, three digits. */
static void
human_size(unsigned long long bytes, char *buf, size_t len)
{
	static const char *const	 units[] = { "B", "kB", "MB", "GB",
	    "TB" };
	double				 v = (double)bytes;
	int				 i = 0;

	while (v >= 999.5 && i < 4) {
		v /= 1000;
		i++;
	}
	snprintf(buf, len, "%.3g%s", v, units[i]);
}

/* The options pull, list and prune share; each accepts a subset. */
struct images_opts {
	enum output_format	 format;
	const char		*profile;
	const char		*registry;
	const char		*version;
	int			 all;
	int			 dry_run;
	int			 yes;
};

/*
 * The options into o (those a subcommand does not declare read as not
 * given), and the engine operands into image references. pull takes
 * --all and only the versions asked for; returns an exit code.
 */
static int
images_args(const struct args *args, int argc, char **argv, int pull,
    struct images_opts *o, struct known_list *kl)
{
	const char	*reg;
	char		*own;
	int		 code;

	memset(o, 0, sizeof *o);
	memset(kl, 0, sizeof *kl);
	if ((o->profile = args_get(args, "profile")) == NULL)
		o->profile = "fast";
	o->registry = args_get(args, "registry");
	o->version = args_get(args, "version");
	o->all = args_has(args, "all");
	o->dry_run = args_has(args, "dry-run");
	o->yes = args_has(args, "yes");
	if (args_format(args, &o->format) == -1)
		return (EXIT_USAGE);
	if (argc == 0 && pull && !o->all)
		return (cmd_usage_error(&cmd_images_entry,
		    "images pull needs an engine, or --all"));
	if (argc > 0 && o->all)
		return (cmd_usage_error(&cmd_images_entry,
		    "images pull takes engines or --all, not both"));
	if ((code = pick_registry(o->registry, o->profile, &reg, &own)) !=
	    EXIT_OK)
		return (code);
	code = known_images(argc, argv, !pull, o->version, reg, kl);
	free(own);
	return (code);
}

struct pull {
	const struct known	*k;
	struct child		 c;
	struct docker_result	 res;	/* stderr in res.msg */
	long long		 start;
	long long		 ms;
	int			 reported;
	int			 state;
#define PULL_WAITING	0
#define PULL_RUNNING	1
#define PULL_DONE	2
#define PULL_FAILED	3
};

/* The live line on a terminal; cleared before anything else is printed. */
static void
pull_status(const struct pull *p, size_t n, long long start, int clear)
{
	size_t	i, counts[4] = { 0, 0, 0, 0 };

	fputs("\r\033[K", stderr);
	if (!clear) {
		for (i = 0; i < n; i++)
			counts[p[i].state]++;
		fprintf(stderr, "dbarena: pulling %zu image%s: %zu done, "
		    "%zu failed, %zu running (%.1f s)", n, n == 1 ? "" : "s",
		    counts[PULL_DONE], counts[PULL_FAILED],
		    counts[PULL_RUNNING], (now_ms() - start) / 1000.0);
	}
	fflush(stderr);
}

static void
pull_start(struct pull *p)
{
	p->c = (struct child)CHILD_INIT;
	p->start = now_ms();
	p->state = PULL_RUNNING;
	if (docker_pull_start(&p->c, p->k->image, 0, &p->res) == -1) {
		p->state = PULL_FAILED;
		p->ms = 0;
	}
}

/* A pull whose pipes are closed (or whose time is up): reap it. */
static void
pull_end(struct pull *p)
{
	int	rc;

	rc = child_finish(&p->c);
	p->ms = now_ms() - p->start;
	p->state = rc == 0 ? PULL_DONE : PULL_FAILED;
	docker_pull_finish(&p->c, rc, &p->res);
}

/* Say how one pull went, as soon as it has; returns its exit code. */
static int
pull_report(const struct pull *p, enum output_format f, int *docker_said)
{
	char	*what;
	int	 code;

	if (p->state == PULL_DONE) {
		if (f == FORMAT_TEXT && !g.quiet) {
			printf("pulled %s in %.1f s\n", p->k->image,
			    p->ms / 1000.0);
			fflush(stdout);
		}
		return (EXIT_OK);
	}
	/* Docker itself unusable: say so once, not once per image. */
	if (p->res.err == DERR_MISSING || p->res.err == DERR_DAEMON ||
	    p->res.err == DERR_SSH ||
	    p->res.err == DERR_PERMISSION) {
		if ((*docker_said)++)
			return (EXIT_DOCKER);
	}
	what = xasprintf("pulling %s", p->k->image);
	code = docker_report(&p->res, what);
	free(what);
	return (code);
}

/* Wait for output from the running pulls; returns when one has ended. */
static void
pull_wait(struct pull *p, size_t n, int tty)
{
	struct child	*c[PULL_PARALLEL];
	struct strbuf	*out[PULL_PARALLEL], *err[PULL_PARALLEL];
	size_t		 i, nc = 0;
	int		 ended = 0;

	for (i = 0; i < n; i++) {
		if (p[i].state != PULL_RUNNING)
			continue;
		if (child_done(&p[i].c)) {
			pull_end(&p[i]);
			ended = 1;
		} else if (nc < PULL_PARALLEL) {
			c[nc] = &p[i].c;
			out[nc] = NULL;		/* --quiet: only the image ID */
			err[nc++] = &p[i].res.msg;
		}
	}
	if (!ended && nc > 0)
		child_poll(c, out, err, nc, tty ? 100 : 1000);
}

static void
pull_json(struct strbuf *out, const struct pull *p, size_t n, long long ms)
{
	struct json_writer	jw = JSON_WRITER_INIT;
	struct strbuf		why = STRBUF_INIT;
	size_t			i, ok = 0;

	for (i = 0; i < n; i++)
		ok += p[i].state == PULL_DONE;
	jw_object_begin(&jw, NULL);
	jw_int(&jw, "pulled", (long long)ok);
	jw_int(&jw, "failed", (long long)(n - ok));
	jw_double(&jw, "seconds", 1, ms / 1000.0);
	jw_array_begin(&jw, "images");
	for (i = 0; i < n; i++) {
		jw_object_begin(&jw, NULL);
		jw_string(&jw, "engine", p[i].k->engine);
		jw_string(&jw, "version", p[i].k->version);
		jw_string(&jw, "image", p[i].k->image);
		jw_string(&jw, "status", p[i].state == PULL_DONE ? "pulled" :
		    "failed");
		jw_int(&jw, "ms", p[i].ms);
		strbuf_reset(&why);
		docker_error_line(p[i].res.msg.buf, &why);
		jw_string(&jw, "error", p[i].state == PULL_DONE ? NULL :
		    why.buf);
		jw_end(&jw);
	}
	jw_end(&jw);
	jw_end(&jw);
	jw_finish(&jw, out);
	strbuf_release(&why);
}

static int
images_pull(const struct args *args, int argc, char **argv)
{
	struct images_opts	 o;
	struct known_list	 kl;
	struct pull		*p;
	struct strbuf		 out = STRBUF_INIT;
	enum output_format	 f;
	size_t			 i, running, ok = 0;
	long long		 start;
	int			 code, rc, tty, docker_said = 0;

	if ((code = images_args(args, argc, argv, 1, &o, &kl)) != EXIT_OK)
		return (code);
	f = o.format;
	p = xcalloc(kl.n, sizeof *p);
	for (i = 0; i < kl.n; i++) {
		p[i].k = &kl.v[i];
		p[i].res = (struct docker_result)DOCKER_RESULT_INIT;
		p[i].state = PULL_WAITING;
	}
	tty = g.tty && !g.quiet && f == FORMAT_TEXT;
	signals_init();
	start = now_ms();
	for (;;) {
		running = 0;
		for (i = 0; i < kl.n; i++)
			running += p[i].state == PULL_RUNNING;
		for (i = 0; i < kl.n && running < PULL_PARALLEL &&
		    !interrupted(); i++) {
			if (p[i].state != PULL_WAITING)
				continue;
			pull_start(&p[i]);
			running += p[i].state == PULL_RUNNING;
		}
		if (running > 0 && !interrupted())
			pull_wait(p, kl.n, tty);
		for (i = 0; i < kl.n; i++) {
			if (p[i].state < PULL_DONE || p[i].reported)
				continue;
			if (tty)
				pull_status(p, kl.n, start, 1);
			rc = pull_report(&p[i], f, &docker_said);
			if (code == EXIT_OK)
				code = rc;
			p[i].reported = 1;
		}
		if (running == 0 || interrupted())
			break;
		if (tty)
			pull_status(p, kl.n, start, 0);
	}
	if (tty)
		pull_status(p, kl.n, start, 1);
	if (interrupted())
		error_msg("interrupted: pulls still running stopped");
	for (i = 0; i < kl.n; i++) {
		if (p[i].state == PULL_RUNNING) {
			child_clear(&p[i].c);
			p[i].state = PULL_FAILED;
		}
		ok += p[i].state == PULL_DONE;
	}
	if (f == FORMAT_JSON)
		pull_json(&out, p, kl.n, now_ms() - start);
	else if (!g.quiet && kl.n > 1)
		strbuf_addf(&out, "pulled %zu of %zu images in %.1f s\n", ok,
		    kl.n, (now_ms() - start) / 1000.0);
	fputs(out.buf, stdout);
	for (i = 0; i < kl.n; i++)
		docker_result_release(&p[i].res);
	free(p);
	strbuf_release(&out);
	known_free(&kl);
	return (interrupted() ? interrupted() : code);
}

/* Whether a seeded image (label engine/version/profile) is of an engine. */
static int
seeded_wanted(const char *seeded, int argc, char **argv)
{
	size_t	len = strcspn(seeded, "/");
	int	i;

	if (seeded[len] != '/')
		return (0);	/* not made by images build */
	if (argc == 0)
		return (1);
	for (i = 0; i < argc; i++) {
		if (strlen(argv[i]) == len && strncmp(argv[i], seeded,
		    len) == 0)
			return (1);
	}
	return (0);
}

static const struct column list_columns[] = {
	{ "ENGINE", 12, "engine", 0 },
	{ "VERSION", 8, "version", 0 },
	{ "IMAGE", 52, "image", COL_NAME },
	{ NULL, 0, "kind", 0 },
	{ "CACHED", 6, "cached", 0 },
	{ NULL, 0, "id", 0 },
	{ "SIZE", 0, NULL, 0 },
	{ NULL, 0, "size", 0 },
};

/* A built image's label and tag are anyone's: escaped like the rest. */
static void
list_row(struct rows *r, const char *engine, const char *version,
    const char *image, const struct imageinfo *im, const char *kind)
{
	char	size[32];

	if (im != NULL)
		human_size(im->size, size, sizeof size);
	rows_str(r, engine);
	rows_str(r, version);
	rows_str(r, image);
	rows_str(r, kind);
	rows_bool(r, im != NULL);
	rows_str(r, im != NULL ? im->id : NULL);
	rows_str(r, im != NULL ? size : NULL);
	if (im != NULL)
		rows_int(r, (long long)im->size);
	else
		rows_str(r, NULL);
}

static int
images_list(const struct args *args, int argc, char **argv)
{
	struct images_opts	 o;
	struct known_list	 kl;
	struct image_list	 il;
	struct docker_result	 res = DOCKER_RESULT_INIT;
	struct rows		 r;
	enum output_format	 f;
	const struct imageinfo	*im;
	char			*ref, *version;
	size_t			 i;
	int			 code;

	memset(&il, 0, sizeof il);
	rows_init(&r, list_columns, sizeof list_columns /
	    sizeof list_columns[0]);
	if ((code = images_args(args, argc, argv, 0, &o, &kl)) != EXIT_OK)
		goto out;
	f = args_has(args, "quiet") ? FORMAT_NAMES : o.format;
	code = docker_report_listing(&res, docker_images(&il, &res),
	    "listing images");
	if (code != EXIT_OK)
		goto out;
	for (i = 0; i < kl.n; i++) {
		im = docker_find_image(&il, kl.v[i].image);
		list_row(&r, kl.v[i].engine, kl.v[i].version,
		    kl.v[i].image, im, "stock");
	}
	/* Then what images build made: "engine/version/profile" labels. */
	for (i = 0; i < il.n; i++) {
		im = &il.v[i];
		if (!seeded_wanted(im->seeded, argc, argv) ||
		    strcmp(im->repository, "<none>") == 0)
			continue;
		/* VERSION is "version/profile" for these. */
		ref = xasprintf("%s:%s", im->repository, im->tag);
		version = xstrdup(im->seeded);
		*strchr(version, '/') = '\0';
		list_row(&r, version, version + strlen(version) + 1,
		    ref, im, "built");
		free(version);
		free(ref);
	}
	rows_print(&r, f);
out:
	rows_release(&r);
	image_list_free(&il);
	known_free(&kl);
	docker_result_release(&res);
	return (code);
}

/* One cached image prune looked at, for --format json. */
static void
prune_json(struct json_writer *jw, const struct known *k,
    const struct imageinfo *im, int busy, int removed)
{
	jw_object_begin(jw, NULL);
	jw_string(jw, "engine", k->engine);
	jw_string(jw, "version", k->version);
	jw_string(jw, "image", k->image);
	jw_string(jw, "id", im->id);
	jw_int(jw, "size", (long long)im->size);
	jw_bool(jw, "in_use", busy);
	jw_bool(jw, "removed", removed);
	jw_end(jw);
}

static int
images_prune(const struct args *args, int argc, char **argv)
{
	struct images_opts	 o;
	struct known_list	 kl;
	struct image_list	 il;
	struct strvec		 used = STRVEC_INIT, go = STRVEC_INIT;
	struct strvec		 gone = STRVEC_INIT;
	struct strbuf		 out = STRBUF_INIT;
	struct docker_result	 res = DOCKER_RESULT_INIT;
	struct json_writer	 jw = JSON_WRITER_INIT;
	enum output_format	 f;
	const struct imageinfo	*im;
	char			*q, size[32];
	size_t			 i, j;
	int			 code, dry, yes, busy, removed;

	memset(&il, 0, sizeof il);
	if ((code = images_args(args, argc, argv, 0, &o, &kl)) != EXIT_OK)
		goto out;
	f = o.format;
	dry = o.dry_run;
	yes = o.yes;
	code = docker_report_listing(&res, docker_images(&il, &res),
	    "listing images");
	if (code != EXIT_OK)
		goto out;
	if (docker_container_images(&used, &res) != 0) {
		code = docker_report(&res, "listing containers");
		goto out;
	}
	for (i = 0; i < kl.n; i++) {
		if ((im = docker_find_image(&il, kl.v[i].image)) != NULL &&
		    !docker_image_in_use(&il, im->id, &used))
			strvec_push(&go, kl.v[i].image);
	}
	if (go.n > 0 && !dry && !yes) {
		q = xasprintf("remove %zu cached image%s no container uses?",
		    go.n, go.n == 1 ? "" : "s");
		if (!confirm(q)) {
			free(q);
			error_msg("not confirmed: nothing removed");
			hint_msg("add --yes to remove without asking, or "
			    "--dry-run to see what would go");
			code = EXIT_REFUSED;
			goto out;
		}
		free(q);
	}
	if (go.n > 0 && !dry && docker_remove_images(&go, &gone, &res) != 0) {
		code = docker_report(&res, "removing images");
		if (res.err == DERR_IN_USE)
			hint_msg("a container started using it meanwhile");
	}
	if (f == FORMAT_JSON)
		jw_array_begin(&jw, NULL);
	for (i = 0; i < kl.n; i++) {
		if ((im = docker_find_image(&il, kl.v[i].image)) == NULL)
			continue;
		busy = docker_image_in_use(&il, im->id, &used);
		removed = 0;
		for (j = 0; j < gone.n; j++)
			removed |= strcmp(gone.v[j], kl.v[i].image) == 0;
		human_size(im->size, size, sizeof size);
		if (f == FORMAT_JSON)
			prune_json(&jw, &kl.v[i], im, busy, removed);
		else if (g.quiet)
			continue;
		else if (busy)
			strbuf_addf(&out, "kept %s: in use\n", kl.v[i].image);
		else if (dry)
			strbuf_addf(&out, "would remove %s (%s)\n",
			    kl.v[i].image, size);
		else if (removed)
			strbuf_addf(&out, "removed %s (%s)\n", kl.v[i].image,
			    size);
	}
	if (f == FORMAT_JSON) {
		jw_end(&jw);
		jw_finish(&jw, &out);
	} else if (go.n == 0 && !g.quiet)
		strbuf_adds(&out, "nothing to prune\n");
	fputs(out.buf, stdout);
out:
	image_list_free(&il);
	known_free(&kl);
	strvec_clear(&used);
	strvec_clear(&go);
	strvec_clear(&gone);
	strbuf_release(&out);
	docker_result_release(&res);
	jw_release(&jw);
	return (code);
}

static const struct cmd_option list_options[] = {
	{ "format", 0, "table|json", "print a table (the default) or JSON" },
	{ "profile", 0, "P", "the profile whose registry to look in" },
	{ "quiet", 'q', NULL, "print only the images' names, one a line" },
	{ "registry", 0, "HOST", "the registry mirror to look in" },
	{ NULL, 0, NULL, NULL }
};

static const struct cmd_option pull_options[] = {
	{ "all", 0, NULL, "every engine's every version" },
	{ "format", 0, "table|json", "print a table (the default) or JSON" },
	{ "profile", 0, "P", "pull through this profile's registry" },
	{ "registry", 0, "HOST", "pull through this registry mirror" },
	{ "version", 'v', "V", "this version, not the engine's default" },
	{ NULL, 0, NULL, NULL }
};

static const struct cmd_option prune_options[] = {
	{ "dry-run", 'n', NULL, "say what would be removed, remove nothing" },
	{ "format", 0, "table|json", "print a table (the default) or JSON" },
	{ "profile", 0, "P", "the profile whose registry to look in" },
	{ "registry", 0, "HOST", "the registry mirror to look in" },
	{ "yes", 'y', NULL, "do not ask first" },
	{ NULL, 0, NULL, NULL }
};

static const struct cmd_option build_options[] = {
	{ "profile", 0, "P", "bake this profile's settings in (default fast)" },
	{ "registry", 0, "HOST", "pull the base image through this mirror" },
	{ "tag", 0, "REF", "the image's reference, instead of the default" },
	{ "version", 'v', "V", "the engine version to build on" },
	{ NULL, 0, NULL, NULL }
};

/* list, pull and prune know each other's options, to refuse them by name. */
static const struct cmd_entry images_subs[] = {
	{ "list", "ls", "[--format table|json] [--quiet] [--profile P] "
	        "[--registry HOST] [ENGINE...]",
	    "List the engines' images, pulled or not.",
	    list_options, NULL, images_list, CMD_SUB_SHARED | CMD_DEFAULT },
	{ "pull", NULL, "[--all] [--version V] [--format table|json] "
	        "[--profile P] [--registry HOST] [ENGINE...]",
	    "Pull the engines' images, in parallel.",
	    pull_options, NULL, images_pull, CMD_SUB_SHARED },
	{ "prune", NULL, "[--dry-run] [--yes] [--format table|json] "
	        "[--profile P] [--registry HOST] [ENGINE...]",
	    "Remove the engines' images no container uses.",
	    prune_options, NULL, images_prune, CMD_SUB_SHARED },
	{ "build", NULL, "[--profile P] [--version V] [--registry HOST] "
	        "[--tag REF] ENGINE",
	    "Build an image with a profile's settings and the data directory "
	        "seeded.",
	    build_options, NULL, images_build, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_images_entry = {
	"images", NULL, NULL,
	"Pull, list and prune the engines' images, or build a seeded one.",
	NULL, images_subs, NULL, CMD_SUB_IMPLIED
};
