#!/usr/bin/env bash
# The three-node cluster of docker/docker-compose.yml as plain local processes, without Docker:
# a throwaway PostgreSQL server of its own and node1..node3 on 127.0.0.1.
#
#   docker/run-local-cluster.sh start [DIR]    start PostgreSQL and the three nodes, wait until each is Up
#   docker/run-local-cluster.sh status [DIR]   what runs, its ports and logs
#   docker/run-local-cluster.sh stop [DIR]     SIGTERM the nodes, wait for them, stop PostgreSQL
#
# DIR (or QT_LOCAL_CLUSTER_DIR; default ${TMPDIR:-/tmp}/quantum-trader-local-cluster) holds the
# database, the node logs and the PIDs. The database is kept between a stop and the next start (the
# cluster comes back with its journal); delete DIR after a stop to start afresh.
#
# Ports: cluster 25520-25522, API 8081-8083, management 8561-8563 (node1-node3), PostgreSQL on the
# first free port from 55432. QT_LOCAL_CLUSTER_PORT_OFFSET=N adds N to every node port (beside another
# node already on 25520, say). Tokens: docker/tokens.example, or the file named by QT_API_TOKENS_FILE.
# Other QT_ variables in the environment (QT_AKKA_LICENSE_KEY, QT_LOG_LEVEL, QT_JAVA_OPTS, ...) reach
# every node. Needs the PostgreSQL server binaries (QT_PG_BIN, pg_config --bindir,
# /usr/lib/postgresql/N/bin or the PATH); as root the server runs as the 'postgres' user.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usage() { sed -n '5,7p' "${BASH_SOURCE[0]}" | sed 's/^# *//' >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
command="$1"
dir="${2:-${QT_LOCAL_CLUSTER_DIR:-${TMPDIR:-/tmp}/quantum-trader-local-cluster}}"
if [ "$command" = start ]; then mkdir -p "$dir"; fi
[ -d "$dir" ] || { echo "run-local-cluster: nothing in $dir (no cluster started there)"; exit 0; }
dir="$(cd "$dir" && pwd)"
pgdir="$dir/postgres"
nodes=(1 2 3)
offset="${QT_LOCAL_CLUSTER_PORT_OFFSET:-0}"
# status and stop: the ports the cluster was started with.
if [ "$command" != start ] && [ -f "$dir/run/port-offset" ]; then offset="$(cat "$dir/run/port-offset")"; fi
[[ "$offset" =~ ^[0-9]+$ ]] || { echo "run-local-cluster: QT_LOCAL_CLUSTER_PORT_OFFSET must be a whole number" >&2; exit 2; }
db_user=quantum
db_password=quantum
wait_seconds="${QT_LOCAL_CLUSTER_WAIT:-180}"

cluster_port() { echo $((25519 + offset + $1)); }
api_port() { echo $((8080 + offset + $1)); }
management_port() { echo $((8560 + offset + $1)); }
seeds="127.0.0.1:$(cluster_port 1),127.0.0.1:$(cluster_port 2)"
pid_file() { echo "$dir/run/node$1.pid"; }
log_file() { echo "$dir/logs/node$1.log"; }
say() { echo "run-local-cluster: $*"; }
die() { echo "run-local-cluster: $*" >&2; exit 1; }

# Nothing answers on the port (a refused connection).
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The node's PID if its process is alive and is one of our nodes (a PID file can outlive its process
# and the PID be reused).
node_pid() {
  local f pid
  f="$(pid_file "$1")"
  [ -f "$f" ] || return 1
  pid="$(cat "$f")"
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'quantum-trader' || return 1
  echo "$pid"
}

find_pg_bin() {
  local d
  for d in "${QT_PG_BIN:-}" "$(pg_config --bindir 2>/dev/null || true)" \
      $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
    [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  d="$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"
  [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  return 1
}

# PostgreSQL refuses to run as root: as root, its tools run as the 'postgres' system user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_running() {
  [ -f "$pgdir/data/postmaster.pid" ] && as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" status >/dev/null 2>&1
}

start_postgres() {
  if [ ! -d "$pgdir/data" ]; then
    mkdir -p "$pgdir"
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' user (Debian's postgresql package creates it)"
      chown postgres "$pgdir"
      runuser -u postgres -- test -w "$pgdir" \
        || die "the 'postgres' user cannot reach $pgdir: give a folder it can enter (e.g. under /tmp)"
    fi
    as_pg sh -c 'umask 077 && printf "%s\n" "$1" >"$2"' sh "$db_password" "$pgdir/pwfile"
    as_pg "$pg_bin/initdb" -D "$pgdir/data" -U "$db_user" --pwfile="$pgdir/pwfile" -A scram-sha-256 \
      -E UTF8 --no-locale >"$dir/logs/initdb.log" 2>&1 || die "initdb failed, see $dir/logs/initdb.log"
    rm -f "$pgdir/pwfile"
  fi
  local port
  port="$(cat "$pgdir/port" 2>/dev/null || echo 55432)"
  while ! port_free "$port"; do port=$((port + 1)); done
  as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 60 \
    -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1" start >/dev/null \
    || die "PostgreSQL did not start, see $pgdir/server.log"
  echo "$port" >"$pgdir/port"
  local psql=(env PGPASSWORD="$db_password" "$pg_bin/psql" -X -q -h 127.0.0.1 -p "$port" -U "$db_user" -d postgres -v ON_ERROR_STOP=1)
  if [ -z "$("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = 'quantum'")" ]; then
    "${psql[@]}" -c "CREATE DATABASE quantum"
  fi
  say "PostgreSQL on 127.0.0.1:$port, database quantum, user $db_user (log $pgdir/server.log)"
}

