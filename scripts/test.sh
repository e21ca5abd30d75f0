#!/usr/bin/env bash
# The test command of README.md (and of .ci/run): unit tests, the agent jar, the test-apps, and the
# integration tests that run them in child JVMs on JDK 17 and 25.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mvn -B -Dstyle.color=never verify -Doutlast.test.jdk25="$(cat .jdk25)" "$@"
