/*
 * The command line of one command, read from its table entry: which
 * subcommand, then the options, parsed by getopt_long over tables made
 * from the entry's cmd_option list (so getopt's own messages, prefixes
 * and permutation are what they always were), and the usage and help
 * printed from the same list. The command gets the parsed options in a
 * struct args and its operands; it never sees getopt. Under cmd.c, which
 * holds the table and runs the entries through cmd_run.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbarena.h"

#define OPT_LONG	256	/* getopt's value for a long option: + index */
#define USAGE_WIDTH	80	/* columns of a usage line */

/* The options of the many commands whose only one is --format. */
const struct cmd_option cmd_format_options[] = {
	{ "format", 0, "table|json", "print a table (the default) or JSON" },
	{ NULL, 0, NULL, NULL }
};

/* env's and inspect's: a format, and the view from a network. */
const struct cmd_option cmd_connect_options[] = {
	{ "format", 0, "table|json", "print a table (the default) or JSON" },
	CMD_OPTION_NETWORK,
	{ NULL, 0, NULL, NULL }
};

/* A listing's: -q as docker's ps -q, for $(dbarena list -q). */
const struct cmd_option cmd_listing_options[] = {
	{ "format", 0, "table|json", "print a table (the default) or JSON" },
	{ "quiet", 'q', NULL, "print only the names, one a line" },
	{ NULL, 0, NULL, NULL }
};

static size_t
count_options(const struct cmd_option *o)
{
	size_t	n = 0;

	while (o != NULL && o[n].name != NULL)
		n++;
	return (n);
}

static const struct cmd_option *
find_option(const struct cmd_option *const *all, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(all[i]->name, name) == 0)
			return (all[i]);
	}
	return (NULL);
}

/*
 * The options getopt is to know: e's own first, then, for a subcommand
 * sharing them, its siblings' (refused by name once parsed). *nown is
 * how many are e's.
 */
static const struct cmd_option **
gather(const struct cmd_entry *top, const struct cmd_entry *e, size_t *n,
    size_t *nown)
{
	const struct cmd_option	**all;
	const struct cmd_entry	 *s;
	size_t			  max, i;

	max = count_options(e->options);
	for (s = top->subcommands; s != NULL && s->name != NULL; s++)
		max += count_options(s->options);
	all = xcalloc(max + 1, sizeof *all);
	for (i = 0; i < count_options(e->options); i++)
		all[i] = &e->options[i];
	*n = *nown = i;
	for (s = top->subcommands; s != NULL && s->name != NULL &&
	    (e->flags & CMD_SUB_SHARED); s++) {
		if ((s->flags & CMD_SUB_SHARED) == 0)
			continue;
		for (i = 0; s->options[i].name != NULL; i++) {
			if (find_option(all, *n, s->options[i].name) == NULL)
				all[(*n)++] = &s->options[i];
		}
	}
	return (all);
}

/* getopt_long's tables for all; the long ones sorted, as ours were. */
static int
cmp_long(const void *a, const void *b)
{
	return (strcmp(((const struct option *)a)->name,
	    ((const struct option *)b)->name));
}

static struct option *
getopt_tables(const struct cmd_option *const *all, size_t n, int in_order,
    struct strbuf *shortopts)
{
	struct option	*lo;
	size_t		 i;

	lo = xcalloc(n + 1, sizeof *lo);
	if (in_order)
		strbuf_addch(shortopts, '+');
	for (i = 0; i < n; i++) {
		lo[i].name = all[i]->name;
		lo[i].has_arg = all[i]->arg != NULL ? required_argument :
		    no_argument;
		lo[i].val = OPT_LONG + (int)i;
		if (all[i]->letter != 0) {
			strbuf_addch(shortopts, all[i]->letter);
			if (all[i]->arg != NULL)
				strbuf_addch(shortopts, ':');
		}
	}
	qsort(lo, n, sizeof *lo, cmp_long);
	return (lo);
}

