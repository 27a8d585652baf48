/*
 * The one module that knows docker's output: its records, its error
 * messages (samples of what docker and podman really print), names.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "dbarena.h"
#include "docker.h"


/* A sample of docker's output from tests/unit/data. */
static void
read_data(const char *name, struct strbuf *sb)
{
	char	*path, buf[4096];
	size_t	 n;
	FILE	*f;

	path = xasprintf("%s/unit/data/%s", test_srcdir(), name);
	f = fopen(path, "r");
	assert_non_null(f);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		strbuf_add(sb, buf, n);
	fclose(f);
	free(path);
}

static void
load(struct database_list *l)
{
	struct strbuf	 sb = STRBUF_INIT;

	read_data("inspect.txt", &sb);
	memset(l, 0, sizeof *l);
	assert_int_equal(docker_parse_records(sb.buf, l, NULL), 0);
	strbuf_release(&sb);
}

static void
test_records(void **state)
{
	struct database_list	l;

	(void)state;
	load(&l);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].name, "dbarena-postgres-16-ab12");
	assert_string_equal(l.v[0].password, "pa=ss");
	assert_string_equal(l.v[0].host_ip, "127.0.0.1");
	assert_int_equal(l.v[0].host_port, 5433);
	assert_int_equal(l.v[0].port, 5432);
	assert_string_equal(database_status(&l.v[0]), "healthy");
	assert_string_equal(database_status(&l.v[1]), "stopped");
	assert_string_equal(l.v[1].volume, "dbarena-mariadb-11-cd34-data");
	assert_string_equal(database_status(&l.v[2]), "running");
	assert_string_equal(l.v[2].health, "starting");
	assert_string_equal(l.v[2].volume, "");
	assert_int_equal(l.v[2].host_port, 0);
	assert_string_equal(l.v[0].expires, "2026-11-23T15:00:00Z");
	assert_string_equal(l.v[0].cdc, "on");
	assert_string_equal(l.v[0].server_id, "1");
	assert_string_equal(l.v[2].expires, "");
	assert_string_equal(l.v[0].network, "appnet");
	assert_string_equal(l.v[1].network, "");
	assert_string_equal(l.v[2].network, "");	/* null */
	database_list_free(&l);
}

/* sb with the first "from" in it replaced by "to". */
static void
replace_once(struct strbuf *sb, const char *from, const char *to)
{
	struct strbuf	 out = STRBUF_INIT;
	char		*p;

	p = strstr(sb->buf, from);
	assert_non_null(p);
	strbuf_add(&out, sb->buf, p - sb->buf);
	strbuf_adds(&out, to);
	strbuf_adds(&out, p + strlen(from));
	strbuf_release(sb);
	*sb = out;
}

/* StartedAt comes back as create writes times: UTC, to the second. */
static void
test_started(void **state)
{
	struct database_list	 l;
	struct strbuf		 sb = STRBUF_INIT;

	(void)state;
	load(&l);
	assert_string_equal(l.v[0].started, "2026-11-23T14:00:00Z");
	assert_string_equal(l.v[1].started, "");	/* never started */
	assert_string_equal(l.v[2].started, "2026-11-23T14:01:00Z");
	database_list_free(&l);
	/* podman's local offset, and what is no time at all */
	read_data("inspect.txt", &sb);
	replace_once(&sb, "\"2026-11-23T14:01:00Z\"",
	    "\"2026-11-23T15:31:00.5+01:30\"");
	replace_once(&sb, "\"2026-11-23T14:00:00.123456789Z\"",
	    "\"yesterday\"");
	memset(&l, 0, sizeof l);
	assert_int_equal(docker_parse_records(sb.buf, &l, NULL), 0);
	assert_string_equal(l.v[2].started, "2026-11-23T14:01:00Z");
	assert_string_equal(l.v[0].started, "");
	database_list_free(&l);
	strbuf_release(&sb);
}

static void
test_ps_records(void **state)
{
	struct database_list	 l;
	struct strbuf		 sb = STRBUF_INIT;

	(void)state;
	read_data("ps.txt", &sb);
	memset(&l, 0, sizeof l);
	assert_int_equal(docker_parse_ps(sb.buf, &l, NULL), 0);
	assert_int_equal(l.n, 5);
	assert_string_equal(database_status(&l.v[0]), "healthy");
	assert_string_equal(l.v[0].uptime, "5 minutes");
	assert_int_equal(l.v[0].host_port, 5433);
	assert_string_equal(l.v[0].host_ip, "127.0.0.1");
	assert_string_equal(l.v[0].run, "0b5e.4026531836.4242.99");
	assert_string_equal(l.v[1].run, "");
	assert_string_equal(database_status(&l.v[1]), "stopped");
	assert_string_equal(l.v[1].uptime, "");
	assert_string_equal(l.v[1].volume, "dbarena-mariadb-11-cd34-data");
	assert_string_equal(database_status(&l.v[2]), "stopped");
	assert_int_equal(l.v[2].host_port, 0);
	assert_string_equal(l.v[0].expires, "2026-11-23T15:00:00Z");
	assert_string_equal(l.v[1].expires, "");
	assert_string_equal(l.v[0].network, "appnet");
	assert_string_equal(l.v[2].network, "");	/* null */
	/* podman: "ago" in the uptime, "(starting)" for the health */
	assert_string_equal(l.v[3].name, "dbarena-postgres-16-9f3e");
	assert_string_equal(database_status(&l.v[3]), "running");
	assert_string_equal(l.v[3].uptime, "42 seconds");
	assert_string_equal(l.v[3].created, "2026-11-23T17:25:32Z");
	assert_int_equal(l.v[3].host_port, 5436);
	assert_string_equal(database_status(&l.v[4]), "stopped");
	assert_string_equal(l.v[4].volume, "dbarena-mariadb-11-77aa-data");
	database_list_free(&l);
	assert_int_equal(docker_parse_ps("\"a\"\t\"b\"\n", &l, NULL), 1);
	assert_int_equal(l.n, 0);
	database_list_free(&l);
	strbuf_release(&sb);
}

