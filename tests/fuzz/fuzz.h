/*
 * What the libFuzzer harnesses under tests/fuzz share: where the source
 * tree is (for the shipped profiles and engines), and an environment that
 * keeps every run hermetic: configuration comes from the source tree only,
 * never from the user's ~/.config or /etc, and docker is a program that
 * does not exist, so that nothing a harness runs can reach a real daemon.
 */
#ifndef DBARENA_FUZZ_H
#define DBARENA_FUZZ_H

#include <stdlib.h>

#include "config.h"
#include "docker.h"

#ifndef FUZZ_SRCDIR
#define FUZZ_SRCDIR	"."
#endif

#define FUZZ_DOCKER	"/nonexistent/dbarena-fuzz-docker"

/* DBARENA_FUZZ_SRCDIR beats the directory compiled in by run.sh. */
static const char *
fuzz_srcdir(void)
{
	const char	*s;

	if ((s = getenv("DBARENA_FUZZ_SRCDIR")) != NULL && *s != '\0')
		return (s);
	return (FUZZ_SRCDIR);
}

static void
fuzz_environment(void)
{
	const char	*src = fuzz_srcdir();

	setenv("XDG_CONFIG_HOME", src, 1);
	setenv("DBARENA_DATA_DIR", src, 1);
	setenv("DBARENA_DOCKER", FUZZ_DOCKER, 1);
	unsetenv("DBARENA_REGISTRY");
	unsetenv("DBARENA_QUIET");
	unsetenv("DOCKER_HOST");
	unsetenv("DOCKER_CONTEXT");
	/* Not /etc: a machine's own profiles must not change the results. */
	config_set_dirs("/nonexistent", NULL);
	docker_init(FUZZ_DOCKER, NULL);
}

#endif
