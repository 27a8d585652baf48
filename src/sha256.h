/*
 * SHA-256 (FIPS 180-4), for the one place dbarena needs it: the docker
 * CLI keeps a context's metadata in a directory named by the SHA-256 of
 * the context's name, and reading it there saves a docker call.
 */
#ifndef DBARENA_SHA256_H
#define DBARENA_SHA256_H

#include <stddef.h>

#define SHA256_HEX_LEN	65	/* 64 hex digits and the NUL */

void	sha256_hex(const void *, size_t, char [SHA256_HEX_LEN]);

#endif
