#!/usr/bin/env bash
# Benchmark (issue 25): the cost per message as history grows, and what retention takes and frees.
#
#   bench/history.sh [--sizes 0,10000000,50000000] [--messages 100000] [--runs 1] [--no-build]
#                    [--no-retention] [--retention-until-done] [--soak N] [--soak-chunk 100000]
#                    [--soak-window 180] [--fill-chunk 5000000] [--keep]
#
# Starts the packaged service (target/quarkus-app, or BENCH_APP=<dir> for another build) on ONE data
# folder kept across the sizes, and for each size of --sizes:
#   fill     adds processed-message markers straight into the embedded PostgreSQL until
#            errand_processed_message holds that many rows (insert ... select from generate_series, in
#            chunks of --fill-chunk, then vacuum analyze): 80% on bench-noop, the rest spread over the
#            demo's other consumers, random UUID text ids (as real ids are), processed_at spread evenly
#            over the past 10 days (so a 3-day retention removes ~70%);
#   noop     throughput.sh's noop row: --messages messages put on bench-noop's queue while its consumer is
#            paused, then drained by a handler that does nothing (Errand's own work: marker, ack);
#   insert   the same with a handler that inserts one row;
# after one unmeasured noop and insert drain (the JIT's warm-up, whose markers count in the first size),
# each drain --runs times, reporting msg/s, CPU ms per message (the JVM with the broker, PostgreSQL),
# the p99 of one handled delivery (the difference of the drained consumer's
# errand_handler_duration_seconds histogram before and after, linear inside its bucket), and the sizes of
# Errand's tables (pg_total_relation_size, heap, indexes, row estimate).
# The sizes run with errand.retention.enabled=false: the history is left to grow.
# Then, unless --no-retention, and only when the build has errand.retention.* (it says so and skips
# otherwise): restarts the service with errand.retention.processed-messages=3d and interval 10s, at the
# default pace (0.25) and then flat out (pace 1), each time drains --messages on bench-noop while the
# sweep works through the backlog and a minute more, and reports the rows removed per second (from
# PostgreSQL's n_tup_del) and the backlog's projected hours; --retention-until-done then waits until no
# marker past the window remains. Then the tables after, and after a plain vacuum.
# --soak N (same condition): a fresh service with a --soak-window seconds marker window (180; and
# errand.consumers.max-attempts=5, max-redelivery-delay=30s, which that window requires; BENCH_SOAK_OPTS adds -D options)
# pushes N messages through bench-noop, --soak-chunk at a time, printing the markers and the tables'
# sizes after each chunk; the summary says whether they were flat after the first window.
# Checks the free disk before each fill (about 250 bytes a marker). Always stops what it started and
# removes its data folders at the end unless --keep. Its last line is machine-readable:
#   history noop_at_0=N noop_at_max=M markers_max=K ratio=R
# (noop msg/s at the first and the last size, the markers at the last size, R = M/N).
set -euo pipefail

sizes=0,10000000,50000000 messages=100000 runs=1 build=1 retention=1 retention_until_done=0 soak=0 soak_chunk=100000 soak_window=180
fill_chunk=5000000 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=$2; shift 2 ;;
    --messages) messages=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --retention) retention=1; shift ;;
    --no-retention) retention=0; shift ;;
    --retention-until-done) retention_until_done=1; shift ;;
    --soak) soak=$2; shift 2 ;;
    --soak-chunk) soak_chunk=$2; shift 2 ;;
    --soak-window) soak_window=$2; shift 2 ;;
    --fill-chunk) fill_chunk=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
top="$root/bench/work/history-$(date +%Y%m%d-%H%M%S)-$$"
work="$top"
mkdir -p "$work"
. "$root/bench/lib.sh"
[ "$build" = 1 ] && build_service
app=${BENCH_APP:-$root/target/quarkus-app}

cleanup() {
  local rc=$?
  if [ -n "$sampler" ]; then kill "$sampler" 2>/dev/null || true; fi
  stop_service || true
  if [ "$rc" != 0 ] && [ -f "$work/service.log" ]; then
    # A start-up refusal (an unsafe retention, say) names the settings to change.
    grep -iE 'retention|refus' "$work/service.log" | tail -5 >&2 || true
  fi
  if [ "$keep" = 0 ]; then rm -rf "$top/data" "$top/soak/data"; fi
  echo "results and logs: $top" >&2
}
trap cleanup EXIT

results="$top/results"
: > "$results"
log() { echo "$*" | tee -a "$results" >&2; }