/* The index in all of what getopt_long returned. */
static size_t
option_index(const struct cmd_option *const *all, size_t n, int ch)
{
	size_t	i;

	if (ch >= OPT_LONG)
		return (ch - OPT_LONG);
	for (i = 0; i < n && all[i]->letter != ch; i++)
		;
	return (i);
}

/* A sibling's option: by name, not its argument (optind is past both). */
static int
refuse(const struct cmd_entry *top, const char *sub, const char *name,
    int letter)
{
	char	opt[64];

	if (name != NULL)
		snprintf(opt, sizeof opt, "--%s", name);
	else
		snprintf(opt, sizeof opt, "-%c", letter);
	return (cmd_usage_error(top, "%s %s does not take %s", top->name, sub,
	    opt));
}

/*
 * Parse argv's options into a for e (top's subcommand, or top itself).
 * Returns -1 when none is left to parse, or the exit code of the usage
 * error it printed; *optend is where the operands start.
 */
static int
parse(struct args *a, const struct cmd_entry *top, const struct cmd_entry *e,
    int argc, char **argv, int *optend)
{
	const struct cmd_option	**all;
	struct option		 *lo;
	struct strbuf		  so = STRBUF_INIT;
	size_t			  n, nown, i;
	char			 *word, *prog;
	int			  ch, li, code = -1;

	all = gather(top, e, &n, &nown);
	lo = getopt_tables(all, n, e->flags & CMD_IN_ORDER, &so);
	a->entry = e;
	a->v = xcalloc(nown + 1, sizeof *a->v);
	/*
	 * getopt names argv[0] in its messages: the program and the whole
	 * command ("dbarena images list: ..."), not a bare "list:".
	 */
	word = argv[0];
	argv[0] = prog = top == e ? xasprintf("dbarena %s", top->name) :
	    xasprintf("dbarena %s %s", top->name, e->name);
	optind = 0;	/* glibc: start afresh */
	while (code == -1 && (li = -1, ch = getopt_long(argc, argv, so.buf,
	    lo, &li)) != -1) {
		if (ch < OPT_LONG && (ch == '?' || ch == ':'))
			code = cmd_usage_error(top, NULL);
		else if ((i = option_index(all, n, ch)) >= nown)
			code = refuse(top, word, li != -1 ? lo[li].name :
			    NULL, ch);
		else if (all[i]->arg == NULL)
			a->v[i].n++;
		else {
			/* Not copied: a password stays only where it was. */
			a->v[i].v = xreallocarray(a->v[i].v, a->v[i].n + 2,
			    sizeof *a->v[i].v);
			a->v[i].v[a->v[i].n++] = optarg;
			a->v[i].v[a->v[i].n] = NULL;
		}
	}
	*optend = optind;
	argv[0] = word;
	free(prog);
	free(lo);
	free(all);
	strbuf_release(&so);
	return (code);
}

/*
 * Where argv's operands start once e's options are parsed (getopt_long
 * permutes argv to put them last), without a word on stderr: for the
 * fuzz harness, which steers by the same table.
 */
int
cmd_operands(const struct cmd_entry *e, int argc, char **argv)
{
	const struct cmd_option	**all;
	struct option		 *lo;
	struct strbuf		  so = STRBUF_INIT;
	size_t			  n, nown;
	int			  saved = opterr;

	all = gather(e, e, &n, &nown);
	lo = getopt_tables(all, n, e->flags & CMD_IN_ORDER, &so);
	opterr = 0;
	optind = 0;
	while (getopt_long(argc, argv, so.buf, lo, NULL) != -1)
		;
	opterr = saved;
	free(lo);
	free(all);
	strbuf_release(&so);
	return (optind);
}

static void
args_free(struct args *a)
{
	size_t	i;

	for (i = 0; a->v != NULL && i < count_options(a->entry->options); i++)
		free(a->v[i].v);
	free(a->v);
}

/* Parse e's options, then run it on its operands. */
static int
run(const struct cmd_entry *top, const struct cmd_entry *e, int argc,
    char **argv)
{
	struct args	a;
	int		code, optend;

	memset(&a, 0, sizeof a);
	if ((code = parse(&a, top, e, argc, argv, &optend)) == -1)
		code = e->exec(&a, argc - optend, argv + optend);
	args_free(&a);
	return (code);
}

