# Shared helpers for dbarena's integration tests, in the style of git's
# t/test-lib.sh: each test is a title and a chain of && steps, the output
# is TAP for automake's driver. Every container and volume a test makes
# carries this run's prefix and is removed by the trap at exit.
#
# Engine tests call require_engine: without a Docker engine and the
# stand-in registry (tests/rig/setup.sh) they are skipped on a laptop but
# fail under CI (CI=true), never skipped silently there.

set -u
: "${DBARENA:?DBARENA must name the built dbarena (make check sets it)}"
: "${TEST_SRCDIR:?TEST_SRCDIR must name the tests directory}"

test_count=0
test_failed=0
PREFIX="dbt$$-$(od -An -N2 -tx2 /dev/urandom | tr -d ' ')-"
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/dbarena-test.XXXXXX")
export XDG_CONFIG_HOME="$TRASH/config"
export DBARENA_REGISTRY="${DBARENA_REGISTRY-127.0.0.1:5000}"
unset DBARENA_DOCKER DBARENA_QUIET DOCKER_CONTEXT
# The engine's CLI: docker, unless a test sets TEST_DOCKER=podman before
# sourcing this file; dbarena, cleanup and require_engine all use it.
TEST_DOCKER="${TEST_DOCKER:-docker}"
[ "$TEST_DOCKER" = docker ] || export DBARENA_DOCKER="$TEST_DOCKER"
mkdir -p "$XDG_CONFIG_HOME"
# Tests write their scratch files here, never into the build tree.
cd "$TRASH" || exit 1

dbarena() {
	"$DBARENA" "$@"
}

cleanup() {
	# A test may remove more of its own (pool members have no prefix).
	command -v extra_cleanup >/dev/null 2>&1 && extra_cleanup
	d=$TEST_DOCKER
	if command -v "$d" >/dev/null 2>&1 && "$d" info >/dev/null 2>&1; then
		ids=$("$d" ps -aq --filter "name=^$PREFIX" 2>/dev/null)
		[ -n "$ids" ] && "$d" rm -f -v $ids >/dev/null 2>&1
		vols=$("$d" volume ls -q --filter "name=$PREFIX" 2>/dev/null)
		[ -n "$vols" ] && "$d" volume rm $vols >/dev/null 2>&1
	fi
	rm -rf "$TRASH"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() {
	printf '# %s\n' "$*"
}

test_expect_success() {
	test_count=$((test_count + 1))
	out="$TRASH/out.$test_count"
	if (eval "$2") >"$out" 2>&1 9>&1; then
		echo "ok $test_count - $1"
	else
		echo "not ok $test_count - $1"
		sed 's/^/#   /' "$out" | tail -40
		test_failed=$((test_failed + 1))
	fi
}

# test_expect_code CODE COMMAND...: COMMAND exits with CODE. An exit
# status asserted inside the && chain: "cmd; test $? -eq 4" would pass on
# the status of whichever earlier step failed. The complaint goes to the
# test's log (fd 9) even when the command's stderr is redirected.
test_expect_code() {
	_tec_want=$1
	shift
	"$@"
	_tec_got=$?
	[ "$_tec_got" = "$_tec_want" ] && return 0
	{ echo "test_expect_code: want exit $_tec_want, got $_tec_got: $*" >&9; } 2>/dev/null
	return 1
}

# test_when_finished COMMAND: run COMMAND when this test's body ends,
# however it ends (git's helper of that name): a background job or a
# file the next test must not see is dealt with even when a step failed.
# Each body runs in a subshell of its own, whose EXIT trap this is.
test_when_finished() {
	_twf_cmds="$*; ${_twf_cmds-}"
	trap 'eval "$_twf_cmds"' EXIT
}

# Failures are counted from the "not ok" lines; the exit status stays 0
# so that automake's driver does not count them twice.
test_done() {
	echo "1..$test_count"
	exit 0
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

# An engine test needs a Docker engine and the registry of stand-in
# images. Without them: a skip on a laptop, a failure under CI.
require_engine() {
	why=
	if ! command -v "$TEST_DOCKER" >/dev/null 2>&1; then
		why="no $TEST_DOCKER CLI"
	elif ! "$TEST_DOCKER" info >/dev/null 2>&1; then
		why="no $TEST_DOCKER engine answers"
	elif ! docker manifest inspect --insecure \
	    "$DBARENA_REGISTRY/postgres:16-alpine" >/dev/null 2>&1 &&
	    ! curl -fsS "http://$DBARENA_REGISTRY/v2/postgres/tags/list" \
	    >/dev/null 2>&1; then
		why="no stand-in images at $DBARENA_REGISTRY"
	elif [ "$TEST_DOCKER" != docker ] && ! "$TEST_DOCKER" run --rm \
	    "$DBARENA_REGISTRY/postgres:16-alpine" true >/dev/null 2>&1; then
		# podman answers info even where it cannot run a container.
		why="$TEST_DOCKER cannot run a container"
	fi
	[ -z "$why" ] && return 0
	if [ "${CI:-}" = true ]; then
		echo "1..1"
		echo "not ok 1 - engine prerequisite: $why (run tests/rig/setup.sh)"
		exit 1
	fi
	skip_all "$why; run tests/rig/setup.sh"
}

# The value of a key in dbarena's JSON output, by python3 (always here).
json_get() {
	python3 -c 'import json,sys
v=json.load(sys.stdin)
for k in sys.argv[1:]:
    v=v[int(k)] if isinstance(v,list) else v[k]
print(v)' "$@"
}

# wait_until SECONDS COMMAND...: poll COMMAND every 0.1 s until it
# succeeds; fail (and say what was awaited) after SECONDS, so a test whose
# event never comes fails instead of hanging the suite.
wait_until() {
	_wu_n=$(( $1 * 10 )); shift
	until "$@" 2>/dev/null; do
		_wu_n=$((_wu_n - 1))
		if [ $_wu_n -le 0 ]; then
			echo "gave up waiting for: $*"
			return 1
		fi
		sleep 0.1
	done
}

# Milliseconds since the epoch, for reported (never asserted) timings.
now_ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}
