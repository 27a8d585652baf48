#!/bin/sh
# The lifecycle with podman as the engine (DBARENA_DOCKER=podman), checked
# with real clients: what dbarena(1) says works under PODMAN must.
TEST_DOCKER=podman
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

pg="${PREFIX}pg"
my="${PREFIX}my"
vol="dbarena-${my}-data"
prof="pool${PREFIX%-}"
mkdir -p "$XDG_CONFIG_HOME/dbarena/profiles"
printf '[profile]\ninherits = fast\n' >"$XDG_CONFIG_HOME/dbarena/profiles/$prof.ini"
key="postgres/16/$prof"

extra_cleanup() {
	ids=$(podman ps -aq --filter "label=dbarena.pool=$key" 2>/dev/null)
	[ -n "$ids" ] && podman rm -f -v $ids >/dev/null 2>&1
	podman volume rm -f "$vol" >/dev/null 2>&1
	podman network ls -q --filter "name=^$PREFIX" |
		xargs -r podman network rm -f >/dev/null 2>&1
	return 0
}

mysql_q() {
	mariadb --protocol=tcp -h "$(json_get host <"$1")" -P "$(json_get port <"$1")" \
		-u "$(json_get user <"$1")" -p"$(json_get password <"$1")" -N -B -e "$2"
}

status_of() {
	dbarena list --all --format json |
	python3 -c 'import json,sys; print([d["status"] for d in json.load(sys.stdin) if d["name"]==sys.argv[1]][0])' "$1"
}

# A port of its own: a stopped container holds none, and the tests that
# run beside this one would take 5432 while it is stopped.
pgport=$((20000 + $$ % 10000))
test_expect_success 'create postgres on podman: psql connects to the URL' '
	t0=$(now_ms) &&
	dbarena create postgres --profile cdc-fast --name "$pg" --port "$pgport" >out &&
	echo $(($(now_ms) - t0)) >"$TRASH/create-ms" &&
	grep -q "^$pg ready in [0-9.]*s" out &&
	url=$(sed -n "s/^  URL: *//p" out) &&
	test "$(psql "$url" -Atc "SHOW wal_level")" = logical &&
	podman container exists "$pg" &&
	! docker ps -aq --filter "name=^$pg\$" 2>/dev/null | grep -q .
'

test_expect_success 'the fast profile put the data on a tmpfs' '
	podman exec "$pg" sh -c "grep -q \" /var/lib/postgresql/data tmpfs \" /proc/mounts"
'

test_expect_success 'list reads podman ps: name, engine, version, port, uptime' '
	t0=$(now_ms) && dbarena list >table &&
	echo $(($(now_ms) - t0)) >"$TRASH/list-ms" &&
	port=$(dbarena inspect "$pg" --format json | json_get port) &&
	grep -q "^$pg  *postgres  *16  *\(running\|starting\|healthy\)  *127.0.0.1:$port->5432 " table &&
	! grep "^$pg " table | grep -q " ago" &&
	dbarena list --format json | python3 -c "import json,sys; l=json.load(sys.stdin); assert [d for d in l if d[\"name\"]==\"$pg\"][0][\"engine\"]==\"postgres\""
'

test_expect_success 'inspect reads podman inspect: password, port, prefix' '
	dbarena inspect "$pg" --format json >one.json &&
	test "$(json_get password <one.json)" = dbarena &&
	test "$(json_get storage <one.json)" = tmpfs &&
	test "$(json_get port <one.json)" = "$(podman port "$pg" 5432 | sed "s/.*://")" &&
	dbarena inspect "${PREFIX}p" | grep -q "^$pg$"
'

test_expect_success 'logs shows the server log' '
	dbarena logs --tail 50 "$pg" 2>&1 | grep -q "ready to accept connections"
'

test_expect_success 'stop, start and restart; start waits until psql connects' '
	dbarena stop "$pg" >/dev/null &&
	test "$(status_of "$pg")" = stopped &&
	dbarena start "$pg" >/dev/null &&
	url=$(dbarena inspect "$pg" --format json | json_get url) &&
	test "$(psql "$url" -Atc "SELECT 1")" = 1 &&
	dbarena restart "$pg" >/dev/null &&
	test "$(psql "$url" -Atc "SELECT 2")" = 2
'

test_expect_success 'errors are classified: name in use is exit 6' '
	test_expect_code 6 dbarena create postgres --name "$pg" 2>err &&
	grep -q "name already in use" err
'

test_expect_success 'destroy removes it; a second destroy is exit 5' '
	dbarena destroy "$pg" >/dev/null &&
	! podman container exists "$pg" &&
	test_expect_code 5 dbarena destroy "$pg" 2>err &&
	grep -q "no such database: $pg" err
'

test_expect_success 'persistent mariadb: the client sees a row survive destroy' '
	dbarena create mariadb --persistent --name "$my" --format json >c.json &&
	dbarena inspect "$my" --format json >i.json &&
	mysql_q i.json "CREATE TABLE dbarena.t (v text); INSERT INTO dbarena.t VALUES (\"kept\")" &&
	podman volume inspect --format "{{index .Labels \"dbarena.managed\"}}" "$vol" | grep -qx true &&
	dbarena volumes list | grep -q "^$vol  *mariadb  *$my" &&
	dbarena destroy "$my" >/dev/null 2>err && grep -q "kept the volume" err &&
	podman volume exists "$vol" &&
	dbarena create mariadb --persistent --name "$my" >/dev/null &&
	dbarena inspect "$my" --format json >i.json &&
	test "$(mysql_q i.json "SELECT v FROM dbarena.t")" = kept
'