static void
test_bad_records(void **state)
{
	struct database_list	l;

	(void)state;
	memset(&l, 0, sizeof l);
	assert_int_equal(docker_parse_records("only\tthree\tfields\n", &l,
	    NULL), 1);
	assert_int_equal(docker_parse_records("", &l, NULL), 0);
	assert_int_equal(l.n, 0);
	database_list_free(&l);
}

static void
test_resolve(void **state)
{
	struct database_list	l;
	size_t			i;

	(void)state;
	load(&l);
	assert_int_equal(database_resolve("dbarena-mariadb", &l, &i), 0);
	assert_int_equal(i, 1);
	assert_int_equal(database_resolve("dbarena-postgres", &l, &i), -2);
	assert_int_equal(database_resolve("dbarena-postgres-15-ef56", &l, &i),
	    0);
	assert_int_equal(i, 2);
	assert_int_equal(database_resolve("nope", &l, &i), -1);
	/* "" prefixes every name: it must match none, not the only one. */
	assert_int_equal(database_resolve("", &l, &i), -1);
	database_list_free(&l);
}

/* What docker says when the ssh under an ssh:// context fails. */
#define SSH_FAILED "error during connect: Get \"http://docker.example." \
	"com/v1.50/containers/json\": command [ssh -o ConnectTimeout=30 -T " \
	"-l nobody -- devbox docker system dial-stdio] has exited with exit " \
	"status 255, make sure the URL is valid, and Docker 18.09 or later " \
	"is installed on the remote host: stderr=nobody@10.0.0.5: " \
	"Permission denied (publickey).\n"

static void
test_classify(void **state)
{
	static const struct {
		const char		*text;
		enum docker_error	 want;
	} cases[] = {
		{ "Cannot connect to the Docker daemon at unix:///var/run/"
		    "docker.sock. Is the docker daemon running?", DERR_DAEMON },
		/* Over ssh: ssh failed, not the daemon (nor permission). */
		{ SSH_FAILED, DERR_SSH },
		{ "permission denied while trying to connect to the Docker "
		    "daemon socket at unix:///var/run/docker.sock",
		    DERR_PERMISSION },
		{ "docker: Error response from daemon: Conflict. The container "
		    "name \"/x\" is already in use by container \"ab\".",
		    DERR_NAME_IN_USE },
		{ "docker: Error response from daemon: driver failed "
		    "programming external connectivity on endpoint x: Bind for "
		    "127.0.0.1:5432 failed: port is already allocated.",
		    DERR_PORT_IN_USE },
		{ "Error response from daemon: manifest for "
		    "127.0.0.1:5000/postgres:99 not found: manifest unknown",
		    DERR_IMAGE },
		{ "docker: Error response from daemon: No such image: "
		    "postgres:16-alpine.", DERR_IMAGE },
		{ "Error response from daemon: Get \"https://registry-1.docker"
		    ".io/v2/\": dial tcp: lookup registry-1.docker.io: no such "
		    "host", DERR_REGISTRY },
		{ "Error: No such container: dbarena-x", DERR_NO_SUCH },
		{ "Error response from daemon: removal of container abc is "
		    "already in progress", DERR_NO_SUCH },
		{ "Error response from daemon: remove v: volume is in use - "
		    "[abc]", DERR_IN_USE },
		/* podman 4.3.1, as it really prints them */
		{ "Error: 127.0.0.1:5000/mariadb:11: image not known",
		    DERR_IMAGE },
		{ "Error: initializing source docker://127.0.0.1:5000/postgres:"
		    "99: reading manifest 99 in 127.0.0.1:5000/postgres: "
		    "manifest unknown: manifest unknown", DERR_IMAGE },
		{ "Error: no container with name or ID \"x\" found: no such "
		    "container", DERR_NO_SUCH },
		{ "Error: inspecting object: no such container x",
		    DERR_NO_SUCH },
		{ "Error: no volume with name \"v\" found: no such volume",
		    DERR_NO_SUCH },
		{ "Error: creating container storage: the container name \"x\" "
		    "is already in use by d0b1. You have to remove that "
		    "container to be able to reuse that name: that name is "
		    "already in use", DERR_NAME_IN_USE },
		{ "Error: renaming container f36e: name x already in use, "
		    "cannot rename container f36e: container already exists",
		    DERR_NAME_IN_USE },
		{ "Error: cannot listen on the TCP port: listen tcp4 "
		    "127.0.0.1:5436: bind: address already in use",
		    DERR_PORT_IN_USE },
		{ "Error: volume v is being used by the following container(s)"
		    ": 4901: volume is being used", DERR_IN_USE },
		{ "Error: initializing source docker://127.0.0.1:5001/x:1: "
		    "pinging container registry 127.0.0.1:5001: Get \"https://"
		    "127.0.0.1:5001/v2/\": dial tcp 127.0.0.1:5001: connect: "
		    "connection refused", DERR_REGISTRY },
		{ "something else entirely", DERR_OTHER },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (docker_classify(1, cases[i].text) != cases[i].want)
			fail_msg("misclassified: %s", cases[i].text);
	}
	assert_int_equal(docker_classify(0, ""), DERR_NONE);
	assert_int_equal(docker_classify(127, ""), DERR_MISSING);
	assert_int_equal(docker_classify(127, "docker: Error response from "
	    "daemon: failed to create task: exec: \"nope\": executable file "
	    "not found in $PATH"), DERR_OTHER);
	/* In exec, a client's error is its own, whatever words it uses. */
	assert_int_equal(docker_classify_exec(1, "psql: error: connection to "
	    "server failed: Permission denied"), DERR_OTHER);
	assert_int_equal(docker_classify_exec(3, "psql:bad.sql:2: ERROR: "
	    "relation \"x\" does not exist"), DERR_OTHER);
	assert_int_equal(docker_classify_exec(127, ""), DERR_OTHER);
	assert_int_equal(docker_classify_exec(1, "Error response from daemon: "
	    "No such container: x"), DERR_NO_SUCH);
	assert_int_equal(docker_classify_exec(125, "Error: no container with "
	    "name or ID \"x\" found: no such container"), DERR_NO_SUCH);
	assert_int_equal(docker_classify_exec(1, "Cannot connect to the Docker "
	    "daemon at unix:///var/run/docker.sock. Is the docker daemon "
	    "running?"), DERR_DAEMON);
	assert_int_equal(docker_classify_exec(0, ""), DERR_NONE);
}

