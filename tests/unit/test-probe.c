/*
 * Readiness probes: the PostgreSQL reply parser on captured replies, and
 * each probe against a loopback listener that is not a database (which
 * must never count as ready: docker-proxy accepts like this).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "probe.h"

static void
test_pg_replies(void **state)
{
	/* AuthenticationSASL: the server takes connections. */
	static const unsigned char sasl[] = "R\0\0\0\x17\0\0\0\x0aSCRAM-SHA-256";
	static const unsigned char starting[] = "E\0\0\0\x2fSFATAL\0VFATAL\0"
	    "C57P03\0Mthe database system is starting up\0";
	static const unsigned char nouser[] = "E\0\0\0\x20SFATAL\0C28000\0"
	    "Mrole does not exist\0";

	(void)state;
	assert_true(probe_pg_reply(sasl, sizeof sasl - 1));
	assert_false(probe_pg_reply(starting, sizeof starting - 1));
	assert_true(probe_pg_reply(nouser, sizeof nouser - 1));
	assert_false(probe_pg_reply((const unsigned char *)"N", 1));
	assert_false(probe_pg_reply((const unsigned char *)"", 0));
}

/* A loopback listener on a free port. */
static int
listener(int *port)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;
	int			fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(fd, 8), 0);
	getsockname(fd, (struct sockaddr *)&sin, &len);
	*port = ntohs(sin.sin_port);
	return (fd);
}

static void
test_silent_listener(void **state)
{
	int	fd, port;

	(void)state;
	fd = listener(&port);
	/* It accepts (the kernel does) but never speaks. */
	assert_false(probe_server("postgres", "127.0.0.1", port, 200,
	    "postgres", "x"));
	assert_false(probe_server("mysql", "127.0.0.1", port, 200, NULL, NULL));
	assert_false(probe_server("tds", "127.0.0.1", port, 200, NULL, NULL));
	close(fd);
	/* Nobody listening at all. */
	assert_false(probe_server("postgres", "127.0.0.1", port, 200,
	    "postgres", "x"));
}

/* Doctor's look at a registry: a status code, or why there is none. */
static void
test_http_status(void **state)
{
	const char	reply[] = "HTTP/1.1 401 Unauthorized\r\n\r\n";
	pid_t		pid;
	int		fd, c, port;

	(void)state;
	assert_int_equal(probe_http_parse_status(
	    "HTTP/1.1 200 OK\r\n", 17), 200);
	assert_int_equal(probe_http_parse_status(
	    "HTTP/1.0 401 Unauthorized", 25), 401);
	assert_int_equal(probe_http_parse_status("SSH-2.0-OpenSSH_9.2", 19),
	    0);
	assert_int_equal(probe_http_parse_status("HTTP/1.1 2x0 OK", 15), 0);
	assert_int_equal(probe_http_parse_status("HTTP/1.1", 8), 0);

	/* A listener that never speaks: connected, but no HTTP. */
	fd = listener(&port);
	assert_int_equal(probe_http_status("127.0.0.1", port, "/v2/", 200), 0);
	close(fd);
	/* One that answers. */
	fd = listener(&port);
	if ((pid = fork()) == 0) {
		c = accept(fd, NULL, NULL);
		if (write(c, reply, sizeof reply - 1) < 0)
			_exit(1);
		sleep(1);
		_exit(0);
	}
	assert_int_equal(probe_http_status("127.0.0.1", port, "/v2/", 2000),
	    401);
	close(fd);
	waitpid(pid, NULL, 0);
	/* Nobody listening at all. */
	assert_int_equal(probe_http_status("127.0.0.1", port, "/v2/", 200), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pg_replies),
		cmocka_unit_test(test_silent_listener),
		cmocka_unit_test(test_http_status),
	};

	return (cmocka_run_group_tests_name("probe", tests, NULL, NULL));
}
