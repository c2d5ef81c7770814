#!/usr/bin/env bash
# Real-host test of ansible/site.yml: boots three Debian 12 nodes with systemd-nspawn (one NFS
# primary, two backups) on a private bridge with no route out, converges them with
# ansible-playbook over ssh, then checks that the agent replicates writes, renames and
# deletes to both backups, and that a backup whose rsync daemon was down catches
# up; then promotes a backup in the inventory, converges and checks that a second run changes
# nothing. Run as root: ansible/tests/cluster-test.sh [--build-root]
#
# Environment: WATCHSYNC_TEST_CACHE (cached root, default /var/cache/watchsync-test),
# WATCHSYNC_TEST_MIRROR (Debian mirror for debootstrap), WATCHSYNC_TEST_KEEP=1 (keep the
# nodes' files under /var/tmp after the run, for a post-mortem), WATCHSYNC_TEST_DIST (directory
# holding the agent's watchsync-*.tar.gz, default dist/ of this repository).
set -euo pipefail

TEST_NAME=cluster-test
BRIDGE=wstest0
SUBNET=10.231.7
NODES=(node1 node2 node3)
declare -A ADDRESS=([node1]=$SUBNET.11 [node2]=$SUBNET.12 [node3]=$SUBNET.13)
PRIMARY=node1
BACKUPS=(node2 node3)
# shellcheck source=lib/nodes.sh
. "$(dirname "$0")/lib/nodes.sh"

boot_cluster "$@"

# ---------------------------------------------------------------- ansible
write_vault
cat >"$WORK/inventory.ini" <<INV
[nfs_primary]
$PRIMARY ansible_host=${ADDRESS[$PRIMARY]}

[nfs_backup]
$(for b in "${BACKUPS[@]}"; do echo "$b ansible_host=${ADDRESS[$b]}"; done)

$(inventory_connection_vars)
INV

# What an earlier version of the roles installed elsewhere: the agent in /usr/bin and
# /usr/share, its unit in /usr/local/lib/systemd/system, and the backups' one file of writable
# modules. The first run removes them; a file beside them that is not theirs stays.
LEGACY_AGENT_FILES="/usr/bin/watchsync /usr/share/watchsync /usr/local/lib/systemd/system/watchsync.service"
LEGACY_DAEMON_FILE=/etc/rsyncd.write-modules.conf
on "$PRIMARY" "mkdir -p /usr/share/watchsync /usr/local/lib/systemd/system && echo old > /usr/share/watchsync/watchsync.jar \
  && echo old > /usr/bin/watchsync && echo old > /usr/local/lib/systemd/system/watchsync.service && echo mine > /usr/share/watchsync.notes"
on "${BACKUPS[0]}" "echo '# old' > $LEGACY_DAEMON_FILE"

converged=0
if playbook "$WORK/run1.log"; then
  pass "first ansible-playbook run converges the cluster"
  converged=1
  left=$(on "$PRIMARY" "ls -d $LEGACY_AGENT_FILES 2>/dev/null; [ -f /usr/share/watchsync.notes ] || echo 'not kept: /usr/share/watchsync.notes'")
  left+=$(on "${BACKUPS[0]}" "ls -d $LEGACY_DAEMON_FILE 2>/dev/null" || true)
  if [ -z "$left" ]; then
    pass "the first run removes what an earlier version of the roles installed elsewhere"
  else
    fail "the first run removes what an earlier version of the roles installed elsewhere" "$(echo $left)"
  fi
else
  fail "first ansible-playbook run converges the cluster" "see below"
  tail -40 "$WORK/run1.log" >&2
fi

# The kernel under the nodes has no NFS server, though /proc/fs/nfsd shows: the role must see
# that by itself (nfs_server_manage_service: auto), write and load the exports, and leave the
# service alone rather than fail starting it. Skipped tasks are not shown (ansible.cfg): a task
# that ran shows.
if [ "$converged" -eq 1 ]; then
  if ! grep -q '^TASK \[nfs_server : Enable and start the NFS server\]' "$WORK/run1.log"; then
    pass "nfs_server finds no NFS server in this kernel by itself and leaves the service alone"
  else
    fail "nfs_server finds no NFS server in this kernel by itself and leaves the service alone" \
      "$(grep -A3 '^TASK \[nfs_server : Enable and start the NFS server\]' "$WORK/run1.log" | tr '\n' ' ')"
  fi