/* The line an error report quotes: the daemon's words, not podman's noise. */
static void
test_error_line(void **state)
{
	struct strbuf	sb = STRBUF_INIT;

	(void)state;
	docker_error_line("Error response from daemon: No such container: x\n",
	    &sb);
	assert_string_equal(sb.buf, "No such container: x");
	strbuf_reset(&sb);
	docker_error_line("time=\"2026-11-23T18:08:46Z\" level=error "
	    "msg=\"Removing timer for container f0da healthcheck: unable to "
	    "get systemd connection to remove healthchecks\"\n"
	    "Error: unable to start container \"f0da\": rootlessport listen "
	    "tcp 127.0.0.1:5432: bind: address already in use\n", &sb);
	assert_string_equal(sb.buf, "Error: unable to start container "
	    "\"f0da\": rootlessport listen tcp 127.0.0.1:5432: bind: address "
	    "already in use");
	strbuf_reset(&sb);
	docker_error_line(SSH_FAILED, &sb);
	assert_string_equal(sb.buf, "nobody@10.0.0.5: Permission denied "
	    "(publickey).");
	strbuf_reset(&sb);
	docker_error_line("only systemd\n", &sb);
	assert_string_equal(sb.buf, "only systemd");
	strbuf_release(&sb);
}

static void
test_time_and_remote(void **state)
{
	char	*path;

	(void)state;
	assert_true(docker_parse_time("1970-01-01T00:01:40.5Z") == 100);
	assert_true(docker_parse_time("0001-01-01T00:00:00Z") == 0);
	assert_true(docker_parse_time("garbage") == 0);
	/* docker_init forgets where the engine was: asked anew each time. */
	setenv("DOCKER_HOST", "unix:///var/run/docker.sock", 1);
	docker_init("docker", NULL);
	assert_false(docker_is_remote());
	setenv("DOCKER_HOST", "ssh://me@build-box.internal", 1);
	docker_init("docker", NULL);
	assert_true(docker_is_remote());
	assert_string_equal(docker_remote_host(), "build-box.internal");
	setenv("DOCKER_HOST", "tcp://10.1.2.3:2376", 1);
	docker_init("docker", NULL);
	assert_string_equal(docker_remote_host(), "10.1.2.3");
	setenv("DOCKER_HOST", "tcp://[fd00::7]:2376", 1);
	docker_init("docker", NULL);
	assert_string_equal(docker_remote_host(), "fd00::7");
	unsetenv("DOCKER_HOST");
	docker_init("docker", "default");
	assert_false(docker_is_remote());
	/*
	 * A context's endpoint is read where the docker CLI keeps it, with
	 * no docker call (there is no docker here to call).
	 */
	path = xasprintf("%s/unit/data/docker-config", test_srcdir());
	setenv("DOCKER_CONFIG", path, 1);
	docker_init("/nonexistent/docker", "devbox");
	assert_string_equal(docker_endpoint(),
	    "ssh://me@build-box.internal:2222");
	assert_string_equal(docker_remote_host(), "build-box.internal");
	/* A context that cannot be inspected is remote, host unknown. */
	docker_init("/nonexistent/docker", "remote-box");
	assert_true(docker_is_remote());
	assert_null(docker_remote_host());
	docker_set_offline(1);
	docker_init("docker", "remote-box");
	assert_true(docker_is_remote());
	docker_set_offline(0);
	unsetenv("DOCKER_CONFIG");
	free(path);
}

/* What doctor reads from "docker --version" and "docker version". */
static void
test_versions(void **state)
{
	struct docker_version	v;

	(void)state;
	assert_int_equal(docker_parse_client_version(
	    "Docker version 28.2.2, build e6534b4\n", &v), 0);
	assert_string_equal(v.version, "28.2.2");
	assert_false(v.podman);
	docker_version_free(&v);
	assert_int_equal(docker_parse_client_version(
	    "podman version 4.3.1\n", &v), 0);
	assert_string_equal(v.version, "4.3.1");
	assert_true(v.podman);
	docker_version_free(&v);
	/* Not docker at all: what it said, for the message. */
	assert_int_equal(docker_parse_client_version("hello\n", &v), -1);
	assert_string_equal(v.version, "hello");
	docker_version_free(&v);

	assert_int_equal(docker_parse_server_version("\"20.10.24+dfsg1\"\n"
	    "{\"Platform\":{\"Name\":\"\"},\"Components\":[{\"Name\":"
	    "\"Engine\",\"Version\":\"20.10.24+dfsg1\"}]}\n", &v), 0);
	assert_string_equal(v.version, "20.10.24+dfsg1");
	assert_false(v.podman);
	docker_version_free(&v);
	/* The docker CLI talking to a podman service. */
	assert_int_equal(docker_parse_server_version("\"4.9.3\"\n"
	    "{\"Platform\":{\"Name\":\"linux/amd64/debian-12\"},"
	    "\"Components\":[{\"Name\":\"Podman Engine\",\"Version\":"
	    "\"4.9.3\"}]}\n", &v), 0);
	assert_string_equal(v.version, "4.9.3");
	assert_true(v.podman);
	docker_version_free(&v);
	/* Local podman: no server record at all. */
	assert_int_equal(docker_parse_server_version("\n", &v), -1);
	assert_string_equal(v.version, "");
	docker_version_free(&v);
}

