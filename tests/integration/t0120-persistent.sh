#!/bin/sh
# Persistent data: survives stop/start and destroy without
# --remove-volume; the volume goes only when asked, with --yes.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

pg="${PREFIX}keep"
vol="dbarena-${pg}-data"

q() {
	url=$(dbarena inspect "$pg" --format json | json_get url) &&
	psql "$url" -Atc "$1"
}

test_expect_success 'create --persistent makes a labelled volume' '
	dbarena create postgres --persistent --name "$pg" >/dev/null &&
	docker volume inspect --format "{{index .Labels \"dbarena.managed\"}}" "$vol" | grep -qx true &&
	dbarena volumes list | grep -q "^$vol "
'

test_expect_success 'a row survives stop and start' '
	q "CREATE TABLE t (v text); INSERT INTO t VALUES ('\''kept'\'')" &&
	dbarena stop "$pg" >/dev/null && dbarena start "$pg" >/dev/null &&
	test "$(q "SELECT v FROM t")" = kept
'

test_expect_success 'destroy keeps the volume; create with the same name finds the row' '
	dbarena destroy "$pg" >/dev/null 2>err &&
	grep -q "kept the volume" err &&
	docker volume inspect "$vol" >/dev/null &&
	dbarena create postgres --persistent --name "$pg" >/dev/null &&
	test "$(q "SELECT v FROM t")" = kept
'

test_expect_success 'destroy --remove-volume off a terminal needs --yes' '
	test_expect_code 10 dbarena destroy --remove-volume "$pg" </dev/null 2>err &&
	grep -q "not confirmed: nothing destroyed" err &&
	test -n "$(docker ps -q --filter "name=^$pg\$")" &&
	docker volume inspect "$vol" >/dev/null
'

test_expect_success 'destroy --remove-volume --yes removes both' '
	dbarena destroy --remove-volume --yes "$pg" >out &&
	grep -q "removed volume $vol" out &&
	! docker volume inspect "$vol" >/dev/null 2>&1 &&
	! dbarena volumes list | grep -q "^$vol "
'

test_expect_success 'create --persistent will not mount a volume dbarena did not make' '
	sq="${PREFIX}squat" &&
	docker volume create "dbarena-$sq-data" >/dev/null &&
	test_when_finished "docker volume rm dbarena-$sq-data >/dev/null" &&
	test_expect_code 6 dbarena create postgres --persistent --name "$sq" 2>err &&
	grep -q "dbarena did not make it for $sq" err &&
	test -z "$(docker ps -aq --filter "name=^$sq\$")" &&
	test -z "$(docker volume inspect --format "{{index .Labels \"dbarena.managed\"}}" "dbarena-$sq-data")"
'

test_expect_success 'destroy --remove-volume keeps a volume another container'"'"'s label names' '
	dbarena create postgres --persistent --name "$pg" >/dev/null &&
	docker volume create "${PREFIX}victim" >/dev/null &&
	test_when_finished "docker volume rm ${PREFIX}victim >/dev/null" &&
	labels=$(docker container inspect --format "{{range \$k, \$v := .Config.Labels}}{{\$k}}={{\$v}} {{end}}" "$pg") &&
	set -- &&
	for l in $labels; do
		case $l in
		dbarena.volume=*|dbarena.owner=*) ;;
		*) set -- "$@" --label "$l" ;;
		esac || return 1
	done &&
	img=$(docker container inspect --format "{{.Config.Image}}" "$pg") &&
	docker create --name "${PREFIX}forger" "$@" \
		--label "dbarena.volume=${PREFIX}victim" "$img" >/dev/null &&
	test_when_finished "docker rm -f ${PREFIX}forger >/dev/null 2>&1" &&
	dbarena destroy --remove-volume --yes "${PREFIX}forger" "$pg" >out 2>err &&
	grep -q "keeping volume ${PREFIX}victim" err &&
	docker volume inspect "${PREFIX}victim" >/dev/null &&
	grep -q "removed volume $vol" out &&
	! docker volume inspect "$vol" >/dev/null 2>&1
'

test_expect_success 'volumes rm refuses volumes dbarena did not make' '
	docker volume create "${PREFIX}stranger" >/dev/null &&
	test_expect_code 5 dbarena volumes rm --yes "${PREFIX}stranger" 2>err &&
	docker volume inspect "${PREFIX}stranger" >/dev/null
'

test_done
