#!/usr/bin/env bash
# Makes sure this machine has what the build and the tests need: a JDK 17 with Maven (the build),
# a JDK 25 (the child JVMs of the integration tests run on 17 and on 25), nginx (the 502 race is
# reproduced through it) and wrk (the throughput benchmark).
set -euo pipefail

need_apt=()
command -v java >/dev/null || need_apt+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || need_apt+=(maven)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need_apt+=(nginx-light)
command -v wrk >/dev/null || need_apt+=(wrk)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}"
  # the nginx package must not start a server of its own: the tests start theirs
  export DEBIAN_FRONTEND=noninteractive
  made_policy=no
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    made_policy=yes
  fi
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
  [ "$made_policy" = no ] || rm -f /usr/sbin/policy-rc.d
fi

jdk25=${OUTLAST_TEST_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ ! -x "$jdk25/bin/java" ]; then
  # Debian's own packages stop at 17 on this release; take any JDK 25 the machine has under /usr/lib/jvm
  found=$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1 || true)
  if [ -n "$found" ] && [ -x "$found/bin/java" ]; then
    jdk25=$found
  else
    echo "setup: no JDK 25 found (looked at $jdk25 and /usr/lib/jvm/*25*); set OUTLAST_TEST_JDK25" >&2
    exit 1
  fi
fi
echo "setup: java $(java -version 2>&1 | head -1 | cut -d'"' -f2), JDK 25 at $jdk25"
echo "$jdk25" > "$(dirname "$0")/../.jdk25"
