#!/bin/bash
# Build the libFuzzer harnesses of tests/fuzz with clang, ASan and UBSan,
# outside the source tree, and run each for FUZZ_SECONDS (default 20) on a
# copy of its seed corpus. The output is TAP, so automake's TAP driver can
# run this; per target one "fuzz: TARGET: N executions, M crashes" line
# comes before its result. Crash, leak and timeout reproducers are saved
# under the artifact directory printed at the start; the exit status is
# non-zero if any harness failed to build or found anything.
#
# Environment:
#   FUZZ_SECONDS    seconds per target (default 20)
#   FUZZ_TARGETS    which targets, in order (default "profile docker options")
#   FUZZ_BUILD_DIR  where to build and keep logs (default: a new directory
#                   under ${TMPDIR:-/tmp})
#   FUZZ_CRASH_DIR  where artifacts go (default: $FUZZ_BUILD_DIR/crashes)
#   FUZZ_TIMEOUT    seconds one input may take (default 25)
#   CC              a compiler to try first (then clang, clang-14)
#
# Replay a reproducer with: BUILD/fuzz-TARGET FILE
#
# Before fuzzing, every reproducer kept under tests/fuzz/crashes/TARGET-*/
# (the inputs of crashes found and fixed) is replayed on its harness, one
# TAP test per target, so that a fixed crash that comes back fails CI.

set -u

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
fuzzdir=$srcdir/tests/fuzz
seconds=${FUZZ_SECONDS:-20}
targets=${FUZZ_TARGETS:-"profile docker options"}
timeout=${FUZZ_TIMEOUT:-25}
build=${FUZZ_BUILD_DIR:-}
if [ -z "$build" ]; then
	build=$(mktemp -d "${TMPDIR:-/tmp}/dbarena-fuzz.XXXXXX") || exit 1
fi
mkdir -p "$build" || exit 1
build=$(cd "$build" && pwd)
crashdir=${FUZZ_CRASH_DIR:-$build/crashes}
mkdir -p "$crashdir" || exit 1
crashdir=$(cd "$crashdir" && pwd)

set -- $targets
echo "1..$(( $# * 2 ))"
echo "# build and logs: $build"
echo "# crash artifacts: $crashdir"

# A compiler that links -fsanitize=fuzzer: installed here if missing.
can_fuzz() {
	cat >"$build/probe.c" <<'EOF'
int LLVMFuzzerTestOneInput(const char *d, unsigned long n)
{ (void)d; (void)n; return 0; }
EOF
	"$1" -fsanitize=fuzzer,address,undefined "$build/probe.c" \
	    -o "$build/probe" >/dev/null 2>&1
}

find_cc() {
	local c
	for c in ${CC:-} clang clang-14; do
		if command -v "$c" >/dev/null 2>&1 && can_fuzz "$c"; then
			echo "$c"
			return 0
		fi
	done
	return 1
}

if ! cc=$(find_cc); then
	echo "# no clang with libFuzzer: installing clang and libclang-rt-14-dev"
	if command -v apt-get >/dev/null 2>&1; then
		export DEBIAN_FRONTEND=noninteractive
		{ apt-get update && apt-get install -y clang \
		    libclang-rt-14-dev; } >"$build/apt.log" 2>&1 ||
		    { apt-get install -y clang >>"$build/apt.log" 2>&1; }
	fi
	cc=$(find_cc) || cc=
fi

