/*
 * A ustar archive (POSIX.1-1988, the format every tar reads) built in
 * memory, for "docker cp -": a file reaches a container through the
 * engine's API, with no shell or program needed in the image, no
 * temporary file on this machine, and its content (a password) never in
 * an argument vector. Only what that needs: directories and regular
 * files owned by root, names that fit the 100-byte name field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tar.h"

/*
 * A number in an octal field of len bytes: len - 1 digits, zero-padded,
 * then a NUL. The callers' values fit (sizes are small, times 11 digits).
 */
static void
octal(char *field, size_t len, unsigned long long v)
{
	size_t	i;

	field[len - 1] = '\0';
	for (i = len - 1; i > 0; i--) {
		field[i - 1] = '0' + (v & 7);
		v >>= 3;
	}
}

static int
add_header(struct strbuf *tar, const char *path, char type, unsigned mode,
    long long mtime, size_t size)
{
	char		 h[TAR_BLOCK];
	unsigned long	 sum = 0;
	size_t		 i;

	if (strlen(path) == 0 || strlen(path) > 100)
		return (-1);
	memset(h, 0, sizeof h);
	memcpy(h, path, strlen(path));
	octal(h + 100, 8, mode & 07777);
	octal(h + 108, 8, 0);			/* uid */
	octal(h + 116, 8, 0);			/* gid */
	octal(h + 124, 12, size);
	octal(h + 136, 12, mtime > 0 ? (unsigned long long)mtime : 0);
	h[156] = type;
	memcpy(h + 257, "ustar", 6);		/* magic, NUL included */
	memcpy(h + 263, "00", 2);		/* version */
	memcpy(h + 265, "root", 4);		/* uname */
	memcpy(h + 297, "root", 4);		/* gname */
	octal(h + 329, 8, 0);			/* devmajor */
	octal(h + 337, 8, 0);			/* devminor */
	/* The checksum is summed with its own field as spaces. */
	memset(h + 148, ' ', 8);
	for (i = 0; i < sizeof h; i++)
		sum += (unsigned char)h[i];
	octal(h + 148, 7, sum);			/* six digits, NUL */
	h[155] = ' ';
	strbuf_add(tar, h, sizeof h);
	return (0);
}

/* A directory entry; path gets its trailing slash here. */
int
tar_add_dir(struct strbuf *tar, const char *path, unsigned mode,
    long long mtime)
{
	char	*p;
	int	 rc;

	p = xasprintf("%s/", path);
	rc = add_header(tar, p, '5', mode, mtime, 0);
	free(p);
	return (rc);
}

/* A regular file holding len bytes of data, padded to a block. */
int
tar_add_file(struct strbuf *tar, const char *path, unsigned mode,
    long long mtime, const char *data, size_t len)
{
	static const char	zero[TAR_BLOCK];

	if (add_header(tar, path, '0', mode, mtime, len) == -1)
		return (-1);
	strbuf_add(tar, data, len);
	if (len % TAR_BLOCK != 0)
		strbuf_add(tar, zero, TAR_BLOCK - len % TAR_BLOCK);
	return (0);
}

/* The end: two blocks of zeros. */
void
tar_end(struct strbuf *tar)
{
	static const char	zero[2 * TAR_BLOCK];

	strbuf_add(tar, zero, sizeof zero);
}