/* image ls and image inspect records, and which images containers use. */
static void
test_images(void **state)
{
	static const char ls[] =
	    "\"sha256:aaaa1111aaaa1111\"\t\"127.0.0.1:5000/postgres\"\t"
	    "\"16-alpine\"\t\"<none>\"\n"
	    "\"sha256:aaaa1111aaaa1111\"\t\"127.0.0.1:5000/postgres\"\t"
	    "\"15-alpine\"\t\"<none>\"\n"
	    "\"sha256:bbbb2222bbbb2222\"\t\"mariadb\"\t\"11\"\t"
	    "\"sha256:dd\"\n"
	    "\"sha256:cccc3333cccc3333\"\t\"dbarena/postgres\"\t"
	    "\"16-fast\"\t\"<none>\"\n";
	static const char details[] =
	    "\"sha256:aaaa1111aaaa1111\"\t192701421\tnull\n"
	    "\"sha256:cccc3333cccc3333\"\t240003974\t\"postgres/16/fast\"\n";
	struct image_list	 l;
	struct strvec		 used = STRVEC_INIT;

	(void)state;
	memset(&l, 0, sizeof l);
	assert_int_equal(docker_parse_images(ls, &l, NULL), 0);
	assert_int_equal(docker_parse_image_details(details, &l, NULL), 0);
	assert_int_equal(l.n, 4);
	assert_true(l.v[1].size == 192701421ULL);
	assert_string_equal(l.v[0].seeded, "");
	assert_string_equal(l.v[3].seeded, "postgres/16/fast");
	assert_ptr_equal(docker_find_image(&l,
	    "127.0.0.1:5000/postgres:15-alpine"), &l.v[1]);
	assert_ptr_equal(docker_find_image(&l, "docker.io/library/mariadb:11"),
	    &l.v[2]);
	assert_ptr_equal(docker_find_image(&l, "mariadb@sha256:dd"), &l.v[2]);
	assert_null(docker_find_image(&l, "mariadb"));	/* :latest */
	assert_int_equal(docker_parse_images("\"a\"\t\"b\"\n", &l, NULL), 1);
	assert_int_equal(l.n, 4);

	assert_false(docker_image_in_use(&l, l.v[0].id, &used));
	/* By another name of the same image, by ID, by unknown tag. */
	strvec_push(&used, "127.0.0.1:5000/postgres:15-alpine");
	assert_true(docker_image_in_use(&l, "sha256:aaaa1111aaaa1111", &used));
	assert_false(docker_image_in_use(&l, "sha256:bbbb2222bbbb2222", &used));
	strvec_clear(&used);
	strvec_push(&used, "sha256:bbbb2222bbbb2222");
	assert_true(docker_image_in_use(&l, "sha256:bbbb2222bbbb2222", &used));
	strvec_clear(&used);
	strvec_push(&used, "mariadb:10.6");
	assert_true(docker_image_in_use(&l, "sha256:bbbb2222bbbb2222", &used));
	assert_false(docker_image_in_use(&l, "sha256:cccc3333cccc3333", &used));
	strvec_clear(&used);
	image_list_free(&l);
}

/*
 * Podman lists Docker Hub's images fully qualified, and its image rm says
 * so too; docker says neither docker.io/ nor library/ (real output of
 * podman 4.3 and docker 20.10).
 */
static void
test_images_podman(void **state)
{
	static const char ls[] =
	    "\"sha256:aaaa1111aaaa1111\"\t\"docker.io/library/postgres\"\t"
	    "\"16\"\t\"sha256:ee\"\n"
	    "\"sha256:bbbb2222bbbb2222\"\t\"docker.io/bitnami/mariadb\"\t"
	    "\"11\"\t\"<none>\"\n"
	    "\"sha256:cccc3333cccc3333\"\t\"127.0.0.1:5000/library/x\"\t"
	    "\"1\"\t\"<none>\"\n";
	/* podman's image inspect says the ID without "sha256:" */
	static const char details[] =
	    "\"bbbb2222bbbb2222\"\t333852328\t\"\"\n";
	static const char podman_rm[] =
	    "Untagged: docker.io/library/postgres:16\n"
	    "Untagged: docker.io/bitnami/mariadb:11\n"
	    "Deleted: aaaa1111aaaa1111\n";
	static const char docker_rm[] =
	    "Untagged: postgres:16\n"
	    "Untagged: postgres@sha256:ee\n"
	    "Deleted: sha256:aaaa1111aaaa1111\n";
	struct image_list	 l;
	struct strvec		 used = STRVEC_INIT, refs = STRVEC_INIT;
	struct strvec		 gone = STRVEC_INIT;

	(void)state;
	memset(&l, 0, sizeof l);
	assert_int_equal(docker_parse_images(ls, &l, NULL), 0);
	assert_int_equal(docker_parse_image_details(details, &l, NULL), 0);
	assert_true(l.v[1].size == 333852328ULL);
	assert_ptr_equal(docker_find_image(&l, "postgres:16"), &l.v[0]);
	assert_ptr_equal(docker_find_image(&l, "library/postgres:16"),
	    &l.v[0]);
	assert_ptr_equal(docker_find_image(&l, "docker.io/postgres:16"),
	    &l.v[0]);
	assert_ptr_equal(docker_find_image(&l,
	    "index.docker.io/library/postgres:16"), &l.v[0]);
	assert_ptr_equal(docker_find_image(&l, "postgres@sha256:ee"),
	    &l.v[0]);
	assert_null(docker_find_image(&l, "postgres"));
	assert_ptr_equal(docker_find_image(&l, "bitnami/mariadb:11"),
	    &l.v[1]);
	/* library/ is Docker Hub's only: another registry keeps it. */
	assert_ptr_equal(docker_find_image(&l, "127.0.0.1:5000/library/x:1"),
	    &l.v[2]);
	assert_null(docker_find_image(&l, "127.0.0.1:5000/x:1"));

	/* A container of another tag of the same repository: in use. */
	strvec_push(&used, "postgres:15");
	assert_false(docker_image_in_use(&l, "sha256:bbbb2222bbbb2222",
	    &used));
	assert_true(docker_image_in_use(&l, "sha256:aaaa1111aaaa1111",
	    &used));
	strvec_clear(&used);

	/* Removed as asked, whichever way the CLI spells it. */
	strvec_push(&refs, "postgres:16");
	strvec_push(&refs, "bitnami/mariadb:11");
	strvec_push(&refs, "127.0.0.1:5000/other:1");
	docker_parse_untagged(podman_rm, &refs, &gone);
	assert_int_equal(gone.n, 2);
	assert_string_equal(gone.v[0], "postgres:16");
	assert_string_equal(gone.v[1], "bitnami/mariadb:11");
	strvec_clear(&gone);
	strvec_clear(&refs);
	strvec_push(&refs, "docker.io/library/postgres:16");
	docker_parse_untagged(docker_rm, &refs, &gone);
	assert_int_equal(gone.n, 1);
	assert_string_equal(gone.v[0], "docker.io/library/postgres:16");
	strvec_clear(&gone);
	strvec_clear(&refs);
	docker_parse_untagged("", &refs, &gone);
	assert_int_equal(gone.n, 0);
	image_list_free(&l);
}

