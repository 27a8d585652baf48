/*
 * The interrupt flag, at the bottom of the layers: the docker adapter and
 * the readiness wait ask it whether to stop, the commands set it up. It
 * calls nothing of dbarena's. run also hands it the pid of the command
 * it waits for, to pass on the signals a process sent to dbarena alone.
 */
#include <signal.h>
#include <string.h>

#include "sig.h"

static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t forward_to;	/* a pid, or 0 */

/*
 * A signal the kernel sent (si_code > 0: a terminal's Ctrl-C or hangup)
 * went to the whole foreground process group, the command included; one
 * a process sent (kill, a CI runner's SIGTERM) came to dbarena alone, and
 * the command must hear it too.
 */
static void
on_signal(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	got_signal = sig;
	if (forward_to > 0 && (si == NULL || si->si_code <= 0))
		kill((pid_t)forward_to, sig);
}

/* 0, or the exit code the interrupt asks for (130, 143). */
int
interrupted(void)
{
	return (got_signal ? 128 + got_signal : 0);
}

/*
 * Commands that make things catch SIGINT and SIGTERM and clean up before
 * exiting; no SA_RESTART, so a wait returns at once with EINTR.
 */
void
signals_init(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/*
 * From now on, pass the signals a process sends dbarena on to pid (0:
 * stop). One that came before, while the command was being started, is
 * passed on at once: it was meant for the run as a whole.
 */
void
signals_forward(pid_t pid)
{
	forward_to = pid;
	if (pid > 0 && got_signal)
		kill(pid, got_signal);
}
