/*
 * The JSON writer (json.h). Every value starts with value_begin, which
 * writes the comma and the key its place needs, so no caller ever
 * decides whether a comma comes next.
 */
#include <string.h>

#include "json.h"

/* The comma and "key": that precede a value here; checks the key. */
static void
value_begin(struct json_writer *jw, const char *key)
{
	int	in_object;

	in_object = jw->open.len > 0 && jw->open.buf[jw->open.len - 1] == '{';
	if (in_object != (key != NULL))
		fatal("json writer: %s key '%s'", in_object ? "missing" :
		    "unexpected", key != NULL ? key : "");
	if (jw->open.len == 0 && jw->json.len > 0)
		fatal("json writer: a second value at the top level");
	if (jw->need_comma)
		strbuf_addch(&jw->json, ',');
	if (key != NULL) {
		strbuf_add_json_string(&jw->json, key);
		strbuf_addch(&jw->json, ':');
	}
	jw->need_comma = 1;
}

static void
begin(struct json_writer *jw, const char *key, char open)
{
	value_begin(jw, key);
	strbuf_addch(&jw->json, open);
	strbuf_addch(&jw->open, open);
	jw->need_comma = 0;
}

void
jw_object_begin(struct json_writer *jw, const char *key)
{
	begin(jw, key, '{');
}

void
jw_array_begin(struct json_writer *jw, const char *key)
{
	begin(jw, key, '[');
}

void
jw_end(struct json_writer *jw)
{
	if (jw->open.len == 0)
		fatal("json writer: end with nothing open");
	jw->open.len--;
	strbuf_addch(&jw->json, jw->open.buf[jw->open.len] == '{' ? '}' :
	    ']');
	jw->open.buf[jw->open.len] = '\0';
	jw->need_comma = 1;
}

/* A NULL value is JSON's null: "not set", apart from "". */
void
jw_string(struct json_writer *jw, const char *key, const char *value)
{
	value_begin(jw, key);
	if (value == NULL)
		strbuf_adds(&jw->json, "null");
	else
		strbuf_add_json_string(&jw->json, value);
}

void
jw_int(struct json_writer *jw, const char *key, long long value)
{
	value_begin(jw, key);
	strbuf_addf(&jw->json, "%lld", value);
}

/* Fixed decimals ("seconds":1.5), as printf's %.*f in the C locale. */
void
jw_double(struct json_writer *jw, const char *key, int precision,
    double value)
{
	value_begin(jw, key);
	strbuf_addf(&jw->json, "%.*f", precision, value);
}

void
jw_bool(struct json_writer *jw, const char *key, int value)
{
	value_begin(jw, key);
	strbuf_adds(&jw->json, value ? "true" : "false");
}

/*
 * A value that is JSON already: one another writer made (a row, a
 * forked create's report). The caller vouches for it.
 */
void
jw_raw(struct json_writer *jw, const char *key, const char *json)
{
	value_begin(jw, key);
	strbuf_adds(&jw->json, json);
}

/*
 * The document, complete, and a newline onto out, as every --format json
 * prints it; the writer is emptied for the next.
 */
void
jw_finish(struct json_writer *jw, struct strbuf *out)
{
	if (jw->open.len > 0)
		fatal("json writer: finished with %zu levels open",
		    jw->open.len);
	strbuf_addbuf(out, &jw->json);
	strbuf_addch(out, '\n');
	jw_release(jw);
}

void
jw_release(struct json_writer *jw)
{
	strbuf_release(&jw->json);
	strbuf_release(&jw->open);
	jw->need_comma = 0;
}
