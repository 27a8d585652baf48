/*
 * Readiness probes: the reply parsers on recorded answers, each probe
 * against a loopback listener that is not a database (which must never
 * count as ready: docker-proxy accepts like this), and against one that
 * answers only after a while, as a MariaDB resolving its client does.
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

/*
 * MariaDB 10.11's first packets, recorded from the rig's stand-in: a
 * greeting (cut after the version), and the error a server whose root may
 * log in only from localhost sends a client on the docker gateway.
 */
static const unsigned char greeting[] = "d\0\0\0\x0a" "5.5.5-10.11.18-MariaDB"
    "-0+deb12u1\0\x03\0\0\0";
static const unsigned char host_denied[] = "E\0\0\0\xff\x6a\x04Host "
    "'172.17.0.1' is not allowed to connect to this MariaDB server";
/* Recorded too: a login as root with no password, SQLSTATE and all. */
static const unsigned char access_denied[] = "H\0\0\x02\xff\x15\x04#28000"
    "Access denied for user 'root'@'172.17.0.1' (using password: NO)";
/*
 * ER_CON_COUNT_ERROR as a server sends it before the handshake (no
 * SQLSTATE: the client has said nothing yet). Built from the protocol
 * documentation: 10.11 let every connection of a test greet first.
 */
static const unsigned char too_many[] = "\x17\0\0\0\xff\x10\x04"
    "Too many connections";

static void
test_mysql_replies(void **state)
{
	struct strbuf	why = STRBUF_INIT;

	(void)state;
	assert_int_equal(probe_parse("mysql", greeting, sizeof greeting - 1,
	    &why), PROBE_READY);
	/* Five bytes decide a greeting; fewer wait for more. */
	assert_int_equal(probe_parse("mysql", greeting, 5, &why), PROBE_READY);
	assert_int_equal(probe_parse("mysql", greeting, 4, &why), PROBE_WAIT);

	assert_int_equal(probe_parse("mysql", host_denied,
	    sizeof host_denied - 1, &why), PROBE_REFUSED);
	assert_string_equal(why.buf, "Host '172.17.0.1' is not allowed to "
	    "connect to this MariaDB server");
	/* An error packet counts only once it is whole. */
	assert_int_equal(probe_parse("mysql", host_denied, 20, &why),
	    PROBE_WAIT);

	assert_int_equal(probe_parse("mysql", access_denied,
	    sizeof access_denied - 1, &why), PROBE_REFUSED);
	assert_string_equal(why.buf, "Access denied for user "
	    "'root'@'172.17.0.1' (using password: NO)");

	/* Too many connections is not ready, and not final either. */
	assert_int_equal(probe_parse("mysql", too_many, sizeof too_many - 1,
	    &why), PROBE_NO);
	assert_string_equal(why.buf, "Too many connections");

	/* Not a MySQL server at all. */
	assert_int_equal(probe_parse("mysql", (const unsigned char *)
	    "SSH-2.0-OpenSSH_9.2\r\n", 21, &why), PROBE_NO);
	strbuf_release(&why);
}

/*
 * The pre-login response of the MS-TDS specification's example (section
 * 4.2): VERSION 9.0, ENCRYPTION off, INSTOPT, an empty THREADID. No SQL
 * Server runs here; the recorded exchange stands in for one.
 */
static const unsigned char prelogin_reply[] = {
	0x04, 0x01, 0x00, 0x25, 0x00, 0x00, 0x01, 0x00,
	0x00, 0x00, 0x15, 0x00, 0x06, 0x01, 0x00, 0x1b, 0x00, 0x01,
	0x02, 0x00, 0x1c, 0x00, 0x01, 0x03, 0x00, 0x1d, 0x00, 0x00,
	0xff, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
};

