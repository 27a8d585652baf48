#!/bin/sh
# Layers point one way: which module calls which, read from the built
# objects with nm (a module's undefined symbols against the others'
# definitions: real calls and data references, not #includes), checked
# against the layer table below. A module may call its own layer and the
# ones below it, never one above; the graph must have no cycle; every
# module must have a layer. TAP on stdout, for make check and for
# make check-deps. The objects are the arguments, or CHECK_DEPS_OBJECTS.
#
# Messages sit above strbuf: one to escape, or too long for the fixed
# buffer, is built on the heap. Below strbuf only fatal() is called, and
# it formats into a fixed buffer, so running out of memory never
# allocates again.
LAYERS='
0 fatal sha256 sig
1 xmalloc
2 strbuf
3 json msg rows runmark tar util
4 child database probe
5 docker tunnel
6 cdc config create docker-report forward network optfile ready render report sql snapshot
7 cmd-*
8 cmd main
'
NM=${NM:-nm}

if [ $# -eq 0 ]; then
	# shellcheck disable=SC2086
	set -- ${CHECK_DEPS_OBJECTS:-}
fi
if ! command -v "$NM" >/dev/null 2>&1; then
	if [ "${CI:-}" = true ]; then
		echo "1..1"
		echo "not ok 1 - check-deps needs $NM"
		exit 1
	fi
	echo "1..0 # SKIP no $NM"
	exit 0
fi

n=0
failed=0
report() {	# status title [output]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		failed=1
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/#   /'
	fi
}

# "D module symbol" and "U module symbol" for each object's global symbols.
symbols() {
	for o in "$@"; do
		m=${o##*/}
		m=${m%.*}
		"$NM" -P "$o" | awk -v m="$m" '
			$2 == "U" { print "U", m, $1; next }
			$2 ~ /^[A-TV-Z]$/ { print "D", m, $1 }'
	done
}

# "caller callee sym,sym,..." for every call between two modules.
edges() {
	awk '
		$1 == "D" { def[$3] = $2; next }
		{ use[++n] = $2 " " $3 }
		END {
			for (i = 1; i <= n; i++) {
				split(use[i], a, " ")
				if (!(a[2] in def) || def[a[2]] == a[1])
					continue
				k = a[1] " " def[a[2]]
				if (k in syms)
					syms[k] = syms[k] "," a[2]
				else
					syms[k] = a[2]
			}
			for (k in syms)
				print k, syms[k]
		}' | sort
}

# The checks, on the edges; $1 names one: layers, cycles or modules.
check() {
	awk -v what="$1" -v table="$LAYERS" '
	function layer(m,    i) {
		if (m in exact)
			return (exact[m])
		for (i = 1; i <= npre; i++)
			if (index(m, pre[i]) == 1)
				return (prelayer[i])
		return (-1)
	}
	function dfs(u,    i, v, j, j0, s) {
		colour[u] = 1
		stack[++sp] = u
		for (i = 1; i <= nout[u]; i++) {
			v = out[u, i]
			if (colour[v] == 1) {
				for (j0 = sp; stack[j0] != v; j0--)
					;
				s = ""
				for (j = j0; j <= sp; j++)
					s = s stack[j] " -> "
				print "cycle: " s v
				for (j = j0; j < sp; j++)
					print "  " stack[j] " calls " stack[j + 1] \
					    ": " sym[stack[j], stack[j + 1]]
				print "  " u " calls " v ": " sym[u, v]
				return (1)
			}
			if (colour[v] == 0 && dfs(v))
				return (1)
		}
		sp--
		colour[u] = 2
		return (0)
	}
	BEGIN {
		nl = split(table, line, "\n")
		for (i = 1; i <= nl; i++) {
			nw = split(line[i], w, " ")
			for (j = 2; j <= nw; j++) {
				if (w[j] ~ /\*$/) {
					pre[++npre] = substr(w[j], 1, length(w[j]) - 1)
					prelayer[npre] = w[1]
				} else
					exact[w[j]] = w[1]
			}
		}
	}
	{
		mod[$1] = mod[$2] = 1
		out[$1, ++nout[$1]] = $2
		sym[$1, $2] = $3
		from[NR] = $1; to[NR] = $2; syms[NR] = $3
	}
	END {
		bad = 0
		if (what == "modules") {
			for (m in mod)
				if (layer(m) < 0) {
					print m " is in no layer"
					bad = 1
				}
		} else if (what == "layers") {
			for (i = 1; i <= NR; i++) {
				lf = layer(from[i]); lt = layer(to[i])
				if (lf >= 0 && lt > lf) {
					print from[i] " (layer " lf ") calls " \
					    to[i] " (layer " lt "): " syms[i]
					bad = 1
				}
			}
		} else {
			for (i = 1; i <= NR && !bad; i++)
				if (colour[from[i]] == 0 && dfs(from[i]))
					bad = 1
		}
		exit (bad)
	}'
}

# The check first finds what it must, on a graph made to fail it.
fake='a b f
b c g
c a h'
out=$(printf '%s\n' "$fake" | check cycles)
[ $? -ne 0 ] && printf '%s\n' "$out" | grep -q 'cycle: a -> b -> c -> a'
report $? "a made-up cycle is found" "$out"
out=$(printf '%s\n' 'strbuf docker f' | check layers)
[ $? -ne 0 ] && printf '%s\n' "$out" | grep -q 'strbuf (layer 2) calls docker'
report $? "a made-up call up the layers is found" "$out"

if [ $# -eq 0 ]; then
	report 1 "objects to read" "no objects: pass them, or set CHECK_DEPS_OBJECTS"
	echo "1..$n"
	exit 1
fi
graph=$(symbols "$@" | edges)
nedges=$(printf '%s\n' "$graph" | grep -c .)
[ "$nedges" -gt 0 ]
report $? "$nedges calls between $# modules read with $NM"
out=$(printf '%s\n' "$graph" | check modules)
report $? "every module has a layer in tests/check-deps.sh" "$out"
out=$(printf '%s\n' "$graph" | check layers)
report $? "no module calls one in a layer above it" "$out"
out=$(printf '%s\n' "$graph" | check cycles)
report $? "no cycle between modules" "$out"

echo "1..$n"
exit $failed
