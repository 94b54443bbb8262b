#!/usr/bin/env bash
# cli_pg_workers.sh — stateless workers on a private PostgreSQL 15: 2,000
# synthetic documents enqueued, 3 workers (`dossier worker --drain`), one
# SIGKILLed while it holds a leased batch.  Every document must be processed
# exactly once (the killed worker's batch is taken again after its lease
# runs out), and the database must hold what a single-process SQLite ingest
# of the same documents holds: the same documents, sentences, claims, origin
# clusters and incidents (compared by their members, not their ids).
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
source "$here/pg_env.sh"
pids=()
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; pg_stop; rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
if ! pg_start "$tmp/pg"; then
  echo "# SKIP PostgreSQL cannot run here: $PG_SKIP_REASON"
  exit 77
fi
N=2000
python3 "$here/gen_corpus.py" $N "$tmp/corpus" 11
check "corpus of $N documents" '[ "$(ls "$tmp/corpus" | wc -l)" = $N ]'
# Lease lengths and waits scale by DOSSIER_TEST_TIME_SCALE (default 1):
# scripts/check-all runs the workers under valgrind, tens of times slower,
# where a 3 s lease would expire on every batch.
S=${DOSSIER_TEST_TIME_SCALE:-1}
u=$(pg_uri work)
P() { pg_psql work "$1"; }

"$bin" enqueue "$tmp/corpus" --db "$u" --json > "$tmp/enq.json"; rc=$?
check "enqueue exits 0 (rc $rc)" '[ $rc -eq 0 ] && grep -q "\"enqueued\":$N" "$tmp/enq.json"'
check "queue holds $N pending items" '[ "$(P "select count(*) from work_queue where state='"'pending'"'")" = $N ]'

for w in w1 w2 w3; do
  "$bin" worker --db "$u" --name $w --batch 32 --lease $((3 * S)) --poll 0.2 --drain --json -q \
    > "$tmp/$w.json" 2> "$tmp/$w.err" &
  pids+=($!)
  eval "pid_$w=$!"
done

# SIGKILL w2 while it holds a leased batch: stop it, check, kill
killed=0
for i in $(seq 1 $((400 * S))); do
  if [ "$(P "select count(*) from work_queue where state='done'")" -ge 200 ]; then
    kill -STOP "$pid_w2" 2>/dev/null || break
    sleep 0.1
    held=$(P "select count(*) from work_queue where state='leased' and lease_owner='w2'")
    if [ "$held" -gt 0 ]; then
      kill -KILL "$pid_w2"; killed=1
      break
    fi
    kill -CONT "$pid_w2"
  fi
  sleep 0.05
done
wait "$pid_w2" 2>/dev/null
held_ids=$(P "select string_agg(id::text, ',') from work_queue where state='leased' and lease_owner='w2'")
check "w2 was SIGKILLed holding a leased batch ($held items)" '[ $killed -eq 1 ] && [ -n "$held_ids" ]'
"$bin" status --db "$u" > "$tmp/status_mid.txt"; rc=$?
check "status while workers run (rc $rc)" '[ $rc -eq 0 ] && grep -q "pending" "$tmp/status_mid.txt"'
sed 's/^/    /' "$tmp/status_mid.txt"

wait "$pid_w1"; rc1=$?
wait "$pid_w3"; rc3=$?
check "surviving workers drain the queue and exit 0 ($rc1, $rc3)" '[ $rc1 -eq 0 ] && [ $rc3 -eq 0 ]'
cat "$tmp/w1.json" "$tmp/w3.json" | sed 's/^/    /'
check "every item done, none failed or pending" \
  '[ "$(P "select count(*) filter (where state='"'done'"')||'"'|'"'||count(*) from work_queue")" = "$N|$N" ]'
check "the killed batch was taken again by another worker" \
  '[ "$(P "select count(*) from work_queue where id in ($held_ids) and attempts>=2 and lease_owner<>'"'w2'"' and state='"'done'"'")" = "$held" ]'
check "every document stored exactly once" \
  '[ "$(P "select count(*)||'"'|'"'||count(distinct doc_id) from documents")" = "$N|$N" ]'
check "no item stored twice (stored results = documents)" \
  '[ "$(P "select count(*) from work_queue where result='"'stored'"'")" = $N ]'
"$bin" status --db "$u" --json > "$tmp/status.json"; rc=$?
check "status: $N done, 0 pending (rc $rc)" '[ $rc -eq 0 ] && grep -q "\"done\":$N" "$tmp/status.json" && grep -q "\"pending\":0" "$tmp/status.json"'