/* The subcommand word names (exact name or alias); NULL: the default. */
static const struct cmd_entry *
find_sub(const struct cmd_entry *e, const char *word)
{
	const struct cmd_entry	*s;

	for (s = e->subcommands; s->name != NULL; s++) {
		if (word != NULL ? strcmp(word, s->name) == 0 ||
		    (s->alias != NULL && strcmp(word, s->alias) == 0) :
		    (s->flags & CMD_DEFAULT) != 0)
			return (s);
	}
	return (NULL);
}

/*
 * Optimal string alignment distance between a and b: the edits that
 * turn one into the other, a swap of two neighbours counting as one
 * (Damerau), so "destory" is one typo away from "destroy".
 */
static size_t
typos(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b), i, j, c, best, *d;

	d = xcalloc((la + 1) * (lb + 1), sizeof *d);
#define D(i, j)	d[(i) * (lb + 1) + (j)]
	for (i = 0; i <= la; i++)
		D(i, 0) = i;
	for (j = 0; j <= lb; j++)
		D(0, j) = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			c = a[i - 1] != b[j - 1];
			best = D(i - 1, j - 1) + c;
			if (D(i - 1, j) + 1 < best)
				best = D(i - 1, j) + 1;
			if (D(i, j - 1) + 1 < best)
				best = D(i, j - 1) + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && D(i - 2, j - 2) + 1 < best)
				best = D(i - 2, j - 2) + 1;
			D(i, j) = best;
		}
	}
	best = D(la, lb);
#undef D
	free(d);
	return (best);
}

/* The i-th entry of a table of pointers, or else of an array; or NULL. */
static const struct cmd_entry *
nth(const struct cmd_entry *const *table, const struct cmd_entry *subs,
    size_t i)
{
	if (table != NULL)
		return (table[i]);
	return (subs[i].name != NULL ? &subs[i] : NULL);
}

/* How many typos word is from e's name or its alias. */
static size_t
entry_typos(const char *word, const struct cmd_entry *e)
{
	size_t	n = typos(word, e->name), na;

	if (e->alias != NULL && (na = typos(word, e->alias)) < n)
		n = na;
	return (n);
}

/*
 * After "unknown command": the nearest commands of table (or of subs),
 * as git suggests, when word looks like a typo of them: at most two
 * typos, and no more than one in three of its letters, so that a word
 * of its own ("frobnicate") gets no guess. Returns whether it said one.
 */
int
cmd_suggest(const char *word, const struct cmd_entry *const *table,
    const struct cmd_entry *subs)
{
	const struct cmd_entry	*e;
	struct strvec		 near = STRVEC_INIT;
	struct strbuf		 sb = STRBUF_INIT;
	size_t			 i, n, min = SIZE_MAX;

	for (i = 0; (e = nth(table, subs, i)) != NULL; i++) {
		if ((n = entry_typos(word, e)) < min)
			min = n;
	}
	if (min > 2 || min * 3 > strlen(word))
		return (0);
	for (i = 0; (e = nth(table, subs, i)) != NULL; i++) {
		if (entry_typos(word, e) == min)
			strvec_push(&near, e->name);
	}
	/* "stop", "stop or start", "stop, start or shell". */
	for (i = 0; i < near.n; i++)
		strbuf_addf(&sb, "%s%s", i == 0 ? "" : i + 1 == near.n ?
		    " or " : ", ", near.v[i]);
	hint_msg("did you mean %s?", sb.buf);
	strbuf_release(&sb);
	strvec_clear(&near);
	return (1);
}

/*
 * Run e on argv (argv[0] the command's name as typed): its subcommand,
 * if it has them (exact name or alias; none named, the default), or
 * itself. Returns the exit code.
 */
