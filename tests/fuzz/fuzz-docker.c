/*
 * libFuzzer harness for what dbarena reads back from docker and from a
 * database server: the tab-separated records of docker inspect, docker's
 * error messages (classified with PCRE2), RFC 3339 times, name and prefix
 * resolution over the parsed records, and the reply a PostgreSQL server
 * sends to a StartupMessage.
 *
 * The whole input is all of these at once: a NUL-terminated copy is the
 * docker output and the stderr text, the raw bytes are the server reply,
 * and the text after the last newline is a name to resolve.
 *
 * Each record parser gets the same text; what it skips as odd is
 * collected and dropped, and a JSON field decoder gets it too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dbarena.h"
#include "docker.h"
#include "probe.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_environment();
	return (0);
}

/* What list, inspect and name resolution do with parsed records. */
static void
use_records(const uint8_t *data, size_t size, const char *text,
    struct database_list *l)
{
	const char	*last;
	char		*prefix;
	size_t		 i, idx, len;

	for (i = 0; i < l->n; i++) {
		(void)database_status(&l->v[i]);
		(void)docker_parse_time(l->v[i].started);
		(void)docker_parse_time(l->v[i].created);
	}

	/* A name from the input, and a prefix of one docker printed. */
	last = strrchr(text, '\n');
	last = last != NULL ? last + 1 : text;
	(void)database_resolve(last, l, &idx);
	if (l->n > 0 && size >= 2) {
		i = data[0] % l->n;
		len = strlen(l->v[i].name);
		prefix = xstrndup(l->v[i].name, data[1] % (len + 1));
		if (database_resolve(prefix, l, &idx) == 0 && idx >= l->n)
			abort();
		free(prefix);
	}
	database_list_free(l);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct database_list	 l;
	struct strvec		 odd = STRVEC_INIT;
	struct strbuf		 v = STRBUF_INIT;
	char			*text;

	text = xstrndup((const char *)data, size);

	memset(&l, 0, sizeof l);
	(void)docker_parse_records(text, &l, &odd);
	use_records(data, size, text, &l);
	memset(&l, 0, sizeof l);
	(void)docker_parse_ps(text, &l, &odd);
	use_records(data, size, text, &l);
	strvec_clear(&odd);
	(void)docker_decode_value(text, &v);
	strbuf_release(&v);

	(void)docker_classify(1, text);
	(void)docker_parse_time(text);
	(void)probe_pg_reply(data, size);
	free(text);
	return (0);
}
