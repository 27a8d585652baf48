/*
 * Readiness probes: the PostgreSQL reply parser on captured replies, and
 * each probe against a loopback listener that is not a database (which
 * must never count as ready: docker-proxy accepts like this).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
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

static void
test_silent_listener(void **state)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;
	int			fd;

	(void)state;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(fd, 8), 0);
	getsockname(fd, (struct sockaddr *)&sin, &len);
	/* It accepts (the kernel does) but never speaks. */
	assert_false(probe_server("postgres", "127.0.0.1",
	    ntohs(sin.sin_port), 200, "postgres", "x"));
	assert_false(probe_server("mysql", "127.0.0.1", ntohs(sin.sin_port),
	    200, NULL, NULL));
	assert_false(probe_server("tds", "127.0.0.1", ntohs(sin.sin_port),
	    200, NULL, NULL));
	close(fd);
	/* Nobody listening at all. */
	assert_false(probe_server("postgres", "127.0.0.1",
	    ntohs(sin.sin_port), 200, "postgres", "x"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pg_replies),
		cmocka_unit_test(test_silent_listener),
	};

	return (cmocka_run_group_tests_name("probe", tests, NULL, NULL));
}