fi

if [ "$converged" -eq 1 ]; then
  # That a converged cluster does not change is checked by the second run after the promotion
  # below; --check by the dual-primary drill.
  if grep -q "$PASSWORD" "$WORK/run1.log"; then
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
  for b in "${BACKUPS[@]}"; do wait_until_equal "$PRIMARY" "$b" 30 || ok=0; done
  [ "$ok" -eq 1 ] && pass "${REPLICATION_STEPS[0]}" \
    || fail "${REPLICATION_STEPS[0]}"

  on "$PRIMARY" "set -e; cd $TREE
    mv docs/file1.bin docs/file1-renamed.bin
    mv projects/old projects/new
    rm docs/to-delete.txt docs/file2.bin
    rm -r docs/deep
    echo changed >> docs/file3.bin"
  ok=1
  for b in "${BACKUPS[@]}"; do wait_until_equal "$PRIMARY" "$b" 30 || ok=0; done
  [ "$ok" -eq 1 ] && pass "${REPLICATION_STEPS[1]}" \
    || fail "${REPLICATION_STEPS[1]}"

  local down=${BACKUPS[1]} up=${BACKUPS[0]}
  on "$down" "systemctl stop rsync"
  on "$PRIMARY" "set -e; cd $TREE
    mkdir -p while-down/sub
    for i in 1 2 3; do head -c 4096 /dev/urandom > while-down/sub/f\$i; done
    mv docs/file4.bin while-down/moved.bin
    rm docs/file5.bin"
  if wait_until_equal "$PRIMARY" "$up" 30 && on "$down" "[ ! -e $TREE/while-down ]"; then
    # ...and the stopped one really missed the changes.
    pass "${REPLICATION_STEPS[2]}"
  else
    fail "${REPLICATION_STEPS[2]}"
  fi
  on "$down" "systemctl start rsync"
  # The agent retries a target that is down with backoff: allow for its longest delay.
  if wait_until_equal "$PRIMARY" "$down" 180; then
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

# ---------------------------------------------------------------- the inventory changes hands
# A backup is promoted in the inventory and site.yml runs again: the roles must follow both
# ways. The old primary's agent is stopped and disabled (started again at boot it would push
# its stale tree over the new primary's), the new primary's daemon is retired, every daemon
# opens to the new primary only, and exactly one agent runs: nothing replicates in a loop.
NEW_PRIMARY=${BACKUPS[0]}
NEW_BACKUPS=("$PRIMARY" "${BACKUPS[1]}")
PROMOTION_STEPS=(
  "after $NEW_PRIMARY is promoted in the inventory, site.yml converges"
  "the old primary's agent is stopped and disabled, the new primary's daemon retired, one agent runs"
  "every daemon is open to the new primary only: the old primary is refused"
  "a second run after the promotion reports changed=0"
  "the new primary replicates to both backups, the old primary included"
)

check_promoted_state() {
  local problems="" node active=0 b
  on "$PRIMARY" "! systemctl is-active --quiet watchsync" || problems+=" $PRIMARY:agent-active"
  on "$PRIMARY" "! systemctl is-enabled --quiet watchsync" || problems+=" $PRIMARY:agent-enabled"
  on "$NEW_PRIMARY" "! systemctl is-active --quiet rsync && ! systemctl is-enabled --quiet rsync" || problems+=" $NEW_PRIMARY:daemon"
  on "$NEW_PRIMARY" "[ ! -e /etc/rsyncd.conf ] && [ ! -e /etc/rsyncd.secrets ]" || problems+=" $NEW_PRIMARY:daemon-config"
  for node in "${NODES[@]}"; do
    if on "$node" "systemctl is-active --quiet watchsync"; then active=$((active + 1)); fi
  done
  [ "$active" -eq 1 ] || problems+=" agents-running:$active"
  for b in "${NEW_BACKUPS[@]}"; do
    on "$b" "systemctl is-active --quiet rsync && systemctl is-enabled --quiet rsync" || problems+=" $b:rsync-service"
  done
  [ -z "$problems" ] || { echo "$problems"; return 1; }
}

