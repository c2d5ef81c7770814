# shellcheck shell=bash
# Shared machinery of the real-host tests (cluster-test.sh, failover-test.sh): a cached Debian 12
# root file system, nodes booted from overlay copies of it with systemd-nspawn on a private
# bridge with no route out, ssh to them, ansible-playbook runs, PASS/FAIL bookkeeping and the
# cleanup. Sourced, not run.
#
# The test sets, before sourcing: TEST_NAME (prefix of log lines and of the work directory),
# BRIDGE, SUBNET (first three octets), NODES (array) and ADDRESS (node -> address); optionally
# ROOT_NAME and EXTRA_ROOT_PACKAGES (a root of its own with more packages).
#
# Environment: WATCHSYNC_TEST_CACHE (cached roots, default /var/cache/watchsync-test),
# WATCHSYNC_TEST_MIRROR (Debian mirror for debootstrap), WATCHSYNC_TEST_KEEP=1 (keep the
# nodes' files under /var/tmp after the run, for a post-mortem), WATCHSYNC_TEST_DIST (directory
# holding the agent's watchsync-*.tar.gz, default dist/ of this repository).

TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ANSIBLE_DIR=$(dirname "$TESTS_DIR")
REPO=$(dirname "$ANSIBLE_DIR")

CACHE_DIR=${WATCHSYNC_TEST_CACHE:-/var/cache/watchsync-test}
ROOT_CACHE=$CACHE_DIR/${ROOT_NAME:-bookworm-root}
MIRROR=${WATCHSYNC_TEST_MIRROR:-$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)}
MIRROR=${MIRROR:-$(sed -n 's/^deb \(http[^ ]*\) bookworm .*/\1/p' /etc/apt/sources.list 2>/dev/null | head -1)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
# What the offline nodes need from Debian's archive goes into the root once, when it is built.
ROOT_PACKAGES=openssh-server,python3,python3-apt,rsync,openjdk-17-jre-headless,nfs-kernel-server,systemd-sysv,dbus,iproute2,sudo,procps,kmod${EXTRA_ROOT_PACKAGES:+,$EXTRA_ROOT_PACKAGES}
STAMP_CONTENT="bookworm minbase $ROOT_PACKAGES"
TREE=/srv/nfs/export

log() { printf '%s [%ss]: %s\n' "$TEST_NAME" "$SECONDS" "$*" >&2; }
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
    >"$ROOT_CACHE.debootstrap.log" 2>&1 || die "debootstrap failed, see $ROOT_CACHE.debootstrap.log"
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
# Notes (measurements) printed with the results.
declare -a NOTES=()
note() { NOTES+=("$1"); log "$1"; }
summary() {
  echo
  echo "$TEST_NAME results:"
  local line
  for line in "${RESULTS[@]}"; do echo "  $line"; done
  for line in "${NOTES[@]}"; do echo "  NOTE  $line"; done
  if [ "$FAILED" -eq 0 ] && [ "${#RESULTS[@]}" -gt 0 ]; then echo "$TEST_NAME: PASS"; else echo "$TEST_NAME: FAIL"; fi
}

# ---------------------------------------------------------------- cleanup
WORK=""
BRIDGE_CREATED=0
declare -A NSPAWN_PID=()
declare -a MOUNTS=()
# Commands the test adds to the cleanup (background writers and the like), run first.
declare -a CLEANUP_HOOKS=()

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
      # SIGKILL to nspawn alone would leave the node's systemd and agent running: its init first.
      log "$node did not power off in 30 s, killing it"
      kill_node "$node"
    fi
    unset "NSPAWN_PID[$node]"
  done
}

cleanup() {
  local rc=$?
  set +e
  local hook
  for hook in "${CLEANUP_HOOKS[@]}"; do eval "$hook"; done
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

# ---------------------------------------------------------------- preconditions and start
check_preconditions() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, systemd-nspawn and a bridge need it)"
  local cmd
  for cmd in systemd-nspawn ansible-playbook ssh ssh-keygen ip; do
    command -v "$cmd" >/dev/null 2>&1 || die "$cmd not found (apt-get install systemd-container ansible-core openssh-client iproute2)"
  done
}

