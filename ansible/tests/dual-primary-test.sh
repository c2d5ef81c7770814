#!/usr/bin/env bash
# Drill of the dual-primary layout (replication_trees): two trees, each with its own primary,
# backups and floating address, on three Debian 12 nodes booted with systemd-nspawn:
#   pictures: primary dp1, backups dp2 and dp3, address .100
#   videos:   primary dp2, backups dp1 and dp3, address .101
# It checks that site.yml sets each tree up from the inventory alone (one agent per tree, on its
# primary only; one rsync module per tree, open to that tree's address only; both trees
# exported everywhere), then
#   1. kills dp1 (SIGKILL to its init: a power cut): pictures' address moves to dp2, which now
#      runs both agents and replicates pictures to dp3; videos goes on undisturbed;
#   2. boots dp1 again: it stays a backup of both trees, rejoins pictures (its unsent writes in
#      quarantine), and both trees converge on every node;
#   3. fails pictures back to dp1 with switchover.yml -e tree=pictures while dp2 also holds
#      videos' address: only pictures' address moves (the health check lets it go alone),
#      nothing is lost, videos' address never leaves dp2;
#   4. runs site.yml --check with pictures' primary where it now is: nothing to change;
#   5. drops videos from the inventory: its agent, module and address are retired everywhere,
#      pictures keeps replicating.
# Run as root: ansible/tests/dual-primary-test.sh [--build-root]
#
# Environment: as cluster-test.sh (lib/nodes.sh). Its own bridge (wsdual0, 10.231.9.0/24), node
# names and work directory; the failover drill's cached root (keepalived in).
set -euo pipefail

TEST_NAME=dual-primary-test
BRIDGE=wsdual0
SUBNET=10.231.9
NODES=(dp1 dp2 dp3)
declare -A ADDRESS=([dp1]=$SUBNET.11 [dp2]=$SUBNET.12 [dp3]=$SUBNET.13)
declare -A VIP=([pictures]=$SUBNET.100 [videos]=$SUBNET.101)
declare -A PATH_OF=([pictures]=/srv/nfs/pictures [videos]=/srv/nfs/videos)
ROOT_NAME=bookworm-ha-root
EXTRA_ROOT_PACKAGES=keepalived
# shellcheck source=lib/nodes.sh
. "$(dirname "$0")/lib/nodes.sh"

boot_cluster "$@"

# The kernel serves no NFS: the health check watches a stand-in unit instead of nfs-server.
for node in "${NODES[@]}"; do
  on "$node" "printf '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n' \
    > /etc/systemd/system/test-nfs.service && systemctl daemon-reload && systemctl --quiet enable --now test-nfs"
done

# holder TREE: the nodes holding the tree's floating address.
holders() {
  local node found=()
  for node in "${NODES[@]}"; do
    [ -n "${NSPAWN_PID[$node]:-}" ] || continue
    if on "$node" "ip -o -4 addr show to ${VIP[$1]}/32" 2>/dev/null | grep -q .; then found+=("$node"); fi
  done
  echo "${found[*]}"
}
# wait_for_holder TREE NODE SECONDS
wait_for_holder() {
  local deadline=$((SECONDS + $3))
  until [ "$(holders "$1")" = "$2" ]; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.5
  done
}
unit_active() { on "$1" "systemctl is-active --quiet $2"; }
module_open() { on "$1" "[ -L /run/rsyncd-watchsync/$2.conf ]"; }
# wait_for_module NODE TREE SECONDS: NODE has rejoined TREE's primary (its module is open).
wait_for_module() {
  local deadline=$((SECONDS + $3))
  until module_open "$1" "$2" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 1
  done
}
# converged TREE FROM SECONDS: every other running node of the tree equals FROM's tree.
converged() {
  local tree=$1 from=$2 node ok=0
  for node in "${NODES[@]}"; do
    [ "$node" != "$from" ] && [ -n "${NSPAWN_PID[$node]:-}" ] || continue
    TREE=${PATH_OF[$tree]} wait_until_equal "$from" "$node" "$3" || ok=1
  done
  return $ok
}
# write_files TREE NODE PREFIX COUNT: writes COUNT files into TREE on NODE.
write_files() {
  on "$2" "set -e; mkdir -p ${PATH_OF[$1]}/$3; for i in \$(seq 1 $4); do echo $3-\$i > ${PATH_OF[$1]}/$3/f\$i; done"
}
# missing TREE NODE PREFIX COUNT: the files of write_files not on NODE.
missing() {
  on "$2" "for i in \$(seq 1 $4); do [ \"\$(cat ${PATH_OF[$1]}/$3/f\$i 2>/dev/null)\" = $3-\$i ] || printf '%s ' $3/f\$i; done"
}

