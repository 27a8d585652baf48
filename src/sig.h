/*
 * The interrupt flag: SIGINT, SIGTERM and SIGHUP caught and remembered,
 * so that long waits (docker, readiness) can stop and clean up.
 */
#ifndef DBARENA_SIG_H
#define DBARENA_SIG_H

int	 interrupted(void);
void	 signals_init(void);

#endif
