#!/bin/sh
# Test bodies that tests/chainlint.pl must reject, each problem on a line
# marked "# LINT": the check expects exactly those lines. Never run, only
# linted (tests/chainlint.sh).

test_expect_success 'a missing &&' '
	mkdir sub # LINT
	test -d sub
'

test_expect_success 'steps joined by ;' '
	echo one; echo two && echo three # LINT
'

test_expect_success 'a status read after a chain (t0210 once did this)' '
	mkdir sub &&
	dbarena doctor >out # LINT
	test $? -eq 1
'

test_expect_success 'a status read after a chain, on one line' '
	mkdir sub && dbarena doctor >out; test $? -eq 1 # LINT
'

test_expect_success 'a loop whose failures are lost' '
	for i in 1 2 3; do
		test $i -gt 0 # LINT
	done
'

test_expect_success '|| false in a loop: the next iteration forgets it' '
	while read -r l; do
		test -n "$l" || false # LINT
	done <f
'

test_expect_success 'unchained cleanup after a loop (t0170 once did this)' '
	python3 -c "assert False" &&
	for i in 1 7 20; do
		test $i -gt 0 || exit 1
	done # LINT
	docker rm -f x >/dev/null # LINT
	docker rmi -f y >/dev/null
'

test_expect_success 'fi, esac and } not chained' '
	if true; then
		echo a
	fi # LINT
	case x in
	x) echo b ;;
	esac # LINT
	{ echo c && echo d; } # LINT
	echo e
'

test_expect_success 'inside a group, a subshell, a substitution and a case arm' '
	{
		echo a # LINT
		echo b
	} &&
	(
		cd sub # LINT
		echo c
	) &&
	v=$(cd sub; pwd) && # LINT
	case $v in
	*) echo d # LINT
		echo e ;;
	esac
'

test_expect_success 'a chain put in the background' '
	mkdir sub && sleep 10 & # LINT
	pid=$! &&
	kill $pid
'

test_expect_success 'a here-document step not chained' '
	cat >f <<-EOF # LINT
	text
	EOF
	test -s f
'

test_expect_success 'a multi-line string not chained, reported where it ends' '
	python3 -c "import sys
sys.exit(0)" # LINT
	true
'

test_expect_success 'inside then and else' '
	if test -e f; then
		echo a # LINT
		echo b
	else
		echo c # LINT
		echo d
	fi
'

test_expect_success 'exit 0 is no way out of a failed chain' '
	test -e f # LINT
	exit 0
'

test_expect_success 'a ! after an assignment is a command named !' '
	DBARENA_DOCKER=/x ! dbarena list # LINT
'

test_expect_success '|| after a chain catches every step before it (t0108 once)' '
	mkdir sub && rc=0 && dbarena create x 2>err || rc=$? && # LINT
	test $rc -ne 0
'
