#!/usr/bin/env bash
# Real-host test of ansible/site.yml: boots three Debian 12 nodes with systemd-nspawn (one NFS
# primary, two backups) on a private bridge with no route out, converges them with
# ansible-playbook over ssh, checks idempotence and --check, then checks that the agent
# replicates writes, renames and deletes to both backups, and that a backup whose rsync
# daemon was down catches up. Run as root: ansible/tests/cluster-test.sh [--build-root]
#
# Environment: WATCHSYNC_TEST_CACHE (cached root, default /var/cache/watchsync-test),
# WATCHSYNC_TEST_MIRROR (Debian mirror for debootstrap), WATCHSYNC_TEST_KEEP=1 (keep the
# nodes' files under /var/tmp after the run, for a post-mortem), WATCHSYNC_TEST_DIST (directory
# holding the agent's watchsync-*.tar.gz, default dist/ of this repository).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ANSIBLE_DIR=$(dirname "$HERE")
REPO=$(dirname "$ANSIBLE_DIR")

CACHE_DIR=${WATCHSYNC_TEST_CACHE:-/var/cache/watchsync-test}
ROOT_CACHE=$CACHE_DIR/bookworm-root
MIRROR=${WATCHSYNC_TEST_MIRROR:-$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)}
MIRROR=${MIRROR:-$(sed -n 's/^deb \(http[^ ]*\) bookworm .*/\1/p' /etc/apt/sources.list 2>/dev/null | head -1)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
# What the offline nodes need from Debian's archive goes into the root once, when it is built.
ROOT_PACKAGES=openssh-server,python3,python3-apt,rsync,openjdk-17-jre-headless,nfs-kernel-server,systemd-sysv,dbus,iproute2,sudo,procps,kmod
STAMP_CONTENT="bookworm minbase $ROOT_PACKAGES"

BRIDGE=wstest0
SUBNET=10.231.7
NODES=(node1 node2 node3)
declare -A ADDRESS=([node1]=$SUBNET.11 [node2]=$SUBNET.12 [node3]=$SUBNET.13)
PRIMARY=node1
BACKUPS=(node2 node3)
TREE=/srv/nfs/export

log() { printf 'cluster-test: %s\n' "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }

# ---------------------------------------------------------------- cached root file system
build_root() {
  if [ -f "$ROOT_CACHE/.watchsync-test-stamp" ] && [ "$(cat "$ROOT_CACHE/.watchsync-test-stamp")" = "$STAMP_CONTENT" ]; then
    log "reusing cached root $ROOT_CACHE"
    return
  fi
  command -v debootstrap >/dev/null 2>&1 || die "debootstrap not found (apt-get install debootstrap)"
  log "building Debian 12 root in $ROOT_CACHE from $MIRROR (a few minutes, once)"
  mkdir -p "$CACHE_DIR"
  rm -rf "$ROOT_CACHE.partial" "$ROOT_CACHE"
  debootstrap --variant=minbase --include="$ROOT_PACKAGES" bookworm "$ROOT_CACHE.partial" "$MIRROR" \
    >"$CACHE_DIR/debootstrap.log" 2>&1 || die "debootstrap failed, see $CACHE_DIR/debootstrap.log"
  chroot "$ROOT_CACHE.partial" apt-get clean
  echo "$STAMP_CONTENT" >"$ROOT_CACHE.partial/.watchsync-test-stamp"
  mv "$ROOT_CACHE.partial" "$ROOT_CACHE"
}

# ---------------------------------------------------------------- results
declare -a RESULTS=()
FAILED=0
pass() { RESULTS+=("PASS  $1"); log "PASS: $1"; }
fail() { RESULTS+=("FAIL  $1${2:+ ($2)}"); FAILED=1; log "FAIL: $1${2:+ ($2)}"; }
skip() { RESULTS+=("SKIP  $1${2:+ ($2)}"); log "SKIP: $1${2:+ ($2)}"; }
summary() {
  echo
  echo "cluster-test results:"
  local line
  for line in "${RESULTS[@]}"; do echo "  $line"; done
  if [ "$FAILED" -eq 0 ] && [ "${#RESULTS[@]}" -gt 0 ]; then echo "cluster-test: PASS"; else echo "cluster-test: FAIL"; fi
}

# ---------------------------------------------------------------- cleanup
WORK=""
BRIDGE_CREATED=0
declare -A NSPAWN_PID=()
declare -a MOUNTS=()

stop_nodes() {
  local node pid deadline
  for node in "${!NSPAWN_PID[@]}"; do
    pid=${NSPAWN_PID[$node]}
    # systemd-nspawn answers SIGTERM by powering the container off cleanly.
    kill -TERM "$pid" 2>/dev/null || true
  done
  for node in "${!NSPAWN_PID[@]}"; do
    pid=${NSPAWN_PID[$node]}
    deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$node did not power off in 30 s, killing it"
      kill -KILL "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
    unset "NSPAWN_PID[$node]"
  done
}

cleanup() {
  local rc=$?
  set +e
  stop_nodes
  local m
  for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
  if [ "$BRIDGE_CREATED" -eq 1 ]; then ip link del "$BRIDGE" 2>/dev/null; fi
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then
    if [ "${WATCHSYNC_TEST_KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  fi
  summary
  [ "$FAILED" -eq 0 ] || rc=1
  exit "$rc"
}

# ---------------------------------------------------------------- preconditions
[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, systemd-nspawn and a bridge need it)"
for cmd in systemd-nspawn ansible-playbook ssh ssh-keygen ip; do
  command -v "$cmd" >/dev/null 2>&1 || die "$cmd not found (apt-get install systemd-container ansible-core openssh-client iproute2)"
done

build_root
if [ "${1:-}" = "--build-root" ]; then exit 0; fi

trap cleanup EXIT
trap 'exit 130' INT TERM

WORK=$(mktemp -d /var/tmp/watchsync-cluster.XXXXXX)
log "work directory $WORK"

# ---------------------------------------------------------------- agent artifacts
# Prefer the release tarball made by scripts/build-dist; without it, assemble an equivalent one
# from the agent's jar and the files in packaging/, as build-dist does.
DIST=${WATCHSYNC_TEST_DIST:-$REPO/dist}
if ! compgen -G "$DIST/watchsync-*.tar.gz" >/dev/null; then
  log "no $DIST/watchsync-*.tar.gz: building the agent jar and a tarball of the same layout"
  # Always rebuilt (incremental, seconds): a stale jar would test old code.
  (cd "$REPO" && { mvn -q -ntp -o -pl agent package -DskipTests || mvn -q -ntp -pl agent package -DskipTests; }) \
    || die "building the agent failed (mvn -pl agent package)"
  version=$(find "$REPO/agent/target" -maxdepth 1 -name 'watchsync-agent-*.jar' -printf '%f\n' | sed -n 's/^watchsync-agent-\(.*\)\.jar$/\1/p' | head -1)
  version=${version:-0.0.0}
  DIST=$WORK/dist
  release=$DIST/staging/watchsync-$version
  mkdir -p "$release"
  cp "$REPO/agent/target/watchsync.jar" "$release/"
  sed -e 's|@NAME@|watchsync|g' -e 's|@JAR@|/usr/share/watchsync/watchsync.jar|g' \
    -e 's|@SYSCONFIG@|/etc/sysconfig/watchsync|g' -e 's|@OPTS_VAR@|WATCHSYNC_JAVA_OPTS|g' \
    "$REPO/packaging/launcher.in" > "$release/watchsync"
  chmod 0755 "$release/watchsync"
  cp "$REPO/packaging/watchsync.service" "$REPO/packaging/watchsync.yml" \
    "$REPO/packaging/watchsync.sysconfig" "$REPO/packaging/90-watchsync.conf" "$release/"
  tar -C "$DIST/staging" -czf "$DIST/watchsync-$version.tar.gz" "watchsync-$version"
fi
log "agent release: $(find "$DIST" -maxdepth 1 -name 'watchsync-*.tar.gz' -printf '%f ')"

# ---------------------------------------------------------------- nodes
ssh-keygen -q -t ed25519 -N '' -C watchsync-cluster-test -f "$WORK/id_ed25519"
SSH_OPTS=(-i "$WORK/id_ed25519" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
  -o BatchMode=yes -o ConnectTimeout=3)
on() { local node=$1; shift; ssh "${SSH_OPTS[@]}" "root@${ADDRESS[$node]}" "$@"; }

prepare_node() {
  local node=$1 root=$WORK/$node/root
  mkdir -p "$WORK/$node/upper" "$WORK/$node/work" "$root"
  if mount -t overlay overlay -o "lowerdir=$ROOT_CACHE,upperdir=$WORK/$node/upper,workdir=$WORK/$node/work" "$root" 2>/dev/null; then
    MOUNTS+=("$root")
  else
    cp -a --reflink=auto "$ROOT_CACHE/." "$root/"
  fi
  echo "$node" >"$root/etc/hostname"
  od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$root/etc/machine-id"
  echo >>"$root/etc/machine-id"
  {
    echo "127.0.0.1 localhost"
    echo "127.0.1.1 $node"
    local other
    for other in "${NODES[@]}"; do echo "${ADDRESS[$other]} $other"; done
  } >"$root/etc/hosts"
  # A static address on the bridge and no gateway: the node reaches its peers and nothing else.
  mkdir -p "$root/etc/systemd/network"
  cat >"$root/etc/systemd/network/10-host0.network" <<NET
[Match]
Name=host0

[Network]
Address=${ADDRESS[$node]}/24
LinkLocalAddressing=no
IPv6AcceptRA=no
NET
  systemctl --root="$root" enable systemd-networkd.service >/dev/null 2>&1
  rm -f "$root"/etc/ssh/ssh_host_*
  ssh-keygen -q -A -f "$root" >/dev/null
  install -d -m 0700 "$root/root/.ssh"
  install -m 0600 "$WORK/id_ed25519.pub" "$root/root/.ssh/authorized_keys"
}

boot_node() {
  local node=$1
  systemd-nspawn -D "$WORK/$node/root" --boot --register=no --keep-unit --network-bridge="$BRIDGE" \
    --machine="$node" --console=read-only </dev/null >"$WORK/$node/console.log" 2>&1 &
  NSPAWN_PID[$node]=$!
}

wait_for_ssh() {
  local node=$1 deadline=$((SECONDS + 120))
  until on "$node" true 2>/dev/null; do
    kill -0 "${NSPAWN_PID[$node]}" 2>/dev/null || die "$node stopped while booting, see $WORK/$node/console.log: $(tail -5 "$WORK/$node/console.log")"
    [ $SECONDS -lt $deadline ] || die "no ssh on $node (${ADDRESS[$node]}) after 120 s"
    sleep 1
  done
}

if ip link show "$BRIDGE" >/dev/null 2>&1; then
  die "bridge $BRIDGE already exists (another run, or a crashed one: ip link del $BRIDGE)"
fi
ip link add "$BRIDGE" type bridge
BRIDGE_CREATED=1
ip addr add "$SUBNET.1/24" dev "$BRIDGE"
ip link set "$BRIDGE" up

for node in "${NODES[@]}"; do prepare_node "$node"; done
for node in "${NODES[@]}"; do boot_node "$node"; done
for node in "${NODES[@]}"; do wait_for_ssh "$node"; done
pass "three nodes booted with systemd and reachable over ssh"

# ---------------------------------------------------------------- ansible
PASSWORD=$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')
cat >"$WORK/inventory.ini" <<INV
[nfs_primary]
$PRIMARY ansible_host=${ADDRESS[$PRIMARY]}

[nfs_backup]
$(for b in "${BACKUPS[@]}"; do echo "$b ansible_host=${ADDRESS[$b]}"; done)

[all:vars]
ansible_user=root
ansible_ssh_private_key_file=$WORK/id_ed25519
ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'
# The kernel under the containers has no NFS server: exports are written and loaded, not served.
nfs_server_manage_service=false
INV
# The password is what Ansible Vault would hold: an extra-vars file, mode 0600, never printed.
install -m 0600 /dev/null "$WORK/vault.yml"
echo "vault_replication_rsync_password: $PASSWORD" >"$WORK/vault.yml"

playbook() {
  local logfile=$1; shift
  ANSIBLE_CONFIG=$ANSIBLE_DIR/ansible.cfg ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 \
    ansible-playbook -i "$WORK/inventory.ini" -e "@$WORK/vault.yml" \
    -e "local_repo_dist_dir=$DIST" -e "watchsync_dist_dir=$DIST" \
    "$ANSIBLE_DIR/site.yml" "$@" >"$logfile" 2>&1
}

# Prints the sum of one counter (changed, failed, unreachable) over the PLAY RECAP of a log.
recap_total() {
  sed -n '/^PLAY RECAP/,$p' "$1" | grep -o "$2=[0-9]*" | cut -d= -f2 | awk '{s+=$1} END {print s+0}'
}

converged=0
if playbook "$WORK/run1.log"; then
  pass "first ansible-playbook run converges the cluster"
  converged=1
else
  fail "first ansible-playbook run converges the cluster" "see below"
  tail -40 "$WORK/run1.log" >&2
fi

if [ "$converged" -eq 1 ]; then
  if playbook "$WORK/run2.log" && [ "$(recap_total "$WORK/run2.log" changed)" -eq 0 ]; then
    pass "second run reports changed=0"
  else
    fail "second run reports changed=0" "changed=$(recap_total "$WORK/run2.log" changed) failed=$(recap_total "$WORK/run2.log" failed)"
    grep -E '^(changed|fatal|failed):' "$WORK/run2.log" >&2 || true
    sed -n '/^PLAY RECAP/,$p' "$WORK/run2.log" >&2
  fi
  if playbook "$WORK/check.log" --check && [ "$(recap_total "$WORK/check.log" changed)" -eq 0 ]; then
    pass "--check on the converged cluster reports nothing to change"
  else
    fail "--check on the converged cluster reports nothing to change" "changed=$(recap_total "$WORK/check.log" changed) failed=$(recap_total "$WORK/check.log" failed)"
    grep -E '^(changed|fatal|failed):' "$WORK/check.log" >&2 || true
  fi
  if grep -q "$PASSWORD" "$WORK/run1.log" "$WORK/run2.log" "$WORK/check.log"; then
    fail "the rsync password never appears in ansible's output"
  else
    pass "the rsync password never appears in ansible's output"
  fi
fi

# ---------------------------------------------------------------- what the roles left on the nodes
check_node_state() {
  local problems=""
  for node in "${NODES[@]}"; do
    on "$node" "exportfs -s" | grep -q "^$TREE " || problems+=" $node:exports"
    on "$node" "grep -q '^$TREE ' /etc/exports.d/watchsync.exports" || problems+=" $node:exports-file"
  done
  for b in "${BACKUPS[@]}"; do
    on "$b" "systemctl is-active --quiet rsync && systemctl is-enabled --quiet rsync" || problems+=" $b:rsync-service"
    [ "$(on "$b" "stat -c %a /etc/rsyncd.secrets")" = 600 ] || problems+=" $b:secrets-mode"
    on "$b" "grep -q '^hosts allow = ${ADDRESS[$PRIMARY]}\$' /etc/rsyncd.conf" || problems+=" $b:hosts-allow"
    # The daemon takes the primary's login and refuses anyone else's address.
    on "$PRIMARY" "RSYNC_PASSWORD=\$(cat /etc/watchsync/rsync-$b.secret) rsync --list-only rsync://watchsync@${ADDRESS[$b]}/export/ >/dev/null" \
      || problems+=" $b:login-from-primary"
    if on "${BACKUPS[0]}" "[ $b != ${BACKUPS[0]} ] && RSYNC_PASSWORD=x rsync --list-only rsync://watchsync@${ADDRESS[$b]}/export/ >/dev/null 2>&1"; then
      problems+=" $b:accepts-other-hosts"
    fi
  done
  for b in "${BACKUPS[@]}"; do
    [ "$(on "$PRIMARY" "stat -c %a /etc/watchsync/rsync-$b.secret")" = 600 ] || problems+=" primary:secret-$b"
    on "$PRIMARY" "grep -q 'url: rsync://watchsync@${ADDRESS[$b]}/export' /etc/watchsync/watchsync.yml" || problems+=" primary:target-$b"
  done
  on "$PRIMARY" "systemctl is-enabled --quiet watchsync" || problems+=" primary:watchsync-enabled"
  [ -z "$problems" ] || { echo "$problems"; return 1; }
}
if [ "$converged" -eq 1 ]; then
  if problems=$(check_node_state); then
    pass "exports loaded, rsync daemons up with auth and hosts allow, agent configured with one target per backup"
  else
    fail "exports loaded, rsync daemons up with auth and hosts allow, agent configured with one target per backup" "$problems"
  fi
fi

# ---------------------------------------------------------------- replication
# One line per entry (type, mode, owner, path, link target, and for files size, mtime and
# sha256), sorted bytewise: equal listings mean equal trees.
listing() {
  on "$1" "cd $TREE && LC_ALL=C find . -mindepth 1 \\( -type f -printf '%y %m %U:%G %p %s %Ts ' -exec sh -c 'sha256sum < \"\$1\" | cut -d\" \" -f1' _ {} \\; \\) -o -printf '%y %m %U:%G %p %l\\n' | LC_ALL=C sort"
}

# Waits until the backup's tree equals the primary's, up to $2 seconds.
wait_until_equal() {
  local backup=$1 limit=$2 deadline=$((SECONDS + $2)) want got
  while :; do
    want=$(listing "$PRIMARY") || return 1
    got=$(listing "$backup" 2>/dev/null) || got="(unreachable)"
    [ "$want" = "$got" ] && return 0
    if [ $SECONDS -ge $deadline ]; then
      log "$backup still differs from $PRIMARY after $limit s:"
      diff <(echo "$want") <(echo "$got") | head -20 >&2
      return 1
    fi
    sleep 0.5
  done
}

REPLICATION_STEPS=(
  "new files, directories, a symlink and a chowned file reach both backups"
  "renames, deletes and a rewrite reach both backups"
  "with ${BACKUPS[1]}'s daemon down, ${BACKUPS[0]} still follows"
  "${BACKUPS[1]} catches up after its daemon is back"
)
skip_replication_steps() {
  local step
  for step in "${REPLICATION_STEPS[@]}"; do skip "$step" "the agent does not run"; done
}

replication() {
  local deadline=$((SECONDS + 60))
  until on "$PRIMARY" "systemctl is-active --quiet watchsync"; do
    if [ $SECONDS -ge $deadline ]; then
      fail "the agent runs on the primary" "$(on "$PRIMARY" "journalctl -u watchsync -n 5 --no-pager -o cat" 2>&1 | tr '\n' ' ')"
      skip_replication_steps
      return
    fi
    sleep 1
  done
  # A restart loop shows as active between crashes: it must also stay up.
  sleep 3
  if ! on "$PRIMARY" "systemctl is-active --quiet watchsync"; then
    fail "the agent runs on the primary" "$(on "$PRIMARY" "journalctl -u watchsync -n 5 --no-pager -o cat" 2>&1 | tr '\n' ' ')"
    skip_replication_steps
    return
  fi
  pass "the agent runs on the primary"

  on "$PRIMARY" "set -e; cd $TREE
    mkdir -p docs/deep/deeper projects/old
    for i in 1 2 3 4 5; do head -c \$((i * 1000)) /dev/urandom > docs/file\$i.bin; done
    echo hello > docs/deep/deeper/note.txt
    printf 'name with spaces\n' > 'docs/a file with spaces.txt'
    echo owned > projects/old/owned.txt && chown 1234:5678 projects/old/owned.txt && chmod 640 projects/old/owned.txt
    ln -s deep/deeper/note.txt docs/note-link
    echo gone > docs/to-delete.txt"
  local ok=1 b
  for b in "${BACKUPS[@]}"; do wait_until_equal "$b" 30 || ok=0; done
  [ "$ok" -eq 1 ] && pass "${REPLICATION_STEPS[0]}" \
    || fail "${REPLICATION_STEPS[0]}"

  on "$PRIMARY" "set -e; cd $TREE
    mv docs/file1.bin docs/file1-renamed.bin
    mv projects/old projects/new
    rm docs/to-delete.txt docs/file2.bin
    rm -r docs/deep
    echo changed >> docs/file3.bin"
  ok=1
  for b in "${BACKUPS[@]}"; do wait_until_equal "$b" 30 || ok=0; done
  [ "$ok" -eq 1 ] && pass "${REPLICATION_STEPS[1]}" \
    || fail "${REPLICATION_STEPS[1]}"

  local down=${BACKUPS[1]} up=${BACKUPS[0]}
  on "$down" "systemctl stop rsync"
  on "$PRIMARY" "set -e; cd $TREE
    mkdir -p while-down/sub
    for i in 1 2 3; do head -c 4096 /dev/urandom > while-down/sub/f\$i; done
    mv docs/file4.bin while-down/moved.bin
    rm docs/file5.bin"
  if wait_until_equal "$up" 30 && on "$down" "[ ! -e $TREE/while-down ]"; then
    # ...and the stopped one really missed the changes.
    pass "${REPLICATION_STEPS[2]}"
  else
    fail "${REPLICATION_STEPS[2]}"
  fi
  on "$down" "systemctl start rsync"
  # The agent retries a target that is down with backoff: allow for its longest delay.
  if wait_until_equal "$down" 180; then
    pass "${REPLICATION_STEPS[3]}"
  else
    fail "${REPLICATION_STEPS[3]}"
  fi
}

if [ "$converged" -eq 1 ]; then
  replication
else
  skip "the agent runs on the primary" "the cluster did not converge"
  for step in "${REPLICATION_STEPS[@]}"; do skip "$step" "the cluster did not converge"; done
fi
