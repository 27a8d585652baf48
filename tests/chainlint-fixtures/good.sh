#!/bin/sh
# Test bodies that tests/chainlint.pl accepts: every way a step may
# follow another. Never run, only linted (tests/chainlint.sh).

test_expect_success 'a plain chain, a continued line, comments and blank lines' '
	mkdir -p sub &&
	printf "%s\n" one two \
		three >sub/f &&

	# A comment between steps.
	grep -q two sub/f && # and one after a step
	test -s sub/f
'

test_expect_success 'quoting: '\''single'\'', "double", multi-line strings' '
	echo "it'\''s; not && a command" >out &&
	python3 -c "import sys
x = 1; y = 2
print(x + y)" >sum &&
	grep -qx 3 sum &&
	v=$(printf "%s" "a;b" | tr ";" " ") &&
	test "$v" = "a b" && echo $((1 + 2)) ${v:-x} `echo old` >/dev/null
'

test_expect_success 'here-documents' '
	cat >f <<-EOF &&
	not a command; nor this
	EOF
	cat >g <<\EOF &&
two
EOF
	test -s f && test -s g
'

test_expect_success 'pipes across lines, ! and || fallbacks' '
	printf "a\nb\n" |
	grep -c . |
	grep -qx 2 &&
	! grep -q z f &&
	{ test -e nothing || echo "made up for"; } &&
	grep -q a f || { cat f; exit 1; }
'

test_expect_success 'loops end on a failure with || exit 1' '
	for i in 1 2 3; do
		test $i -gt 0 &&
		echo $i || exit 1
	done &&
	i=0 &&
	while test $i -lt 3; do
		i=$((i + 1)) || exit 1
	done &&
	for i in 1 2 3; do
		test $i -gt 0 || return 1
	done &&
	until test -e f; do
		sleep 0.1 || { echo gave up; exit 1; }
	done &&
	for i in 1 2; do
		sleep 1 &
	done &&
	wait
'

test_expect_success 'compound commands chained after their end' '
	if test -e f; then
		echo yes
	elif test -e g; then
		echo maybe
	else
		echo no
	fi &&
	case $(cat f) in
	ok|warn) ;;
	*) echo "other" && exit 1 ;;
	esac &&
	( cd sub && test -s f ) &&
	{ echo group && echo >&2 group; } >log 2>&1 ||
	exit 1
'

test_expect_success 'a background job, and a status kept for later' '
	{ sleep 5 & } &&
	pid=$! &&
	kill $pid &&
	{ wait $pid; rc=$?; } &&
	test $rc -ne 0 &&
	{ false_cmd 2>err; test $? -eq 127; }
'

test_expect_success 'a status read at once, and a body ending in exit' '
	grep -q never f
	test $? -eq 1 && echo fine
'

test_expect_success 'return inside a function the body defines' '
	each() {
		for x in "$@"; do
			test -n "$x" || return 1
		done
	} &&
	each a b
'
