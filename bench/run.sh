#!/usr/bin/env bash
# Runs watchsync and lsyncd side by side on the same workloads against the same loopback rsync
# daemon (or sshd) and prints the results (also written to bench/results.md or results-ssh.md).
# Usage: bench/run.sh [--only burst,steady200,steady1000,mixed,scale] [--competitors watchsync,lsyncd,script]
#                     [--transport daemon|ssh]   (ssh: a throwaway sshd on 127.0.0.1, as root)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps
if [ ! -f agent/target/watchsync.jar ] || [ -n "$(find agent/src pom.xml agent/pom.xml -newer agent/target/watchsync.jar -print -quit)" ]; then
  mvn -B -q -ntp -DskipTests -pl agent -am package
fi
exec python3 bench/bench.py "$@"
