/*
 * libFuzzer harness for the profile and engine loaders: inih fed through
 * config.c's own reader, the schema checks, [version "X"] sections,
 * [environment], continuation lines and profile inheritance.
 *
 * The first byte of the input chooses the loader and is not part of the
 * file: odd ('E') loads the rest as an engine, even ('P') as a profile.
 * The rest is written to one temporary FILE.ini, made once per process
 * and rewritten for every input, and loaded by path. The shipped
 * profiles are on the search path, so "inherits = fast" resolves.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	 tmp_path[] = "/tmp/dbarena-fuzz-profile-XXXXXX.ini";
static int	 tmp_fd = -1;

static void
remove_tmp(void)
{
	if (tmp_fd != -1)
		unlink(tmp_path);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_environment();
	if ((tmp_fd = mkstemps(tmp_path, 4)) == -1) {
		fprintf(stderr, "fuzz-profile: mkstemps: %s\n",
		    strerror(errno));
		exit(1);
	}
	atexit(remove_tmp);
	return (0);
}

static void
write_input(const uint8_t *data, size_t size)
{
	ssize_t	n;

	if (ftruncate(tmp_fd, 0) == -1 || lseek(tmp_fd, 0, SEEK_SET) == -1)
		abort();
	while (size > 0) {
		if ((n = write(tmp_fd, data, size)) == -1) {
			if (errno == EINTR)
				continue;
			abort();
		}
		data += n;
		size -= n;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile	 pr;
	struct engine	 e;
	const struct engine_version *v;
	char		*err = NULL;
	size_t		 i;
	int		 k;

	if (size < 1)
		return (0);
	write_input(data + 1, size - 1);
	if (data[0] & 1) {
		if (engine_load(tmp_path, &e, &err) == -1) {
			free(err);
			return (0);
		}
		/* What render does with a loaded engine. */
		v = engine_find_version(&e, e.set[E_DEFAULT_VERSION].value);
		for (k = 0; k < E_MAX; k++)
			(void)engine_get(&e, k, v);
		for (i = 0; i < e.nversions; i++)
			(void)engine_get(&e, E_HEALTH, &e.versions[i]);
		engine_free(&e);
	} else {
		if (profile_load(tmp_path, &pr, &err) == -1) {
			free(err);
			return (0);
		}
		for (k = 0; k < P_MAX; k++)
			(void)conf_bool(pr.set[k].value);
		(void)kvlist_get(&pr.env, "PATH");
		profile_free(&pr);
	}
	return (0);
}
