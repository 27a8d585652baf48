#!/bin/sh
# The rest of the lifecycle on the real engine: default names and what
# create prints, the shortcuts and resource options as docker applied
# them, list's statuses and its docker call count, stop --timeout, logs
# --follow, destroy by prefix, volumes rm, and what a terminal changes
# (a question before data goes, docker's pull progress, a waiting line).
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

fd="$TEST_SRCDIR/integration/fault-docker"
ptyrun="$TEST_SRCDIR/integration/pty-run"
export FAULT_LOG="$TRASH/calls"
# Databases named by dbarena itself carry no prefix: remember them.
extra_cleanup() {
	[ -s "$TRASH/named" ] && docker rm -f -v $(cat "$TRASH/named") >/dev/null 2>&1
	docker rmi -f "$cold_img" >/dev/null 2>&1
	return 0
}
# An image only this run has pushed, so that "not cached" is certain.
cold_img="$DBARENA_REGISTRY/dbarena-test-${PREFIX%-}/postgres:16-alpine"
json_of() {	# name key -> the key from inspect --format json
	dbarena inspect "$1" --format json | json_get "$2"
}

test_expect_success 'a default name is dbarena-ENGINE-VERSION-4hex; every field is printed' '
	dbarena create postgres --fast --no-pool >out &&
	name=$(sed -n "1s/ ready in .*//p" out) && echo "$name" >>"$TRASH/named" &&
	echo "$name" | grep -Eqx "dbarena-postgres-16-[0-9a-f]{4}" &&
	port=$(json_of "$name" port) &&
	grep -qx "  Engine: *postgres 16 (profile fast)" out &&
	grep -qx "  Host: *127.0.0.1:$port" out &&
	grep -qx "  User: *postgres" out &&
	grep -qx "  Password: *dbarena" out &&
	grep -qx "  Database: *dbarena" out &&
	grep -qx "  URL: *postgresql://postgres:dbarena@127.0.0.1:$port/dbarena" out &&
	test "$(docker port "$name" 5432)" = "127.0.0.1:$port" &&
	docker inspect --format "{{json .HostConfig.Tmpfs}}" "$name" |
		grep -q "/var/lib/postgresql/data" &&
	test "$(psql "$(json_of "$name" url)" -Atc "SHOW fsync")" = off
'

test_expect_success 'list: healthy in the table, in at most two docker calls' '
	name=$(cat "$TRASH/named") &&
	wait_until 60 sh -c "\"$DBARENA\" list | grep -q \"^$name .* healthy \"" &&
	: >"$FAULT_LOG" &&
	DBARENA_DOCKER="$fd" dbarena list --all >table &&
	grep -q "^$name  *postgres  *16  *healthy  *127.0.0.1:[0-9]*->5432 " table &&
	echo "docker calls: $(wc -l <"$FAULT_LOG")" &&
	test "$(wc -l <"$FAULT_LOG")" -le 2
'

test_expect_success 'list says unhealthy for a server whose health check fails' '
	docker run -d --name "${PREFIX}sick" --label dbarena.managed=true \
		--label dbarena.engine=postgres --label dbarena.version=16 \
		--health-cmd false --health-interval 1s --health-retries 1 \
		"$DBARENA_REGISTRY/postgres:16-alpine" sleep 600 >/dev/null &&
	wait_until 60 sh -c "\"$DBARENA\" list | grep -q \"^${PREFIX}sick .* unhealthy \"" &&
	dbarena list --format json | python3 -c "import json,sys
