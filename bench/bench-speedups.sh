# Sourced by bench/run.sh: the two shortcuts past a server's first start,
# each against a plain create in the same run.

bench_speedups() {
	local stock=() pre=() claims=() i t0 t1 tag="dbarena-bench/${PREFIX%-}:pg"
	"$DBARENA" images build postgres --tag "$tag" >/dev/null 2>&1 || {
		row "create from images build" "build failed" "-" "-" "-" ">= 1.5x" MISSED
		return 1
	}
	for i in $(seq "$RUNS"); do
		t0=$(ns)
		"$DBARENA" create postgres --no-pool --name "${PREFIX}st$i" --quiet >/dev/null || return 1
		t1=$(ns); stock+=($(( (t1 - t0) / 1000000 )))
		t0=$(ns)
		"$DBARENA" create postgres --no-pool --image "$tag" --name "${PREFIX}pr$i" --quiet >/dev/null || return 1
		t1=$(ns); pre+=($(( (t1 - t0) / 1000000 )))
		docker rm -f -v "${PREFIX}st$i" "${PREFIX}pr$i" >/dev/null
	done
	local s p
	s=$(median "${stock[@]}"); p=$(median "${pre[@]}")
	row "create from images build (postgres)" "$(spread ms "${pre[@]}")" \
	    "$(spread ms "${stock[@]}") (stock image)" \
	    "-" "$(ratio "$s" "$p") x faster" ">= 1.5x faster" \
	    "$(verdict "$(python3 -c "print($s / $p)")" ge 1.5)"
	docker rmi -f "$tag" >/dev/null 2>&1

	# The pool: fill (not timed), then time the claims: the plain create
	# (one rename) and one asking for --name (a second rename; see
	# pool_take in src/cmd-create.c for why).
	mkdir -p "$XDG_CONFIG_HOME/dbarena/profiles"
	printf '[profile]\ninherits = fast\n' >"$XDG_CONFIG_HOME/dbarena/profiles/benchpool.ini"
	"$DBARENA" pool fill postgres -n $((2 * RUNS)) --profile benchpool >/dev/null || return 1
	local named=()
	for i in $(seq "$RUNS"); do
		t0=$(ns)
		"$DBARENA" create postgres --profile benchpool --quiet >/dev/null || return 1
		t1=$(ns); claims+=($(( (t1 - t0) / 1000000 )))
		t0=$(ns)
		"$DBARENA" create postgres --profile benchpool --name "${PREFIX}pc$i" --quiet >/dev/null || return 1
		t1=$(ns); named+=($(( (t1 - t0) / 1000000 )))
	done
	docker rm -f -v $(docker ps -aq --filter label=dbarena.profile=benchpool) >/dev/null
	local n
	p=$(median "${claims[@]}"); n=$(median "${named[@]}")
	row "create claiming a pool member" "$(spread ms "${claims[@]}")" \
	    "${s%.*} ms (create, as above)" "-" \
	    "$(ratio "$s" "$p" 1) x faster" "<= 150 ms" \
	    "$(verdict "$p" le 150)"
	row "the same with --name (two renames)" "$(spread ms "${named[@]}")" \
	    "${s%.*} ms (create, as above)" "-" \
	    "$(ratio "$s" "$n" 1) x faster" "<= 150 ms" \
	    "$(verdict "$n" le 150)"
}
goal speedups bench_speedups
