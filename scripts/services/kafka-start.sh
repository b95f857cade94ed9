#!/usr/bin/env bash
# Starts the single-node Apache Kafka test broker (KRaft, combined broker + controller) on 127.0.0.1,
# from jars Maven resolves from Maven Central. Idempotent: a broker this script started and that still
# answers is left running. Stop it with kafka-stop.sh.
#   KAFKA_PORT           client port (default 19092; the controller listens on KAFKA_PORT+1)
#   KAFKA_HEAP_OPTS      JVM heap (default -Xms256m -Xmx512m)
#   KAFKA_START_TIMEOUT  seconds to wait until the broker answers (default 90)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/scripts/services/kafka"
HOME_DIR="$ROOT/.services/kafka"
LIBS="$HOME_DIR/libs"
PORT="${KAFKA_PORT:-19092}"
CONTROLLER_PORT="$((PORT + 1))"
BROKER="127.0.0.1:$PORT"
PID_FILE="$HOME_DIR/kafka.pid"
TIMEOUT="${KAFKA_START_TIMEOUT:-90}"

fail() { echo "kafka-start: $*" >&2; exit 1; }
say() { echo "kafka-start: $*"; }
probe() { node "$HERE/probe.mjs" "$BROKER"; }
is_our_broker() { [[ -r "/proc/$1/cmdline" ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q "kafka.Kafka $HOME_DIR/"; }

command -v java >/dev/null || fail "java not found: install a JDK (17+) to run the test broker"
command -v node >/dev/null || fail "node not found"
[[ -d "$ROOT/node_modules/kafkajs" ]] || fail "kafkajs not installed: run 'npm ci' first (the readiness probe uses it)"
mkdir -p "$HOME_DIR/logs"

if [[ -f "$PID_FILE" ]] && is_our_broker "$(cat "$PID_FILE")"; then
  if probe; then say "already running at $BROKER (pid $(cat "$PID_FILE"))"; exit 0; fi
  say "pid $(cat "$PID_FILE") is starting; waiting for it"
else
  rm -f "$PID_FILE"
  if probe; then fail "a Kafka broker this script did not start already answers at $BROKER; stop it or set KAFKA_PORT"; fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then fail "port $PORT is taken by another program; free it or set KAFKA_PORT"; fi

  # Jars: resolved once from Maven Central, re-resolved when the pom changes.
  STAMP="$LIBS/.resolved-$(sha1sum "$HERE/pom.xml" | cut -c1-12)"
  if [[ ! -f "$STAMP" ]]; then
    command -v mvn >/dev/null || fail "mvn not found: Maven resolves the broker's jars from Maven Central"
    say "resolving the broker's jars from Maven Central into $LIBS"
    rm -rf "$LIBS"
    mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIBS" \
      >"$HOME_DIR/logs/maven.log" 2>&1 \
      || fail "Maven could not resolve org.apache.kafka:kafka_2.13 (is Maven Central reachable?); see $HOME_DIR/logs/maven.log"
    touch "$STAMP"
  fi

  sed -e "s|@PORT@|$PORT|g" -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" -e "s|@DATA_DIR@|$HOME_DIR/data|g" \
    "$HERE/server.properties.template" >"$HOME_DIR/server.properties"
  JAVA_CP="$LIBS/*"
  LOG_OPTS=(-Dlog4j.configuration="file:$HERE/log4j.properties" -Dkafka.logs.dir="$HOME_DIR/logs")
  if [[ ! -f "$HOME_DIR/data/meta.properties" ]]; then
    CLUSTER_ID="$(java -cp "$JAVA_CP" "${LOG_OPTS[@]}" kafka.tools.StorageTool random-uuid)"
    java -cp "$JAVA_CP" "${LOG_OPTS[@]}" kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$HOME_DIR/server.properties" >"$HOME_DIR/logs/format.log" 2>&1 \
      || fail "formatting the KRaft storage failed; see $HOME_DIR/logs/format.log"
  fi

  # setsid: the broker outlives this script and the npm process that ran it, so it must not keep what they
  # had open either (a lock held with flock, a pipe): the subshell closes every descriptor above stderr.
  (
    for fd in $(ls "/proc/$BASHPID/fd"); do ((fd > 2)) && eval "exec $fd>&-"; done
    # shellcheck disable=SC2086
    setsid java ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
      "${LOG_OPTS[@]}" -cp "$JAVA_CP" kafka.Kafka "$HOME_DIR/server.properties" >"$HOME_DIR/logs/stdout.log" 2>&1 </dev/null &
    echo $! >"$PID_FILE"
  )
  say "started pid $(cat "$PID_FILE"); waiting until it answers at $BROKER"
fi

PID="$(cat "$PID_FILE")"
for ((i = 0; i < TIMEOUT * 2; i++)); do
  if ! kill -0 "$PID" 2>/dev/null; then
    rm -f "$PID_FILE"
    tail -n 30 "$HOME_DIR/logs/stdout.log" "$HOME_DIR/logs/server.log" >&2 2>/dev/null || true
    fail "the broker exited while starting; logs in $HOME_DIR/logs"
  fi
  if probe; then say "ready at $BROKER (Apache Kafka $(ls "$LIBS" | sed -n 's/^kafka_2.13-\(.*\)\.jar$/\1/p'), pid $PID)"; exit 0; fi
  sleep 0.5
done
fail "the broker (pid $PID) did not answer at $BROKER within ${TIMEOUT}s; logs in $HOME_DIR/logs"
