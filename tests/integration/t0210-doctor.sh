#!/bin/sh
# doctor: on the healthy rig every check that matters says ok; each thing
# broken on purpose (a profile, the registry, the program, the daemon, a
# port) turns exactly its own row to warn or fail, with the fix. Colour
# only on a terminal, never with NO_COLOR; --quiet keeps the problems.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

# status CHECK [FILE]: the status of one check in doctor's JSON.
status() {
	python3 -c 'import json,sys
rows=[r for r in json.load(open(sys.argv[2])) if r["check"]==sys.argv[1]]
assert len(rows)==1, rows
print(rows[0]["status"])' "$1" "${2:-out.json}"
}

# has CHECK FIELD REGEX [FILE]: one check's field matches a Python regex
# (a search, not anchored unless the regex says so); prints it if not.
has() {
	python3 -c 'import json,re,sys
v=[r for r in json.load(open(sys.argv[4])) if r["check"]==sys.argv[1]][0][sys.argv[2]]
sys.exit(0 if v is not None and re.search(sys.argv[3],v) else "no match: %r" % v)' \
	"$1" "$2" "$3" "${4:-out.json}"
}

# A TCP port nobody listens on (bound, then let go).
free_port() {
	python3 -c 'import socket
s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

holder=
extra_cleanup() {
	[ -n "$holder" ] && kill "$holder" 2>/dev/null
	return 0
}

test_expect_success 'healthy rig: every mandatory check is ok, exit 0' '
	start=$(now_ms) &&
	dbarena doctor --format json >out.json &&
	say "doctor took $(( $(now_ms) - start )) ms" &&
	for c in docker engine permission context registry engines profiles; do
		test "$(status $c)" = ok || { echo "$c: $(status $c)"; exit 1; }
	done &&
	# Ports busy (parallel tests publish 5432) and missing clients warn.
	case $(status ports) in ok|warn) ;; *) exit 1 ;; esac &&
	case $(status clients) in ok|warn) ;; *) exit 1 ;; esac &&
	has engine message "^Docker Engine [0-9]" &&
	has docker message "client, /" &&
	has registry message "^$DBARENA_REGISTRY \(DBARENA_REGISTRY\) answers GET /v2/ with HTTP (200|401)$"
'

test_expect_success 'json: an array of {check,status,message,fix}, fix null when ok' '
	python3 -c "import json