int
cmd_run(const struct cmd_entry *e, int argc, char **argv)
{
	const struct cmd_entry	 *s;
	char			**v;
	int			  code;

	if (e->subcommands == NULL)
		return (run(e, e, argc, argv));
	if (argc < 2)
		return (run(e, find_sub(e, NULL), argc, argv));
	if ((s = find_sub(e, argv[1])) != NULL)
		return (run(e, s, argc - 1, argv + 1));
	/*
	 * An option where the subcommand would be is the default's:
	 * "volumes -q" lists, as "docker volume ls -q" would.
	 */
	s = find_sub(e, NULL);
	if ((e->flags & CMD_SUB_IMPLIED) == 0 &&
	    (argv[1][0] != '-' || argv[1][1] == '\0' || s == NULL)) {
		error_msg("unknown %s command: %s", e->name, argv[1]);
		cmd_suggest(argv[1], NULL, e->subcommands);
		return (cmd_usage_error(e, NULL));
	}
	/* "images [--format json] [ENGINE...]": as if the default was named. */
	v = xreallocarray(NULL, argc + 1, sizeof *v);
	v[0] = xstrdup(s->name);
	memcpy(v + 1, argv + 1, argc * sizeof *v);	/* NULL included */
	code = run(e, s, argc, v);
	free(v[0]);
	free(v);
	return (code);
}

/*
 * The parsed values of option name; one the entry does not declare was
 * not given (subcommands that share code read each other's, as tmux's
 * args_has does).
 */
static const struct args_value *
value(const struct args *a, const char *name)
{
	static const struct args_value	 none = { 0, NULL };
	const struct cmd_option		*o = a->entry->options;
	size_t				 i;

	for (i = 0; o != NULL && o[i].name != NULL; i++) {
		if (strcmp(o[i].name, name) == 0)
			return (&a->v[i]);
	}
	return (&none);
}

/* How many times the option was given. */
int
args_has(const struct args *a, const char *name)
{
	return (value(a, name)->n);
}

/* Its last argument (the last one given wins), or NULL. */
const char *
args_get(const struct args *a, const char *name)
{
	const struct args_value	*v = value(a, name);

	return (v->v != NULL ? v->v[v->n - 1] : NULL);
}

/* All its arguments, in order, NULL-terminated. */
char *const *
args_values(const struct args *a, const char *name)
{
	static char	*none[] = { NULL };
	char		**v = value(a, name)->v;

	return (v != NULL ? v : none);
}

/*
 * --format: each value given must be one, the last wins. Returns -1
 * after saying why not.
 */
int
args_format(const struct args *a, enum output_format *f)
{
	char *const	*v;

	for (v = args_values(a, "format"); *v != NULL; v++) {
		if (parse_format(*v, f) == -1)
			return (-1);
	}
	return (0);
}

/* A listing's --format, or with -q (which wins) its names only. */
int
args_listing(const struct args *a, enum output_format *f)
{
	if (args_format(a, f) == -1)
		return (-1);
	if (args_has(a, "quiet"))
		*f = FORMAT_NAMES;
	return (0);
}

/* The synopsis; a command with subcommands has theirs, one by one. */
static void
synopsis(struct strbuf *sb, const struct cmd_entry *e)
{
	const struct cmd_entry	*s;

	if (e->usage != NULL) {
		strbuf_adds(sb, e->usage);
		return;
	}
	strbuf_addch(sb, '[');
	for (s = e->subcommands; s->name != NULL; s++) {
		strbuf_addf(sb, "%s%s%s%s", s == e->subcommands ? "" : " | ",
		    s->name, *s->usage != '\0' ? " " : "", s->usage);
	}
	strbuf_addch(sb, ']');
}

/*
 * Words of a synopsis, put on lines of at most USAGE_WIDTH columns the
 * way git's usage strings and a BSD SYNOPSIS are, continuation lines
 * indented to indent. A line breaks only where a space stands at a
 * bracket depth of at most depth, so "[--env K=V | --env K]..." stays
 * whole; a word wider than a line gets one of its own. Inside the
 * subcommands' bracket (depth 1), each one starts a line: "| pull ...".
 */
