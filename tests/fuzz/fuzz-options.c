/*
 * libFuzzer harness for the create command line: the option parser over
 * create's own table, the validators (--port, --timeout, --memory,
 * --cpus, --bind, --env, --name), then engine and profile loading and the renderer, which
 * prints the docker command lines a dry run would run. Along the way each
 * word also goes through the helpers options and files share:
 * strvec_split, parse_size, parse_duration_ms, parse_uint, valid_name,
 * render_image and render_url.
 *
 * The input is split on NUL and newline into at most 32 words. The
 * command line is "create --dry-run WORD...": --dry-run comes first so
 * that no word can stop it being parsed as an option (a "--" would, at
 * the end), and docker is a program that does not exist besides. Words
 * naming device, proc, sys or run files are refused, so that a path
 * argument can never open a FIFO or a device.
 *
 * Several engines make create fork one child each, and a fork of a
 * sanitized process costs tens of milliseconds: left alone, the fuzzer
 * soon spends nearly all its time there. So a first pass over create's
 * own option table (cmd_operands) finds the engine words, and most
 * inputs naming several keep only the first; one in 16 (by a hash of the
 * input), with at most 4 engines, runs as given, so create_many is still
 * fuzzed. A sanitizer report in a child still writes a crash artifact,
 * from libFuzzer's death callback; replaying that input prints the
 * report, but exits 0, as create_many only counts a failed child.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dbarena.h"
#include "render.h"
#include "fuzz.h"

#define MAX_WORDS	32
#define MAX_ENGINES	4	/* in the inputs that may fork */

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int	fd;

	(void)argc;
	(void)argv;
	fuzz_environment();
	unsetenv("POSIXLY_CORRECT");
	/* Dry runs print docker command lines: none are wanted here. */
	fflush(stdout);
	if ((fd = open("/dev/null", O_WRONLY)) == -1 ||
	    dup2(fd, STDOUT_FILENO) == -1) {
		perror("fuzz-options: /dev/null");
		exit(1);
	}
	close(fd);
	return (0);
}

static int
unsafe_word(const char *w)
{
	static const char *const bad[] = { "dev/", "proc/", "sys/", "run/",
	    NULL };
	size_t	i;

	for (i = 0; bad[i] != NULL; i++) {
		if (strstr(w, bad[i]) != NULL)
			return (1);
	}
	return (0);
}

static uint32_t
hash(const uint8_t *data, size_t size)
{
	uint32_t	h = 2166136261U;

	while (size-- > 0)
		h = (h ^ *data++) * 16777619U;
	return (h);
}

/* What the validators and the renderer's helpers make of one word. */
static void
helpers(char **w, int n)
{
	struct strvec		 sv = STRVEC_INIT;
	unsigned long long	 sz;
	unsigned long		 u;
	long long		 ms;
	char			*err = NULL, *s;
	const char		*a, *b, *c;
	int			 i;

	for (i = 0; i < n; i++) {
		if (strvec_split(&sv, w[i], &err) == -1)
			free(err);
		strvec_clear(&sv);
		(void)parse_size(w[i], &sz);
		(void)parse_duration_ms(w[i], &ms);
		(void)parse_uint(w[i], 1, 65535, &u);
		(void)valid_name(w[i]);
	}
	a = n > 0 ? w[0] : "postgres";
	b = n > 1 ? w[1] : "16-alpine";
	c = n > 2 ? w[2] : NULL;
	free(render_image(a, b, c));
	s = render_url(a, n > 1 ? w[1] : "127.0.0.1",
	    n > 3 ? atoi(w[3]) : 5432, c, n > 4 ? w[4] : NULL,
	    n > 5 ? w[5] : NULL);
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*argv[MAX_WORDS + 3], *words[MAX_WORDS];
	const uint8_t	*p, *end = data + size, *sep;
	int		 argc, n = 0, i, first;

	for (p = data; p < end && n < MAX_WORDS; p = sep + 1) {
		for (sep = p; sep < end && *sep != '\0' && *sep != '\n'; sep++)
			;
		words[n++] = xstrndup((const char *)p, sep - p);
		if (sep == end)
			break;
	}
	for (i = 0; i < n; i++) {
		if (unsafe_word(words[i]))
			goto out;
	}
	helpers(words, n);

	argc = 0;
	argv[argc++] = "create";
	argv[argc++] = "--dry-run";
	for (i = 0; i < n; i++)
		argv[argc++] = words[i];
	argv[argc] = NULL;
	/* Options first and engines last, as getopt_long leaves them. */
	first = cmd_operands(&cmd_create_entry, argc, argv);
	if (argc - first > 1 &&
	    (argc - first > MAX_ENGINES || hash(data, size) % 16 != 0)) {
		argc = first + 1;
		argv[argc] = NULL;
	}
	(void)cmd_run(&cmd_create_entry, argc, argv);
	fflush(stdout);
out:
	for (i = 0; i < n; i++)
		free(words[i]);
	return (0);
}
