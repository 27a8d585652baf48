#!/bin/sh
# A new engine that needs no new wire protocol is one INI file: dbarena
# finds it, and the renderer's golden test covers it with no line of C.
. "$TEST_SRCDIR/integration/lib-test.sh"

render_test="${TEST_BUILDDIR:-}/unit/test-render"
if [ ! -x "$render_test" ]; then
	[ "${CI:-}" = true ] && { echo "1..1"; echo "not ok 1 - no $render_test (cmocka missing?)"; exit 1; }
	skip_all "no $render_test: cmocka is not installed"
fi

mkdir -p "$XDG_CONFIG_HOME/dbarena/engines" "$TRASH/golden"
cp "$TEST_SRCDIR"/golden/*.txt "$TRASH/golden/"
# Without the optional keys too (doctor's client, the init error line).
sed -e 's/^description = PostgreSQL$/description = A toy engine/' \
	-e 's/^image = postgres$/image = toy\/postgres/' \
	-e '/^local_client = /d' -e '/^local_package = /d' -e '/^init_error = /d' \
	"$TEST_SRCDIR/../engines/postgres.ini" \
	>"$XDG_CONFIG_HOME/dbarena/engines/toy.ini"
goldens() {	# the renderer's golden test, seeing the toy engine too
	GOLDEN_DIR="$TRASH/golden" TEST_XDG_CONFIG_HOME="$XDG_CONFIG_HOME" \
		"$render_test" "$@"
}

test_expect_success 'dbarena knows the engine from its file alone' '
	dbarena engines >e.txt && grep -q "^toy .* toy/postgres$" e.txt &&
	dbarena create toy --dry-run >run.txt &&
	grep -q "[ /]toy/postgres:16-alpine postgres " run.txt
'

test_expect_success 'the golden test fails for an engine with no goldens' '
	! goldens >out 2>&1 && grep -q "missing golden .*/toy-[a-z-]*.txt" out
'

test_expect_success 'UPDATE_GOLDEN=1 writes its goldens, and then they hold' '
	UPDATE_GOLDEN=1 goldens >/dev/null 2>&1 &&
	for p in fast cdc-fast durable persistent; do
		test -s "$TRASH/golden/toy-$p.txt" || return 1
	done &&
	grep -qx "toy/postgres:16-alpine" "$TRASH/golden/toy-fast.txt" &&
	goldens >out 2>&1 &&
	for f in "$TEST_SRCDIR"/golden/*.txt; do
		cmp "$f" "$TRASH/golden/${f##*/}" || return 1
	done
'

test_expect_success 'doctor looks for the client the engine file names' '
	f="$XDG_CONFIG_HOME/dbarena/engines/client.ini" &&
	test_when_finished "rm -f \"$f\"" &&
	printf "%s\n" "[engine]" "image = x" "port = 1" "data_dir = /d" \
		"default_version = 1" "[client]" "local_client = dbarena-no-such-sql" \
		"local_package = dbarena-sql-client" "[version \"1\"]" "tag = 1" >"$f" &&
	{ DBARENA_DOCKER="$TRASH/no-docker" dbarena doctor >out; test $? = 1; } &&
	grep "^warn clients " out >row &&
	grep -q "not on PATH: .*dbarena-no-such-sql" row &&
	grep -q "apt-get install.* dbarena-sql-client" row
'

test_expect_success 'a bad value in an engine file: its file:line, exit 3' '
	f="$XDG_CONFIG_HOME/dbarena/engines/broken.ini" &&
	test_when_finished "rm -f \"$f\"" &&
	printf "%s\n" "[engine]" "image = x" "port = 1" "data_dir = /d" \
		"default_version = 1" "[client]" "local_client = /usr/bin/x" \
		"[version \"1\"]" "tag = 1" >"$f" &&
	test_expect_code 3 dbarena create broken --dry-run 2>err &&
	grep -q "broken.ini:7: bad value ./usr/bin/x. for .local_client. in \[client\]: expected program names" err
'

test_done
