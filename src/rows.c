/*
 * The row emitter (rows.h). Each cell is kept twice, as the table shows
 * it and as JSON, at the moment it is added, so that a row can say a
 * cell is a number or null without the emitter keeping types.
 */
#include <stdio.h>
#include <string.h>

#include "rows.h"

void
rows_init(struct rows *r, const struct column *cols, size_t ncols)
{
	memset(r, 0, sizeof *r);
	r->cols = cols;
	r->ncols = ncols;
}

static void
cell(struct rows *r, const char *text, const char *json)
{
	strvec_push(&r->text, text);
	strvec_push(&r->json, json);
	r->cell = (r->cell + 1) % r->ncols;
}

/*
 * A string, escaped in the table: labels are anyone's, and no value may
 * forge a row or reach the terminal as a control sequence. NULL is "-"
 * in the table and null in JSON.
 */
void
rows_str(struct rows *r, const char *value)
{
	struct json_writer	 jw = JSON_WRITER_INIT;
	struct strbuf		 text = STRBUF_INIT;

	if (value == NULL)
		strbuf_adds(&text, "-");
	else if (r->cols[r->cell].flags & COL_VERBATIM)
		strbuf_adds(&text, value);
	else
		strbuf_add_escaped(&text, value);
	jw_string(&jw, NULL, value);
	cell(r, text.buf, jw.json.buf);
	strbuf_release(&text);
	jw_release(&jw);
}

void
rows_int(struct rows *r, long long value)
{
	struct json_writer	 jw = JSON_WRITER_INIT;

	jw_int(&jw, NULL, value);
	cell(r, jw.json.buf, jw.json.buf);
	jw_release(&jw);
}

void
rows_bool(struct rows *r, int value)
{
	cell(r, value ? "yes" : "no", value ? "true" : "false");
}

/* A list of strings: a JSON array, words in the table. */
void
rows_strv(struct rows *r, const struct strvec *sv)
{
	struct json_writer	 jw = JSON_WRITER_INIT;
	struct strbuf		 text = STRBUF_INIT;
	size_t			 i;

	jw_array_begin(&jw, NULL);
	for (i = 0; i < sv->n; i++) {
		jw_string(&jw, NULL, sv->v[i]);
		strbuf_addf(&text, "%s%s", i > 0 ? " " : "", sv->v[i]);
	}
	jw_end(&jw);
	cell(r, text.buf, jw.json.buf);
	strbuf_release(&text);
	jw_release(&jw);
}

/* Columns as wide as declared, one space apart; the last as it is. */
static void
emit_text(const struct rows *r, struct strbuf *out)
{
	size_t	i, last = 0, row;

	for (i = 0; i < r->ncols; i++) {
		if (r->cols[i].header != NULL)
			last = i;
	}
	for (row = 0; row <= r->text.n / r->ncols; row++) {
		for (i = 0; i < r->ncols; i++) {
			if (r->cols[i].header == NULL)
				continue;
			strbuf_addf(out, "%-*s%c", i < last ?
			    r->cols[i].width : 0, row == 0 ? r->cols[i].header :
			    r->text.v[(row - 1) * r->ncols + i],
			    i < last ? ' ' : '\n');
		}
	}
}

static void
emit_json(const struct rows *r, struct strbuf *out)
{
	struct json_writer	 jw = JSON_WRITER_INIT;
	size_t			 i;

	jw_array_begin(&jw, NULL);
	for (i = 0; i < r->json.n; i++) {
		if (i % r->ncols == 0) {
			if (i > 0)
				jw_end(&jw);
			jw_object_begin(&jw, NULL);
		}
		if (r->cols[i % r->ncols].key != NULL)
			jw_raw(&jw, r->cols[i % r->ncols].key, r->json.v[i]);
	}
	if (r->json.n > 0)
		jw_end(&jw);
	jw_end(&jw);
	jw_finish(&jw, out);
}

/* -q: the name column's cells (COL_NAME, or the first), one a line. */
static void
emit_names(const struct rows *r, struct strbuf *out)
{
	size_t	i, c = 0;

	for (i = 0; i < r->ncols; i++) {
		if (r->cols[i].flags & COL_NAME) {
			c = i;
			break;
		}
	}
	for (i = c; i < r->text.n; i += r->ncols)
		strbuf_addf(out, "%s\n", r->text.v[i]);
}

/* The table with its header, or a JSON array of objects, to out. */
void
rows_emit(struct rows *r, enum output_format format, struct strbuf *out)
{
	if (r->cell != 0)
		fatal("rows: a row left with %zu of %zu cells", r->cell,
		    r->ncols);
	if (format == FORMAT_JSON)
		emit_json(r, out);
	else if (format == FORMAT_NAMES)
		emit_names(r, out);
	else
		emit_text(r, out);
}

/* The same on stdout, and the rows released: how a listing ends. */
void
rows_print(struct rows *r, enum output_format format)
{
	struct strbuf	out = STRBUF_INIT;

	rows_emit(r, format, &out);
	fputs(out.buf, stdout);
	strbuf_release(&out);
	rows_release(r);
}

void
rows_release(struct rows *r)
{
	strvec_clear(&r->text);
	strvec_clear(&r->json);
	r->cell = 0;
}
