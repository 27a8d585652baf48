/*
 * Small building blocks shared by every module: allocation wrappers that
 * never return NULL, a growable string (strbuf) whose buffer is always
 * NUL-terminated, an argv builder (strvec), and the one way dbarena talks
 * to the user about problems.
 */
#ifndef DBARENA_UTIL_H
#define DBARENA_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#define PRINTFLIKE(a, b) __attribute__((format(printf, a, b)))

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) PRINTFLIKE(1, 2);

/* Messages: "dbarena: problem" and, when there is one, the fix below it. */
void	 error_msg(const char *, ...) PRINTFLIKE(1, 2);
void	 hint_msg(const char *, ...) PRINTFLIKE(1, 2);
void	 warn_msg(const char *, ...) PRINTFLIKE(1, 2);
__attribute__((noreturn)) void fatal(const char *, ...) PRINTFLIKE(1, 2);

/* Under them all (fatal.c): one line in a fixed buffer, one write(2). */
#define MSG_MAX	1024
size_t	 msg_format(char *, size_t, const char *, const char *, va_list,
	     int *);
void	 msg_write(int, const char *, size_t);

struct strbuf {
	char	*buf;
	size_t	 len;
	size_t	 alloc;
};
#define STRBUF_INIT { strbuf_empty, 0, 0 }
extern char strbuf_empty[];

void	 strbuf_init(struct strbuf *);
void	 strbuf_release(struct strbuf *);
void	 strbuf_reset(struct strbuf *);
char	*strbuf_detach(struct strbuf *);
void	 strbuf_grow(struct strbuf *, size_t);
void	 strbuf_add(struct strbuf *, const void *, size_t);
void	 strbuf_adds(struct strbuf *, const char *);
void	 strbuf_addbuf(struct strbuf *, const struct strbuf *);
void	 strbuf_addch(struct strbuf *, int);
void	 strbuf_addf(struct strbuf *, const char *, ...) PRINTFLIKE(2, 3);
void	 strbuf_vaddf(struct strbuf *, const char *, va_list);
void	 strbuf_rtrim(struct strbuf *);
void	 strbuf_remove(struct strbuf *, size_t, size_t);
void	 strbuf_add_shell_quoted(struct strbuf *, const char *);
void	 strbuf_add_json_string(struct strbuf *, const char *);
void	 strbuf_add_escaped(struct strbuf *, const char *);
const char *strbuf_escaped(struct strbuf *, const char *);
size_t	 utf8_len(const char *);

struct strvec {
	char	**v;
	size_t	  n;
	size_t	  alloc;
};
#define STRVEC_INIT { NULL, 0, 0 }

void	 strvec_push(struct strvec *, const char *);
void	 strvec_pushf(struct strvec *, const char *, ...) PRINTFLIKE(2, 3);
void	 strvec_pushv(struct strvec *, char *const *);
void	 strvec_pushvec(struct strvec *, const struct strvec *);
void	 strvec_clear(struct strvec *);
const char *strvec_get(const struct strvec *, size_t);
int	 strvec_split(struct strvec *, const char *, char **);
void	 strvec_join_quoted(const struct strvec *, struct strbuf *);

/* Monotonic milliseconds, for timeouts and the "ready in" figure. */
long long	 now_ms(void);
void		 sleep_ms(long);

int	 parse_size(const char *, unsigned long long *);
void	 format_size(unsigned long long, char *, size_t);
int	 parse_uint(const char *, unsigned long, unsigned long, unsigned long *);
int	 parse_duration_ms(const char *, long long *);
int	 valid_name(const char *);
int	 valid_env_name(const char *, size_t);
int	 valid_ip(const char *);
int	 valid_registry(const char *);
#define MIN_MEMORY	(6ULL * 1024 * 1024)	/* docker's own minimum */
int	 valid_memory(const char *);
int	 port_free(const char *, int);
char	*path_search(const char *);

/* Colour on a terminal only, and never with NO_COLOR set (no-color.org). */
enum colour {
	COLOUR_GREEN,
	COLOUR_YELLOW,
	COLOUR_RED
};
int		 colour_wanted(int);
const char	*colour_on(enum colour);
const char	*colour_off(void);

#endif
