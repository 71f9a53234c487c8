#!/bin/sh
# A private PostgreSQL cluster for the tests: Debian's server binaries, a data folder of its own, a local port.
#   sh scripts/pg-cluster.sh start DIR PORT   -> prints the two URLs to export (app role, administrator)
#   sh scripts/pg-cluster.sh stop DIR
#   sh scripts/pg-cluster.sh pause DIR | resume DIR   (the server gone, then back: connection-loss tests)
# initdb refuses to run as root: as root the cluster belongs to the 'postgres' system user (made by the
# package), as anyone else to that user (no root needed once the package is installed: tried as an ordinary
# user, the server tests and the GUI restart test pass against such a cluster). The app's role `khoi_app` is no superuser; it owns the test database
# and may create the per-test databases (CREATEDB), as an office's role never needs to.
set -e
action=$1
dir=$2
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bindir" ] || { echo "PostgreSQL server binaries not found (apt-get install -y postgresql)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}

case "$action" in
start)
    port=$3
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; chmod 700 "$dir"; fi
    as_owner "'$bindir/initdb' -D '$dir/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >'$dir/initdb.log' 2>&1"
    # The settings in the cluster's own file, so that `resume` starts it the same way.
    as_owner "printf '%s\n' \"listen_addresses = '127.0.0.1'\" 'port = $port' \"unix_socket_directories = '$dir'\" \
        'fsync = off' 'max_connections = 200' 'shared_buffers = 64MB' 'autovacuum = off' >> '$dir/data/postgresql.conf'"
    as_owner "'$bindir/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 60 start >/dev/null"
    as_owner "'$bindir/psql' -X -q -h 127.0.0.1 -p $port -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c \"CREATE ROLE khoi_app LOGIN NOSUPERUSER CREATEDB PASSWORD 'khoi-test'\" \
        -c 'CREATE DATABASE khoi_test OWNER khoi_app'"
    echo "KHOI_TEST_PG_URL=postgresql://khoi_app:khoi-test@127.0.0.1:$port/khoi_test"
    echo "KHOI_TEST_PG_ADMIN_URL=postgresql://postgres@127.0.0.1:$port/postgres"
    echo "KHOI_TEST_PG_DIR=$dir"
    ;;
stop)
    [ -d "$dir/data" ] && as_owner "'$bindir/pg_ctl' -D '$dir/data' -m fast -w stop >/dev/null" || true
    ;;
pause|resume)
    # The server gone for a while, then back (tests/core/test_server.py): the same options as at start.
    if [ "$action" = pause ]; then
        as_owner "'$bindir/pg_ctl' -D '$dir/data' -m fast -w stop >/dev/null"
    else
        as_owner "'$bindir/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 60 start >/dev/null"
    fi
    ;;
*)
    echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2
    ;;
esac
