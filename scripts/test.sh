#!/usr/bin/env bash
# The test command of README.md (and of .ci/run): unit tests, the agent jar, the test-apps, and the
# integration tests that run them in child JVMs on JDK 17 and 25.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# -ntp: no download lines; the sed: Debian's Maven 3.8 writes colour resets even with style.color=never
mvn -B -ntp -Dstyle.color=never verify -Doutlast.test.jdk25="$(cat .jdk25)" "$@" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'