/*
 * The decoder takes exactly what Go's json function prints: escapes back
 * to bytes, surrogate pairs to one character; anything else is refused.
 */
static void
test_decode(void **state)
{
	static const struct {
		const char	*in, *want;
	} good[] = {
		{ "\"a\\tb\"", "a\tb" },
		{ "\"1\\n2\"", "1\n2" },
		{ "\"\\\"q\\\" \\\\ \\/ \\b\\f\\r\"", "\"q\" \\ / \b\f\r" },
		{ "\"caf\\u00e9 \\u20ac\"", "caf\xc3\xa9 \xe2\x82\xac" },
		{ "\"\\ud83d\\udc18\"", "\xf0\x9f\x90\x98" },
		{ "\"\\u003cnone\\u003e \\u0026\"", "<none> &" },
		{ "\"\xef\xbf\xbd\\u2028\"", "\xef\xbf\xbd\xe2\x80\xa8" },
		{ "\"\"", "" },
		{ "null", "" },
		{ "true", "true" },
		{ "false", "false" },
		{ "333852328", "333852328" },
		{ "-1.5e+3", "-1.5e+3" },
		{ "0", "0" },
	};
	static const char *const bad[] = {
		"", "<no value>", "abc", "tru", "nul", "01", "1.", "-", "1e",
		"\"unterminated", "\"a\"x", "\"a\" ", " \"a\"", "\"a\tb\"",
		"\"a\nb\"", "\"\\x41\"", "\"\\u12\"", "\"\\u12g4\"",
		"\"\\ud83d\"", "\"\\ud83dx\"", "\"\\ud83d\\u0041\"",
		"\"\\udc18\"", "\"\\u0000\"", "\"a\xff" "b\"", "\"\xc3\"",
		"\"\xed\xa0\x80\"", "\"\\\"",
	};
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (docker_decode_value(good[i].in, &sb) != 0)
			fail_msg("refused: %s", good[i].in);
		assert_string_equal(sb.buf, good[i].want);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		strbuf_adds(&sb, "left over");
		if (docker_decode_value(bad[i], &sb) != -1)
			fail_msg("took: %s", bad[i]);
		assert_string_equal(sb.buf, "");
	}
	strbuf_release(&sb);
}

/*
 * Real output of docker 20.10 and podman 4.3 (ps-odd.txt, inspect-odd.txt)
 * for a database made with --password $'a\tb' and for a stranger
 * labelled dbarena.managed=true with a tab in its engine label, a newline
 * in its port label, 0xFF (now U+FFFD), "<&>" and U+2028 in its user
 * label. The database is read whole; the stranger, its port no number,
 * is skipped and named; with a good port it is read, odd values and all.
 */
static void
test_odd_records(void **state)
{
	struct database_list	 l;
	struct strvec		 odd = STRVEC_INIT;
	struct strbuf		 sb = STRBUF_INIT;
	char			*p;

	(void)state;
	read_data("ps-odd.txt", &sb);
	memset(&l, 0, sizeof l);
	assert_int_equal(docker_parse_ps(sb.buf, &l, &odd), 2);
	assert_int_equal(l.n, 2);
	assert_int_equal(odd.n, 2);
	assert_string_equal(odd.v[0], "recm-foreign-docker");
	assert_string_equal(odd.v[1], "recm-foreign-podman");
	assert_string_equal(l.v[0].name, "recm-pg");
	assert_int_equal(l.v[0].host_port, 5432);
	assert_string_equal(database_status(&l.v[0]), "healthy");
	assert_string_equal(l.v[1].name, "recm-pgp");
	assert_int_equal(l.v[1].host_port, 5499);
	assert_string_equal(database_status(&l.v[1]), "running");
	database_list_free(&l);

	/* The same stranger with a port that is one. */
	while ((p = strstr(sb.buf, "\"54\\n32\"")) != NULL) {
		memcpy(p, "\"5432\"", 6);
		memmove(p + 6, p + 8, strlen(p + 8) + 1);
	}
	assert_int_equal(docker_parse_ps(sb.buf, &l, NULL), 0);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.v[0].name, "recm-foreign-docker");
	assert_string_equal(l.v[0].engine, "a\tb");
	assert_int_equal(l.v[0].port, 5432);
	assert_string_equal(l.v[0].user, "\xef\xbf\xbd<&>\xe2\x80\xa8");
	assert_string_equal(l.v[0].database, "caf\xc3\xa9 \xf0\x9f\x90\x98");
	assert_string_equal(l.v[2].engine, "a\tb");
	assert_string_equal(l.v[2].user, "\xef\xbf\xbd<&>\xe2\x80\xa8");
	database_list_free(&l);
	strvec_clear(&odd);

	strbuf_reset(&sb);
	read_data("inspect-odd.txt", &sb);
	assert_int_equal(docker_parse_records(sb.buf, &l, &odd), 2);
	assert_int_equal(l.n, 2);
	assert_string_equal(odd.v[0], "recm-foreign-docker");
	assert_string_equal(odd.v[1], "recm-foreign-podman");
	assert_string_equal(l.v[0].name, "recm-pg");
	assert_string_equal(l.v[0].password, "a\tb");
	assert_string_equal(l.v[0].host_ip, "127.0.0.1");
	assert_int_equal(l.v[0].host_port, 5432);
	assert_string_equal(database_status(&l.v[0]), "healthy");
	assert_string_equal(l.v[1].name, "recm-pgp");
	assert_string_equal(l.v[1].password, "a\tb");
	assert_int_equal(l.v[1].host_port, 5499);
	assert_string_equal(database_status(&l.v[1]), "running");
	database_list_free(&l);
	strvec_clear(&odd);
	strbuf_release(&sb);
}