# The demo's consumers (its @Incoming channels that record markers); bench-noop gets most of the markers.
consumers="'bench-noop','bench-insert','coupon-grants','orders','signups','kitchen','loyalty','analytics','errand-functions-export-user','errand-functions-export-users'"
tables="'errand_processed_message','errand_step','errand_call','errand_dead_letter','errand_idempotency_key','errand_outbox'"

# sql STATEMENT...: runs each statement on the service's embedded PostgreSQL (the port from its
# postmaster.pid, the password from credentials.properties), unaligned, one row a line, '|' between columns.
# zonky's binaries hold no psql: Debian's postgresql-client gives it.
command -v psql > /dev/null || { echo "history.sh needs psql (apt-get install postgresql-client)" >&2; exit 1; }
sql() {
  local args=() statement
  for statement in "$@"; do args+=(-c "$statement"); done
  PGPASSWORD=$(sed -n 's/^database.postgres.password=//p' "$work/data/credentials.properties") \
    psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(sed -n 4p "$work/data/postgres/postmaster.pid")" \
    -U postgres -d postgres -c "set statement_timeout = 0" "${args[@]}"
}

markers() { sql "select count(*) from errand_processed_message"; }

# table_sizes PHASE: one "table PHASE name total heap indexes rows" line per Errand table into the
# results (bytes; rows as PostgreSQL estimates them). Partitioned tables count all their partitions.
table_sizes() {
  sql "select t.relname, sum(pg_total_relation_size(p.relid)), sum(pg_relation_size(p.relid)),
              sum(pg_indexes_size(p.relid)), sum(greatest(c.reltuples, 0))::bigint
       from pg_class t cross join lateral (select relid from pg_partition_tree(t.oid) union select t.oid) p join pg_class c on c.oid = p.relid
       where t.relname in ($tables) and t.relkind in ('r', 'p') and t.relispartition = false
       group by t.relname order by t.relname" |
    while IFS='|' read -r name total heap indexes rows; do
      echo "table $1 $name $total $heap $indexes $rows" >> "$results"
      printf '  %-26s total %8.1f MB  heap %8.1f MB  indexes %8.1f MB  rows ~%s\n' "$name" \
        "$(awk -v b="$total" 'BEGIN {print b / 1048576}')" "$(awk -v b="$heap" 'BEGIN {print b / 1048576}')" \
        "$(awk -v b="$indexes" 'BEGIN {print b / 1048576}')" "$rows" >&2
    done
}

# fill_markers TARGET: adds random markers until errand_processed_message holds TARGET rows.
fill_markers() {
  local target=$1 have start n t0 t1 chunk_t0 need avail
  have=$(markers) start=$have
  [ "$have" -ge "$target" ] && { echo "fill $target 0 0 0" >> "$results"; return 0; }
  # About 175 bytes a marker with its index, measured at 20 million; 250 with WAL and slack, plus 2 GB.
  need=$(( (target - have) * 250 + 2 * 1024 * 1024 * 1024 ))
  avail=$(df -B1 --output=avail "$top" | tail -1)
  echo "disk: $(df -h --output=avail "$top" | tail -1 | tr -d ' ') free, about $((need / 1024 / 1024 / 1024)) GB needed for $((target - have)) markers" >&2
  if [ "$avail" -lt "$need" ]; then
    echo "not enough disk for $target markers; stopping at the sizes done" >&2
    return 1
  fi
  # Fewer checkpoints (and full-page writes) while filling; the drains run with the defaults again.
  sql "alter system set max_wal_size = '8GB'" "select pg_reload_conf()" > /dev/null
  t0=$(now)
  while [ "$have" -lt "$target" ]; do
    n=$(( target - have < fill_chunk ? target - have : fill_chunk ))
    chunk_t0=$(now)
    # Sorted by the key, each chunk walks the index once in order instead of hopping over all of it
    # (several times faster once the index outgrows shared_buffers); the index still grows by splits.
    sql "set synchronous_commit = off" "set work_mem = '1GB'" \
      "insert into errand_processed_message (consumer, message_id, processed_at)
       select * from (
         select case when g % 10 < 8 then 'bench-noop' else (array[$consumers])[2 + (g / 10) % 9] end,
                gen_random_uuid()::text, now() - random() * interval '10 days'
         from generate_series(1, $n) g) m
       order by 1, 2" > /dev/null
    have=$((have + n))
    awk -v n="$n" -v have="$have" -v t0="$chunk_t0" -v t1="$(now)" \
      'BEGIN {printf "  filled %d (now %d): %.0f rows/s\n", n, have, n / (t1 - t0)}' >&2
  done
  t1=$(now)
  sql "alter system reset max_wal_size" "select pg_reload_conf()" "checkpoint" > /dev/null
  sql "vacuum analyze errand_processed_message" > /dev/null
  awk -v size="$target" -v t0="$t0" -v t1="$t1" -v t2="$(now)" -v added="$((target - start))" \
    'BEGIN {printf "fill %d %.1f %.1f %.0f\n", size, t1 - t0, t2 - t1, added / (t1 - t0)}' | tee -a "$results" >&2
}

