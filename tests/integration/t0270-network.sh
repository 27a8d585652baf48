#!/bin/sh
# --network: databases on a user-defined bridge, reached by name from
# other containers there with what url, env, inspect and cdc --network
# print; networks dbarena made go with their last database, and only
# those; anything else called a network is refused.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

net="${PREFIX}net"
pg="${PREFIX}pg"
pg2="${PREFIX}pg2"
img="$DBARENA_REGISTRY/postgres:16-alpine"
prof="pool${PREFIX%-}"
mkdir -p "$XDG_CONFIG_HOME/dbarena/profiles"
printf '[profile]\ninherits = fast\n' >"$XDG_CONFIG_HOME/dbarena/profiles/$prof.ini"

# Pool members carry no prefix; the networks are this run's own.
extra_cleanup() {
	ids=$(docker ps -aq --filter "label=dbarena.profile=$prof" 2>/dev/null)
	[ -n "$ids" ] && docker rm -f -v $ids >/dev/null 2>&1
	docker ps -aq --filter "name=^$PREFIX" | xargs -r docker rm -f -v >/dev/null 2>&1
	docker network ls -q --filter "name=^$PREFIX" |
		xargs -r docker network rm >/dev/null 2>&1
	return 0
}

net_exists() {
	docker network inspect "$1" >/dev/null 2>&1
}

# A client container on the network, the stand-in image (it has psql).
on_net() {	# NETWORK COMMAND...
	n=$1
	shift
	docker run -i --rm --network "$n" "$img" "$@"
}

test_expect_success 'create --network makes the network, labelled as dbarena made it' '
	! net_exists "$net" &&
	dbarena create postgres --profile cdc-fast --network "$net" --name "$pg" >out &&
	grep -q "^  Network:  $net$" out &&
	docker network inspect "$net" --format "{{.Driver}} {{index .Labels \"dbarena.managed\"}} {{index .Labels \"dbarena.network\"}}" >labels &&
	test "$(cat labels)" = "bridge true $net" &&
	docker inspect "$pg" --format "{{index .Config.Labels \"dbarena.network\"}}" | grep -qx "$net"
'

test_expect_success 'list and inspect show the network' '
	dbarena list --format json >l.json &&
	python3 -c "import json,sys; l=json.load(open(\"l.json\")); assert [d[\"network\"] for d in l if d[\"name\"]==\"$pg\"]==[\"$net\"]" &&
	dbarena inspect "$pg" --format json >i.json &&
	test "$(json_get network <i.json)" = "$net" &&
	test "$(json_get host <i.json)" = 127.0.0.1 &&
	test "$(json_get container_port <i.json)" = 5432 &&
	dbarena inspect "$pg" --network "$net" --format json >n.json &&
	test "$(json_get host <n.json)" = "$pg" &&
	test "$(json_get port <n.json)" = 5432
'

test_expect_success 'a client container on the network connects with url --network' '
	url=$(dbarena url --network "$net" "$pg") &&
	test "$url" = "postgresql://postgres:dbarena@$pg:5432/dbarena" &&
	test "$(on_net "$net" psql "$url" -Atc "SELECT 42")" = 42 &&
	dbarena env --network "$net" "$pg" >env.sh &&
	grep -qx "export PGHOST='\''$pg'\''" env.sh &&
	test "$(on_net "$net" sh -c ". /dev/stdin && psql -Atc \"SELECT 7\"" <env.sh)" = 7
'

test_expect_success 'url, env, inspect and cdc refuse a network the database is not on' '
	for c in url env inspect cdc; do
		test_expect_code 2 dbarena $c --network "${PREFIX}other" "$pg" >out 2>err &&
		grep -q "$pg is not on network ${PREFIX}other" err &&
		test ! -s out || return 1
	done
'

seen="table public.cdc_t: INSERT: v\\[text\\]:'seen'"
test_expect_success 'pg_recvlogical on the network streams an INSERT with cdc --network' '
	dbarena cdc --kafka-connect --network "$net" "$pg" >kc.json &&
	test "$(json_get name <kc.json)" = "$pg" &&
	h=$(json_get config database.hostname <kc.json) && test "$h" = "$pg" &&
	p=$(json_get config database.port <kc.json) && test "$p" = 5432 &&
	u=$(json_get config database.user <kc.json) &&
	d=$(json_get config database.dbname <kc.json) &&
	s=$(json_get config slot.name <kc.json) &&
	pw=$(json_get config database.password <kc.json) &&
	on_net "$net" env PGPASSWORD="$pw" pg_recvlogical -h "$h" -p "$p" \
		-U "$u" -d "$d" --slot "$s" --create-slot -P test_decoding &&
	docker run -d --name "${PREFIX}recv" --network "$net" -e PGPASSWORD="$pw" \
		"$img" pg_recvlogical -h "$h" -p "$p" -U "$u" -d "$d" \
		--slot "$s" --start --no-loop -F 1 -f - >/dev/null &&
	test_when_finished "docker rm -f ${PREFIX}recv >/dev/null 2>&1" &&
	on_net "$net" psql "$(dbarena url --network "$net" "$pg")" -q \
		-c "CREATE TABLE cdc_t (v text); INSERT INTO cdc_t VALUES ('\''seen'\'')" &&
	wait_until 30 sh -c "docker logs ${PREFIX}recv 2>&1 | grep -q \"$seen\""
'

test_expect_success 'the network stays while another database is on it, then goes' '
	dbarena create postgres --network "$net" --name "$pg2" -q >/dev/null &&
	dbarena destroy "$pg" >out &&
	! grep -q "removed network" out && net_exists "$net" &&
	test "$(on_net "$net" psql "$(dbarena url --network "$net" "$pg2")" -Atc "SELECT 1")" = 1 &&
	dbarena destroy "$pg2" >out &&
	grep -qx "removed network $net" out && ! net_exists "$net"
