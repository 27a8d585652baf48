/*
 * The interrupt flag: SIGINT, SIGTERM and SIGHUP caught and remembered,
 * so that long waits (docker, readiness) can stop and clean up.
 */
#ifndef DBARENA_SIG_H
#define DBARENA_SIG_H

#include <sys/types.h>

int	 interrupted(void);
void	 signals_init(void);
void	 signals_forward(pid_t);

#endif