# Build: every src/*.c but main.c into one archive, then one harness each.
built=
build_all() {
	local f o objs=() cflags jobs
	if [ -z "$cc" ]; then
		echo "no clang that links -fsanitize=fuzzer" >"$build/build.log"
		return 1
	fi
	pkg-config --exists inih libpcre2-8 2>>"$build/build.log" || {
		echo "pkg-config: inih or libpcre2-8 missing" >>"$build/build.log"
		return 1
	}
	cflags=(-g -O1 -fno-omit-frame-pointer
	    -fsanitize=fuzzer-no-link,address,undefined
	    -fno-sanitize-recover=undefined
	    -D_GNU_SOURCE -DSYSCONFDIR='"/nonexistent"'
	    -DPKGDATADIR='"/nonexistent"' -DPACKAGE_VERSION='"fuzz"'
	    -DFUZZ_SRCDIR="\"$srcdir\"" -I"$srcdir/src"
	    $(pkg-config --cflags inih libpcre2-8))
	mkdir -p "$build/obj"
	rm -f "$build"/obj/* "$build/libdbarena-fuzz.a"
	jobs=$(nproc 2>/dev/null || echo 2)
	for f in "$srcdir"/src/*.c; do
		[ "$(basename "$f")" = main.c ] && continue
		o=$build/obj/$(basename "$f" .c).o
		objs+=("$o")
		{ "$cc" "${cflags[@]}" -c "$f" -o "$o" >"$o.log" 2>&1 ||
		    touch "$build/obj/FAILED"; } &
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
			wait -n
		done
	done
	wait
	cat "$build"/obj/*.log >>"$build/build.log" 2>/dev/null
	[ -e "$build/obj/FAILED" ] && return 1
	ar rcs "$build/libdbarena-fuzz.a" "${objs[@]}" \
	    >>"$build/build.log" 2>&1 || return 1
	for t in $targets; do
		"$cc" "${cflags[@]}" -c "$fuzzdir/fuzz-$t.c" \
		    -o "$build/fuzz-$t.o" >>"$build/build.log" 2>&1 &&
		"$cc" -fsanitize=fuzzer,address,undefined \
		    "$build/fuzz-$t.o" "$build/libdbarena-fuzz.a" \
		    $(pkg-config --libs inih libpcre2-8) \
		    -o "$build/fuzz-$t" >>"$build/build.log" 2>&1 &&
		built="$built $t"
	done
	return 0
}
: >"$build/build.log"
build_all

# Crash artifacts libFuzzer writes, whatever kind.
count_artifacts() {
	find "$1" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' \
	    -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l
}

# What dbarena itself prints on stderr: messages, hints, usage.
noise='^(dbarena: |  [^ ]|usage: dbarena |alias: |create: )'

n=0
failed=0
total_crashes=0
# Regressions first: each kept reproducer, run once (libFuzzer runs the
# files it is given and exits non-zero on the first that fails).
for t in $targets; do
	n=$((n + 1))
	repro=()
	for f in "$fuzzdir"/crashes/"$t"-*/*; do
		[ -f "$f" ] && [ "$(basename "$f")" != README ] && repro+=("$f")
	done
	case " $built " in
	*" $t "*) ;;
	*)
		echo "not ok $n - replay $t reproducers (build failed)"
		failed=1
		continue
		;;
	esac
	if [ ${#repro[@]} -eq 0 ]; then
		echo "ok $n - replay $t reproducers (none kept)"
	elif (cd "$build" && "$build/fuzz-$t" "${repro[@]}" \
	    >"$build/replay-$t.log" 2>&1); then
		echo "ok $n - replay $t reproducers (${#repro[@]} inputs)"
	else
		echo "not ok $n - replay $t reproducers (log $build/replay-$t.log)"
		grep -m 3 -E 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:|SUMMARY:' \
		    "$build/replay-$t.log" | sed 's/^/# /'
		failed=1
	fi
done
for t in $targets; do
	n=$((n + 1))
	case " $built " in
	*" $t "*) ;;
	*)
		echo "fuzz: $t: 0 executions, 0 crashes"
		echo "not ok $n - fuzz $t (build failed; see $build/build.log)"
		failed=1
		continue
		;;
	esac
	corpus=$build/corpus-$t
	art=$crashdir/$t
	log=$build/fuzz-$t.log
	rm -rf "$corpus"
	mkdir -p "$corpus" "$art"
	cp "$fuzzdir/corpus/$t"/* "$corpus"/ 2>/dev/null
	before=$(count_artifacts "$art")
	opts=(-max_total_time="$seconds" -max_len=65536 -timeout="$timeout"
	    -print_final_stats=1 -artifact_prefix="$art/")
	[ -f "$fuzzdir/$t.dict" ] && opts+=(-dict="$fuzzdir/$t.dict")
	# dbarena's and getopt's own messages would drown libFuzzer's and
	# the sanitizers' (-close_fd_mask would lose the reports of create's
	# forked children too): only they are left out of the log.
	(cd "$build" || exit 1
	    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	    "$build/fuzz-$t" "${opts[@]}" "$corpus" 2>&1 |
	    grep -avE "$noise" >"$log"
	    exit "${PIPESTATUS[0]}")
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
	    tail -n 1)
	execs=${execs:-0}
	crashes=$(( $(count_artifacts "$art") - before ))
	if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then
		crashes=1	# died without an artifact: still a failure
	fi
	total_crashes=$((total_crashes + crashes))
	echo "fuzz: $t: $execs executions, $crashes crashes"
	if [ "$crashes" -eq 0 ]; then
		echo "ok $n - fuzz $t ($execs execs)"
	else
		echo "not ok $n - fuzz $t ($execs execs, $crashes crashes;" \
		    "artifacts in $art, log $log)"
		grep -m 3 -E 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:|SUMMARY:' \
		    "$log" | sed 's/^/# /'
		failed=1
	fi
done
echo "# total crashes: $total_crashes"
exit $failed
