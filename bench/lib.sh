# Shared by the bench scripts: build, start and stop the packaged service on loopback.
# Expects $root (the repository) and $work (a fresh folder); sets $pid, $base and $admin (user:password
# of the demo's generated admin, for the endpoints that need a role; see api).
# BENCH_APP runs another build of the service (a copy of target/quarkus-app), to compare commits.

http_port=${BENCH_HTTP_PORT:-18080}
amqp_port=${BENCH_AMQP_PORT:-15672}
base="http://127.0.0.1:$http_port"
pid=
admin=

# api ARGS...: curl as the demo's admin, failing on HTTP errors.
api() {
  curl -fs -u "$admin" "$@"
}

build_service() {
  (cd "$root" && ./mvnw -q -B package -DskipTests)
}

# start_service [-Dname=value ...]: starts the service on $work/data and waits until it answers.
start_service() {
  java ${BENCH_JAVA_OPTS:--Xmx2g} -Derrand.data-dir="$work/data" -Dquarkus.http.port="$http_port" \
    -Derrand.embedded.amqp-port="$amqp_port" "$@" \
    -jar "${BENCH_APP:-$root/target/quarkus-app}/quarkus-run.jar" >> "$work/service.log" 2>&1 &
  pid=$!
  await_ready
}

# await_ready [POLL_SECONDS] [TRIES]: waits until the service started as $pid answers ready, then sets
# $admin; exits when it dies or does not start.
await_ready() {
  local poll=${1:-1} tries=${2:-120}
  for _ in $(seq 1 "$tries"); do
    if curl -fs "$base/q/health/ready" > /dev/null 2>&1; then
      admin="admin:$(sed -n 's/^http.admin.password=//p' "$work/data/credentials.properties")"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "service died; see $work/service.log" >&2; exit 1; }
    sleep "$poll"
  done
  echo "service did not start; see $work/service.log" >&2
  exit 1
}

stop_service() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  wait 2>/dev/null || true
}

# upload_users PREFIX N NAME: uploads N generated users, prints the campaign id.
upload_users() {
  { echo user_id; seq -f "$1-%06g" 1 "$2"; } > "$work/promo.csv"
  api -X POST "$base/campaigns?name=$3&couponCents=1500" -H 'Content-Type: text/csv' \
    --data-binary @"$work/promo.csv" | sed -E 's/.*"id":([0-9]+).*/\1/'
}

# await_completion ID TIMEOUT: polls until the campaign is completed, prints its JSON.
await_completion() {
  local deadline=$((SECONDS + $2)) state
  while :; do
    state=$(api "$base/campaigns/$1" || true)
    case "$state" in *'"status":"COMPLETED'*) echo "$state"; return 0 ;; esac
    [ $SECONDS -ge $deadline ] && { echo "timed out: $state" >&2; return 1; }
    sleep 2
  done
}

# fetch_artemis: sets $artemis to the standalone ActiveMQ Artemis distribution
# (org.apache.artemis:apache-artemis:2.56.0:tar.gz:bin), fetched through Maven once and cached in
# ~/.cache/errand-bench (copied from the local Maven repository when it is there).
artemis_version=2.56.0
artemis=
fetch_artemis() {
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/errand-bench"
  local local_dist="$HOME/.m2/repository/org/apache/artemis/apache-artemis/$artemis_version/apache-artemis-$artemis_version-bin.tar.gz"
  artemis="$cache/apache-artemis-$artemis_version"
  [ -x "$artemis/bin/artemis" ] && return 0
  mkdir -p "$cache"
  if [ -f "$local_dist" ]; then
    cp "$local_dist" "$cache/"
  else
    (cd "$root" && ./mvnw -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact=org.apache.artemis:apache-artemis:$artemis_version:tar.gz:bin -DoutputDirectory="$cache")
  fi
  tar xzf "$cache/apache-artemis-$artemis_version-bin.tar.gz" -C "$cache"
}

# CPU accounting, for the scripts that report CPU per message.
tick_ms=$((1000 / $(getconf CLK_TCK)))

# ticks PID...: user+system clock ticks of the processes, with their reaped children's.
ticks() {
  local total=0 p
  for p in "$@"; do
    # Fields after the command name (which may hold spaces): utime is 14, cutime 16 in proc(5).
    total=$((total + $(sed -E 's/^.*\) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12+$13+$14+$15}' || echo 0)))
  done
  echo "$total"
}