/*
 * Records an engine should never print, but one bad line must cost only
 * itself: the others are read, and the culprit is named by its name, its
 * ID, or the start of its line, escaped for the terminal.
 */
static void
test_malformed_records(void **state)
{
	static const char good[] =
	    "\"abc\"\t\"ok\"\t\"running\"\t\"Up 1 second\"\t\"postgres\"\t"
	    "\"16\"\t\"fast\"\t\"\"\t\"postgres\"\t\"dbarena\"\t\"tmpfs\"\t"
	    "\"\"\t\"5432\"\t\"5433\"\t\"127.0.0.1\"\t\"\"\t\"\"\t\"\"\n";
	struct database_list	 l;
	struct strvec		 odd = STRVEC_INIT;
	struct strbuf		 sb = STRBUF_INIT;

	(void)state;
	memset(&l, 0, sizeof l);
	/* A raw invalid byte in a string: Go would have said U+FFFD. */
	strbuf_adds(&sb, "\"id1\"\t\"bad-utf8\"\t\"running\"\t\"\"\t\"a\xff"
	    "b\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t"
	    "\"\"\t\"\"\t\"\"\n");
	strbuf_adds(&sb, good);
	/* The old raw format: a tab in a label splits the record. */
	strbuf_adds(&sb, "id2\tplain\trunning\tUp\ta\tb\t16\n");
	/* A name that does not decode: the ID names it. */
	strbuf_adds(&sb, "\"id3\"\t\"x\\q\"\t\"running\"\t\"\"\t\"\"\t\"\"\t"
	    "\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\n");
	/* A host port label out of range. */
	strbuf_adds(&sb, "\"id4\"\t\"big\"\t\"running\"\t\"\"\t\"\"\t\"\"\t"
	    "\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"70000\"\t\"\"\t"
	    "\"\"\t\"\"\t\"\"\n");
	/* Nothing decodes: the start of the line, escaped. */
	strbuf_adds(&sb, "\x1b[2J\tx\n");
	assert_int_equal(docker_parse_ps(sb.buf, &l, &odd), 5);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].name, "ok");
	assert_int_equal(odd.n, 5);
	assert_string_equal(odd.v[0], "bad-utf8");
	assert_string_equal(odd.v[1],
	    "id2\\tplain\\trunning\\tUp\\ta\\tb\\t16");
	assert_string_equal(odd.v[2], "id3");
	assert_string_equal(odd.v[3], "big");
	assert_string_equal(odd.v[4], "\\x1b[2J\\tx");
	database_list_free(&l);
	strvec_clear(&odd);
	strbuf_release(&sb);
}

/* volume ls of docker and podman: tab and newline labels decoded. */
static void
test_volumes(void **state)
{
	struct strvec	 names = STRVEC_INIT, ctrs = STRVEC_INIT;
	struct strvec	 engines = STRVEC_INIT, odd = STRVEC_INIT;
	struct strbuf	 sb = STRBUF_INIT;

	(void)state;
	read_data("volumes.txt", &sb);
	strbuf_adds(&sb, "\"half\"\t\"\"\n");
	assert_int_equal(docker_parse_volumes(sb.buf, &names, &ctrs, &engines,
	    &odd), 1);
	assert_int_equal(names.n, 2);
	assert_string_equal(names.v[0], "recm-vol-docker");
	assert_string_equal(ctrs.v[0], "x\ny");
	assert_string_equal(engines.v[0], "a\tb");
	assert_string_equal(names.v[1], "recm-vol-podman");
	assert_string_equal(engines.v[1], "a\tb");
	assert_string_equal(odd.v[0], "half");
	strvec_clear(&names);
	strvec_clear(&ctrs);
	strvec_clear(&engines);
	strvec_clear(&odd);
	strbuf_release(&sb);
}

/*
 * A network inspect record: dbarena's only with both labels, the second
 * naming the network itself.
 */
