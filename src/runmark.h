/*
 * The mark of one dbarena run on this host: which process, in which pid
 * namespace, since which boot. Put on everything a run makes, it lets gc
 * tell a run that is gone (a SIGKILL left its databases behind) from one
 * that is still going.
 */
#ifndef DBARENA_RUNMARK_H
#define DBARENA_RUNMARK_H

#define RUN_KEEP_PREFIX	"keep."	/* run --keep: gc never judges it */

char	*run_mark_self(void);
int	 run_mark_alive(const char *);
int	 proc_stat_field(long, int, unsigned long long *);

#endif