# buckets CONSUMER: the consumer's errand_handler_duration_seconds histogram, "le count" lines (without
# the OpenMetrics exemplars, "# {span_id=...} value time", that traced buckets carry after their count).
buckets() {
  api "$base/q/metrics" | sed -E 's/ # \{.*$//' | sed -nE "s/^errand_handler_duration_seconds_bucket\{(.*,)?consumer=\"$1\"(,.*)?\} ([0-9.eE+-]+)$/\1\2 \3/p" |
    sed -E 's/.*le="([^"]+)".* ([0-9.eE+-]+)$/\1 \2/'
}

# p99_ms BEFORE AFTER: the 99th percentile in ms of the deliveries between two buckets readings, linear
# inside the bucket it falls in ("-" when none).
p99_ms() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sys
read = lambda text: {float(le): float(n) for le, n in (l.split() for l in text.splitlines() if l.strip())}
before, after = read(sys.argv[1]), read(sys.argv[2])
counts = sorted((le, after[le] - before.get(le, 0)) for le in after)
total = counts[-1][1] if counts else 0
if total <= 0:
    print("-"); sys.exit()
rank, lower, below = 0.99 * total, 0.0, 0.0
for le, n in counts:
    if n >= rank:
        if le == float("inf"):
            print(f"{lower * 1000:.2f}"); sys.exit()
        print(f"{(lower + (le - lower) * (rank - below) / max(n - below, 1e-9)) * 1000:.2f}"); sys.exit()
    lower, below = le, n
PY
}

# drain SIZE ROW RUN [CHANNEL]: one drain of bench-ROW (or CHANNEL), its line into the results.
drain() {
  local channel=${4:-bench-$2} b0 b1 line
  b0=$(buckets "$channel")
  line=$(row_drain "$channel" "$3") || { echo "the $2 drain failed" >&2; exit 1; }
  b1=$(buckets "$channel")
  log "drain $1 $2 $line $(p99_ms "$b0" "$b1")"
}

retention_supported() {
  # The listing is read whole first: "unzip | grep -q" fails at random under pipefail (grep quits early,
  # unzip dies of SIGPIPE), which once let the sizes run with the sweep on.
  local listing
  listing=$(unzip -Z1 "$app"/lib/main/dev.errand.errand-[0-9]*.jar 2>/dev/null || true)
  grep -qiE '/retention/|RetentionConfig' <<< "$listing"
}

# index_build SIZE: the upgrade's one costly step, measured: drops the sweep's marker index and builds it
# again as the sweep does after an upgrade (create index concurrently), while a noop drain runs beside it.
index_build() {
  local t0 t1 done_file="$top/index-built"
  rm -f "$done_file"
  sql "drop index if exists errand_processed_message_age" > /dev/null
  t0=$(now)
  (sql "set statement_timeout = 0" \
     "create index concurrently errand_processed_message_age on errand_processed_message (processed_at)" > /dev/null
   now > "$done_file") &
  local builder=$!
  drain "$1" noop-during-index-build "s$1-index-build" bench-noop
  wait "$builder"
  t1=$(cat "$done_file")
  log "index-build $1 $(awk -v t0="$t0" -v t1="$t1" 'BEGIN {printf "%.1f", t1 - t0}')"
}

