/*
 * Growable strings and argument vectors. A strbuf's buf is never NULL and
 * always NUL-terminated, so it can be handed to any C string function; a
 * strvec is always NULL-terminated, so v can be passed straight to
 * execvp.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

char strbuf_empty[1];

void
strbuf_init(struct strbuf *sb)
{
	sb->buf = strbuf_empty;
	sb->len = sb->alloc = 0;
}

void
strbuf_release(struct strbuf *sb)
{
	if (sb->alloc != 0)
		free(sb->buf);
	strbuf_init(sb);
}

void
strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->alloc != 0)
		sb->buf[0] = '\0';
}

char *
strbuf_detach(struct strbuf *sb)
{
	char	*p;

	p = sb->alloc != 0 ? sb->buf : xstrdup("");
	strbuf_init(sb);
	return (p);
}

void
strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t	need;

	need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return;
	if (need < 64)
		need = 64;
	if (need < sb->alloc * 2)
		need = sb->alloc * 2;
	if (sb->alloc == 0) {
		sb->buf = xmalloc(need);
		sb->buf[0] = '\0';
	} else
		sb->buf = xrealloc(sb->buf, need);
	sb->alloc = need;
}

void
strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void
strbuf_adds(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void
strbuf_addch(struct strbuf *sb, int c)
{
	char	ch = c;

	strbuf_add(sb, &ch, 1);
}

void
strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list	cp;
	int	n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		fatal("bad format string");
	strbuf_grow(sb, n);
	vsnprintf(sb->buf + sb->len, n + 1, fmt, ap);
	sb->len += n;
}

void
strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

/*
 * Here rather than with the allocation wrappers, which sit below strbuf
 * and call nothing above them.
 */
char *
xasprintf(const char *fmt, ...)
{
	struct strbuf	 sb = STRBUF_INIT;
	va_list		 ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return (strbuf_detach(&sb));
}

void
strbuf_rtrim(struct strbuf *sb)
{
	while (sb->len > 0 && strchr(" \t\r\n", sb->buf[sb->len - 1]) != NULL)
		sb->buf[--sb->len] = '\0';
}

void
strbuf_remove(struct strbuf *sb, size_t pos, size_t len)
{
	if (pos > sb->len)
		return;
	if (len > sb->len - pos)
		len = sb->len - pos;
	memmove(sb->buf + pos, sb->buf + pos + len, sb->len - pos - len + 1);
	sb->len -= len;
}

/*
 * Quote for a POSIX shell only when needed, so that --dry-run output is
 * both pasteable and readable.
 */
void
strbuf_add_shell_quoted(struct strbuf *sb, const char *s)
{
	const char	*p;

	if (*s != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=,+@%") == strlen(s)) {
		strbuf_adds(sb, s);
		return;
	}
	strbuf_addch(sb, '\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'')
			strbuf_adds(sb, "'\\''");
		else
			strbuf_addch(sb, *p);
	}
	strbuf_addch(sb, '\'');
}

/*
 * The length of the well-formed UTF-8 character s starts with (Unicode's
 * table 3-7: no overlong forms, no surrogates, nothing past U+10FFFF), or
 * 0 when s[0] starts none or is the terminating NUL.
 */
size_t
utf8_len(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned char		 lo = 0x80, hi = 0xbf;
	size_t			 n, i;

	if (p[0] == 0)
		return (0);
	if (p[0] < 0x80)
		return (1);
	if (p[0] < 0xc2 || p[0] > 0xf4)
		return (0);
	n = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return (0);
	for (i = 2; i < n; i++) {
		if (p[i] < 0x80 || p[i] > 0xbf)
			return (0);
	}
	return (n);
}

/*
 * A JSON string that is always valid UTF-8, whatever bytes s holds:
 * control characters escaped, and each byte that starts no well-formed
 * UTF-8 character replaced by U+FFFD, so a script's parser never fails.
 */
void
strbuf_add_json_string(struct strbuf *sb, const char *s)
{
	const unsigned char	*p;
	size_t			 n;

	strbuf_addch(sb, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p += n) {
		n = 1;
		switch (*p) {
		case '"':
			strbuf_adds(sb, "\\\"");
			break;
		case '\\':
			strbuf_adds(sb, "\\\\");
			break;
		case '\n':
			strbuf_adds(sb, "\\n");
			break;
		case '\t':
			strbuf_adds(sb, "\\t");
			break;
		case '\r':
			strbuf_adds(sb, "\\r");
			break;
		default:
			if (*p < 0x20)
				strbuf_addf(sb, "\\u%04x", *p);
			else if ((n = utf8_len((const char *)p)) == 0) {
				strbuf_adds(sb, "\\ufffd");
				n = 1;
			} else
				strbuf_add(sb, p, n);
		}
	}
	strbuf_addch(sb, '"');
}

