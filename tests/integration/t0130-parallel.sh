#!/bin/sh
# Ports and parallelism: racing creates, several engines at once.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

test_expect_success 'two creates racing for one preferred port both get ready' '
	{ dbarena create postgres --name "${PREFIX}r1" --format json >r1.json 2>r1.err & } &&
	p1=$! &&
	{ dbarena create postgres --name "${PREFIX}r2" --format json >r2.json 2>r2.err & } &&
	p2=$! &&
	{ wait $p1; rc1=$?; } && { wait $p2; rc2=$?; } &&
	cat r1.err r2.err &&
	test $rc1 -eq 0 && test $rc2 -eq 0 &&
	port1=$(json_get 0 port <r1.json) && port2=$(json_get 0 port <r2.json) &&
	test "$port1" != "$port2" &&
	psql "$(json_get 0 url <r1.json)" -Atc "SELECT 1" &&
	psql "$(json_get 0 url <r2.json)" -Atc "SELECT 1"
'

test_expect_success 'an explicit --port that is taken fails, leaving nothing' '
	port1=$(json_get 0 port <r1.json) &&
	test_expect_code 8 dbarena create postgres --name "${PREFIX}taken" \
		--port "$port1" 2>err &&
	grep -q "port already in use" err &&
	test -z "$(docker ps -aq --filter "name=^${PREFIX}taken\$")"
'

test_expect_success 'a parallel create of three completes' '
	t0=$(now_ms) &&
	dbarena create postgres mariadb postgres --format json >all.json &&
	echo "three in parallel: $(( $(now_ms) - t0 )) ms" >&2 &&
	python3 -c "import json; l=json.load(open(\"all.json\")); assert len(l)==3, l; assert len({d[\"port\"] for d in l if d[\"engine\"]==\"postgres\"})==2" &&
	for n in $(python3 -c "import json; print(\" \".join(d[\"name\"] for d in json.load(open(\"all.json\"))))"); do
		dbarena destroy "$n" >/dev/null || exit 1
	done
'

test_expect_success 'text output of a parallel create reports the total' '
	dbarena create postgres postgres --profile fast >out 2>err &&
	grep -q "^2 of 2 databases ready in" out &&
	for n in $(sed -n "s/ ready in .*//p" out | grep "^dbarena-"); do
		dbarena destroy "$n" >/dev/null || exit 1
	done
'

test_expect_success 'the racers destroy cleanly' '
	dbarena destroy "${PREFIX}r1" "${PREFIX}r2" >/dev/null
'

test_done
