/*
 * The interrupt flag, at the bottom of the layers: the docker adapter and
 * the readiness wait ask it whether to stop, the commands set it up. It
 * calls nothing of dbarena's.
 */
#include <signal.h>
#include <string.h>

#include "sig.h"

static volatile sig_atomic_t got_signal;

static void
on_signal(int sig)
{
	got_signal = sig;
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
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}