/*
 * Text for a terminal or a table, from a value anyone may have written (a
 * label, a password): control characters as \t, \n, \r or \xNN, C1
 * controls as \u0080..\u009f, and bytes that are not UTF-8 as \xNN, so
 * that no value can forge a line or send the terminal a control sequence.
 * Everything else, a backslash included, is shown as it is.
 */
void
strbuf_add_escaped(struct strbuf *sb, const char *s)
{
	const unsigned char	*p;
	size_t			 n;

	for (p = (const unsigned char *)s; *p != '\0'; p += n) {
		n = utf8_len((const char *)p);
		if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
			strbuf_addf(sb, "\\u%04x", p[1]);
		else if (n > 1 || (n == 1 && *p >= 0x20 && *p != 0x7f))
			strbuf_add(sb, p, n);
		else {
			n = 1;
			if (*p == '\t')
				strbuf_adds(sb, "\\t");
			else if (*p == '\n')
				strbuf_adds(sb, "\\n");
			else if (*p == '\r')
				strbuf_adds(sb, "\\r");
			else
				strbuf_addf(sb, "\\x%02x", *p);
		}
	}
}

/* sb, emptied, holding s escaped as above: for one cell of a table row. */
const char *
strbuf_escaped(struct strbuf *sb, const char *s)
{
	strbuf_reset(sb);
	strbuf_add_escaped(sb, s != NULL ? s : "");
	return (sb->buf);
}

void
strvec_push(struct strvec *sv, const char *s)
{
	if (sv->n + 2 > sv->alloc) {
		sv->alloc = sv->alloc < 8 ? 8 : sv->alloc * 2;
		sv->v = xreallocarray(sv->v, sv->alloc, sizeof *sv->v);
	}
	sv->v[sv->n++] = xstrdup(s);
	sv->v[sv->n] = NULL;
}

void
strvec_pushf(struct strvec *sv, const char *fmt, ...)
{
	struct strbuf	sb = STRBUF_INIT;
	va_list		ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strvec_push(sv, sb.buf);
	strbuf_release(&sb);
}

void
strvec_pushv(struct strvec *sv, char *const *v)
{
	for (; v != NULL && *v != NULL; v++)
		strvec_push(sv, *v);
}

void
strvec_pushvec(struct strvec *sv, const struct strvec *from)
{
	size_t	i;

	for (i = 0; i < from->n; i++)
		strvec_push(sv, from->v[i]);
}

void
strvec_clear(struct strvec *sv)
{
	size_t	i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->alloc = 0;
}

const char *
strvec_get(const struct strvec *sv, size_t i)
{
	return (i < sv->n ? sv->v[i] : NULL);
}

/*
 * Split a configuration value into words: blanks separate, and single or
 * double quotes group ("-Q 'SELECT 1'"). Nothing else is special: this is
 * not a shell and there is no expansion. Returns -1 with *err set on an
 * unterminated quote, leaving sv as it was.
 */
int
strvec_split(struct strvec *sv, const char *s, char **err)
{
	struct strbuf	 word = STRBUF_INIT;
	size_t		 had = sv->n;
	int		 inword = 0;
	char		 quote = 0;

	for (; *s != '\0'; s++) {
		if (quote != 0) {
			if (*s == quote)
				quote = 0;
			else
				strbuf_addch(&word, *s);
			continue;
		}
		if (*s == ' ' || *s == '\t' || *s == '\n') {
			if (inword)
				strvec_push(sv, word.buf);
			strbuf_reset(&word);
			inword = 0;
			continue;
		}
		inword = 1;
		if (*s == '\'' || *s == '"')
			quote = *s;
		else
			strbuf_addch(&word, *s);
	}
	if (quote != 0) {
		strbuf_release(&word);
		while (sv->n > had) {
			free(sv->v[--sv->n]);
			sv->v[sv->n] = NULL;
		}
		if (err != NULL)
			*err = xasprintf("unterminated %c quote", quote);
		return (-1);
	}
	if (inword)
		strvec_push(sv, word.buf);
	strbuf_release(&word);
	return (0);
}

void
strvec_join_quoted(const struct strvec *sv, struct strbuf *sb)
{
	size_t	i;

	for (i = 0; i < sv->n; i++) {
		if (i != 0)
			strbuf_addch(sb, ' ');
		strbuf_add_shell_quoted(sb, sv->v[i]);
	}
}

void
strbuf_addbuf(struct strbuf *sb, const struct strbuf *other)
{
	strbuf_add(sb, other->buf, other->len);
}
