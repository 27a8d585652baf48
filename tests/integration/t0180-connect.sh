#!/bin/sh
# url, env, shell, exec and create --init, against PostgreSQL and MariaDB
# with their real clients.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

pg="${PREFIX}pg"
my="${PREFIX}my"
fd="$TEST_SRCDIR/integration/fault-docker"
export FAULT_LOG="$TRASH/fault.log"
# A quote in the password: env must quote it, url must encode it.
pw="it's-s3cret"
cat >want-env <<'EOF'
export PGPASSWORD='it'\''s-s3cret'
EOF

cat >one.sql <<'EOF'
CREATE TABLE parent (id int PRIMARY KEY);
INSERT INTO parent VALUES (1), (2);
EOF
cat >two.sql <<'EOF'
CREATE TABLE child (id int REFERENCES parent (id));
INSERT INTO child VALUES (2);
EOF
cat >bad.sql <<'EOF'
CREATE TABLE fine (id int);
SELECT 1;
SELEC oops;
CREATE TABLE never (id int);
EOF

test_expect_success 'create --init: two files run in order' '
	dbarena create postgres --name "$pg" --init one.sql --init two.sql \
		--password "$pw" --format json >c.json &&
	url=$(json_get 0 url <c.json) &&
	test "$(psql "$url" -Atc "SELECT count(*) FROM child JOIN parent USING (id)")" = 1
'

test_expect_success 'url: what psql connects with, by unique prefix too' '
	dbarena url "$pg" >u &&
	test "$(cat u)" = "$(json_get 0 url <c.json)" &&
	test "$(dbarena url "${PREFIX}p")" = "$(cat u)" &&
	test "$(psql "$(cat u)" -Atc "SELECT 40 + 2")" = 42
'

test_expect_success 'env: eval it, then psql with no arguments' '
	dbarena env "$pg" >env.sh &&
	grep -qxFf want-env env.sh &&
	test "$( (eval "$(cat env.sh)" && psql -Atc "SELECT current_database()") )" = dbarena
'

test_expect_success 'env --format json: the same variables' '
	dbarena env --format json "$pg" >env.json &&
	test "$(json_get PGPORT <env.json)" = "$(json_get 0 port <c.json)" &&
	test "$(json_get PGUSER <env.json)" = postgres
'

test_expect_success 'exec: the command output and its exit status' '
	dbarena exec "$pg" -- sh -c "echo inside; exit 7" >out; rc=$? &&
	test $rc = 7 && grep -qx inside out &&
	dbarena exec "$pg" true &&
	{ dbarena exec "$pg" no-such-program-here 2>err; test $? -ge 126; }
'

test_expect_success 'exec: psql with no flags is the database user on its database' '
	dbarena exec "$pg" -- psql -Atc "select current_user, current_database()" >out &&
	test "$(cat out)" = "postgres|dbarena"
'

test_expect_success 'shell: SQL piped into the engine client' '
	echo "SELECT count(*) FROM parent;" | dbarena shell "$pg" -- -At >out &&
	test "$(cat out)" = 2
'

test_expect_success 'shell and exec on a terminal get one (-t), off it not' '
	command -v script >/dev/null || { echo "no script(1)"; exit 1; } &&
	script -qec "$DBARENA shell $pg -- -P pager=off -Atc \"SELECT 6 * 7\"" /dev/null </dev/null >tty.out 2>&1 &&
	# The pty echoes the EOF script(1) sends as "^@": match the line end.
	tr -d "\r" <tty.out | grep -q "42$" &&
	script -qec "$DBARENA exec $pg test -t 0; echo tty=\$?" /dev/null </dev/null >tty2.out 2>&1 &&
	grep -q "tty=0" tty2.out &&
	{ dbarena exec "$pg" test -t 0 </dev/null; test $? = 1; }
'