# Creates the work directory under /var/tmp and arms the cleanup.
start_work() {
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  WORK=$(mktemp -d "/var/tmp/$TEST_NAME.XXXXXX")
  log "work directory $WORK"
}

# ---------------------------------------------------------------- agent artifacts
# Sets DIST to a directory holding watchsync-*.tar.gz. Prefers the release tarball made by
# scripts/build-dist; without it, assembles an equivalent one from the agent's jar and the
# files in packaging/, as build-dist does.
find_or_build_dist() {
  DIST=${WATCHSYNC_TEST_DIST:-$REPO/dist}
  if ! compgen -G "$DIST/watchsync-*.tar.gz" >/dev/null; then
    # What site.yml installs is signed and checked (local_repo): only build-dist makes that.
    log "no $DIST/watchsync-*.tar.gz: running scripts/build-dist"
    "$REPO/scripts/build-dist" >"$WORK/build-dist.log" 2>&1 \
      || die "scripts/build-dist failed, see $WORK/build-dist.log: $(tail -5 "$WORK/build-dist.log")"
    DIST=$REPO/dist
  fi
  log "agent release: $(find "$DIST" -maxdepth 1 -name 'watchsync-*.tar.gz' -printf '%f ')"
}

# ---------------------------------------------------------------- nodes
SSH_OPTS=()
make_ssh_key() {
  ssh-keygen -q -t ed25519 -N '' -C "$TEST_NAME" -f "$WORK/id_ed25519"
  SSH_OPTS=(-i "$WORK/id_ed25519" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
    -o BatchMode=yes -o ConnectTimeout=3)
}
on() { local node=$1; shift; ssh "${SSH_OPTS[@]}" "root@${ADDRESS[$node]}" "$@"; }
# Like on, to an address rather than a node (the floating address: whichever node holds it).
on_address() { local address=$1; shift; ssh "${SSH_OPTS[@]}" "root@$address" "$@"; }