# ---- Sizes -------------------------------------------------------------------------------------
# The history is left to grow here (the filled markers are up to 10 days old): retention comes after.
if retention_supported; then start_service -Derrand.retention.enabled=false; else start_service; fi
# One unmeasured drain of each row first, so that the first size does not pay for the JIT's warm-up
# (throughput.sh's noop row comes after others too); their 2 x --messages markers count in the first size.
echo "warm-up: one noop and one insert drain of $messages messages" >&2
(row_drain bench-noop warm > /dev/null)
(row_drain bench-insert warm > /dev/null)
for size in ${sizes//,/ }; do
  fill_markers "$size" || break
  echo "markers $size $(markers)" >> "$results"
  for run in $(seq 1 "$runs"); do
    drain "$size" noop "s$size-noop-r$run"
    drain "$size" insert "s$size-insert-r$run"
  done
  echo "tables at $size markers:" >&2
  table_sizes "$size"
  if [ "$size" = 10000000 ] && retention_supported; then index_build "$size"; fi
  last_size=$size
done

# ---- Retention ---------------------------------------------------------------------------------
if [ "$retention" = 1 ] && ! retention_supported; then
  log "retention skipped: this build has no errand.retention.* settings ($app)"
elif [ "$retention" = 1 ]; then
  # What the sweep removes: markers past 3 days and the sweep's hour of grace.
  past="processed_at < now() - interval '3 days 1 hour'"
  old=$(sql "select count(*) from errand_processed_message where $past")
  total=$(markers)
  echo "before retention: $total markers, $old past the window (3 days and an hour)" >&2
  table_sizes before-retention
  deleted() { sql "select n_tup_del from pg_stat_user_tables where relname = 'errand_processed_message'"; }
  # sweep PACE: restarts the service sweeping at that pace; a noop drain beside the sweep, then a minute
  # more of the sweep alone; logs the rows removed per second and the backlog's projected time.
  sweep() {
    local d0 d1 t0 t1
    stop_service
    pid=
    start_service -Derrand.retention.processed-messages=3d -Derrand.retention.interval=10s -Derrand.retention.pace="$1"
    t0=$(now) d0=$(deleted)
    # A run's name is letters, digits and dashes (the fill endpoint refuses others): 0.25 -> 025.
    drain "$last_size" "noop-during-sweep-$1" "sweep-${1//./}" bench-noop
    sleep 60
    t1=$(now) d1=$(deleted)
    awk -v pace="$1" -v t0="$t0" -v t1="$t1" -v n="$((d1 - d0))" -v old="$old" \
      'BEGIN {r = n / (t1 - t0); printf "retention pace=%s removed_per_s=%.0f backlog=%d backlog_hours=%.1f\n", pace, r, old, old / r / 3600}' |
      tee -a "$results" >&2
  }
  sweep 0.25
  sweep 1
  if [ "$retention_until_done" = 1 ]; then
    t0=$(now)
    until [ "$(sql "select exists (select 1 from errand_processed_message where processed_at < now() - interval '3 days 1 hour 10 seconds')")" = f ]; do
      sleep 5
    done
    log "retention until-done seconds=$(awk -v t0="$t0" -v t1="$(now)" 'BEGIN {printf "%.0f", t1 - t0}') markers_after=$(markers)"
  fi
  table_sizes after-retention
  sql "vacuum errand_processed_message" > /dev/null
  table_sizes after-vacuum
fi

# ---- Soak --------------------------------------------------------------------------------------
if [ "$soak" -gt 0 ] && ! retention_supported; then
  log "soak skipped: this build has no errand.retention.* settings ($app)"
elif [ "$soak" -gt 0 ]; then
  stop_service
  pid=
  work="$top/soak"
  mkdir -p "$work"
  echo "soak: $soak messages, $soak_chunk at a time, a ${soak_window}-second marker window (a refusal at start-up names the settings to lower)" >&2
  # shellcheck disable=SC2086
  start_service -Derrand.retention.processed-messages="${soak_window}s" -Derrand.retention.task-steps="${soak_window}s" \
    -Derrand.retention.interval=10s \
    -Derrand.consumers.max-attempts=5 -Derrand.consumers.max-redelivery-delay=30s ${BENCH_SOAK_OPTS:-}
  t0=$(now)
  messages=$soak_chunk
  for chunk in $(seq 1 $(( (soak + soak_chunk - 1) / soak_chunk ))); do
    (row_drain bench-noop "soak-$chunk" > /dev/null)
    read -r total <<< "$(sql "select coalesce(sum(pg_total_relation_size(p.relid)), 0) from pg_class t
                             cross join lateral (select relid from pg_partition_tree(t.oid) union select t.oid) p
                             where t.relname in ($tables) and t.relkind in ('r', 'p') and not t.relispartition")"
    awk -v chunk="$chunk" -v t0="$t0" -v t1="$(now)" -v markers="$(markers)" -v total="$total" \
      'BEGIN {printf "soak %d %.0f %d %d\n", chunk, t1 - t0, markers, total}' | tee -a "$results" >&2
  done
  table_sizes after-soak
fi

# ---- Report ------------------------------------------------------------------------------------
SOAK_WINDOW=$soak_window /usr/bin/python3 - "$results" "$messages" <<'PY'
import os, platform, statistics, subprocess, sys
drains, fills, marker_counts, tables, soak, notes = {}, {}, {}, {}, [], []
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] == "drain":
        size, row, rate, cpu, rss, jvm, pg, _, p99 = f[1:10]
        drains.setdefault((int(size), row), []).append((int(rate), float(cpu), float(jvm), float(pg), p99))
    elif f[0] == "fill":
        fills[int(f[1])] = f[2:]
    elif f[0] == "markers":
        marker_counts[int(f[1])] = int(f[2])
    elif f[0] == "table":
        tables[(f[1], f[2])] = [int(x) for x in f[3:]]
    elif line.startswith(("retention skipped", "soak skipped")):
        notes.append(line.strip())
    elif f[0] == "soak":
        soak.append([float(x) for x in f[1:]])
    elif f[0] in ("retention", "index-build"):
        notes.append(line.strip())
