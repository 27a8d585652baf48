/*
 * The one JSON writer, after git's json-writer.h: values go into a strbuf
 * through calls that know where they are (a stack of the objects and
 * arrays still open), so commas, colons and quoting are never written by
 * hand. Strings are always valid UTF-8 (strbuf_add_json_string). Output
 * is compact, on one line, as every --format json has always been.
 */
#ifndef DBARENA_JSON_H
#define DBARENA_JSON_H

#include "util.h"

struct json_writer {
	struct strbuf	 json;		/* what has been written */
	struct strbuf	 open;		/* '{' or '[' for each level open */
	int		 need_comma;	/* a value came before at this level */
};
#define JSON_WRITER_INIT { STRBUF_INIT, STRBUF_INIT, 0 }

/*
 * Each call takes the member's key inside an object and NULL inside an
 * array or at the top: a key where none belongs, or none where one
 * does, is a bug and fatal.
 */
void	jw_object_begin(struct json_writer *, const char *);
void	jw_array_begin(struct json_writer *, const char *);
void	jw_end(struct json_writer *);
void	jw_string(struct json_writer *, const char *, const char *);
void	jw_int(struct json_writer *, const char *, long long);
void	jw_double(struct json_writer *, const char *, int, double);
void	jw_bool(struct json_writer *, const char *, int);
void	jw_raw(struct json_writer *, const char *, const char *);
void	jw_finish(struct json_writer *, struct strbuf *);
void	jw_release(struct json_writer *);

#endif
