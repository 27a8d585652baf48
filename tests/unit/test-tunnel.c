/*
 * Forwards over ssh: the endpoint as the docker CLI reads it, the ssh
 * command line of a forward, and a failing ssh reported in its own words
 * (a stand-in ssh on PATH; the real one is t0290's).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "tunnel.h"

/*
 * The owner of a listening socket, read from /proc: this process group's
 * own listener is its, not its parent's group's (unless the parent is in
 * it); a port nobody listens on is no one's.
 */
static void
test_port_owner(void **state)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;
	int			fd, port;

	(void)state;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	port = ntohs(sin.sin_port);
	/* Bound, not listening: not a forward yet. */
	assert_int_equal(tunnel_port_owner(getpgrp(), port), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(tunnel_port_owner(getpgrp(), port), 1);
	/* No process is in group 0: nobody's. */
	assert_int_not_equal(tunnel_port_owner(0, port), 1);
	close(fd);
	assert_int_equal(tunnel_port_owner(getpgrp(), port), 0);
}

static void
test_parse(void **state)
{
	struct ssh_dest	d;

	(void)state;
	assert_int_equal(ssh_dest_parse("ssh://devbox", &d), 0);
	assert_string_equal(d.host, "devbox");
	assert_null(d.user);
	assert_null(d.port);
	ssh_dest_free(&d);
	assert_int_equal(ssh_dest_parse("ssh://me@db.example:2222/x", &d), 0);
	assert_string_equal(d.user, "me");
	assert_string_equal(d.host, "db.example");
	assert_string_equal(d.port, "2222");
	ssh_dest_free(&d);
	assert_int_equal(ssh_dest_parse("ssh://[::1]:22", &d), 0);
	assert_string_equal(d.host, "::1");
	assert_string_equal(d.port, "22");
	ssh_dest_free(&d);
	assert_int_equal(ssh_dest_parse("tcp://devbox:2376", &d), -1);
	assert_int_equal(ssh_dest_parse("ssh://", &d), -1);
	assert_int_equal(ssh_dest_parse("ssh://@devbox", &d), -1);
}

static void
test_argv(void **state)
{
	struct ssh_dest	d;
	struct strvec	argv = STRVEC_INIT;
	struct strbuf	sb = STRBUF_INIT;

	(void)state;
	assert_int_equal(ssh_dest_parse("ssh://me@devbox:2222", &d), 0);
	tunnel_argv(&argv, &d, 40000, "127.0.0.1", 5432);
	strvec_join_quoted(&argv, &sb);
	assert_string_equal(sb.buf, "ssh -l me -p 2222 -N -T -o BatchMode=yes "
	    "-o ExitOnForwardFailure=yes -o ControlPath=none "
	    "-o ServerAliveInterval=10 -L 127.0.0.1:40000:127.0.0.1:5432 "
	    "-- devbox");
	strvec_clear(&argv);
	tunnel_argv(&argv, &d, 40000, "::1", 5432);
	assert_string_equal(argv.v[argv.n - 3], "127.0.0.1:40000:[::1]:5432");
	assert_string_equal(tunnel_remote_addr("0.0.0.0"), "127.0.0.1");
	assert_string_equal(tunnel_remote_addr("10.1.2.3"), "10.1.2.3");
	strvec_clear(&argv);
	strbuf_release(&sb);
	ssh_dest_free(&d);
}

/* An ssh that fails as a real one does when the host is down. */
static void
test_failure_in_ssh_words(void **state)
{
	char		 dir[] = "/tmp/dbarena-tunnel.XXXXXX", path[64];
	const char	*old = getenv("PATH");
	char		*saved = old != NULL ? strdup(old) : NULL;
	struct ssh_dest	 d;
	struct tunnel	 t = TUNNEL_INIT;
	struct strbuf	 why = STRBUF_INIT;
	FILE		*f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/ssh", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("#!/bin/sh\necho 'ssh: connect to host devbox port 22: "
	    "Connection refused' >&2\nexit 255\n", f);
	fclose(f);
	chmod(path, 0755);
	setenv("PATH", dir, 1);
	assert_int_equal(ssh_dest_parse("ssh://devbox", &d), 0);
	assert_int_equal(tunnel_open(&t, &d, "127.0.0.1", 5432, 5000), -1);
	tunnel_why(&t, &why);
	assert_string_equal(why.buf, "ssh: connect to host devbox port 22: "
	    "Connection refused; ssh exited with status 255");
	if (saved != NULL)
		setenv("PATH", saved, 1);
	free(saved);
	unlink(path);
	rmdir(dir);
	tunnel_close(&t);
	strbuf_release(&t.err);
	strbuf_release(&why);
	ssh_dest_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_port_owner),
		cmocka_unit_test(test_argv),
		cmocka_unit_test(test_failure_in_ssh_words),
	};

	return (cmocka_run_group_tests_name("tunnel", tests, NULL, NULL));
}
