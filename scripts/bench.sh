#!/usr/bin/env bash
# The agent's cost, measured side by side with and without it (not part of the tests): start-up, throughput
# (wrk), attach time, memory per connection, and at scale (`scale`: many idle connections). Prints the figures
# docs/performance.md records.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mvn -B -q -ntp -Dstyle.color=never install -DskipTests -Doutlast.test.jdk25="$(cat .jdk25)" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'
# the scale benchmark holds tens of thousands of connections in one server: as many files as the machine allows
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
pin=()
if [ "$(nproc)" -ge 2 ]; then
  # wrk on one core, the server (and the agent's threads) on another: less noise, and the agent's own work
  # shows as the server's loss
  pin=(-Doutlast.wrk.cpus=0 -Doutlast.server.cpus=1)
fi
# -Dbench.* arguments are options (docs/performance.md), the others the parts to run
opts=()
parts=()
for a in "$@"; do
  case "$a" in
    -D*) opts+=("$a") ;;
    *) parts+=("$a") ;;
  esac
done
exec java -Doutlast.test.jdk25="$(cat .jdk25)" -Doutlast.agent.jar=agent/target/outlast-agent.jar \
  -Doutlast.test.apps=test-apps "${pin[@]}" "${opts[@]}" -cp integration-tests/target/test-classes \
  io.outlast.it.Benchmark "${parts[@]}"