prepare_node() {
  local node=$1 root=$WORK/$1/root
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

# The host side of a node's veth is named after the machine (vb-NAME, cut to 15 characters).
node_link() { local name="vb-$1"; echo "${name:0:15}"; }

boot_node() {
  local node=$1
  systemd-nspawn -D "$WORK/$node/root" --boot --register=no --keep-unit --network-bridge="$BRIDGE" \
    --machine="$node" --console=read-only </dev/null >>"$WORK/$node/console.log" 2>&1 &
  NSPAWN_PID[$node]=$!
}

# Power cut: SIGKILL to the node's init kills every process of its PID namespace at once (no
# shutdown, no unit stops), the network namespace and its veth go with them, and nspawn exits.
kill_node() {
  local node=$1 pid init deadline
  pid=${NSPAWN_PID[$node]}
  init=$(pgrep -P "$pid" | head -1)
  kill -KILL "${init:-$pid}"
  deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset "NSPAWN_PID[$node]"
}

wait_for_ssh() {
  local node=$1 deadline=$((SECONDS + 120))
  until on "$node" true 2>/dev/null; do
    kill -0 "${NSPAWN_PID[$node]}" 2>/dev/null || die "$node stopped while booting, see $WORK/$node/console.log: $(tail -5 "$WORK/$node/console.log")"
    [ $SECONDS -lt $deadline ] || die "no ssh on $node (${ADDRESS[$node]}) after 120 s"
    sleep 1
  done
}

create_bridge() {
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    die "bridge $BRIDGE already exists (another run, or a crashed one: ip link del $BRIDGE)"
  fi
  ip link add "$BRIDGE" type bridge
  BRIDGE_CREATED=1
  ip addr add "$SUBNET.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
}

# What every test does first: checks the machine, builds the cached root (and stops there when
# given --build-root), then boots the nodes of NODES on a fresh bridge with the agent's release at
# hand. Call it with the test's arguments.
boot_cluster() {
  check_preconditions
  build_root
  if [ "${1:-}" = "--build-root" ]; then exit 0; fi
  start_work
  find_or_build_dist
  make_ssh_key
  create_bridge
  start_nodes
  pass "${#NODES[@]} nodes booted with systemd and reachable over ssh"
}

# Prepares, boots and waits for every node of NODES.
start_nodes() {
  local node
  for node in "${NODES[@]}"; do prepare_node "$node"; done
  for node in "${NODES[@]}"; do boot_node "$node"; done
  for node in "${NODES[@]}"; do wait_for_ssh "$node"; done
}

# ---------------------------------------------------------------- ansible
# Writes the rsync password as Ansible Vault would hold it: an extra-vars file, mode 0600,
# never printed. Sets PASSWORD.
write_vault() {
  PASSWORD=$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')
  install -m 0600 /dev/null "$WORK/vault.yml"
  echo "vault_replication_rsync_password: $PASSWORD" >"$WORK/vault.yml"
}

# Connection settings of every inventory the tests write.
inventory_connection_vars() {
  cat <<VARS
[all:vars]
ansible_user=root
ansible_ssh_private_key_file=$WORK/id_ed25519
ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'
VARS
}

# playbook LOGFILE [ansible-playbook options]: runs site.yml on $INVENTORY (default
# $WORK/inventory.ini), or the playbook PLAYBOOK names.
playbook() {
  local logfile=$1; shift
  ANSIBLE_CONFIG=$ANSIBLE_DIR/ansible.cfg ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 \
    ansible-playbook -i "${INVENTORY:-$WORK/inventory.ini}" -e "@$WORK/vault.yml" \
    -e "local_repo_dist_dir=$DIST" -e "watchsync_dist_dir=$DIST" \
    "${PLAYBOOK:-$ANSIBLE_DIR/site.yml}" "$@" >"$logfile" 2>&1
}

# Prints the sum of one counter (changed, failed, unreachable) over the PLAY RECAP of a log.
recap_total() {
  sed -n '/^PLAY RECAP/,$p' "$1" | grep -o "$2=[0-9]*" | cut -d= -f2 | awk '{s+=$1} END {print s+0}'
}

# ---------------------------------------------------------------- trees
# One line per entry (type, mode, owner, path, link target, and for files size, mtime and
# sha256), sorted bytewise: equal listings mean equal trees. A backup's takeover quarantine
# (.watchsync-quarantine, never replicated) is left out.
listing() {
  on "$1" "cd $TREE && LC_ALL=C find . -mindepth 1 -path ./.watchsync-quarantine -prune -o \\( -type f -printf '%y %m %U:%G %p %s %Ts ' -exec sh -c 'sha256sum < \"\$1\" | cut -d\" \" -f1' _ {} \\; \\) -o -printf '%y %m %U:%G %p %l\\n' | LC_ALL=C sort"
}

# wait_until_equal FROM TO SECONDS: waits until TO's tree equals FROM's.
wait_until_equal() {
  local from=$1 to=$2 limit=$3 deadline=$((SECONDS + $3)) want got
  while :; do
    want=$(listing "$from") || return 1
    got=$(listing "$to" 2>/dev/null) || got="(unreachable)"
    [ "$want" = "$got" ] && return 0
    if [ $SECONDS -ge $deadline ]; then
      log "$to still differs from $from after $limit s:"
      diff <(echo "$want") <(echo "$got") | head -20 >&2
      return 1
    fi
    sleep 0.5
  done
}

# wait_for_unit NODE UNIT SECONDS: waits until the unit is active and still is 3 s later (a
# restart loop shows as active between crashes).
wait_for_unit() {
  local node=$1 unit=$2 deadline=$((SECONDS + $3))
  while :; do
    if on "$node" "systemctl is-active --quiet $unit"; then
      sleep 3
      on "$node" "systemctl is-active --quiet $unit" && return 0
    fi
    [ $SECONDS -lt $deadline ] || return 1
    sleep 1
  done
}