# ---------------------------------------------------------------- ansible
write_vault
write_inventory() {
  cat >"$WORK/inventory.ini" <<INV
[pictures_primary]
$1 ansible_host=${ADDRESS[$1]}

[pictures_backup]
$(for n in "${NODES[@]}"; do [ "$n" = "$1" ] || echo "$n ansible_host=${ADDRESS[$n]}"; done)

[videos_primary]
${2:-}

[videos_backup]
$(if [ -n "${2:-}" ]; then for n in "${NODES[@]}"; do [ "$n" = "$2" ] || echo "$n"; done; fi)

$(inventory_connection_vars)
# No NFS server in the test kernel: the health check watches its stand-in.
nfs_ha_check_services=['test-nfs']
INV
  {
    echo "replication_trees:"
    echo "  - {name: pictures, path: ${PATH_OF[pictures]}, vip: ${VIP[pictures]}}"
    if [ -n "${2:-}" ]; then echo "  - {name: videos, path: ${PATH_OF[videos]}, vip: ${VIP[videos]}}"; fi
  } >"$WORK/trees.yml"
}
# Both trees' variables come from the inventory's files: an extra-vars file here.
trees_playbook() { playbook "$@" -e "@$WORK/trees.yml"; }

write_inventory dp1 dp2
if trees_playbook "$WORK/run1.log"; then
  pass "site.yml sets up two trees, each with its own primary and floating address"
else
  fail "site.yml sets up two trees, each with its own primary and floating address" "see below"
  tail -40 "$WORK/run1.log" >&2
  exit 1
fi

check_layout() {
  local problems="" node
  [ "$(holders pictures)" = dp1 ] || problems+=" pictures-address-on:[$(holders pictures)]"
  [ "$(holders videos)" = dp2 ] || problems+=" videos-address-on:[$(holders videos)]"
  unit_active dp1 watchsync@pictures || problems+=" dp1:pictures-agent-not-running"
  ! unit_active dp1 watchsync@videos || problems+=" dp1:videos-agent-running"
  unit_active dp2 watchsync@videos || problems+=" dp2:videos-agent-not-running"
  ! unit_active dp2 watchsync@pictures || problems+=" dp2:pictures-agent-running"
  ! unit_active dp3 'watchsync@*' || problems+=" dp3:agent-running"
  for node in "${NODES[@]}"; do
    ! unit_active "$node" watchsync || problems+=" $node:single-tree-agent-running"
    on "$node" "grep -q '^${PATH_OF[pictures]} ' /etc/exports.d/watchsync.exports && grep -q '^${PATH_OF[videos]} ' /etc/exports.d/watchsync.exports" \
      || problems+=" $node:exports"
    # Each tree's writable module accepts that tree's address only.
    on "$node" "grep -q '^hosts allow = ${VIP[pictures]}\$' /etc/rsyncd.write-modules.d/pictures.conf \
      && grep -q '^hosts allow = ${VIP[videos]}\$' /etc/rsyncd.write-modules.d/videos.conf" || problems+=" $node:hosts-allow"
  done
  wait_for_module dp2 pictures 60 || problems+=" dp2:pictures-not-rejoined"
  wait_for_module dp3 pictures 60 || problems+=" dp3:pictures-not-rejoined"
  wait_for_module dp1 videos 60 || problems+=" dp1:videos-not-rejoined"
  wait_for_module dp3 videos 60 || problems+=" dp3:videos-not-rejoined"
  ! module_open dp1 pictures || problems+=" dp1:pictures-module-open-on-its-primary"
  ! module_open dp2 videos || problems+=" dp2:videos-module-open-on-its-primary"
  [ -z "$problems" ] || { echo "$problems"; return 1; }
}
if problems=$(check_layout); then
  pass "one agent per tree, on its primary; each module open to its tree's address, on its backups"