'

test_expect_success 'a network dbarena did not make is never removed' '
	own="${PREFIX}own" &&
	docker network create "$own" >/dev/null &&
	dbarena create postgres --network "$own" --name "$pg" -q >/dev/null &&
	test "$(on_net "$own" psql "$(dbarena url --network "$own" "$pg")" -Atc "SELECT 1")" = 1 &&
	dbarena destroy "$pg" >out &&
	! grep -q "removed network" out && net_exists "$own" &&
	docker network rm "$own" >/dev/null
'

test_expect_success 'nor one labelled managed by hand, nor one with a container of someone else' '
	fake="${PREFIX}fake" &&
	docker network create --label dbarena.managed=true "$fake" >/dev/null &&
	dbarena create postgres --network "$fake" --name "$pg" -q >/dev/null &&
	dbarena destroy "$pg" >/dev/null && net_exists "$fake" &&
	docker network rm "$fake" >/dev/null &&
	dbarena create postgres --network "$net" --name "$pg" -q >/dev/null &&
	docker create --name "${PREFIX}other" --network "$net" "$img" true >/dev/null &&
	dbarena destroy "$pg" >/dev/null && net_exists "$net" &&
	docker rm "${PREFIX}other" >/dev/null &&
	docker network rm "$net" >/dev/null
'

test_expect_success 'a network that is not a user-defined bridge is refused, nothing made' '
	for n in host none bridge; do
		test_expect_code 6 dbarena create postgres --network "$n" \
			--name "$pg" >out 2>err &&
		grep -q "network $n is" err && test ! -s out &&
		test -z "$(docker ps -aq --filter "name=^$pg\$")" || return 1
	done &&
	grep -q "default network" err &&
	test_expect_code 2 dbarena create postgres --network "a/b" 2>err &&
	grep -q "invalid --network" err
'

test_expect_success 'a failed create removes the network it made' '
	echo "SELECT nonsense_fn();" >bad.sql &&
	test_expect_code 11 dbarena create postgres --network "$net" \
		--name "$pg" --init bad.sql >out 2>err &&
	test -z "$(docker ps -aq --filter "name=^$pg\$")" && ! net_exists "$net"
'

test_expect_success 'gc removes an expired database and the network it made' '
	dbarena create postgres --network "$net" --name "$pg" --ttl 1s -q >/dev/null &&
	sleep 2 &&
	dbarena gc "$pg" >out &&
	grep -q "^removed $pg " out && grep -qx "removed network $net" out &&
	! net_exists "$net"
'

test_expect_success 'pool: a member filled on a network is claimed by create on it only' '
	dbarena pool fill postgres --profile "$prof" --network "$net" >names &&
	member=$(cat names) &&
	dbarena pool list --format json >p.json &&
	python3 -c "import json; l=json.load(open(\"p.json\")); assert [d[\"network\"] for d in l if d[\"profile\"]==\"$prof\"]==[\"$net\"]" &&
	dbarena create postgres --profile "$prof" --network "${PREFIX}else" \
		--name "$pg2" -q >/dev/null &&
	test -z "$(docker inspect "$pg2" --format "{{index .Config.Labels \"dbarena.pool\"}}")" &&
	dbarena destroy "$pg2" | grep -qx "removed network ${PREFIX}else" &&
	dbarena create postgres --profile "$prof" --network "$net" --name "$pg" -q >/dev/null &&
	test -n "$(docker inspect "$pg" --format "{{index .Config.Labels \"dbarena.pool\"}}")" &&
	test -z "$(docker ps -aq --filter "name=^$member\$")" &&
	test "$(on_net "$net" psql "$(dbarena url --network "$net" "$pg")" -Atc "SELECT 1")" = 1 &&
	dbarena destroy "$pg" | grep -qx "removed network $net"
'

test_expect_success 'pool drain removes the network its members were on' '
	dbarena pool fill postgres --profile "$prof" --network "$net" >/dev/null &&
	dbarena pool drain --profile "$prof" postgres >out &&
	grep -qx "removed network $net" out && ! net_exists "$net"
'

# Release of a network's last database, between a create's finding the
# network and its docker run: the run fails on a network not found, and
# the create makes the network again (a second inspect and create: four
# network calls) and runs once more (or more: a port another test took
# meanwhile is a run again too).
test_expect_success 'a network removed before the run joins it is made again' '
	rnet="${PREFIX}rnet" &&
	printf "run 1 rmnet\n" >plan &&
	: >calls &&
	FAULT_LOG="$PWD/calls" FAULT_PLAN="$PWD/plan" \
	DBARENA_DOCKER="$TEST_SRCDIR/integration/fault-docker" \
		dbarena create postgres --network "$rnet" --name "${PREFIX}rn" -q >/dev/null &&
	test "$(grep -cx run calls)" -ge 2 &&
	test "$(grep -cx network calls)" -ge 4 &&
	net_exists "$rnet" &&
	test "$(docker ps -q --filter "network=$rnet" --filter "name=${PREFIX}rn")" != "" &&
	dbarena destroy "${PREFIX}rn" >/dev/null &&
	! net_exists "$rnet"
'

test_expect_success 'dry run: the network create is said, nothing made' '
	dbarena create postgres --network "$net" --name "$pg" --dry-run >dry &&
	grep -q "^# if the network is missing, create first runs: docker network create --driver bridge --label dbarena.managed=true --label dbarena.network=$net $net$" dry &&
	grep -q " --network $net --network-alias $pg " dry &&
	! net_exists "$net"
'

test_done
