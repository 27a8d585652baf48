/*
 * A ustar archive built in memory: what "docker cp -" reads on its
 * stdin to put files into a container.
 */
#ifndef DBARENA_TAR_H
#define DBARENA_TAR_H

#include "util.h"

#define TAR_BLOCK	512

int	tar_add_dir(struct strbuf *, const char *, unsigned, long long);
int	tar_add_file(struct strbuf *, const char *, unsigned, long long,
	    const char *, size_t);
void	tar_end(struct strbuf *);

#endif