# ---- the same documents in one process into SQLite -----------------------------
"$bin" ingest "$tmp/corpus" --db "$tmp/ref.db" -q; rc=$?
check "reference SQLite ingest (rc $rc)" '[ $rc -eq 0 ]'
S() { sqlite3 "$tmp/ref.db" "$1"; }
# id-free views of the data, one line each, sorted bytewise
docs_q="select d.doc_id||'|'||coalesce(d.path,'')||'|'||coalesce(d.title,'')||'|'||length(d.text)||'|'||(select count(*) from sentences s where s.doc=d.id)||'|'||(select count(*) from claims c where c.doc=d.id) from documents d"
claims_q="select d.doc_id||'|'||c.i||'|'||c.type||'|'||coalesce(c.mode,'')||'|'||c.modality||'|'||s.i||'|'||coalesce(c.place,'')||'|'||coalesce(c.time_value,'') from claims c join documents d on d.id=c.doc join sentences s on s.id=c.sentence"
S "$docs_q" | LC_ALL=C sort > "$tmp/docs_sq"; P "$docs_q" | LC_ALL=C sort > "$tmp/docs_pg"
check "same documents and sentence/claim counts ($(wc -l < "$tmp/docs_pg") vs $(wc -l < "$tmp/docs_sq"))" 'cmp -s "$tmp/docs_sq" "$tmp/docs_pg"'
S "$claims_q" | LC_ALL=C sort > "$tmp/claims_sq"; P "$claims_q" | LC_ALL=C sort > "$tmp/claims_pg"
check "same claims ($(wc -l < "$tmp/claims_pg"))" 'cmp -s "$tmp/claims_sq" "$tmp/claims_pg"'
S "select (select group_concat(doc_id, ',') from (select doc_id from documents x where x.cluster=c.cluster order by doc_id)) from (select distinct cluster from documents) c" | LC_ALL=C sort > "$tmp/cl_sq"
P "select string_agg(doc_id, ',' order by doc_id) from documents group by cluster" | LC_ALL=C sort > "$tmp/cl_pg"
check "same origin clusters by members ($(wc -l < "$tmp/cl_pg") vs $(wc -l < "$tmp/cl_sq"))" 'cmp -s "$tmp/cl_sq" "$tmp/cl_pg"'
inc_sq="select (select group_concat(m, ',') from (select d.doc_id||':'||c.i as m from claims c join documents d on d.id=c.doc where c.incident=i.id order by 1))||'|'||i.type||'|'||i.nclaims||'|'||i.ndocs||'|'||i.norigins||'|'||coalesce(i.date,'')||'|'||coalesce(i.place,'')||'|'||(select count(*) from incident_mirrors m where m.a=i.id or m.b=i.id) from incidents i"
inc_pg="select (select string_agg(d.doc_id||':'||c.i, ',' order by d.doc_id||':'||c.i) from claims c join documents d on d.id=c.doc where c.incident=i.id)||'|'||i.type||'|'||i.nclaims||'|'||i.ndocs||'|'||i.norigins||'|'||coalesce(i.date,'')||'|'||coalesce(i.place,'')||'|'||(select count(*) from incident_mirrors m where m.a=i.id or m.b=i.id) from incidents i"
S "$inc_sq" | LC_ALL=C sort > "$tmp/inc_sq"; P "$inc_pg" | LC_ALL=C sort > "$tmp/inc_pg"
check "same incidents by member claims ($(wc -l < "$tmp/inc_pg") vs $(wc -l < "$tmp/inc_sq"))" 'cmp -s "$tmp/inc_sq" "$tmp/inc_pg"'
check "no claim left unlinked" '[ "$(P "select count(*) from claims where incident is null")" = 0 ]'

# ---- a worker that outlives its lease: stopped (SIGSTOP) just after leasing,
# longer than its lease; another worker takes the items and stores them; the
# first, resumed, must find its lease gone and store nothing twice
u2=$(pg_uri slow)
mkdir -p "$tmp/small"
for f in $(ls "$tmp/corpus" | head -48); do cp "$tmp/corpus/$f" "$tmp/small/"; done
"$bin" enqueue "$tmp/small" --db "$u2" -q
"$bin" worker --db "$u2" --name slow --batch 48 --lease $((2 * S)) --poll 0.2 --drain --json -q \
  > "$tmp/slow.json" 2> "$tmp/slow.err" &
pid_slow=$!; pids+=($pid_slow)
for i in $(seq 1 $((500 * S))); do
  [ "$(pg_psql slow "select count(*) from work_queue where lease_owner='slow'")" -gt 0 ] && break
  sleep 0.01
done
kill -STOP $pid_slow
sleep $((5 * S / 2)).$((5 * S % 2 * 5))
(sleep $((3 * S)); kill -CONT $pid_slow) &   # resumed while the other works (it may hold the ingest lock)
"$bin" worker --db "$u2" --name fast --batch 48 --lease $((60 * S)) --poll 0.2 --drain --json -q \
  > "$tmp/fast.json" 2> "$tmp/fast.err"; rc1=$?
wait $pid_slow; rc2=$?
cat "$tmp/slow.json" "$tmp/fast.json" | sed 's/^/    /'
check "both workers exit 0 ($rc2, $rc1)" '[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ]'
check "48 items done, each document stored once" \
  '[ "$(pg_psql slow "select count(*) filter (where state='"'done'"' and result='"'stored'"')||'"'|'"'||(select count(distinct doc_id)||'"'|'"'||count(*) from documents) from work_queue")" = "48|48|48" ]'
lost=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["lost_leases"])' "$tmp/slow.json" 2>/dev/null || echo x)
stored_slow=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["stored"])' "$tmp/slow.json" 2>/dev/null || echo x)
check "the stopped worker lost its lease and stored nothing (lost $lost, stored $stored_slow), or kept it (it held the rows)" \
  '{ [ "$lost" = 48 ] && [ "$stored_slow" = 0 ]; } || { [ "$lost" = 0 ] && [ "$stored_slow" = 48 ]; }'
exit $fail