model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")) / 1024 / 1024
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
print(f"machine: {os.cpu_count()} cores, {model}, {mem:.0f} GiB, {platform.system()} {platform.release()}, {java}")
mb = lambda b: f"{b / 1048576:.0f}"
sizes = sorted(marker_counts)
print(f"{'markers':>10} {'fill s':>7} {'rows/s':>8} {'row':<7} {'msg/s':>7} {'runs':>16} {'CPU ms/msg':>10} {'JVM':>6} {'PG':>6} {'p99 ms':>7} {'markers MB (heap+idx)':>22}")
for size in sizes:
    fill = fills.get(size, ["0", "0", "0"])
    t = tables.get((str(size), "errand_processed_message"), [0, 0, 0, 0])
    for row in ("noop", "insert"):
        runs = drains.get((size, row))
        if not runs:
            continue
        med = lambda i: statistics.median(r[i] for r in runs)
        print(f"{marker_counts[size]:>10} {float(fill[0]):>7.0f} {fill[2]:>8} {row:<7} {med(0):>7.0f} {'/'.join(str(r[0]) for r in runs):>16} "
              f"{med(1):>10.3f} {med(2):>6.3f} {med(3):>6.3f} {runs[len(runs) // 2][4]:>7} {mb(t[0]) + ' (' + mb(t[1]) + '+' + mb(t[2]) + ')':>22}")
for (size, row), runs in sorted(drains.items()):
    if row.startswith("noop-during-"):
        what = (f"the retention sweep at pace {row.rsplit('-', 1)[1]}" if row.startswith("noop-during-sweep")
                else f"the marker index's build at {size} markers")
        print(f"noop drain during {what}: {runs[0][0]} msg/s, {runs[0][1]:.3f} CPU ms/msg, p99 {runs[0][4]} ms")
for note in notes:
    print(note)
for phase in ("before-retention", "after-retention", "after-vacuum"):
    t = tables.get((phase, "errand_processed_message"))
    if t:
        print(f"errand_processed_message {phase}: {mb(t[0])} MB total ({mb(t[1])} heap, {mb(t[2])} indexes), ~{t[3]} rows")
if soak:
    window = float(os.environ.get("SOAK_WINDOW", "180")) * 1.1 + 10  # the window, its grace (a tenth) and one 10 s interval
    print("soak: chunk, seconds, markers, Errand's tables MB: " + ", ".join(f"{int(c)}/{s:.0f}s/{int(m)}/{mb(b)}" for c, s, m, b in soak))
    late = [b for c, s, m, b in soak if s >= window]
    if len(late) >= 2:
        flat = max(late) <= 1.15 * late[0]
        print(f"soak: after the first window the tables went from {mb(late[0])} to {mb(late[-1])} MB (max {mb(max(late))}): "
              + ("flat" if flat else "still growing"))
    else:
        print("soak: too short to pass the first window (the window, its grace and one interval)")
if sizes and drains.get((sizes[0], "noop")) and drains.get((sizes[-1], "noop")):
    first = statistics.median(r[0] for r in drains[(sizes[0], "noop")])
    last = statistics.median(r[0] for r in drains[(sizes[-1], "noop")])
    print(f"history noop_at_0={first:.0f} noop_at_max={last:.0f} markers_max={marker_counts[sizes[-1]]} ratio={last / first:.2f}")
PY
