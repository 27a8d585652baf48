/*
 * What every cmocka unit test program includes. Programs print TAP when
 * CMOCKA_MESSAGE_OUTPUT=TAP, as make check sets it.
 */
#ifndef DBARENA_UNIT_H
#define DBARENA_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

/* The source tree's tests/ directory, from make check's environment. */
static inline const char *
test_srcdir(void)
{
	const char	*d = getenv("TEST_SRCDIR");

	return (d != NULL ? d : "tests");
}

#endif