static void
print_wrapped(FILE *f, const char *text, int col, int indent, int depth)
{
	const char	*p, *w;
	int		 d = 0, len;

	for (w = text; *w != '\0'; w = p + (*p != '\0')) {
		for (p = w; *p != '\0' && (*p != ' ' || d > depth); p++) {
			if (*p == '[')
				d++;
			else if (*p == ']')
				d--;
		}
		len = p - w;
		if (col > indent && (col + 1 + len > USAGE_WIDTH ||
		    (depth > 0 && len == 1 && *w == '|')))
			col = fprintf(f, "\n%*s", indent, "") - 1;
		else
			col += fprintf(f, " ");
		col += fprintf(f, "%.*s", len, w);
	}
}

void
cmd_print_usage(FILE *f, const struct cmd_entry *e)
{
	struct strbuf	sb = STRBUF_INIT;
	int		col;

	synopsis(&sb, e);
	col = fprintf(f, "usage: dbarena %s", e->name);
	/* A command with subcommands may break between their words too. */
	print_wrapped(f, sb.buf, col, col + 1, e->usage == NULL);
	fputc('\n', f);
	strbuf_release(&sb);
	if (e->alias != NULL)
		fprintf(f, "alias: %s\n", e->alias);
}

int
cmd_usage_error(const struct cmd_entry *e, const char *fmt, ...)
{
	struct strbuf	sb = STRBUF_INIT;
	va_list		ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		strbuf_vaddf(&sb, fmt, ap);
		va_end(ap);
		error_msg("%s", sb.buf);
		strbuf_release(&sb);
	}
	cmd_print_usage(stderr, e);
	return (EXIT_USAGE);
}

/* "-e, --env K=V" or "    --bind ADDR", into sb. */
static void
option_label(struct strbuf *sb, const struct cmd_option *o)
{
	strbuf_reset(sb);
	if (o->letter != 0)
		strbuf_addf(sb, "-%c, ", o->letter);
	else
		strbuf_adds(sb, "    ");
	strbuf_addf(sb, "--%s%s%s", o->name, o->arg != NULL ? " " : "",
	    o->arg != NULL ? o->arg : "");
}

/* The widest option label of e and its subcommands. */
static size_t
label_width(const struct cmd_entry *e)
{
	struct strbuf		 sb = STRBUF_INIT;
	const struct cmd_option	*o;
	size_t			 w = 0;

	for (o = e->options; o != NULL && o->name != NULL; o++) {
		option_label(&sb, o);
		if (sb.len > w)
			w = sb.len;
	}
	strbuf_release(&sb);
	if (e->subcommands != NULL) {
		for (e = e->subcommands; e->name != NULL; e++) {
			if (label_width(e) > w)
				w = label_width(e);
		}
	}
	return (w);
}

static void
print_option_lines(FILE *f, const struct cmd_option *o, const char *indent,
    int width)
{
	struct strbuf	sb = STRBUF_INIT;

	for (; o != NULL && o->name != NULL; o++) {
		option_label(&sb, o);
		fprintf(f, "%s%-*s  %s\n", indent, width, sb.buf, o->help);
	}
	strbuf_release(&sb);
}

/*
 * help COMMAND and COMMAND --help: the usage, the summary, then every
 * option with its line, and every subcommand with its line and options.
 */
void
cmd_print_help(FILE *f, const struct cmd_entry *e)
{
	const struct cmd_entry	*s;
	int			 w = label_width(e), col;

	cmd_print_usage(f, e);
	fprintf(f, "\n%s\n", e->summary);
	if (count_options(e->options) > 0) {
		fprintf(f, "\nOptions:\n");
		print_option_lines(f, e->options, "  ", w);
	}
	if (e->subcommands == NULL)
		return;
	fprintf(f, "\nCommands:\n");
	for (s = e->subcommands; s->name != NULL; s++) {
		col = fprintf(f, "%s  %s", s == e->subcommands ? "" : "\n",
		    s->name);
		print_wrapped(f, s->usage, col, col + 1, 0);
		if (s->alias != NULL)
			fprintf(f, "  (alias: %s)", s->alias);
		fprintf(f, "\n      %s\n", s->summary);
		print_option_lines(f, s->options, "      ", w);
	}
}

