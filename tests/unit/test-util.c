/*
 * Messages: fatal() formats into a fixed buffer and never allocates, so
 * that dying on out-of-memory cannot fail again and recurse. Each case
 * runs in a child process, which fatal() ends.
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runmark.h"
#include "sha256.h"
#include "unit.h"
#include "util.h"

#define LONG_MSG	5000

/* Run fn in a child with stderr on a pipe: its wait status and stderr. */
static int
in_child(void (*fn)(void), char *out, size_t size, size_t *len)
{
	int	p[2], status;
	pid_t	pid;
	ssize_t	n;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		dup2(p[1], STDERR_FILENO);
		close(p[0]);
		close(p[1]);
		fn();
		_exit(99);	/* fn returned: fatal did not exit */
	}
	close(p[1]);
	*len = 0;
	while (*len < size - 1 &&
	    (n = read(p[0], out + *len, size - 1 - *len)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		assert_true(n > 0);
		*len += n;
	}
	out[*len] = '\0';
	close(p[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return (status);
}

static void
fatal_long(void)
{
	static char	msg[LONG_MSG + 1];

	memset(msg, 'x', LONG_MSG);
	fatal("%s", msg);
}

/* A message longer than the buffer is cut, marked, and still one line. */
static void
test_fatal_cuts_long_message(void **state)
{
	char	out[8192];
	size_t	len;
	int	status;

	(void)state;
	status = in_child(fatal_long, out, sizeof out, &len);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_true(len > 512 && len <= 1024);
	assert_memory_equal(out, "dbarena: fatal: xxx", 19);
	assert_memory_equal(out + len - 4, "...\n", 4);
	assert_null(memchr(out, '\n', len - 1));
}

static void
fatal_short(void)
{
	fatal("cannot %s: %d", "frob", 42);
}

static void
test_fatal_formats(void **state)
{
	char	out[256];
	size_t	len;
	int	status;

	(void)state;
	status = in_child(fatal_short, out, sizeof out, &len);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_string_equal(out, "dbarena: fatal: cannot frob: 42\n");
}

/*
 * Out of memory for real: the address space is capped just above what
 * the process uses and malloc is drained until it fails for 16 bytes.
 * The xmalloc that follows must die with its message; a fatal() that
 * allocated would fail, call itself, and run out of stack instead.
 */
static void
oom(void)
{
	struct rlimit	rl;
	unsigned long	pages;
	size_t		sz;
	FILE		*f;
	long		i;

	if ((f = fopen("/proc/self/statm", "r")) == NULL)
		_exit(77);
	if (fscanf(f, "%lu", &pages) != 1)
		_exit(77);
	fclose(f);
	rl.rlim_cur = rl.rlim_max = pages * (rlim_t)getpagesize() +
	    (rlim_t)32 * 1024 * 1024;
	if (setrlimit(RLIMIT_AS, &rl) == -1)
		_exit(77);
	for (sz = 1 << 20; sz >= 16; sz /= 4) {
		for (i = 0; i < 10000000 && malloc(sz) != NULL; i++)
			continue;
		if (i == 10000000)
			_exit(77);	/* malloc never failed here */
	}
	(void)xmalloc(64);
}

static void
test_fatal_out_of_memory(void **state)
{
	char	out[256];
	size_t	len;
	int	status;

	(void)state;
	status = in_child(oom, out, sizeof out, &len);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
		fail_msg("malloc never failed under RLIMIT_AS: cannot test");
	if (!WIFEXITED(status))
		fail_msg("killed by signal %d: fatal recursed?",
		    WTERMSIG(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_string_equal(out, "dbarena: fatal: out of memory\n");
}

/*
 * A run's mark: this process is alive; the same pid with another start
 * time, or a child that has been reaped, is gone; a mark from elsewhere
 * (another boot, a kept run, no mark at all) cannot be judged here.
 */
static void
test_run_mark(void **state)
{
	char	*self, *other, *dead, *p;
	pid_t	 pid;

	(void)state;
	self = run_mark_self();
	assert_int_equal(run_mark_alive(self), 1);
	p = strrchr(self, '.');
	other = xasprintf("%.*s.%llu", (int)(p - self), self,
	    strtoull(p + 1, NULL, 10) + 1);
	assert_int_equal(run_mark_alive(other), 0);
	if ((pid = fork()) == 0)
		_exit(0);
	assert_true(pid > 0);
	waitpid(pid, NULL, 0);
	/* The reaped child's pid: nobody's, or another process's now. */
	p = strchr(strchr(self, '.') + 1, '.');
	dead = xasprintf("%.*s.%ld.1", (int)(p - self), self, (long)pid);
	assert_int_equal(run_mark_alive(dead), 0);
	assert_int_equal(run_mark_alive("00000000-0000-0000-0000-000000000000"
	    ".4026531836.1.1"), -1);
	free(dead);
	dead = xasprintf("%s%s", RUN_KEEP_PREFIX, self);
	assert_int_equal(run_mark_alive(dead), -1);
	assert_int_equal(run_mark_alive(""), -1);
	assert_int_equal(run_mark_alive("x.y"), -1);
	free(dead);
	free(other);
	free(self);
}

/* FIPS 180-4's examples, and the block edges the padding must get right. */
static void
test_sha256(void **state)
{
	char	hex[SHA256_HEX_LEN], buf[130];

	(void)state;
	sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    56, hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1");
	memset(buf, 'a', sizeof buf);
	sha256_hex(buf, 55, hex);	/* the last that pads in one block */
	assert_string_equal(hex, "9f4390f8d30c2dd92ec9f095b65e2b9a"
	    "e9b0a925a5258e241c9f1e910f734318");
	sha256_hex(buf, 56, hex);
	assert_string_equal(hex, "b35439a4ac6f0948b6d6f9e3c6af0f5f"
	    "590ce20f1bde7090ef7970686ec6738a");
	sha256_hex(buf, 64, hex);
	assert_string_equal(hex, "ffe054fe7ae0cb6dc65c3af9b61d5209"
	    "f439851db43d0ba5997337df154668eb");
	sha256_hex(buf, 130, hex);
	assert_string_equal(hex, "1e3c4f4750c8c29bbfa9ced317788176"
	    "b156d342e57f7777f62fd7221a44312f");
	/* The docker CLI's directory for the rig's context. */
	sha256_hex("dbarena-ssh", 11, hex);
	assert_string_equal(hex, "205f07b512b2a22aac510ea95228daa1"
	    "3a0e7510e743ebc76723b5fcb1f80dd0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_mark),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_fatal_formats),
		cmocka_unit_test(test_fatal_cuts_long_message),
		cmocka_unit_test(test_fatal_out_of_memory),	/* last */
	};
	size_t	n = sizeof tests / sizeof tests[0];

	/*
	 * Where malloc is not the C library's, a real out-of-memory cannot
	 * be made: ASan aborts on it itself, and valgrind's malloc does not
	 * see the address-space limit. There the test is not run at all (a
	 * TAP "not ok # SKIP" would count as a failure).
	 */
#if defined(__SANITIZE_ADDRESS__)
	n--;
#else
	if (getenv("LD_PRELOAD") != NULL &&
	    strstr(getenv("LD_PRELOAD"), "vgpreload") != NULL)
		n--;
#endif
	return (_cmocka_run_group_tests("util", tests, n, NULL, NULL));
}