rows=json.load(open(\"out.json\"))
assert [r[\"check\"] for r in rows]==[\"docker\",\"engine\",\"permission\",\"context\",\"registry\",\"ports\",\"engines\",\"profiles\",\"clients\",\"libraries\"], rows
for r in rows:
    assert sorted(r)==[\"check\",\"fix\",\"message\",\"status\"], r
    assert r[\"status\"] in (\"ok\",\"warn\",\"fail\"), r
    assert r[\"message\"], r
    assert (r[\"fix\"] is None)==(r[\"status\"]==\"ok\"), r"
'

test_expect_success 'text: one line per check, a summary with the wall time, no colour in a pipe' '
	dbarena doctor >out &&
	test "$(grep -c "^\(ok  \|warn\|fail\) [a-z]" out)" -eq 10 &&
	grep -q "^ok   engine      Docker Engine " out &&
	tail -n 1 out | grep -q "^[0-9]* ok, [0-9] warn, 0 fail in [0-9.]*s$" &&
	! grep -q "$(printf "\033")" out
'

test_expect_success 'a malformed profile fails the profiles check naming file:line' '
	mkdir -p "$XDG_CONFIG_HOME/dbarena/profiles" &&
	test_when_finished "rm -f \"$XDG_CONFIG_HOME/dbarena/profiles/broken.ini\"" &&
	printf "[profile]\ndescription = mine\nfsync = off\n" \
		>"$XDG_CONFIG_HOME/dbarena/profiles/broken.ini" &&
	test_expect_code 1 dbarena doctor --format json >bad.json &&
	test "$(status profiles bad.json)" = fail &&
	has profiles message "^$XDG_CONFIG_HOME/dbarena/profiles/broken\.ini:3: unknown key .fsync." bad.json &&
	has profiles fix "correct the file" bad.json &&
	test "$(status engines bad.json)" = ok
'

test_expect_success 'a malformed engine file fails the engines check naming file:line' '
	mkdir -p "$XDG_CONFIG_HOME/dbarena/engines" &&
	test_when_finished "rm -f \"$XDG_CONFIG_HOME/dbarena/engines/odd.ini\"" &&
	printf "[engine]\nimage = x\nport = seven\n" \
		>"$XDG_CONFIG_HOME/dbarena/engines/odd.ini" &&
	test_expect_code 1 dbarena doctor >out &&
	grep "^fail engines " out | grep -qF "dbarena/engines/odd.ini:3:" &&
	grep "^fail engines " out | grep -q " fix: "
'

test_expect_success 'a registry on a closed port fails the registry check' '
	port=$(free_port) &&
	DBARENA_REGISTRY=127.0.0.1:$port test_expect_code 1 dbarena doctor \
		--format json >reg.json &&
	test "$(status registry reg.json)" = fail &&
	has registry message "cannot connect to 127\.0\.0\.1:$port " reg.json &&
	has registry fix DBARENA_REGISTRY reg.json &&
	test "$(status engine reg.json)" = ok
'

test_expect_success 'a registry that accepts but never answers costs a bounded wait' '
	{ python3 -c "import socket,time
s=socket.socket(); s.bind((\"127.0.0.1\",0)); s.listen(1)
open(\"mute\",\"w\").write(str(s.getsockname()[1])); time.sleep(60)" & } &&
	holder=$! &&
	test_when_finished "kill $holder" &&
	wait_until 10 test -s mute &&
	start=$(now_ms) &&
	DBARENA_REGISTRY=127.0.0.1:$(cat mute) test_expect_code 1 \
		dbarena doctor --format json >slow.json &&
	took=$(( $(now_ms) - start )) &&
	say "a mute registry: $took ms" &&
	test "$(status registry slow.json)" = fail &&
	has registry message "no HTTP answer within 2\.0s" slow.json &&
	test $took -lt 8000
'

test_expect_success '--docker /nonexistent fails the docker check with the fix' '
	test_expect_code 1 dbarena --docker /nonexistent doctor >out 2>err &&
	grep "^fail docker " out | grep -q "/nonexistent: command not found .* fix: install docker" &&
	grep -q "^fail engine " out &&
	DBARENA_DOCKER=/nonexistent test_expect_code 1 dbarena doctor \
		--format json >nd.json && test "$(status docker nd.json)" = fail
'

test_expect_success 'a daemon that is not there fails the engine check' '
	DOCKER_HOST=unix:///nonexistent.sock test_expect_code 1 dbarena doctor \
		--format json >dh.json &&
	test "$(status engine dh.json)" = fail &&
	has engine message "cannot connect to the docker daemon" dh.json &&
	has engine fix DOCKER_HOST dh.json &&
	test "$(status docker dh.json)" = ok &&
	has context message "^DOCKER_HOST=unix:///nonexistent\.sock, local" dh.json &&
	test_expect_code 1 dbarena --context "${PREFIX}none" doctor \
		--format json >ctx.json &&
	test "$(status engine ctx.json)" = fail &&
	has engine fix "context ls" ctx.json &&
	has context message "^context ${PREFIX}none, remote" ctx.json
'

# The rig sets podman up (t0220); without it, skip here but fail under CI.
have_podman() {
	command -v podman >/dev/null 2>&1 && podman info >/dev/null 2>&1 && return 0
	test "${CI:-}" = true && { echo "no podman under CI"; exit 1; }
	say "no podman: not checked"
	return 1
}

test_expect_success 'podman as the program is recognised, with no daemon needed' '
	{ have_podman || exit 0; } &&
	dbarena --docker podman doctor --format json >pm.json &&
	has docker message "^podman [0-9][^ ]* client, /" pm.json &&
	test "$(status engine pm.json)" = ok &&
	has engine message "^podman [0-9].*no daemon" pm.json &&
	test "$(status permission pm.json)" = ok
'

test_expect_success 'a podman service behind DOCKER_HOST is detected as podman' '
	{ have_podman || exit 0; } &&
	sock="$TRASH/podman.sock" &&
	{ podman system service --time=30 "unix://$sock" & } &&
	holder=$! &&
	test_when_finished "kill $holder" &&
	wait_until 10 test -S "$sock" &&
	DOCKER_HOST="unix://$sock" dbarena doctor --format json >ps.json &&
	has docker message "^Docker [0-9]" ps.json &&
	has engine message "^Podman Engine [0-9].*\(podman detected\)" ps.json &&
	has permission message "^allowed to use $sock" ps.json
'

test_expect_success 'a default port held by a listener shows as warn' '
	port=$(free_port) &&
	mkdir -p "$XDG_CONFIG_HOME/dbarena/engines" &&
	test_when_finished "rm -f \"$XDG_CONFIG_HOME/dbarena/engines/postgres.ini\"" &&
	sed "s/^port = .*/port = $port/" "$TEST_SRCDIR/../engines/postgres.ini" \
		>"$XDG_CONFIG_HOME/dbarena/engines/postgres.ini" &&
	dbarena doctor --format json >free.json &&
	has ports message "(^free on 127\.0\.0\.1: |; free: )(.*, )?$port \(postgres\)" free.json &&
	{ python3 -c "import socket,time
s=socket.socket(); s.bind((\"127.0.0.1\",$port)); s.listen(1)
open(\"held\",\"w\").close(); time.sleep(60)" & } &&
	holder=$! &&
	test_when_finished "kill $holder" &&
	wait_until 10 test -e held &&
	dbarena doctor --format json >held.json &&
	test "$(status ports held.json)" = warn &&
	has ports message "^in use on 127\.0\.0\.1: ([^;]*, )?$port \(postgres\)" held.json &&
	has ports fix "next free port" held.json
'

test_expect_success 'colour only on a terminal, and NO_COLOR removes it' '
	command -v script >/dev/null &&
	script -qec "\"$DBARENA\" doctor" /dev/null >tty.out &&
	grep -q "$(printf "\033")\[32mok" tty.out &&
	NO_COLOR=1 script -qec "\"$DBARENA\" doctor" /dev/null >nocolour.out &&
	grep -q "ok   docker " nocolour.out &&
	! grep -q "$(printf "\033")\[3[123]m" nocolour.out &&
	NO_COLOR= script -qec "\"$DBARENA\" doctor" /dev/null >empty.out &&
	grep -q "$(printf "\033")\[32mok" empty.out
'

test_expect_success '--quiet prints only the warn and fail lines' '
	mkdir -p "$XDG_CONFIG_HOME/dbarena/profiles" &&
	test_when_finished "rm -f \"$XDG_CONFIG_HOME/dbarena/profiles/half.ini\"" &&
	printf "[profile\n" >"$XDG_CONFIG_HOME/dbarena/profiles/half.ini" &&
	test_expect_code 1 dbarena doctor --quiet >q.out &&
	test_expect_code 1 dbarena --quiet doctor >gq.out &&
	rm "$XDG_CONFIG_HOME/dbarena/profiles/half.ini" &&
	cat q.out &&
	! grep -v "^\(warn\|fail\) " q.out &&
	grep -qF "fail profiles    $XDG_CONFIG_HOME/dbarena/profiles/half.ini:1:" q.out &&
	grep -q "^fail profiles " gq.out && ! grep -v "^\(warn\|fail\) " gq.out &&
	dbarena doctor -q >ok.out &&
	! grep -q "^ok " ok.out
'

test_expect_success 'usage errors: exit 2' '
	test_expect_code 2 dbarena doctor extra 2>err &&
	test_expect_code 2 dbarena doctor --bind nowhere 2>err &&
	grep -q "invalid --bind" err &&
	test_expect_code 2 dbarena doctor --format yaml 2>err
'

test_done
