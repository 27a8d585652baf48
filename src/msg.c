/*
 * Messages to the user: "dbarena: problem" and, when there is one, the
 * fix below it. Each is formatted into fatal.c's fixed buffer and goes
 * out in one write(2); one that does not fit, or that holds a byte to
 * escape, is built on the heap through strbuf, whose failure ends in
 * fatal(). So this file sits above strbuf, and strbuf and the allocation
 * wrappers below it call fatal() only, never these.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static void
vmsg(const char *prefix, const char *fmt, va_list ap)
{
	char		buf[MSG_MAX];
	struct strbuf	sb = STRBUF_INIT, text = STRBUF_INIT;
	va_list		cp;
	size_t		len, i;
	int		cut, plain = 1;

	va_copy(cp, ap);
	len = msg_format(buf, sizeof buf, prefix, fmt, cp, &cut);
	va_end(cp);
	fflush(stderr);
	/*
	 * Names and labels in a message are anyone's: none forges a line.
	 * Plain text goes out from the fixed buffer, allocating nothing.
	 */
	for (i = strlen(prefix); i + 1 < len; i++) {
		if ((unsigned char)buf[i] < 0x20 ||
		    (unsigned char)buf[i] >= 0x7f)
			plain = 0;
	}
	if (!cut && plain) {
		msg_write(STDERR_FILENO, buf, len);
		return;
	}
	strbuf_adds(&sb, prefix);
	strbuf_vaddf(&text, fmt, ap);
	strbuf_add_escaped(&sb, text.buf);
	strbuf_release(&text);
	strbuf_addch(&sb, '\n');
	msg_write(STDERR_FILENO, sb.buf, sb.len);
	strbuf_release(&sb);
}

void
error_msg(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vmsg("dbarena: ", fmt, ap);
	va_end(ap);
}

void
warn_msg(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vmsg("dbarena: warning: ", fmt, ap);
	va_end(ap);
}

void
hint_msg(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vmsg("  ", fmt, ap);
	va_end(ap);
}