static void
test_network_record(void **state)
{
	struct network_info	ni;

	(void)state;
	assert_int_equal(docker_parse_network("\"appnet\"\t\"bridge\"\t"
	    "\"true\"\t\"appnet\"\t\"4f1c\"\n", &ni), 0);
	assert_string_equal(ni.name, "appnet");
	assert_string_equal(ni.driver, "bridge");
	assert_string_equal(ni.id, "4f1c");
	assert_true(ni.ours);
	network_info_free(&ni);
	/* made by hand, labelled managed alone; or named for another */
	assert_int_equal(docker_parse_network("\"appnet\"\t\"bridge\"\t"
	    "\"true\"\t\"\"\t\"1\"\n", &ni), 0);
	assert_false(ni.ours);
	network_info_free(&ni);
	assert_int_equal(docker_parse_network("\"a\"\t\"bridge\"\t"
	    "\"true\"\t\"b\"\t\"2\"\n", &ni), 0);
	assert_false(ni.ours);
	network_info_free(&ni);
	assert_int_equal(docker_parse_network("\"host\"\t\"host\"\t\"\"\t"
	    "\"\"\t\"3\"\n", &ni), 0);
	assert_string_equal(ni.driver, "host");
	assert_false(ni.ours);
	network_info_free(&ni);
	assert_int_equal(docker_parse_network("\"x\"\t\"bridge\"\n", &ni),
	    -1);
	assert_int_equal(docker_parse_network("", &ni), -1);
	/* the engines' words for a network that is not there, or in use */
	assert_int_equal(docker_classify(1, "Error: No such network: x"),
	    DERR_NO_SUCH);
	assert_int_equal(docker_classify(1, "Error response from daemon: "
	    "network x not found"), DERR_NO_SUCH);
	assert_int_equal(docker_classify(125, "Error: unable to find network "
	    "with name or ID x: network not found"), DERR_NO_SUCH);
	assert_int_equal(docker_classify(1, "Error response from daemon: "
	    "error while removing network: network x id 1 has active "
	    "endpoints"), DERR_IN_USE);
}

/* What a buffer says, compared and then let go. */
static void
assert_said(struct strbuf *sb, const char *want)
{
	assert_string_equal(sb->buf, want);
	strbuf_release(sb);
}

/* An argument vector as one shell-quoted line, to compare at a glance. */
static void
assert_args(const struct strvec *args, const char *want)
{
	struct strbuf	sb = STRBUF_INIT;

	strvec_join_quoted(args, &sb);
	assert_said(&sb, want);
}

static void
assert_format(enum docker_record r, const char *want)
{
	struct strbuf	sb = STRBUF_INIT;

	docker_record_format(r, &sb);
	assert_said(&sb, want);
}

/* What the typed operations ask docker, word for word. */
static void
test_operation_args(void **state)
{
	struct strvec	args = STRVEC_INIT, ids = STRVEC_INIT;
	struct strvec	cmd = STRVEC_INIT;
	struct volume_spec vs1 = { "v-data", "db", "postgres", NULL, NULL };
	struct volume_spec vs2 = { "v", "db", "mariadb", "f00", "r1" };

	(void)state;
	docker_init("docker", NULL);
	strvec_push(&ids, "abc");
	strvec_push(&ids, "def");
	docker_stop_args(&args, &ids, -1);
	assert_args(&args, "stop abc def");
	strvec_clear(&args);
	docker_stop_args(&args, &ids, 2500);
	assert_args(&args, "stop --time 2 abc def");
	strvec_clear(&args);
	docker_rm_args(&args, &ids);
	assert_args(&args, "rm --force --volumes abc def");
	strvec_clear(&args);
	docker_volume_create_args(&args, &vs1);
	assert_args(&args, "volume create --label dbarena.managed=true "
	    "--label dbarena.container=db --label dbarena.engine=postgres "
	    "v-data");
	strvec_clear(&args);
	docker_volume_create_args(&args, &vs2);
	assert_args(&args, "volume create --label dbarena.managed=true "
	    "--label dbarena.container=db --label dbarena.engine=mariadb "
	    "--label dbarena.owner=f00 --label dbarena.run=r1 v");
	strvec_clear(&args);
	docker_network_create_args(&args, "net", "f00");
	assert_args(&args, "network create --driver bridge --label "
	    "dbarena.managed=true --label dbarena.network=net "
	    "--label dbarena.owner=f00 net");
	strvec_clear(&args);
	docker_network_create_args(&args, "net", NULL);
	assert_args(&args, "network create --driver bridge --label "
	    "dbarena.managed=true --label dbarena.network=net net");
	strvec_clear(&args);
	docker_network_connect_args(&args, "net", "db", "primary");
	assert_args(&args, "network connect --alias primary net db");
	strvec_clear(&args);
	docker_network_connect_args(&args, "net", "db", NULL);
	assert_args(&args, "network connect net db");
	strvec_clear(&args);
	docker_pull_argv(&args, "postgres:16", 1);
	assert_args(&args, "docker pull --quiet postgres:16");
	strvec_clear(&args);
	docker_pull_argv(&args, "postgres:16", 0);
	assert_args(&args, "docker pull postgres:16");
	strvec_clear(&args);
	/* A secret goes by name only, never as NAME=value in the vector. */
	strvec_push(&cmd, "psql");
	docker_exec_argv(&args, "db", DOCKER_EXEC_STDIN | DOCKER_EXEC_TTY,
	    "PGPASSWORD", &cmd);
	assert_args(&args, "docker exec -i -t -e PGPASSWORD db psql");
	strvec_clear(&args);
	docker_init("podman", "remote-box");
	docker_exec_argv(&args, "db", 0, NULL, &cmd);
	assert_args(&args, "podman --context remote-box exec db psql");
	strvec_clear(&args);
	docker_init("docker", NULL);
	strvec_clear(&cmd);
	strvec_clear(&ids);
}

/*
 * Who a forced rm removed, from its echo: only whole lines count, so an
 * ID that is a prefix of another's (or of docker's words) is not taken
 * for removed.
 */
