# tests/pg_env.sh — sourced by the PostgreSQL tests (cli_pg_*.sh) and
# bench/pg.sh: start a private PostgreSQL 15 server for this run and stop it
# on exit, whatever happens.
#
#   pg_start DIR     initdb + pg_ctl start in DIR (socket in DIR, no TCP);
#                    sets PGURI_BASE ("postgresql:///?host=DIR&user=dossier")
#                    and returns 1 (with PG_SKIP_REASON) when PostgreSQL
#                    cannot run here;
#   pg_uri NAME      creates database NAME, prints its URI;
#   pg_stop          stops the server (pg_start installs it in an EXIT trap
#                    via pg_cleanup; call it yourself if you replace the trap).
#
# PostgreSQL refuses to run as root: as root the server runs as an
# unprivileged user (nobody), owning DIR.  Binaries: $PG_BIN, else
# /usr/lib/postgresql/15/bin (the Debian package installed by scripts/setup).

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR=""
PG_RUN=()

pg_start() {
  PG_DIR=$1
  PG_SKIP_REASON=""
  if [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
    PG_SKIP_REASON="no PostgreSQL 15 binaries in $PG_BIN (scripts/setup installs the postgresql package)"
    return 1
  fi
  mkdir -p "$PG_DIR"
  if [ "$(id -u)" -eq 0 ]; then
    if ! id nobody >/dev/null 2>&1; then
      PG_SKIP_REASON="running as root and there is no unprivileged user 'nobody' to run PostgreSQL"
      return 1
    fi
    chown nobody "$PG_DIR"
    chmod 755 "$PG_DIR"
    chmod o+x "$(dirname "$PG_DIR")"   # mktemp -d makes it 700
    PG_RUN=(runuser -u nobody --)
  fi
  if ! "${PG_RUN[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U dossier -E UTF8 \
        --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1; then
    PG_SKIP_REASON="initdb failed: $(tail -3 "$PG_DIR/initdb.log" | tr '\n' ' ')"
    return 1
  fi
  # private socket directory, no TCP; durability off: test data only
  if ! "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-k $PG_DIR -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40" \
        start >"$PG_DIR/pg_ctl.log" 2>&1; then
    PG_SKIP_REASON="pg_ctl start failed: $(tail -3 "$PG_DIR/server.log" 2>/dev/null | tr '\n' ' ')"
    return 1
  fi
  PG_STARTED=1
  PGURI_BASE="postgresql:///postgres?host=$PG_DIR&user=dossier"
  return 0
}

pg_psql() {   # pg_psql DBNAME SQL  → unaligned, tuples only
  PGOPTIONS="-c client_min_messages=warning" "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 "postgresql:///$1?host=$PG_DIR&user=dossier" -c "$2"
}

pg_uri() {
  pg_psql postgres "DROP DATABASE IF EXISTS \"$1\"" >/dev/null &&
    pg_psql postgres "CREATE DATABASE \"$1\"" >/dev/null &&
    echo "postgresql:///$1?host=$PG_DIR&user=dossier"
}

pg_stop() {
  if [ -n "${PG_STARTED:-}" ]; then
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
    PG_STARTED=""
  fi
}
