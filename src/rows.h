/*
 * The one row emitter: a listing declares its columns once and adds its
 * rows; the same rows come out as the aligned table people read or as
 * the JSON array scripts read (--format json).
 */
#ifndef DBARENA_ROWS_H
#define DBARENA_ROWS_H

#include "dbarena.h"
#include "json.h"

struct column {
	const char	*header;	/* NULL: JSON only */
	int		 width;		/* bytes, left-aligned; the last: 0 */
	const char	*key;		/* NULL: table only */
	int		 flags;
#define COL_VERBATIM	0x1	/* from the user's own files: not escaped */
#define COL_NAME	0x2	/* what -q prints; else the first column */
};

struct rows {
	const struct column	*cols;
	size_t			 ncols;
	size_t			 cell;	/* the next cell's column */
	struct strvec		 text;	/* each cell as the table shows it */
	struct strvec		 json;	/* each cell as JSON */
};

void	rows_init(struct rows *, const struct column *, size_t);
void	rows_str(struct rows *, const char *);
void	rows_int(struct rows *, long long);
void	rows_bool(struct rows *, int);
void	rows_strv(struct rows *, const struct strvec *);
void	rows_emit(struct rows *, enum output_format, struct strbuf *);
void	rows_print(struct rows *, enum output_format);
void	rows_release(struct rows *);

#endif