check_promoted_daemons() {
  local problems="" b
  for b in "${NEW_BACKUPS[@]}"; do
    on "$b" "grep -q '^hosts allow = ${ADDRESS[$NEW_PRIMARY]}\$' /etc/rsyncd.conf" || problems+=" $b:hosts-allow"
    on "$NEW_PRIMARY" "RSYNC_PASSWORD=\$(cat /etc/watchsync/rsync-$b.secret) rsync --list-only rsync://watchsync@${ADDRESS[$b]}/export/ >/dev/null" \
      || problems+=" $b:login-from-new-primary"
  done
  # The old primary still holds the password: only the address keeps it out.
  if on "$PRIMARY" "RSYNC_PASSWORD=\$(cat /etc/watchsync/rsync-${BACKUPS[1]}.secret) rsync --list-only rsync://watchsync@${ADDRESS[${BACKUPS[1]}]}/export/ >/dev/null 2>&1"; then
    problems+=" ${BACKUPS[1]}:accepts-old-primary"
  fi
  [ -z "$problems" ] || { echo "$problems"; return 1; }
}

promotion() {
  cat >"$WORK/inventory-promoted.ini" <<INV
[nfs_primary]
$NEW_PRIMARY ansible_host=${ADDRESS[$NEW_PRIMARY]}

[nfs_backup]
$(for b in "${NEW_BACKUPS[@]}"; do echo "$b ansible_host=${ADDRESS[$b]}"; done)

$(inventory_connection_vars)
INV
  if ! INVENTORY=$WORK/inventory-promoted.ini playbook "$WORK/promote1.log"; then
    fail "${PROMOTION_STEPS[0]}" "see below"
    tail -40 "$WORK/promote1.log" >&2
    local step
    for step in "${PROMOTION_STEPS[@]:1}"; do skip "$step" "the promotion did not converge"; done
    return
  fi
  pass "${PROMOTION_STEPS[0]}"
  local problems
  if problems=$(check_promoted_state); then pass "${PROMOTION_STEPS[1]}"; else fail "${PROMOTION_STEPS[1]}" "$problems"; fi
  if problems=$(check_promoted_daemons); then pass "${PROMOTION_STEPS[2]}"; else fail "${PROMOTION_STEPS[2]}" "$problems"; fi
  if INVENTORY=$WORK/inventory-promoted.ini playbook "$WORK/promote2.log" && [ "$(recap_total "$WORK/promote2.log" changed)" -eq 0 ]; then
    pass "${PROMOTION_STEPS[3]}"
  else
    fail "${PROMOTION_STEPS[3]}" "changed=$(recap_total "$WORK/promote2.log" changed) failed=$(recap_total "$WORK/promote2.log" failed)"
    grep -E '^(changed|fatal|failed):' "$WORK/promote2.log" >&2 || true
  fi
  if ! wait_for_unit "$NEW_PRIMARY" watchsync 60; then
    fail "${PROMOTION_STEPS[4]}" "the agent does not run on $NEW_PRIMARY"
    return
  fi
  on "$NEW_PRIMARY" "set -e; cd $TREE
    mkdir -p promoted/sub
    for i in 1 2 3; do head -c 2048 /dev/urandom > promoted/sub/p\$i; done
    mv while-down promoted/
    rm -f docs/file3.bin"
  local ok=1 b
  for b in "${NEW_BACKUPS[@]}"; do wait_until_equal "$NEW_PRIMARY" "$b" 30 || ok=0; done
  [ "$ok" -eq 1 ] && pass "${PROMOTION_STEPS[4]}" || fail "${PROMOTION_STEPS[4]}"
}

if [ "$converged" -eq 1 ]; then
  promotion
else
  for step in "${PROMOTION_STEPS[@]}"; do skip "$step" "the cluster did not converge"; done
fi
