#!/bin/sh
# MariaDB end to end, with the real mariadb client.
. "$TEST_SRCDIR/integration/lib-test.sh"
require_engine

my="${PREFIX}my"
cdc="${PREFIX}mycdc"

mysql_q() {
	mariadb --protocol=tcp -h "$(json_get host <"$1")" -P "$(json_get port <"$1")" \
		-u "$(json_get user <"$1")" -p"$(json_get password <"$1")" -N -B -e "$2"
}

test_expect_success 'create mariadb: the client runs SELECT 1' '
	dbarena create mariadb --name "$my" --format json >c.json &&
	json_get 0 name <c.json | grep -qx "$my" &&
	dbarena inspect "$my" --format json >i.json &&
	test "$(mysql_q i.json "SELECT 1")" = 1 &&
	mysql_q i.json "SHOW DATABASES" | grep -qx dbarena
'

test_expect_success 'fast profile: no binary log, relaxed flushing' '
	test "$(mysql_q i.json "SELECT @@log_bin")" = 0 &&
	test "$(mysql_q i.json "SELECT @@innodb_flush_log_at_trx_commit")" = 0
'

test_expect_success 'cdc-fast: binary log on, ROW format, a server id' '
	dbarena create mariadb --profile cdc-fast --name "$cdc" >/dev/null &&
	dbarena inspect "$cdc" --format json >j.json &&
	test "$(mysql_q j.json "SELECT @@log_bin")" = 1 &&
	test "$(mysql_q j.json "SELECT @@binlog_format")" = ROW &&
	test "$(mysql_q j.json "SELECT @@server_id")" = 1
'

test_expect_success 'destroy both at once' '
	dbarena destroy "$my" "$cdc" >out &&
	grep -q "destroyed $my" out && grep -q "destroyed $cdc" out
'

test_done
