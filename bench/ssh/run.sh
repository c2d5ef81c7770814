#!/usr/bin/env bash
# What one rsync run to an ssh target costs, with a login per run (what lsyncd's rsyncssh and an
# "inotifywait | rsync -e ssh" script do) and over a shared connection (what watchsync does, see
# "Shared ssh connections" in the README). Starts a throwaway OpenSSH server on 127.0.0.1 with its
# own keys, sends one changed file per run, and prints the mean and median time per run of both
# and their ratio. A benchmark, not a test: run it as root on an otherwise idle machine.
# Usage: bench/ssh/run.sh [--runs N]
set -euo pipefail
export LC_ALL=C
runs=50
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=${2:?--runs needs a value}; shift 2 ;;
    --runs=*) runs=${1#--runs=}; shift ;;
    -h|--help) sed -n '2,7s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument: $1" >&2; exit 2 ;;
  esac
done
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
  echo "bench: --runs needs a positive number, not '$runs'" >&2
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "bench: run as root (sshd must switch to the logged-in user)" >&2
  exit 1
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -x /usr/sbin/sshd ] || ! command -v rsync >/dev/null; then
  "$root/scripts/install-deps"
fi

work=$(mktemp -d /tmp/watchsync-ssh-bench.XXXXXX)
sshd_pid=
cleanup() {
  [ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/src" "$work/dst" "$work/state" /run/sshd
ssh-keygen -q -t ed25519 -N '' -C '' -f "$work/host_key"
ssh-keygen -q -t ed25519 -N '' -C '' -f "$work/client_key"
cp "$work/client_key.pub" "$work/authorized_keys"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $work/host_key
AuthorizedKeysFile $work/authorized_keys
PidFile none
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
EOF
/usr/sbin/sshd -D -f "$work/sshd_config" -E "$work/sshd.log" &
sshd_pid=$!
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.05
done

ssh_base="ssh -p $port -i $work/client_key -o BatchMode=yes -o StrictHostKeyChecking=no"
ssh_base+=" -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
# The options watchsync appends for a shared connection (SshConnectionSharing).
shared="-o ControlMaster=auto -o ControlPath=$work/state/ssh-bench -o ControlPersist=60"
shared+=" -o ServerAliveInterval=10 -o ServerAliveCountMax=3"

# Prints the milliseconds of each of $runs one-file runs, one per line.
measure() {
  local shell=$1 i start end
  for i in $(seq "$runs"); do
    echo "$i" > "$work/src/f"
    start=$(date +%s%N)
    rsync -a -s --numeric-ids -e "$shell" "$work/src/" "root@127.0.0.1:$work/dst/"
    end=$(date +%s%N)
    echo $(( (end - start) / 1000 ))
  done
}

stats() { sort -n | awk '{a[NR]=$1; s+=$1} END {printf "%.1f %.1f\n", s/NR/1000, a[int((NR+1)/2)]/1000}'; }

read -r login_mean login_median < <(measure "$ssh_base" | stats)
read -r shared_mean shared_median < <(measure "$ssh_base $shared" | stats)
ssh -p "$port" -o ControlPath="$work/state/ssh-bench" -O exit root@127.0.0.1 2>/dev/null || true

printf '%-32s %14s %16s\n' "one-file rsync run over ssh" "mean (ms)" "median (ms)"
printf '%-32s %14s %16s\n' "a login per run" "$login_mean" "$login_median"
printf '%-32s %14s %16s\n' "shared connection (watchsync)" "$shared_mean" "$shared_median"
awk -v a="$shared_mean" -v b="$login_mean" 'BEGIN {printf "shared / login per run: %.2fx (mean)\n", a/b}'
echo "$runs runs each; OpenSSH $(ssh -V 2>&1 | sed 's/,.*//'); $(rsync --version | head -n 1)"