assert [d for d in json.load(sys.stdin) if d[\"name\"]==\"${PREFIX}sick\"][0][\"status\"]==\"unhealthy\""
'

test_expect_success 'durable: fsync on, a labelled volume and more memory, as docker ran it' '
	dbarena create postgres --durable --name "${PREFIX}dur" --format json >d.json &&
	test "$(psql "$(json_get 0 url <d.json)" -Atc "SHOW fsync")" = on &&
	test "$(psql "$(json_get 0 url <d.json)" -Atc "SHOW synchronous_commit")" = on &&
	test "$(docker inspect --format "{{.HostConfig.Memory}}" "${PREFIX}dur")" = 2147483648 &&
	docker volume inspect --format "{{index .Labels \"dbarena.container\"}}" \
		"dbarena-${PREFIX}dur-data" | grep -qx "${PREFIX}dur" &&
	dbarena destroy --remove-volume --yes "${PREFIX}dur" >/dev/null &&
	! docker volume inspect "dbarena-${PREFIX}dur-data" >/dev/null 2>&1
'

test_expect_success '--memory and --cpus reach the container; --env reaches the server' '
	dbarena create postgres --no-pool --name "${PREFIX}res" --memory 300m --cpus 0.5 \
		--env PGTZ_MARK=seen --quiet >/dev/null &&
	test "$(docker inspect --format "{{.HostConfig.Memory}}" "${PREFIX}res")" = 314572800 &&
	test "$(docker inspect --format "{{.HostConfig.NanoCpus}}" "${PREFIX}res")" = 500000000 &&
	docker exec "${PREFIX}res" env | grep -qx PGTZ_MARK=seen
'

test_expect_success 'logs --follow streams what the server logs after it started' '
	{ "$DBARENA" logs --follow "${PREFIX}res" >follow 2>&1 & } &&
	lp=$! &&
	test_when_finished "kill $lp 2>/dev/null; wait $lp 2>/dev/null" &&
	wait_until 30 grep -q "ready to accept connections" follow &&
	psql "$(json_of "${PREFIX}res" url)" -qAtc \
		"DO \$\$BEGIN RAISE WARNING '\''mark-$$'\''; END\$\$" 2>/dev/null &&
	wait_until 30 grep -q "mark-$$" follow &&
	kill -0 $lp
'

test_expect_success 'stop --timeout passes the grace period to docker and stops it' '
	: >"$FAULT_LOG" && : >"$TRASH/argv" &&
	FAULT_ARGV="$TRASH/argv" DBARENA_DOCKER="$fd" dbarena stop --timeout 3 "${PREFIX}res" >/dev/null &&
	cat "$TRASH/argv" &&
	grep -Eq " stop (--time|-t) 3 .*${PREFIX}res" "$TRASH/argv" &&
	test "$(docker inspect --format "{{.State.Running}}" "${PREFIX}res")" = false
'

# A stopped database has let its port go, but its start needs it back.
test_expect_success 'create does not hand out the port of a stopped database' '
	mkdir -p "$XDG_CONFIG_HOME/dbarena/engines" &&
	sed "s/^port = 5432/port = 29600/" "$TEST_SRCDIR/../engines/postgres.ini" \
		>"$XDG_CONFIG_HOME/dbarena/engines/pgnear.ini" &&
	docker create --name "${PREFIX}stopped" --label dbarena.managed=true \
		--label dbarena.engine=pgnear --label dbarena.host-port=29600 \
		"$DBARENA_REGISTRY/postgres:16-alpine" >/dev/null &&
	printf "run 0 badflag\n" >"$TRASH/plan" && : >"$FAULT_LOG" && : >"$TRASH/argv" &&
	! FAULT_PLAN="$TRASH/plan" FAULT_ARGV="$TRASH/argv" DBARENA_DOCKER="$fd" \
		dbarena create pgnear --no-pool --name "${PREFIX}near" 2>/dev/null &&
	grep " run " "$TRASH/argv" | tee run.argv &&
	grep -q -- "--publish 127.0.0.1:296[0-9][0-9]:29600 " run.argv &&
	! grep -q -- "--publish 127.0.0.1:29600:" run.argv
'

test_expect_success 'destroy takes a unique prefix, and refuses an ambiguous one' '
	for n in amb1 amb2 uniq; do
		docker create --name "${PREFIX}$n" --label dbarena.managed=true \
			"$DBARENA_REGISTRY/postgres:16-alpine" >/dev/null || exit 1
	done &&
	test_expect_code 2 dbarena destroy "${PREFIX}am" 2>err &&
	cat err &&
	grep -q "ambiguous name: ${PREFIX}am, could be: ${PREFIX}amb[12], ${PREFIX}amb[12]$" err &&
	docker inspect "${PREFIX}amb1" "${PREFIX}amb2" >/dev/null &&
	dbarena destroy --yes "${PREFIX}un" >/dev/null &&
	! docker inspect "${PREFIX}uniq" >/dev/null 2>&1
'

test_expect_success 'volumes rm removes a kept volume; a second time is exit 5' '
	dbarena create postgres --persistent --name "${PREFIX}vol" --quiet >/dev/null &&
	dbarena destroy "${PREFIX}vol" >/dev/null 2>&1 &&
	vol="dbarena-${PREFIX}vol-data" &&
	dbarena volumes list | grep -q "^$vol " &&
	{ dbarena volumes rm "$vol" </dev/null 2>err; test $? -eq 10; } &&
	docker volume inspect "$vol" >/dev/null &&
	dbarena volumes rm --yes "$vol" >/dev/null &&
	! docker volume inspect "$vol" >/dev/null 2>&1 &&
	{ dbarena volumes rm --yes "$vol" 2>err; test $? -eq 5; }
'

test_expect_success 'on a terminal, destroy --remove-volume asks: n keeps it, y removes it' '
	dbarena create postgres --persistent --name "${PREFIX}ask" --quiet >/dev/null &&
	vol="dbarena-${PREFIX}ask-data" &&
	test_expect_code 10 "$ptyrun" --answer n --when "\\[y/N\\]" -- \
		"$DBARENA" destroy --remove-volume "${PREFIX}ask" >tty1 &&
	cat tty1 &&
	grep -q "remove 1 volume and the data in it ($vol)? \\[y/N\\]" tty1 &&
	docker inspect "${PREFIX}ask" >/dev/null && docker volume inspect "$vol" >/dev/null &&
	"$ptyrun" --answer y --when "\\[y/N\\]" -- "$DBARENA" destroy --remove-volume "${PREFIX}ask" >tty2 &&
	! docker inspect "${PREFIX}ask" >/dev/null 2>&1 &&
	! docker volume inspect "$vol" >/dev/null 2>&1
'

test_expect_success 'on a terminal a cold create shows docker pull progress and a waiting line' '
	docker tag "$DBARENA_REGISTRY/postgres:16-alpine" "$cold_img" &&
	docker push -q "$cold_img" >/dev/null && docker rmi "$cold_img" >/dev/null &&
	"$ptyrun" -- "$DBARENA" create postgres --no-pool --name "${PREFIX}cold" \
		--image "$cold_img" >tty 2>&1 &&
	tr "\r" "\n" <tty >tty.lines &&
	grep -q "pulling $cold_img" tty.lines &&
	grep -Eq "(Pull complete|Already exists|Downloaded newer image)" tty.lines &&
	grep -Eq "waiting for ${PREFIX}cold \.\.\. [0-9]+\.[0-9]s" tty.lines &&
	grep -q "${PREFIX}cold ready in" tty.lines
'

test_expect_success 'off a terminal the same create draws nothing: no progress, no escapes' '
	docker rmi "$cold_img" >/dev/null &&
	dbarena create postgres --no-pool --name "${PREFIX}cold2" --image "$cold_img" \
		>out 2>err &&
	grep -q "pulling $cold_img" err &&
	! grep -Eq "Pulling from|Already exists|Pull complete|Digest: sha256|Status: Downloaded" out err &&
	! grep -q "$(printf "\r")" err out && ! grep -q "waiting for" err
'

test_done