else
  fail "one agent per tree, on its primary; each module open to its tree's address, on its backups" "$problems"
fi

write_files pictures dp1 first 20
write_files videos dp2 first 20
if converged pictures dp1 90 && converged videos dp2 90; then
  pass "each primary replicates its tree to its backups"
else
  fail "each primary replicates its tree to its backups"
fi

# ---------------------------------------------------------------- 1. power cut of dp1
# Written on dp1 just before it dies: may or may not have left it.
write_files pictures dp1 last-words 5
log "killing dp1 (SIGKILL to its init)"
kill_node dp1
if wait_for_holder pictures dp2 30 && [ "$(holders videos)" = dp2 ]; then
  pass "after a power cut of pictures' primary, dp2 holds both addresses"
else
  fail "after a power cut of pictures' primary, dp2 holds both addresses" "pictures:[$(holders pictures)] videos:[$(holders videos)]"
fi
if wait_for_unit dp2 watchsync@pictures 60 && unit_active dp2 watchsync@videos; then
  pass "dp2 runs both trees' agents"
else
  fail "dp2 runs both trees' agents"
fi
write_files pictures dp2 after-failover 20
write_files videos dp2 during-failover 20
deadline=$((SECONDS + 60))
until [ -z "$(missing pictures dp3 after-failover 20)" ] && [ -z "$(missing videos dp3 during-failover 20)" ]; do
  [ $SECONDS -lt $deadline ] || break
  sleep 0.5
done
if [ -z "$(missing pictures dp3 after-failover 20)$(missing videos dp3 during-failover 20)" ]; then
  pass "both trees replicate from dp2 to dp3"
else
  fail "both trees replicate from dp2 to dp3" "missing on dp3: $(missing pictures dp3 after-failover 20)$(missing videos dp3 during-failover 20)"
fi

# ---------------------------------------------------------------- 2. dp1 returns
t_boot=$(date +%s)
boot_node dp1
wait_for_ssh dp1
if wait_for_module dp1 pictures 120 && wait_for_module dp1 videos 120; then
  pass "dp1 comes back as a backup of both trees and rejoins them"
else
  fail "dp1 comes back as a backup of both trees and rejoins them" "pictures open: $(module_open dp1 pictures && echo yes || echo no), videos open: $(module_open dp1 videos && echo yes || echo no)"
fi
problems=""
[ "$(holders pictures)" = dp2 ] || problems+=" pictures-address-on:[$(holders pictures)]"
[ "$(holders videos)" = dp2 ] || problems+=" videos-address-on:[$(holders videos)]"
! unit_active dp1 'watchsync@*' || problems+=" dp1:agent-running"
on dp1 "journalctl -t watchsync-ha --since @$t_boot -o cat --no-pager | grep -q '^\[pictures\] rejoin: opened'" || problems+=" dp1:no-pictures-rejoin-line"
if [ -z "$problems" ]; then pass "dp1 stays a backup (nopreempt), with no agent"; else fail "dp1 stays a backup (nopreempt), with no agent" "$problems"; fi
write_files pictures dp2 after-return 10
if converged pictures dp2 120 && converged videos dp2 120; then
  pass "both trees converge on every node after dp1's return"
else
  fail "both trees converge on every node after dp1's return"
fi
lost="$(missing pictures dp1 after-failover 20)$(missing videos dp1 during-failover 20)$(missing pictures dp3 first 20)"
if [ -z "$lost" ]; then pass "nothing written on either tree is lost"; else fail "nothing written on either tree is lost" "$lost"; fi

# ---------------------------------------------------------------- 3. fail pictures back to dp1
t_switch=$(date +%s)
write_files pictures dp2 before-switchover 10
if PLAYBOOK=$ANSIBLE_DIR/switchover.yml trees_playbook "$WORK/switchover.log" -e tree=pictures -e new_primary=dp1; then
  note "switchover: $(grep -o 'switchover from [^"]*' "$WORK/switchover.log" | tail -1)"
  pass "switchover.yml -e tree=pictures moves pictures' primary back to dp1"
else
  fail "switchover.yml -e tree=pictures moves pictures' primary back to dp1" "see below"
  tail -30 "$WORK/switchover.log" >&2
