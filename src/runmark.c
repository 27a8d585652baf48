/*
 * A run's mark is "BOOT.PIDNS.PID.START": the kernel's boot id, the inode
 * of the pid namespace, the pid, and the process's start time in clock
 * ticks since boot. A pid alone is reused; with its start time it names
 * one process for ever, and the boot id and namespace say where that pid
 * means anything. Only a gc in the same namespace of the same boot can
 * judge a mark: anywhere else (another host, a container, a remote
 * engine) it cannot know, and says so.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runmark.h"
#include "util.h"

/* The first line of a small file, or "" when it cannot be read. */
static void
read_line(const char *path, char *buf, size_t len)
{
	ssize_t	n;
	int	fd;

	buf[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	while ((n = read(fd, buf, len - 1)) == -1 && errno == EINTR)
		;
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

/* "pid:[4026531836]" -> "4026531836"; "" when unknown. */
static void
pid_namespace(char *buf, size_t len)
{
	char	link[64], *p;
	ssize_t	n;

	buf[0] = '\0';
	if ((n = readlink("/proc/self/ns/pid", link, sizeof link - 1)) <= 0)
		return;
	link[n] = '\0';
	if ((p = strchr(link, '[')) == NULL)
		return;
	snprintf(buf, len, "%.*s", (int)strcspn(p + 1, "]"), p + 1);
}

/*
 * Field n (counted as proc(5) does, from 3: the ones after the command
 * name) of /proc/PID/stat into *v: 0, or -1 when there is no such process.
 */
int
proc_stat_field(long pid, int n, unsigned long long *v)
{
	char	 path[64], buf[1024], *p;
	int	 i;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	read_line(path, buf, sizeof buf);
	/* The name may hold spaces and parentheses: skip to its last ')'. */
	if ((p = strrchr(buf, ')')) == NULL)
		return (-1);
	for (i = 2; i < n && p != NULL; i++)
		p = strchr(p + 1, ' ');
	if (p == NULL)
		return (-1);
	*v = strtoull(p + 1, NULL, 10);
	return (0);
}

/* The start time of a process (field 22); 0: no such process. */
static unsigned long long
start_time(long pid)
{
	unsigned long long	t;

	return (proc_stat_field(pid, 22, &t) == 0 ? t : 0);
}

/* Where this process runs: "BOOT.PIDNS", or NULL when /proc cannot say. */
static char *
here(void)
{
	char	boot[64], ns[32];

	read_line("/proc/sys/kernel/random/boot_id", boot, sizeof boot);
	pid_namespace(ns, sizeof ns);
	if (*boot == '\0' || *ns == '\0' || strchr(boot, '.') != NULL)
		return (NULL);
	return (xasprintf("%s.%s", boot, ns));
}

/* This process's mark; one no gc can judge when /proc cannot say. */
char *
run_mark_self(void)
{
	char	*h = here(), *m;

	if (h == NULL)
		return (xasprintf("unknown.%ld.%lld", (long)getpid(), now_ms()));
	/* A start time /proc does not give would judge every run alive. */
	if (start_time(getpid()) == 0) {
		free(h);
		return (xasprintf("unknown.%ld.%lld", (long)getpid(), now_ms()));
	}
	m = xasprintf("%s.%ld.%llu", h, (long)getpid(), start_time(getpid()));
	free(h);
	return (m);
}

/*
 * Whether the process pid that started at start still runs: its start
 * time says, when /proc shows it. When it does not (hidepid=, another
 * user's process), kill(pid, 0) tells a gone process (ESRCH) from one
 * that is there and not ours to see: that one cannot be judged (-1), and
 * gc leaves its databases alone.
 */
static int
judge(long pid, unsigned long long start)
{
	unsigned long long	now = start_time(pid);

	if (now != 0)
		return (now == start);
	if (kill((pid_t)pid, 0) == -1 && errno == ESRCH)
		return (0);
	return (-1);
}

/*
 * 1: the run is alive; 0: it is gone (its process no longer exists, or
 * its pid is now another process's); -1: this host cannot tell (another
 * boot or namespace, a kept run, a mark that is not one).
 */
int
run_mark_alive(const char *mark)
{
	char		*h, *end;
	const char	*p;
	long		 pid;
	size_t		 hl;
	int		 rc = -1;

	if ((h = here()) == NULL)
		return (-1);
	hl = strlen(h);
	if (strncmp(mark, h, hl) == 0 && mark[hl] == '.') {
		p = mark + hl + 1;
		pid = strtol(p, &end, 10);
		if (end != p && *end == '.' && pid > 0 && end[1] != '\0') {
			p = end + 1;
			strtoull(p, &end, 10);
			if (*end == '\0')
				rc = judge(pid, strtoull(p, NULL, 10));
		}
	}
	free(h);
	return (rc);
}