start_node() {
  local i="$1" log
  log="$(log_file "$i")"
  mkdir -p "$dir/node$i"
  # nohup and no terminal input: the nodes outlive this script and the terminal it ran in.
  env QT_CLUSTER_HOSTNAME=127.0.0.1 QT_CLUSTER_PORT="$(cluster_port "$i")" QT_CLUSTER_SEED_NODES="$seeds" \
    QT_DB_URL="jdbc:postgresql://127.0.0.1:$(cat "$pgdir/port")/quantum" QT_DB_USER="$db_user" \
    QT_DB_PASSWORD="$db_password" QT_API_PORT="$(api_port "$i")" QT_MANAGEMENT_PORT="$(management_port "$i")" \
    QT_API_TOKENS_FILE="$tokens" QT_DATA_DIR="$dir/node$i/data" \
    nohup "$here/quantum-trader" run </dev/null >"$log" 2>&1 &
  # The launcher execs java: this is the node's own PID.
  echo $! >"$(pid_file "$i")"
}

wait_until_up() {
  local deadline=$((SECONDS + wait_seconds)) i pending
  while :; do
    pending=()
    for i in "${nodes[@]}"; do
      if ! node_pid "$i" >/dev/null; then
        echo "run-local-cluster: node$i stopped; the end of $(log_file "$i"):" >&2
        tail -n 20 "$(log_file "$i")" >&2
        die "node$i did not start (the others still run: $0 stop $dir)"
      fi
      grep -q 'cluster: this node is Up' "$(log_file "$i")" || pending+=("node$i")
    done
    [ ${#pending[@]} -eq 0 ] && return 0
    [ $SECONDS -lt $deadline ] || die "not Up after ${wait_seconds}s: ${pending[*]} (see $dir/logs; stop with: $0 stop $dir)"
    sleep 1
  done
}

start() {
  local i running=()
  for i in "${nodes[@]}"; do node_pid "$i" >/dev/null && running+=("node$i"); done
  [ ${#running[@]} -eq 0 ] || die "already running: ${running[*]} (status: $0 status $dir)"
  for i in "${nodes[@]}"; do
    for p in "$(cluster_port "$i")" "$(api_port "$i")" "$(management_port "$i")"; do
      port_free "$p" || die "port $p is in use (node$i needs it)"
    done
  done
  tokens="${QT_API_TOKENS_FILE:-$here/docker/tokens.example}"
  [ -r "$tokens" ] || die "tokens file $tokens cannot be read"
  tokens="$(cd "$(dirname "$tokens")" && pwd)/$(basename "$tokens")"
  mkdir -p "$dir/logs" "$dir/run"
  echo "$offset" >"$dir/run/port-offset"
  pg_running || start_postgres
  # The launcher builds target/quantum-trader.jar when it is missing or older than the sources; do it
  # once here rather than in three nodes at the same time.
  "$here/quantum-trader" --help >/dev/null
  for i in "${nodes[@]}"; do start_node "$i"; done
  say "started node1..node3 (PIDs $(cat "$dir"/run/node*.pid | tr '\n' ' ')), waiting until each is Up ..."
  wait_until_up
  say "the cluster is Up"
  status
}

status() {
  local i pid up
  for i in "${nodes[@]}"; do
    if pid="$(node_pid "$i")"; then
      # When the node logged that it joined the cluster as Up (the members are in the same line).
      up="$(grep -m 1 'cluster: this node is Up' "$(log_file "$i")" 2>/dev/null | cut -d' ' -f1 || true)"
      if [ -n "$up" ]; then up="Up since $up"; else up="not Up yet"; fi
      printf 'node%s  running (PID %s), %s  cluster 127.0.0.1:%s  API %s  management %s  log %s\n' \
        "$i" "$pid" "$up" "$(cluster_port "$i")" "$(api_port "$i")" \
        "$(management_port "$i")" "$(log_file "$i")"
    else
      printf 'node%s  stopped  log %s\n' "$i" "$(log_file "$i")"
    fi
  done
  if pg_running; then
    printf 'postgres  running  127.0.0.1:%s  database quantum  log %s\n' "$(cat "$pgdir/port")" "$pgdir/server.log"
  else
    printf 'postgres  stopped  (%s)\n' "$pgdir"
  fi
}

stop() {
  local i pid pids=() deadline
  for i in "${nodes[@]}"; do
    if pid="$(node_pid "$i")"; then
      # SIGTERM runs CoordinatedShutdown: the node leaves the cluster and hands over its singletons.
      kill -TERM "$pid"
      pids+=("$i:$pid")
    fi
    rm -f "$(pid_file "$i")"
  done
  deadline=$((SECONDS + 60))
  for entry in "${pids[@]}"; do
    i="${entry%%:*}"
    pid="${entry#*:}"
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      say "node$i (PID $pid) still runs 60 s after SIGTERM: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    else
      say "node$i stopped"
    fi
  done
  if pg_running; then
    as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null
    say "PostgreSQL stopped (its data stays in $pgdir; delete $dir to start afresh)"
  fi
}

pg_bin="$(find_pg_bin)" || die "PostgreSQL server binaries (initdb, pg_ctl) not found: set QT_PG_BIN or install postgresql"
case "$command" in
  start) start ;;
  status) status ;;
  stop) stop ;;
  *) usage ;;
esac