static void
test_parse_removed(void **state)
{
	struct strvec	ids = STRVEC_INIT, missing = STRVEC_INIT;

	(void)state;
	strvec_push(&ids, "abc");
	strvec_push(&ids, "def");
	strvec_push(&ids, "ghi");
	docker_parse_removed("abc\nghi\n", &ids, &missing);
	assert_int_equal(missing.n, 1);
	assert_string_equal(missing.v[0], "def");
	strvec_clear(&missing);
	docker_parse_removed("abcdef\nxdef\nghi", &ids, &missing);
	assert_int_equal(missing.n, 2);
	assert_string_equal(missing.v[0], "abc");
	assert_string_equal(missing.v[1], "def");
	strvec_clear(&missing);
	docker_parse_removed("", &ids, &missing);
	assert_int_equal(missing.n, 3);
	strvec_clear(&missing);
	strvec_clear(&ids);
}

/* A result is reusable: reset forgets the last call's answer. */
static void
test_result(void **state)
{
	struct docker_result	res = DOCKER_RESULT_INIT;

	(void)state;
	res.err = DERR_NO_SUCH;
	strbuf_adds(&res.msg, "No such container: x");
	strvec_push(&res.odd, "x");
	res.odd_what = "a container";
	docker_result_reset(&res);
	assert_int_equal(res.err, DERR_NONE);
	assert_int_equal(res.msg.len, 0);
	assert_string_equal(res.msg.buf, "");
	assert_int_equal(res.odd.n, 0);
	assert_null(res.odd_what);
	strbuf_adds(&res.msg, "again");
	docker_result_release(&res);
	assert_string_equal(res.msg.buf, "");
}

/*
 * The templates made from the field tables, against the ones dbarena
 * sent docker when each was written out by hand: the docker calls are
 * the same, byte for byte.
 */
#define LABEL(k) "{{json (index .Config.Labels \"dbarena." k "\")}}"
#define PODMAN_IF "{{if ne (printf \"%T\" .Labels) \"string\"}}"
#define PSLABEL(k) PODMAN_IF "{{json (index .Labels \"dbarena." k "\")}}" \
	"{{else}}{{json (.Label \"dbarena." k "\")}}{{end}}"

static void
test_formats(void **state)
{
	(void)state;
	assert_format(DR_INSPECT,
	    "{{json .ID}}\t{{json .Name}}\t{{json .State.Status}}\t"
	    "{{with .State.Health}}{{json .Status}}{{else}}\"\"{{end}}\t"
	    "{{json .State.StartedAt}}\t"
	    LABEL("engine") "\t" LABEL("version") "\t" LABEL("profile") "\t"
	    LABEL("created") "\t" LABEL("user") "\t" LABEL("database") "\t"
	    LABEL("storage") "\t" LABEL("volume") "\t" LABEL("port") "\t"
	    LABEL("expires") "\t" LABEL("cdc") "\t" LABEL("server-id") "\t"
	    "{{$hb := \"\"}}{{range $p, $b := .HostConfig.PortBindings}}"
	    "{{range $b}}{{if not $hb}}{{$hb = printf \"%s:%s\" .HostIP "
	    ".HostPort}}{{end}}{{end}}{{end}}{{json $hb}}\t"
	    "{{$pv := index .Config.Labels \"dbarena.password-var\"}}"
	    "{{$pw := \"\"}}{{range .Config.Env}}"
	    "{{if eq (index (split . \"=\") 0) $pv}}{{$pw = .}}{{end}}{{end}}"
	    "{{json $pw}}\t" LABEL("network"));
	assert_format(DR_PS,
	    "{{json .ID}}\t{{json .Names}}\t"
	    PODMAN_IF "{{json .ListContainer.State}}"
	    "{{else}}{{json .State}}{{end}}\t"
	    "{{json .Status}}\t"
	    PSLABEL("engine") "\t" PSLABEL("version") "\t" PSLABEL("profile")
	    "\t" PSLABEL("created") "\t" PSLABEL("user") "\t"
	    PSLABEL("database") "\t" PSLABEL("storage") "\t"
	    PSLABEL("volume") "\t" PSLABEL("port") "\t" PSLABEL("host-port")
	    "\t" PSLABEL("bind") "\t" PSLABEL("expires") "\t"
	    PSLABEL("network") "\t" PSLABEL("run"));
	assert_format(DR_NETWORK, "{{json .Name}}\t{{json .Driver}}\t"
	    "{{with .Labels}}{{json (index . \"dbarena.managed\")}}"
	    "{{else}}\"\"{{end}}\t"
	    "{{with .Labels}}{{json (index . \"dbarena.network\")}}"
	    "{{else}}\"\"{{end}}\t{{json .ID}}");
	assert_format(DR_VOLUME,
	    "{{json .Name}}\t" PSLABEL("container") "\t" PSLABEL("engine"));
	assert_format(DR_IMAGE, "{{json .ID}}\t{{json .Repository}}\t"
	    "{{json .Tag}}\t{{json .Digest}}");
	assert_format(DR_IMAGE_DETAILS, "{{json .ID}}\t{{json .Size}}\t"
	    "{{with .Config.Labels}}{{json (index . \"dbarena.seeded\")}}"
	    "{{else}}\"\"{{end}}");
	/* The names render.c writes labels under. */
	assert_string_equal(docker_label(DL_HOST_PORT), "host-port");
	assert_string_equal(docker_label(DL_PASSWORD_VAR), "password-var");
	assert_string_equal(docker_label(DL_SERVER_ID), "server-id");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_started),
		cmocka_unit_test(test_ps_records),
		cmocka_unit_test(test_images),
		cmocka_unit_test(test_images_podman),
		cmocka_unit_test(test_bad_records),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_error_line),
		cmocka_unit_test(test_time_and_remote),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_odd_records),
		cmocka_unit_test(test_malformed_records),
		cmocka_unit_test(test_volumes),
		cmocka_unit_test(test_network_record),
		cmocka_unit_test(test_operation_args),
		cmocka_unit_test(test_parse_removed),
		cmocka_unit_test(test_result),
		cmocka_unit_test(test_formats),
	};

	return (cmocka_run_group_tests_name("docker", tests, NULL, NULL));
}
