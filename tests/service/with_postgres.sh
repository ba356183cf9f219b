#!/usr/bin/env bash
# with_postgres.sh: runs a command beside a real PostgreSQL server of its own.
#
#   with_postgres.sh COMMAND [ARG...]
#
# The server is Debian's (the newest /usr/lib/postgresql/*/bin), in a fresh
# temporary folder: its own cluster, listening on a Unix socket in that
# folder only (no TCP), with the server's default durability (fsync on). The
# command gets
#   ILINKS_TEST_PG          a libpq connection string to an empty database
#   ILINKS_TEST_PG_RESTART  a command that restarts the server (fast
#                           shutdown: open connections are cut) and returns
#                           once it accepts connections again
#   ILINKS_TEST_PG_CRASH    the same, but the server stops as if killed
#                           (immediate shutdown: no checkpoint, recovery from
#                           its WAL on the way up)
#   ILINKS_TEST_PG_STOP     a command that stops the server (fast shutdown)
#                           and returns once it is down: the store is
#                           unreachable until ILINKS_TEST_PG_START
#   ILINKS_TEST_PG_START    a command that starts the stopped server and
#                           returns once it accepts connections
# and its exit status is this script's. The server is stopped and the folder
# removed however the command ends. As root (here and in CI) the server runs
# as the unprivileged postgres user, which Debian's package creates.
#
#   with_postgres.sh --restart FOLDER   (what ILINKS_TEST_PG_RESTART runs)
#   with_postgres.sh --crash FOLDER     (what ILINKS_TEST_PG_CRASH runs)
#   with_postgres.sh --stop FOLDER      (what ILINKS_TEST_PG_STOP runs)
#   with_postgres.sh --start FOLDER     (what ILINKS_TEST_PG_START runs)
set -euo pipefail

say() { printf 'with_postgres.sh: %s\n' "$*" >&2; }

bin="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
  say "cannot start PostgreSQL: no server under /usr/lib/postgresql/*/bin (install Debian's postgresql package: scripts/setup)"
  exit 1
fi

# Runs a server program as the server's user: postgres when we are root
# (PostgreSQL refuses to run as root), else ourselves.
as_server() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# The socket's name is .s.PGSQL.<port> in our own folder, so any port is free.
port=5432

if [ "${1:-}" = "--restart" ] || [ "${1:-}" = "--crash" ]; then
  dir="${2:?with_postgres.sh $1 needs the server folder}"
  mode=fast
  [ "$1" = "--restart" ] || mode=immediate
  if ! as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m "$mode" -w -t 60 restart >/dev/null; then
    say "PostgreSQL in $dir did not restart ($mode shutdown); the end of its log:"
    tail -n 20 "$dir/server.log" >&2 || true
    exit 1
  fi
  exit 0
fi
if [ "${1:-}" = "--stop" ] || [ "${1:-}" = "--start" ]; then
  dir="${2:?with_postgres.sh $1 needs the server folder}"
  if [ "$1" = "--stop" ]; then
    action=(-m fast -w -t 60 stop)
  else
    action=(-l "$dir/server.log" -w -t 60 start)
  fi
  if ! as_server "$bin/pg_ctl" -D "$dir/data" "${action[@]}" >/dev/null; then
    say "PostgreSQL in $dir did not ${1#--}; the end of its log:"
    tail -n 20 "$dir/server.log" >&2 || true
    exit 1
  fi
  exit 0
fi

if [ "$#" -eq 0 ]; then
  say "usage: with_postgres.sh COMMAND [ARG...]"
  exit 2
fi
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  say "cannot start PostgreSQL as root without the postgres user (Debian's postgresql package creates it)"
  exit 1
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/ilinks-pg.XXXXXX")"
started=no
# shellcheck disable=SC2317  # run by the trap
finish() {
  if [ "$started" = yes ]; then
    as_server "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      as_server "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap finish EXIT
trap 'exit 130' INT TERM
[ "$(id -u)" -ne 0 ] || chown postgres: "$dir"

# initdb's --no-sync only skips flushing the fresh cluster once; the server
# itself runs with fsync on.
if ! as_server "$bin/initdb" -D "$dir/data" -U ilinks -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
  say "cannot start PostgreSQL: initdb failed; its output:"
  cat "$dir/initdb.log" >&2
  exit 1
fi
cat >>"$dir/data/postgresql.conf" <<EOF
# with_postgres.sh: this folder's socket only, small, otherwise the defaults.
listen_addresses = ''
unix_socket_directories = '$dir'
port = $port
shared_buffers = 16MB
max_connections = 60
EOF
if ! as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
  say "cannot start PostgreSQL in $dir; the end of its log:"
  tail -n 20 "$dir/server.log" >&2 || true
  exit 1
fi
started=yes
if ! "$bin/createdb" -h "$dir" -p "$port" -U ilinks ilinks 2>"$dir/createdb.log"; then
  say "PostgreSQL started but the test database could not be made:"
  cat "$dir/createdb.log" >&2
  exit 1
fi

export ILINKS_TEST_PG="host=$dir port=$port dbname=ilinks user=ilinks"
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
export ILINKS_TEST_PG_RESTART="bash $self --restart $dir"
export ILINKS_TEST_PG_CRASH="bash $self --crash $dir"
export ILINKS_TEST_PG_STOP="bash $self --stop $dir"
export ILINKS_TEST_PG_START="bash $self --start $dir"
status=0
"$@" || status=$?
exit "$status"
