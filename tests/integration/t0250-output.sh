#!/bin/sh
# Output people and scripts can rely on, on the real engine: list and
# inspect never contradict the "healthy" create has just printed, their
# JSON carries the start time beside docker's words for the uptime, and
# destroy asks before removing what a prefix stands for.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

ptyrun="$TEST_SRCDIR/integration/pty-run"
# A managed container that is never started: cheap to make for destroy.
managed() {
	docker create --name "$1" --label dbarena.managed=true \
		"$DBARENA_REGISTRY/postgres:16-alpine" >/dev/null
}
# The status of NAME in list --format json, or "missing".
list_status() {
	dbarena list --format json | python3 -c 'import json,sys
d=[x for x in json.load(sys.stdin) if x["name"]==sys.argv[1]]
print(d[0]["status"] if d else "missing")' "$1"
}

test_expect_success 'right after create, list and inspect do not say starting' '
	dbarena create postgres --fast --no-pool --name "${PREFIX}st" --quiet >/dev/null &&
	ls=$(list_status "${PREFIX}st") &&
	is=$(dbarena inspect "${PREFIX}st" --format json | json_get status) &&
	say "docker health now: $(docker inspect --format "{{.State.Health.Status}}" "${PREFIX}st"); list: $ls; inspect: $is" &&
	case "$ls" in healthy|running) ;; *) false ;; esac &&
	case "$is" in healthy|running) ;; *) false ;; esac &&
	wait_until 60 sh -c "\"$DBARENA\" list | grep -q \"^${PREFIX}st .* healthy \""
'

test_expect_success 'list and inspect JSON: started, RFC 3339 in UTC, as docker has it' '
	dbarena list --format json >list.json &&
	dbarena inspect "${PREFIX}st" --format json >inspect.json &&
	docker inspect --format "{{.State.StartedAt}}" "${PREFIX}st" >docker.started &&
	python3 -c "import json,re
l=[x for x in json.load(open(\"list.json\")) if x[\"name\"]==\"${PREFIX}st\"][0]
i=json.load(open(\"inspect.json\"))
d=open(\"docker.started\").read()
assert re.fullmatch(r\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\", l[\"started\"]), l
assert l[\"started\"] == i[\"started\"] and d.startswith(l[\"started\"][:-1]), (l, i, d)
assert isinstance(l[\"port\"], int) and isinstance(l[\"uptime\"], str), l" &&
	dbarena stop "${PREFIX}st" >/dev/null 2>&1 &&
	dbarena list --all --format json >stopped.json &&
	python3 -c "import json
l=[x for x in json.load(open(\"stopped.json\")) if x[\"name\"]==\"${PREFIX}st\"][0]
assert l[\"started\"] is None and l[\"uptime\"] is None, l" &&
	test "$(dbarena inspect "${PREFIX}st" --format json | json_get started)" = None
'

test_expect_success 'destroy PREFIX off a terminal refuses (exit 10) and keeps the database' '
	managed "${PREFIX}pfxonly" &&
	test_expect_code 10 dbarena destroy "${PREFIX}pfxo" </dev/null 2>err &&
	cat err &&
	grep -q "^dbarena: not confirmed: nothing destroyed" err &&
	grep -q "prefix stood for ${PREFIX}pfxonly; give the full name" err &&
	grep -q "add --yes" err &&
	docker inspect "${PREFIX}pfxonly" >/dev/null &&
	dbarena destroy --yes "${PREFIX}pfxo" >out &&
	grep -qx "destroyed ${PREFIX}pfxonly" out &&
	! docker inspect "${PREFIX}pfxonly" >/dev/null 2>&1
'

test_expect_success 'destroy with a full name needs no confirmation' '
	managed "${PREFIX}full" &&
	dbarena destroy "${PREFIX}full" </dev/null >out &&
	grep -qx "destroyed ${PREFIX}full" out &&
	! docker inspect "${PREFIX}full" >/dev/null 2>&1
'

test_expect_success 'on a terminal, destroy PREFIX names what it stands for: n keeps, y removes' '
	managed "${PREFIX}askme" &&
	test_expect_code 10 "$ptyrun" --answer n --when "\\[y/N\\]" -- \
		"$DBARENA" destroy "${PREFIX}ask" >tty1 &&
	grep -q "destroy ${PREFIX}askme? \\[y/N\\]" tty1 &&
	docker inspect "${PREFIX}askme" >/dev/null &&
	"$ptyrun" --answer y --when "\\[y/N\\]" -- "$DBARENA" destroy "${PREFIX}ask" >tty2 &&
	! docker inspect "${PREFIX}askme" >/dev/null 2>&1
'

test_expect_success 'an option where the subcommand goes is the default'"'"'s: volumes -q lists' '
	for cmd in profiles volumes pool images; do
		dbarena $cmd list -q >want &&
		dbarena $cmd -q >got &&
		cmp want got || { echo "$cmd -q"; exit 1; }
	done &&
	test -s got &&
	dbarena profiles --format json | python3 -c "import json,sys; json.load(sys.stdin)" &&
	test_expect_code 2 dbarena volumes --bogus 2>err &&
	grep -q "^dbarena volumes list: unrecognized option .--bogus." err &&
	test_expect_code 2 dbarena volumes frob 2>err &&
	grep -q "^dbarena: unknown volumes command: frob" err
'

test_done