test_expect_success 'a volume in use is refused; destroy --remove-volume --yes removes both' '
	test_expect_code 6 dbarena volumes rm --yes "$vol" 2>err &&
	grep -q "still in use" err &&
	dbarena destroy --remove-volume --yes "$my" >out &&
	grep -q "removed volume $vol" out &&
	! podman volume exists "$vol" &&
	! dbarena volumes list | grep -q "^$vol "
'

test_expect_success 'pool fill, then create claims a member by podman rename' '
	dbarena pool fill postgres -n 1 --profile "$prof" >names &&
	member=$(cat names) && id=$(podman inspect --format "{{.Id}}" "$member") &&
	dbarena pool list | grep -q "^$member .* $prof " &&
	dbarena create postgres --profile "$prof" --name "${PREFIX}c1" --format json >c1.json &&
	test "$(podman inspect --format "{{.Id}}" "${PREFIX}c1")" = "$id" &&
	! podman container exists "$member" &&
	psql "$(json_get 0 url <c1.json)" -Atc "SELECT 1" | grep -qx 1 &&
	dbarena destroy "${PREFIX}c1" >/dev/null
'

# Names resolve on a podman network only with its DNS installed (see
# PODMAN in dbarena(1)): the join is checked by address.
test_expect_success '--network: made, joined, removed with its database; podman refused' '
	net="${PREFIX}net" && pn="${PREFIX}pn" &&
	dbarena create postgres --network "$net" --name "$pn" --port $((pgport + 2)) >out &&
	grep -q "^  Network:  $net$" out &&
	test "$(podman network inspect "$net" --format "{{index .Labels \"dbarena.network\"}}")" = "$net" &&
	dbarena inspect "$pn" --format json | json_get network | grep -qx "$net" &&
	test "$(dbarena url --network "$net" "$pn")" = "postgresql://postgres:dbarena@$pn:5432/dbarena" &&
	ip=$(podman inspect "$pn" --format "{{(index .NetworkSettings.Networks \"$net\").IPAddress}}") &&
	test "$(podman run --rm --network "$net" "$DBARENA_REGISTRY/postgres:16-alpine" \
		psql "postgresql://postgres:dbarena@$ip:5432/dbarena" -Atc "SELECT 1")" = 1 &&
	dbarena destroy "$pn" >out && grep -qx "removed network $net" out &&
	! podman network exists "$net" &&
	test_expect_code 6 dbarena create postgres --network podman --name "$pn" 2>err &&
	grep -q "default network" err
'

# podman installed without docker (Recommends: docker.io | podman): no
# DBARENA_DOCKER, and a PATH with podman on it but no docker.
nodocker() {
	(unset DBARENA_DOCKER && PATH="$TRASH/podman-only:/usr/sbin" \
		"$DBARENA" "$@")
}

test_expect_success 'no docker on PATH: podman found by itself, doctor says so' '
	mkdir -p "$TRASH/podman-only" &&
	ln -sf "$(command -v podman)" "$TRASH/podman-only/podman" &&
	! PATH="$TRASH/podman-only:/usr/sbin" command -v docker &&
	auto="${PREFIX}auto" &&
	nodocker create postgres --name "$auto" --port $((pgport + 1)) >out &&
	grep -q "^$auto ready in [0-9.]*s" out &&
	podman container exists "$auto" &&
	nodocker list >table && grep -q "^$auto  *postgres " table &&
	nodocker list -q >names && grep -qx "$auto" names &&
	! grep -q " " names &&
	{ nodocker doctor >doc 2>&1 || :; } &&
	grep -q "^ok  *docker  *podman .*/podman-only/podman (no docker on PATH)$" doc &&
	nodocker destroy "$auto" >/dev/null &&
	! podman container exists "$auto"
'

# destroy --all takes every database on the engine, so it is tested here:
# this engine is podman's own, and no other test uses it.
# On a laptop whose podman holds databases of its own, they are left be.
if dbarena list --all --format json | python3 -c "import json,sys
sys.exit(any(not d[\"name\"].startswith(\"$PREFIX\") for d in json.load(sys.stdin)))"; then
test_expect_success 'destroy --all: asks on a terminal, refused off one, --yes takes all' '
	for n in all1 all2; do
		podman create --name "${PREFIX}$n" --label dbarena.managed=true \
			"$DBARENA_REGISTRY/postgres:16-alpine" >/dev/null || exit 1
	done &&
	want=$(dbarena list --all --format json | python3 -c "import json,sys; print(len(json.load(sys.stdin)))") &&
	test "$want" -ge 2 &&
	test_expect_code 10 "$TEST_SRCDIR/integration/pty-run" --answer n \
		--when "\\[y/N\\]" -- "$DBARENA" destroy --all >tty &&
	cat tty &&
	grep -q "destroy all $want databases? \\[y/N\\]" tty &&
	podman container exists "${PREFIX}all1" &&
	test_expect_code 10 dbarena destroy --all </dev/null 2>err &&
	grep -q "add --yes" err && podman container exists "${PREFIX}all2" &&
	dbarena destroy --all --yes >/dev/null &&
	! podman container exists "${PREFIX}all1" &&
	! podman container exists "${PREFIX}all2" &&
	test "$(dbarena list --all --format json)" = "[]"
'
elif [ "${CI:-}" = true ]; then
	test_expect_success 'destroy --all (podman holds databases of other runs)' 'false'
else
	test_count=$((test_count + 1))
	echo "ok $test_count - destroy --all # SKIP podman holds databases of your own"
fi

say "podman: create->ready $(cat "$TRASH/create-ms" 2>/dev/null) ms, list $(cat "$TRASH/list-ms" 2>/dev/null) ms"

test_done
