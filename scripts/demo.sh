#!/usr/bin/env bash
# Builds outlast and a plain embedded Jetty 12 server, starts the server with the agent (idle 3s,
# header deadline 4s), and opens two connections: one kept alive after a request, one whose header
# never completes. The startup report and both close events appear below.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mvn -B -q -ntp -Dstyle.color=never package -DskipTests -Doutlast.test.jdk25="$(cat .jdk25)" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'

dir=$(mktemp -d)
trap 'kill $tail_pid 2>/dev/null || true; rm -rf "$dir"' EXIT
mkfifo "$dir/in"
java -javaagent:agent/target/outlast-agent.jar=idle=3s,header=4s \
     -jar test-apps/jetty-12.0/target/app.jar <"$dir/in" >"$dir/out" 2>&1 &
server_pid=$!
exec 3>"$dir/in"
tail -n +1 -f "$dir/out" | grep --line-buffered -v '^SLF4J' &
tail_pid=$!

until grep -q READY "$dir/out"; do sleep 0.1; done
port=$(grep -o 'READY port=[0-9]*' "$dir/out" | cut -d= -f2)

exec 4<>"/dev/tcp/127.0.0.1/$port"
printf 'GET / HTTP/1.1\r\nHost: demo\r\n\r\n' >&4
exec 5<>"/dev/tcp/127.0.0.1/$port"
printf 'GET / HTTP/1.1\r\nHost: de' >&5
sleep 5
echo stop >&3
wait $server_pid
sleep 0.2
