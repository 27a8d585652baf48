/*
 * The docker networks databases join (--network): made when missing,
 * removed with the last database on them, and only when dbarena made them.
 */
#ifndef DBARENA_NETWORK_H
#define DBARENA_NETWORK_H

#include "util.h"

int	network_prepare(const char *, const char *);
int	network_release(const char *);
void	network_release_all(const struct strvec *, int);

#endif