static void
test_tds_replies(void **state)
{
	unsigned char	bad[sizeof prelogin_reply];

	(void)state;
	assert_int_equal(probe_parse("tds", prelogin_reply,
	    sizeof prelogin_reply, NULL), PROBE_READY);
	assert_int_equal(probe_parse("tds", prelogin_reply,
	    sizeof prelogin_reply - 1, NULL), PROBE_WAIT);
	assert_int_equal(probe_parse("tds", prelogin_reply, 7, NULL),
	    PROBE_WAIT);
	/* Not a tabular result. */
	memcpy(bad, prelogin_reply, sizeof bad);
	bad[0] = 0x12;
	assert_int_equal(probe_parse("tds", bad, sizeof bad, NULL), PROBE_NO);
	/* An option pointing past the packet. */
	memcpy(bad, prelogin_reply, sizeof bad);
	bad[10] = 0x40;
	assert_int_equal(probe_parse("tds", bad, sizeof bad, NULL), PROBE_NO);
	/* No terminator. */
	memcpy(bad, prelogin_reply, sizeof bad);
	bad[28] = 0x05;
	assert_int_equal(probe_parse("tds", bad, sizeof bad, NULL), PROBE_NO);
	/* A reply of one byte 0x04 used to pass. */
	assert_int_equal(probe_parse("tds", (const unsigned char *)"\x04", 1,
	    NULL), PROBE_WAIT);
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

/* The protocols, as engine files name them, from probe.c's one table. */
static void
test_kinds(void **state)
{
	(void)state;
	assert_string_equal(probe_kind_name(0), "postgres");
	assert_string_equal(probe_kind_name(1), "mysql");
	assert_string_equal(probe_kind_name(2), "tds");
	assert_null(probe_kind_name(3));
	assert_true(probe_needs_user("postgres"));
	assert_false(probe_needs_user("mysql"));
	assert_false(probe_needs_user("none"));
}

/*
 * The StartupMessage names the user the caller gives, the engine file's:
 * no user is known here, so without one nothing is sent (an empty user
 * is refused before "starting up" is said, and would pass for ready).
 */
static void
test_pg_user(void **state)
{
	struct probe	 p;
	unsigned char	 buf[256];
	ssize_t		 n;
	int		 fd, c, port;

	(void)state;
	fd = listener(&port);
	assert_int_equal(probe_open(&p, "postgres", "127.0.0.1", port, 1000,
	    "alice", "db"), 0);
	c = accept(fd, NULL, NULL);
	n = read(c, buf, sizeof buf);
	assert_int_equal(n, 32);
	assert_memory_equal(buf + 8, "user\0alice\0database\0db\0", 24);
	close(c);
	probe_close(&p);
	assert_int_equal(probe_open(&p, "postgres", "127.0.0.1", port, 1000,
	    NULL, "db"), -1);
	assert_int_equal(probe_open(&p, "postgres", "127.0.0.1", port, 1000,
	    "", "db"), -1);
	close(fd);
}

/*
 * A listener that accepts, says nothing for delay_ms (a server resolving
 * its client's address), then sends reply and lingers.
 */
static pid_t
slow_server(int fd, int delay_ms, const unsigned char *reply, size_t len)
{
	pid_t	pid;
	int	c;

	if ((pid = fork()) == 0) {
		c = accept(fd, NULL, NULL);
		usleep(delay_ms * 1000);
		if (write(c, reply, len) < 0)
			_exit(1);
		sleep(2);
		_exit(0);
	}
	return (pid);
}

static void
test_slow_greeting(void **state)
{
	struct strbuf	why = STRBUF_INIT;
	pid_t		pid;
	long long	t;
	int		fd, port;

	(void)state;
	/* Greeted after 1.5 s: the old 500 ms probe hung up before that. */
	fd = listener(&port);
	pid = slow_server(fd, 1500, greeting, sizeof greeting - 1);
	t = now_ms();
	assert_int_equal(probe_ask("mysql", "127.0.0.1", port, 5000, NULL,
	    NULL, &why), PROBE_READY);
	assert_true(now_ms() - t >= 1400);
	close(fd);
	waitpid(pid, NULL, 0);

	/* An error packet, however late, is decoded. */
	fd = listener(&port);
	pid = slow_server(fd, 300, host_denied, sizeof host_denied - 1);
	assert_int_equal(probe_ask("mysql", "127.0.0.1", port, 5000, NULL,
	    NULL, &why), PROBE_REFUSED);
	assert_non_null(strstr(why.buf, "is not allowed to connect"));
	close(fd);
	waitpid(pid, NULL, 0);

	/* The pre-login answer, likewise. */
	fd = listener(&port);
	pid = slow_server(fd, 700, prelogin_reply, sizeof prelogin_reply);
	assert_int_equal(probe_ask("tds", "127.0.0.1", port, 5000, NULL,
	    NULL, NULL), PROBE_READY);
	close(fd);
	waitpid(pid, NULL, 0);

	/* The deadline still ends the wait. */
	fd = listener(&port);
	pid = slow_server(fd, 1500, greeting, sizeof greeting - 1);
	assert_int_equal(probe_ask("mysql", "127.0.0.1", port, 300, NULL,
	    NULL, &why), PROBE_NO);
	close(fd);
	waitpid(pid, NULL, 0);
	strbuf_release(&why);
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
		cmocka_unit_test(test_mysql_replies),
		cmocka_unit_test(test_tds_replies),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_silent_listener),
		cmocka_unit_test(test_pg_user),
		cmocka_unit_test(test_slow_greeting),
		cmocka_unit_test(test_http_status),
	};

	return (cmocka_run_group_tests_name("probe", tests, NULL, NULL));
}