/* Whether e's usage repeats the option: "[--env K=V | --env K]...". */
static int
repeated(const struct cmd_entry *e, const char *name)
{
	const char	*p;
	size_t		 len = strlen(name);

	for (p = e->usage; (p = strstr(p, "--")) != NULL; p += 2) {
		if (strncmp(p + 2, name, len) == 0 &&
		    strchr(" ]", p[2 + len]) != NULL) {
			p = strchr(p, ']');
			return (p != NULL && strncmp(p, "]...", 4) == 0);
		}
	}
	return (0);
}

/* Whether "--name" or "-L", one of e's options, takes an argument. */
static int
takes_arg(const struct cmd_entry *e, const char *word)
{
	const struct cmd_option	*o;

	for (o = e->options; o != NULL && o->name != NULL; o++) {
		if (word[1] == '-' ? strcmp(word + 2, o->name) == 0 :
		    word[1] == o->letter && word[2] == '\0')
			return (o->arg != NULL);
	}
	return (0);
}

/*
 * The words of e for completion: its options, then the operands of its
 * usage (the words in capitals that are no option's argument).
 */
static void
print_words(FILE *f, const char *sub, const struct cmd_entry *e)
{
	const struct cmd_option	*o;
	char			*copy, *tok, *last, *core, letter[3] = "-";
	int			 skip = 0, rep;

	for (o = e->options; o != NULL && o->name != NULL; o++) {
		letter[1] = o->letter;
		fprintf(f, "option %s --%s %s %s %d\n", sub, o->name, letter,
		    o->arg != NULL ? o->arg : "-", repeated(e, o->name));
	}
	copy = xstrdup(e->usage);
	for (tok = strtok_r(copy, " ", &last); tok != NULL;
	    tok = strtok_r(NULL, " ", &last)) {
		rep = strstr(tok, "...") != NULL;
		core = tok + strspn(tok, "[(");
		core[strcspn(core, "])|.")] = '\0';
		if (skip)
			skip = 0;
		else if (core[0] == '-' && core[1] != '\0' &&
		    strcmp(core, "--") != 0)
			skip = takes_arg(e, core);
		else if (core[0] >= 'A' && core[0] <= 'Z')
			fprintf(f, "operand %s %s %d\n", sub, core, rep);
	}
	free(copy);
}

/*
 * help --options COMMAND, for completion: words only, one record a line,
 * "-" for none, SUB "-" for the command's own. "subcommand NAME ALIAS",
 * "option SUB --NAME -L ARG REPEATS" and "operand SUB NAME REPEATS".
 */
void
cmd_print_options(FILE *f, const struct cmd_entry *e)
{
	const struct cmd_entry	*s;

	if (e->subcommands == NULL) {
		print_words(f, "-", e);
		return;
	}
	for (s = e->subcommands; s->name != NULL; s++) {
		fprintf(f, "subcommand %s %s\n", s->name, s->alias != NULL ?
		    s->alias : "-");
		print_words(f, s->name, s);
	}
}

/*
 * "dbarena CMD --help" anywhere before "--" prints its help, exit 0. For
 * a command whose options end at the first operand (exec, shell), only
 * before that operand: "exec db ls -h" runs ls -h. Never an option's
 * argument: "create --password -h" sets the password.
 */
int
cmd_wants_help(int argc, char **argv, const struct cmd_entry *e)
{
	int	i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			cmd_print_help(stdout, e);
			return (1);
		}
		/* An option's argument is the option's: --password -h. */
		if (argv[i][0] == '-' && strchr(argv[i], '=') == NULL &&
		    takes_arg(e, argv[i]))
			i++;
		else if (argv[i][0] != '-' && (e->flags & CMD_IN_ORDER))
			break;
	}
	return (0);
}
