/*
 * images build: a local image whose data directory was initialised at
 * build time, so that create skips the server's first-start setup (initdb
 * and friends) and only copies a seed into its tmpfs. The Dockerfile is
 * rendered from the engine's template in templates/ and built with the
 * docker CLI: BuildKit where present, the classic builder otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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

#define BUILD_TIMEOUT_MS	(20 * 60 * 1000)

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

static int
write_file(const char *path, const char *text, mode_t mode)
{
	size_t	len = strlen(text);
	int	fd, ok;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    mode)) == -1)
		return (-1);
	ok = write(fd, text, len) == (ssize_t)len;
	return (close(fd) == 0 && ok ? 0 : -1);
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

/* The base image's entrypoint, as JSON, pulling the image if missing. */
static int
base_entrypoint(const char *image, struct strvec *ep)
{
	struct strvec		 args = STRVEC_INIT;
	struct strbuf		 out = STRBUF_INIT, err = STRBUF_INIT;
	enum docker_error	 derr;
	int			 rc, code = EXIT_OK, tries;

	for (tries = 0; tries < 2; tries++) {
		strvec_clear(&args);
		strvec_push(&args, "image");
		strvec_push(&args, "inspect");
		strvec_push(&args, "--format");
		/* One word a line: no JSON parser needed. */
		strvec_push(&args, "{{range .Config.Entrypoint}}{{println .}}"
		    "{{end}}");
		strvec_push(&args, image);
		strbuf_reset(&out);
		strbuf_reset(&err);
		rc = docker_run(&args, NULL, &out, &err, DOCKER_TIMEOUT_MS,
		    &derr);
		if (rc == 0)
			break;
		if (tries == 0 && (derr == DERR_IMAGE || derr == DERR_NO_SUCH ||
		    derr == DERR_OTHER)) {
			strvec_clear(&args);
			strvec_push(&args, "pull");
			strvec_push(&args, "--quiet");
			strvec_push(&args, image);
			if (!g.quiet)
				fprintf(stderr, "dbarena: pulling %s\n", image);
			strbuf_reset(&err);
			if (docker_run(&args, NULL, NULL, &err,
			    BUILD_TIMEOUT_MS, &derr) == 0)
				continue;
			if (derr == DERR_OTHER)
				derr = DERR_IMAGE;
		}
		code = docker_report(derr, "reading the base image", err.buf);
		break;
	}
	if (code == EXIT_OK) {
		char	*p = out.buf, *nl;

		while ((nl = strchr(p, '\n')) != NULL) {
			*nl = '\0';
			if (*p != '\0')
				strvec_push(ep, p);
			p = nl + 1;
		}
	}
	strvec_clear(&args);
	strbuf_release(&out);
	strbuf_release(&err);
	return (code);
}

static int
build(const char *dir, const char *tag, const struct plan *pl)
{
	struct child	 c = CHILD_INIT;
	struct strbuf	 out = STRBUF_INIT;
	size_t		 i;
	int		 rc, attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		child_clear(&c);
		memset(&c, 0, sizeof c);
		c.pid = -1;
		c.out_fd = c.err_fd = -1;
		docker_argv(&c.argv);
		strvec_push(&c.argv, "build");
		strvec_push(&c.argv, "--tag");
		strvec_push(&c.argv, tag);
		/* Secrets reach the build by name, from our environment. */
		for (i = 0; i < pl->secret_env.n; i++) {
			strvec_push(&c.argv, "--build-arg");
			strvec_push(&c.argv, pl->secret_env.v[i]);
			*strchr(c.argv.v[c.argv.n - 1], '=') = '\0';
		}
		strvec_push(&c.argv, "--label");
		strvec_push(&c.argv, "dbarena.managed=true");
		strvec_push(&c.argv, dir);
		strvec_pushvec(&c.env, &pl->secret_env);
		/* Without buildx, newer CLIs refuse: use the classic one. */
		if (attempt == 1)
			strvec_push(&c.env, "DOCKER_BUILDKIT=0");
		c.err_to_out = 1;
		c.timeout_ms = BUILD_TIMEOUT_MS;
		strbuf_reset(&out);
		rc = child_capture(&c, &out, NULL);
		if (rc == 0)
			break;
		if (strstr(out.buf, "buildx") == NULL &&
		    strstr(out.buf, "BuildKit") == NULL)
			break;
	}
	if (rc != 0) {
		const char	*tail = out.buf + (out.len > 2000 ?
		    out.len - 2000 : 0);

		error_msg("building %s failed:", tag);
		fprintf(stderr, "%s\n", tail);
		rc = rc == -1 ? docker_report(docker_classify(-1, ""),
		    "building", NULL) : EXIT_FAIL;
	}
	child_clear(&c);
	strbuf_release(&out);
	return (rc);
}

