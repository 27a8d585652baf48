/*
 * The exec fallback's reading of a client's output (psql -A -t -F TAB,
 * mariadb -N -B with its escapes), and the snapshot names that may go
 * into a server's identifiers.
 */
#include <string.h>

#include "unit.h"
#include "snapshot.h"
#include "sql.h"

static void
test_parse_psql(void **state)
{
	struct sql_rows	r = SQL_ROWS_INIT;

	(void)state;
	sql_parse_output("s1\tpgoutput\ns2\ttest_decoding\n", 0, &r);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ncols, 2);
	assert_string_equal(sql_cell(&r, 1, 1), "test_decoding");
	/* Out of range is "", never a crash. */
	assert_string_equal(sql_cell(&r, 2, 0), "");
	assert_string_equal(sql_cell(&r, 0, 2), "");
	sql_rows_clear(&r);
	sql_parse_output("", 0, &r);
	assert_int_equal(r.n, 0);
	/* psql escapes nothing: a backslash is a backslash. */
	sql_parse_output("a\\nb\n", 0, &r);
	assert_string_equal(sql_cell(&r, 0, 0), "a\\nb");
	sql_rows_clear(&r);
	/*
	 * An empty line is a row whose one cell is empty (or NULL): it
	 * counts, and so do the rows after it.
	 */
	sql_parse_output("\nb\n\n", 0, &r);
	assert_int_equal(r.n, 3);
	assert_string_equal(sql_cell(&r, 0, 0), "");
	assert_string_equal(sql_cell(&r, 1, 0), "b");
	assert_string_equal(sql_cell(&r, 2, 0), "");
	sql_rows_clear(&r);
	/* The last row may come without its newline. */
	sql_parse_output("a\tb", 0, &r);
	assert_int_equal(r.n, 1);
	assert_string_equal(sql_cell(&r, 0, 1), "b");
	sql_rows_clear(&r);
}

/* SHOW CREATE TABLE through mariadb -B: newlines and tabs escaped. */
static void
test_parse_mariadb(void **state)
{
	struct sql_rows	r = SQL_ROWS_INIT;

	(void)state;
	sql_parse_output("c\tCREATE TABLE `c` (\\n  `id` int\\t-- x\\\\y\\n)\n"
	    "p\tCREATE TABLE `p` (`id` int)\n", 1, &r);
	assert_int_equal(r.n, 2);
	assert_string_equal(sql_cell(&r, 0, 1),
	    "CREATE TABLE `c` (\n  `id` int\t-- x\\y\n)");
	assert_string_equal(sql_cell(&r, 1, 0), "p");
	sql_rows_clear(&r);
}

static void
test_snapshot_names(void **state)
{
	(void)state;
	assert_true(snapshot_valid_name("default"));
	assert_true(snapshot_valid_name("v2-before-migration"));
	assert_true(snapshot_valid_name("0"));
	/* '_' would make "dbarena_snap_a_b_c" ambiguous between databases. */
	assert_false(snapshot_valid_name("a_b"));
	assert_false(snapshot_valid_name(""));
	assert_false(snapshot_valid_name("-x"));
	assert_false(snapshot_valid_name("Upper"));
	assert_false(snapshot_valid_name("x'; DROP"));
	assert_false(snapshot_valid_name("a`b"));
	assert_false(snapshot_valid_name("a\"b"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_psql),
		cmocka_unit_test(test_parse_mariadb),
		cmocka_unit_test(test_snapshot_names),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