# cpu_ticks [PID WORK]: "JVM PostgreSQL" ticks: the service's JVM (with the embedded broker), and
# PostgreSQL's postmaster with its live children (those that ended are in the postmaster's own count);
# by default the service this script started ($pid on $work).
cpu_ticks() {
  echo "$(ticks "${1:-$pid}") $(postgres_ticks "${2:-$work}/data/postgres")"
}

# postgres_ticks PGDATA: ticks of the PostgreSQL running on that data folder, its live children with it.
postgres_ticks() {
  local postmaster
  postmaster=$(pgrep -f -- "postgres -D $1" | head -1 || true)
  if [ -n "$postmaster" ]; then ticks "$postmaster" $(pgrep -P "$postmaster"); else echo 0; fi
}

# cpu_ms "BEFORE" "AFTER": "total_ms jvm_ms pg_ms" between two cpu_ticks readings.
cpu_ms() {
  local jvm0 pg0 jvm1 pg1
  read -r jvm0 pg0 <<< "$1"
  read -r jvm1 pg1 <<< "$2"
  echo "$(( (jvm1 - jvm0 + pg1 - pg0) * tick_ms )) $(( (jvm1 - jvm0) * tick_ms )) $(( (pg1 - pg0) * tick_ms ))"
}

# The drains of throughput.sh's noop and insert rows (history.sh runs them too): the demo's benchmark
# handlers (dev.errand.apps.bench), their queues filled through /bench while their consumer is paused.

# The JVM's peak RSS while a row runs: sampled twice a second into $work/rss.
sampler=
start_rss_sampler() {
  (while kill -0 "$pid" 2>/dev/null; do awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; sleep 0.5; done) \
    > "$work/rss" 2>/dev/null &
  sampler=$!
}
stop_rss_sampler() {
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  sampler=
  sort -n "$work/rss" | tail -1 | awk '{printf "%d", $1 / 1024}'
}

# bench_handled CHANNEL: how many messages the benchmark handler has handled since the service started.
bench_handled() {
  api "$base/bench/$1" | sed -E 's/.*"handled":([0-9]+).*/\1/'
}

now() { date +%s.%N; }

# With jfr=1, each row's measured window is recorded with Java Flight Recorder.
jfr_start() {
  if [ "${jfr:-0}" = 1 ]; then jcmd "$pid" JFR.start name=row settings=profile > /dev/null; fi
}
# jfr_stop ROW: saves the row's recording and prints its summary to stderr.
jfr_stop() {
  if [ "${jfr:-0}" = 1 ]; then
    jcmd "$pid" JFR.stop name=row filename="$work/$1.jfr" > /dev/null
    /usr/bin/python3 "$root/bench/jfr-summary.py" "$work/$1.jfr" > "$work/$1.profile.txt"
    echo "profile of $1: $work/$1.profile.txt" >&2
  fi
}

# row_drain CHANNEL RUN: fills the paused channel's queue with $messages messages (ids bench-RUN-n, so
# RUN must be new to this database), then times its drain. Prints
# "rate cpu_ms_per_msg peak_rss_mb jvm_ms_per_msg pg_ms_per_msg 0".
row_drain() {
  local channel=$1 before c0 c1 t0 t1
  api -X POST "$base/errand/consumers/$channel/pause" > /dev/null
  # A refused fill (a bad run name, say) would leave the loop below waiting for ever.
  api -X POST "$base/bench/$channel/fill?count=$messages&run=$2" > /dev/null || { echo "fill of $channel refused" >&2; return 1; }
  before=$(bench_handled "$channel")
  start_rss_sampler
  c0=$(cpu_ticks)
  jfr_start
  t0=$(now)
  api -X POST "$base/errand/consumers/$channel/resume" > /dev/null
  while [ "$(bench_handled "$channel")" -lt $((before + messages)) ]; do sleep 0.2; done
  t1=$(now)
  c1=$(cpu_ticks)
  jfr_stop "$channel"
  read -r cpu jvm pg <<< "$(cpu_ms "$c0" "$c1")"
  awk -v n="$messages" -v t0="$t0" -v t1="$t1" -v cpu="$cpu" -v jvm="$jvm" -v pg="$pg" -v rss="$(stop_rss_sampler)" \
    'BEGIN {printf "%.0f %.3f %s %.3f %.3f 0\n", n / (t1 - t0), cpu / n, rss, jvm / n, pg / n}'
}