static int
images_build(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, 'r' },
		{ "registry", required_argument, NULL, 'R' },
		{ "tag", required_argument, NULL, 'T' },
		{ "version", required_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
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
	char			 dir[] = "/tmp/dbarena-build.XXXXXX";
	size_t			 i, at;
	int			 ch, code = EXIT_OK, have_dir = 0;

	memset(&o, 0, sizeof o);
	o.registry = getenv("DBARENA_REGISTRY");
	optind = 0;
	while ((ch = getopt_long(argc, argv, "v:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			profile = optarg;
			break;
		case 'R':
			o.registry = optarg;
			break;
		case 'T':
			tag = optarg;
			break;
		case 'v':
			o.version = optarg;
			break;
		default:
			return (cmd_usage_error(&cmd_images_entry, NULL));
		}
	}
	if (argc - optind != 1)
		return (cmd_usage_error(&cmd_images_entry,
		    "images build takes one engine"));
	if (engine_load(argv[optind], &e, &msg) == -1) {
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
	if ((code = base_entrypoint(pl.image, &ep)) != EXIT_OK)
		goto out;
	/* The server flags are what follows the image in the run argv. */
	for (at = 0; at < pl.run_argv.n; at++)
		if (strcmp(pl.run_argv.v[at], pl.image) == 0)
			break;
	for (i = at + 2; i < pl.run_argv.n; i++)
		strvec_push(&flags, pl.run_argv.v[i]);
	strvec_join_quoted(&flags, &fl);
	strvec_join_quoted(&ep, &sh);
	strbuf_adds(&js, "[\"/usr/local/bin/dbarena-seed\"");
	for (i = 0; i < ep.n; i++) {
		strbuf_addch(&js, ',');
		strbuf_add_json_string(&js, ep.v[i]);
	}
	strbuf_addch(&js, ']');
	values[0] = pl.image;
	values[1] = sh.buf;
	values[2] = js.buf;
	values[3] = fl.buf;
	values[4] = engine_get(&e, E_DATA_DIR, engine_find_version(&e,
	    pl.version));
	values[5] = pl.user;
	values[6] = pl.database;
	values[7] = e.name;
	values[8] = pl.version;
	values[9] = pr.name;
	if (render_text(tmpl, names, values, 10, &df, &msg) == -1) {
		error_msg("templates/%s: %s", file, msg);
		free(msg);
		code = EXIT_CONFIG;
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
		    pl.version, pr.name);
	if (!g.quiet)
		fprintf(stderr, "dbarena: building %s from %s\n", tag,
		    pl.image);
	if ((code = build(dir, tag, &pl)) == EXIT_OK) {
		printf("%s\n", tag);
		if (!g.quiet)
			fprintf(stderr, "dbarena: use it with: dbarena create "
			    "%s --profile %s --image %s\n", e.name, pr.name,
			    tag);
	}
out:
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
	plan_free(&pl);
	profile_free(&pr);
	engine_free(&e);
	return (code);
}

static int
cmd_images_exec(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "build") == 0)
		return (images_build(argc - 1, argv + 1));
	return (cmd_usage_error(&cmd_images_entry, argc < 2 ?
	    "images needs a subcommand" : "unknown images command: %s",
	    argc < 2 ? "" : argv[1]));
}

const struct cmd_entry cmd_images_entry = {
	"images", NULL,
	"build [--profile P] [--version V] [--registry HOST] [--tag REF] "
	"ENGINE",
	"Build an image whose database is initialised ahead of time.",
	cmd_images_exec, 0
};