test_expect_success 'no password in any docker argv: it travels in the environment' '
	: >"$FAULT_LOG" && : >"$TRASH/argv" &&
	echo "SELECT 1;" | FAULT_ARGV="$TRASH/argv" DBARENA_DOCKER="$fd" \
		dbarena shell "$pg" -- -At >out &&
	FAULT_ARGV="$TRASH/argv" DBARENA_DOCKER="$fd" \
		dbarena exec "$pg" sh -c "printf %s \"\$PGPASSWORD\" | md5sum" >sum &&
	test "$(cut -d" " -f1 sum)" = "$(printf %s "$pw" | md5sum | cut -d" " -f1)" &&
	grep -q " exec -i -e PGUSER -e PGPASSWORD -e PGDATABASE $pg psql " "$TRASH/argv" &&
	grep -q " exec -i -e PGUSER -e PGPASSWORD -e PGDATABASE $pg sh -c " "$TRASH/argv" &&
	! grep -qF "s3cret" "$TRASH/argv"
'

test_expect_success 'init failure: file, line and exit 11; nothing left behind' '
	{ dbarena create postgres --name "${PREFIX}bad" --init one.sql \
		--init bad.sql 2>err; test $? = 11; } &&
	grep -q "^dbarena: init bad.sql: psql:bad.sql:3: ERROR: " err &&
	grep -q "was removed" err &&
	test -z "$(docker ps -aq --filter "name=^${PREFIX}bad")"
'

test_expect_success 'init: an unreadable file fails before any docker call' '
	: >"$FAULT_LOG" &&
	{ DBARENA_DOCKER="$fd" dbarena create postgres --name "${PREFIX}nf" \
		--init no-such.sql 2>err; test $? = 2; } &&
	grep -q "no-such.sql: No such file" err &&
	test ! -s "$FAULT_LOG"
'

test_expect_success 'init --dry-run: the exec line, password kept out of argv' '
	dbarena create postgres --name "${PREFIX}dry" --init one.sql --dry-run >dry &&
	grep -q "^PGPASSWORD=dbarena docker exec -i -e PGPASSWORD ${PREFIX}dry psql .*-v ON_ERROR_STOP=1 .* < one.sql$" dry
'

test_expect_success 'mariadb: init, url, env, exec and shell' '
	printf "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1), (2), (3);\n" >m1.sql &&
	dbarena create mariadb --name "$my" --init m1.sql -q >/dev/null &&
	dbarena url "$my" | grep -q "^mysql://root:dbarena@127.0.0.1:" &&
	test "$( (eval "$(dbarena env "$my")" && mariadb -uroot -N -B dbarena -e "SELECT count(*) FROM t") )" = 3 &&
	test "$(echo "SELECT sum(id) FROM t" | dbarena shell "$my" -- -N)" = 6 &&
	dbarena exec "$my" -- sh -c "test \"\$MYSQL_PWD\" = dbarena" &&
	# The client takes root, its user when run as root, and the password.
	test "$(dbarena exec "$my" -- mariadb -N -e "select current_user()")" = root@localhost
'

test_expect_success 'mariadb init failure names the line' '
	printf "CREATE TABLE u (id int);\nSELEC 1;\n" >mbad.sql &&
	{ dbarena create mariadb --name "${PREFIX}mbad" --init mbad.sql 2>err; test $? = 11; } &&
	grep -q "^dbarena: init mbad.sql: ERROR 1064 .* at line 2" err
'

test_expect_success 'not running: shell and exec say so' '
	dbarena stop "$my" >/dev/null &&
	{ dbarena exec "$my" true 2>err; test $? = 9; } &&
	grep -q "is not running" err
'

test_expect_success 'usage: no name, no command, unknown name' '
	{ dbarena url 2>err; test $? = 2; } &&
	{ dbarena exec "$pg" 2>err; test $? = 2; } &&
	grep -q "no command given" err &&
	{ dbarena env "${PREFIX}nothing" 2>err; test $? = 5; }
'

test_done
