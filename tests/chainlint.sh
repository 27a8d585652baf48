#!/bin/sh
# The && chain check as a test in make check (TAP): first chainlint.pl
# against its own fixtures, so that a check that stopped finding anything
# cannot pass, then every integration test script. Without perl: a skip
# on a laptop, a failure under CI, as for the engine.
: "${TEST_SRCDIR:?TEST_SRCDIR must name the tests directory}"
lint="$TEST_SRCDIR/chainlint.pl"
fixtures="$TEST_SRCDIR/chainlint-fixtures"

if ! command -v perl >/dev/null 2>&1; then
	if [ "${CI:-}" = true ]; then
		echo "1..1"
		echo "not ok 1 - chainlint needs perl"
		exit 1
	fi
	echo "1..0 # SKIP no perl"
	exit 0
fi

n=0
report() {	# status title [output]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/#   /'
	fi
}

out=$(perl "$lint" "$fixtures/good.sh" 2>&1)
rc=$?
[ $rc -eq 0 ] && [ -z "$out" ]
report $? "chainlint accepts every valid form in chainlint-fixtures/good.sh" "$out"

# The lines it must flag carry "# LINT"; it flags exactly those.
out=$(perl "$lint" "$fixtures/bad.sh" 2>&1)
rc=$?
want=$(grep -n '# LINT$' "$fixtures/bad.sh" | cut -d: -f1 | tr '\n' ' ')
got=$(printf '%s\n' "$out" | sed -n 's/^[^:]*:\([0-9]*\):.*/\1/p' | tr '\n' ' ')
[ $rc -eq 1 ] && [ -n "$want" ] && [ "$want" = "$got" ]
report $? "chainlint flags exactly the marked lines of chainlint-fixtures/bad.sh" \
	"exit $rc; want lines: $want
got lines:  $got
$out"

for t in "$TEST_SRCDIR"/integration/t[0-9]*.sh; do
	out=$(perl "$lint" "$t" 2>&1)
	report $? "every step chained with && in ${t##*/}" "$out"
done

echo "1..$n"