fi
problems=""
[ "$(holders pictures)" = dp1 ] || problems+=" pictures-address-on:[$(holders pictures)]"
[ "$(holders videos)" = dp2 ] || problems+=" videos-address-on:[$(holders videos)]"
unit_active dp1 watchsync@pictures || problems+=" dp1:pictures-agent-not-running"
! unit_active dp2 watchsync@pictures || problems+=" dp2:pictures-agent-running"
unit_active dp2 watchsync@videos || problems+=" dp2:videos-agent-not-running"
# videos' instance on dp2 never left MASTER.
! on dp2 "journalctl -t Keepalived_vrrp --since @$t_switch -o cat --no-pager | grep -q 'watchsync_videos) Entering \(BACKUP\|FAULT\)'" \
  || problems+=" dp2:videos-left-master"
on dp2 "[ ! -e /run/watchsync-ha-pictures.release ]" || problems+=" dp2:release-flag-left"
if [ -z "$problems" ]; then
  pass "only pictures' address moved; videos stayed on dp2 throughout"
else
  fail "only pictures' address moved; videos stayed on dp2 throughout" "$problems"
fi
lost="$(missing pictures dp1 before-switchover 10)$(missing pictures dp1 after-return 10)"
if [ -z "$lost" ] && converged pictures dp1 120; then
  pass "the switchover loses nothing and every node converges on dp1's pictures"
else
  fail "the switchover loses nothing and every node converges on dp1's pictures" "lost: $lost"
fi
if on dp2 "find /var/lib/watchsync/pictures/quarantine -newermt @$t_switch -name '*.list' 2>/dev/null | grep -q ."; then
  fail "the switchover quarantines nothing on the old primary" "$(on dp2 "find /var/lib/watchsync/pictures/quarantine -newermt @$t_switch -name '*.list' -exec cat {} +" | head -5)"
else
  pass "the switchover quarantines nothing on the old primary"
fi

# ---------------------------------------------------------------- 4. the inventory follows
# With --check, as an operator checks before a change: every template, unit and keepalived
# instance of both trees as they are after the switchover, and check mode itself on the
# richest layout. (A real second run that changes nothing is checked by the cluster test after
# its promotion and by the failover drill after its inventory swap.)
write_inventory dp1 dp2
if trees_playbook "$WORK/check.log" --check && [ "$(recap_total "$WORK/check.log" changed)" -eq 0 ]; then
  pass "site.yml --check finds nothing to change"
else
  fail "site.yml --check finds nothing to change" "changed=$(recap_total "$WORK/check.log" changed) failed=$(recap_total "$WORK/check.log" failed)"
  grep -E '^(changed|fatal|failed):' "$WORK/check.log" >&2 || true
fi

# ---------------------------------------------------------------- 5. videos leaves the inventory
write_inventory dp1 ""
if trees_playbook "$WORK/run3.log"; then
  problems=""
  for node in "${NODES[@]}"; do
    ! unit_active "$node" watchsync@videos || problems+=" $node:videos-agent-running"
    ! on "$node" "grep -q '^\[videos' /etc/rsyncd.conf || [ -e /etc/rsyncd.write-modules.d/videos.conf ] || [ -e /run/rsyncd-watchsync/videos.conf ]" \
      || problems+=" $node:videos-module-left"
    ! on "$node" "grep -q watchsync_videos /etc/keepalived/keepalived.conf" || problems+=" $node:videos-instance-left"
  done
  [ -z "$(holders videos)" ] || problems+=" videos-address-on:[$(holders videos)]"
  [ "$(holders pictures)" = dp1 ] || problems+=" pictures-address-on:[$(holders pictures)]"
  write_files pictures dp1 after-retire 5
  converged pictures dp1 90 || problems+=" pictures-not-replicating"
  if [ -z "$problems" ]; then
    pass "a tree that leaves the inventory is retired everywhere; the other goes on"
  else
    fail "a tree that leaves the inventory is retired everywhere; the other goes on" "$problems"
  fi
else
  fail "a tree that leaves the inventory is retired everywhere; the other goes on" "site.yml failed"
  tail -30 "$WORK/run3.log" >&2
fi
