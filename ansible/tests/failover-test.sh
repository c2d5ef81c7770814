#!/usr/bin/env bash
# Failover drill of site.yml with a floating address (replication_vip): boots three Debian 12
# nodes with systemd-nspawn on a private bridge, converges them with keepalived from Debian's
# packages, the real agent and rsync daemons, and keeps a writer writing numbered files
# through the floating address while it
#   1. kills the primary (SIGKILL to its init: a power cut) and measures how long until the
#      address answers on a backup and until a file written there reaches the other backup;
#   2. boots the old primary again: it must stay a backup (nopreempt), with no agent, and
#      rejoin the new primary: acknowledged writes it never sent are moved into its quarantine;
#   3. SIGKILLs the new primary's agent, writes a file there, and takes its link down: the
#      address moves again, the isolated node stops its agent, and comes back as a backup when
#      its link does: its rejoin moves the unsent file into its quarantine (content, list,
#      journal), loses nothing the new primary took, and its agent, started by hand, changes
#      nothing anywhere;
#   4. runs switchover.yml to the third node while the writer writes: writes pause (the NFS
#      server's stand-in stops), the primary drains, the address moves, the old primary rejoins;
#      no acknowledged write is lost, none is quarantined, and the pause is measured;
#   5. swaps the inventory to name the new primary and reruns site.yml, as an operator would
#      after a failover: nothing moves, one agent runs, no write is lost.
# The kernel here serves no NFS: a stand-in unit (test-nfs) gates the writer's writes, as
# nfsd does a client's, and is what the health check and the switchover watch and pause.
# Run as root: ansible/tests/failover-test.sh [--build-root]
#
# Environment: as cluster-test.sh (lib/nodes.sh). Its own bridge (wsfail0, 10.231.8.0/24), node
# names and work directory, so both tests can run at once; its own cached root (keepalived in).
set -euo pipefail

TEST_NAME=failover-test
BRIDGE=wsfail0
SUBNET=10.231.8
NODES=(ha1 ha2 ha3)
declare -A ADDRESS=([ha1]=$SUBNET.11 [ha2]=$SUBNET.12 [ha3]=$SUBNET.13)
VIP=$SUBNET.100
PRIMARY=ha1
BACKUPS=(ha2 ha3)
ROOT_NAME=bookworm-ha-root
EXTRA_ROOT_PACKAGES=keepalived
# Targets of the issue: the address answers on the new primary this soon after the old one
# dies, and replication to the remaining backup runs this soon after that.
VIP_TARGET=5
REPLICATION_TARGET=10
# shellcheck source=lib/nodes.sh
. "$(dirname "$0")/lib/nodes.sh"

boot_cluster "$@"

# The stand-in for the NFS server: writes through the floating address go through only while it
# is active on the node that answers, and its stop waits for the writes in flight (as stopping
# nfsd does), so once it stopped no write lands on that node.
GATE=test-nfs
GATE_LOCK=/run/test-nfs.lock
for node in "${NODES[@]}"; do
  on "$node" "cat > /etc/systemd/system/$GATE.service <<UNIT
[Unit]
Description=Stand-in for the NFS server: the test's writes pass only while it runs

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/true
ExecStop=/usr/bin/flock $GATE_LOCK /bin/true

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload && systemctl --quiet enable --now $GATE.service"
done

now() { date +%s.%N; }
# elapsed FROM [TO]: seconds between two now() values, to the tenth.
elapsed() { awk -v a="$1" -v b="${2:-$(now)}" 'BEGIN { printf "%.1f", b - a }'; }
within() { awk -v x="$1" -v limit="$2" 'BEGIN { exit !(x <= limit) }'; }

# Nodes that hold the floating address, by what their interfaces say.
vip_holders() {
  local node holders=()
  for node in "${NODES[@]}"; do
    [ -n "${NSPAWN_PID[$node]:-}" ] || continue
    if on "$node" "ip -o -4 addr show to $VIP/32" 2>/dev/null | grep -q .; then holders+=("$node"); fi
  done
  echo "${holders[*]}"
}

# The node that answers on the floating address, or nothing.
vip_answer() {
  timeout 3 ssh "${SSH_OPTS[@]}" -o ConnectTimeout=2 "root@$VIP" hostname 2>/dev/null || true
}

# wait_for_vip_on NODE SINCE SECONDS: polls the address's ssh port (a TCP connect, 0.3 s at
# most each: cheaper and finer than a login) until it answers, then checks with a login that
# NODE answered; prints the seconds from SINCE to the first answer.
wait_for_vip_on() {
  local node=$1 since=$2 deadline=$((SECONDS + $3)) answered
  while :; do
    until timeout 0.3 bash -c "exec 3<>/dev/tcp/$VIP/22" 2>/dev/null; do
      [ $SECONDS -lt $deadline ] || return 1
      sleep 0.05
    done
    answered=$(now)
    [ "$(vip_answer)" = "$node" ] && break
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.1
  done
  elapsed "$since" "$answered"
}

# keepalived's own time of the takeover on NODE, from its journal: seconds from SINCE to its
# last "Entering MASTER STATE" (the host and the nodes share the kernel's clock).
master_after() {
  local node=$1 since=$2 at
  at=$(on "$node" "journalctl -t Keepalived_vrrp --since @${since%.*} -o short-unix --no-pager | grep 'Entering MASTER STATE' | tail -1 | cut -d' ' -f1")
  [ -n "$at" ] && elapsed "$since" "$at" || echo "?"
}

generation() { on "$1" "cut -d' ' -f1 $TREE/.watchsync-generation 2>/dev/null || echo 0"; }
STATE_DIR=/var/lib/watchsync
QUARANTINE=$STATE_DIR/quarantine
# The link that opens a node's writable rsync module (present on rejoined backups only).
WRITE_LINK=/run/rsyncd-watchsync/export.conf
write_module_open() { on "$1" "[ -L $WRITE_LINK ]"; }
# wait_for_rejoin NODE SINCE SECONDS: NODE's rejoin opened its writable module after SINCE.
wait_for_rejoin() {
  local node=$1 since=${2%.*} deadline=$((SECONDS + $3))
  until on "$node" "journalctl -t watchsync-ha --since @$since -o cat --no-pager | grep -q '^rejoin: opened'" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 1
  done
}
unit_active() { on "$1" "systemctl is-active --quiet $2"; }

# ---------------------------------------------------------------- ansible
write_vault
cat >"$WORK/inventory.ini" <<INV
[nfs_primary]
$PRIMARY ansible_host=${ADDRESS[$PRIMARY]}

[nfs_backup]
$(for b in "${BACKUPS[@]}"; do echo "$b ansible_host=${ADDRESS[$b]}"; done)

$(inventory_connection_vars)
replication_vip=$VIP
replication_vip_prefix=24
# No NFS server in the test kernel: the health check and the switchover watch its stand-in.
nfs_ha_check_services=['$GATE']
INV

converged=0
if playbook "$WORK/run1.log"; then
  pass "site.yml converges the cluster with a floating address"
  converged=1
else
  fail "site.yml converges the cluster with a floating address" "see below"
  tail -40 "$WORK/run1.log" >&2
  exit 1
fi
# That a run on a converged HA layout changes nothing is checked by the dual-primary drill.

# ---------------------------------------------------------------- the converged cluster
check_initial_state() {
  local problems="" node holders
  holders=$(vip_holders)
  [ "$holders" = "$PRIMARY" ] || problems+=" address-on:[$holders]"
  [ "$(vip_answer)" = "$PRIMARY" ] || problems+=" address-answers-elsewhere"
  unit_active "$PRIMARY" watchsync || problems+=" $PRIMARY:agent-not-running"
  # Every daemon runs (the read-only module serves the rejoins); the primary's writable module is closed.
  unit_active "$PRIMARY" rsync || problems+=" $PRIMARY:daemon-not-running"
  ! write_module_open "$PRIMARY" || problems+=" $PRIMARY:write-module-open"
  for node in "${BACKUPS[@]}"; do
    ! unit_active "$node" watchsync || problems+=" $node:agent-running"
    unit_active "$node" rsync || problems+=" $node:daemon-not-running"
    on "$node" "grep -q '^hosts allow = $VIP\$' /etc/rsyncd.conf" || problems+=" $node:hosts-allow"
    wait_for_rejoin "$node" 0 60 || problems+=" $node:not-rejoined"
    write_module_open "$node" || problems+=" $node:write-module-closed"
  done
  for node in "${NODES[@]}"; do
    ! on "$node" "systemctl is-enabled --quiet watchsync" || problems+=" $node:agent-enabled-at-boot"
  done
  [ "$(generation "$PRIMARY")" -ge 1 ] || problems+=" $PRIMARY:generation-$(generation "$PRIMARY")"
  [ -z "$problems" ] || { echo "$problems"; return 1; }
}
if problems=$(check_initial_state); then
  pass "the address is on the primary, whose agent runs; the backups' daemons accept the address only"
else
  fail "the address is on the primary, whose agent runs; the backups' daemons accept the address only" "$problems"
fi

on "$PRIMARY" "set -e; mkdir -p $TREE/docs/sub; for i in 1 2 3 4 5; do head -c \$((i * 1000)) /dev/urandom > $TREE/docs/sub/f\$i; done"
ok=1
# The agent's first full sync may have met a backup still rejoining (its writable module closed,
# "unknown module"): it tries again after up to 60 s.
for b in "${BACKUPS[@]}"; do wait_until_equal "$PRIMARY" "$b" 90 || ok=0; done
if [ "$ok" -eq 1 ]; then pass "the primary replicates to both backups"; else fail "the primary replicates to both backups"; fi

# ---------------------------------------------------------------- the writer
# Writes writer/N through the floating address, one file at a time, while the NFS server's
# stand-in runs there, and logs
# "N TIME NODE" for each write the address acknowledged, "N TIME -" for each that failed.
# start_writer FIRST [PAUSE]: numbers from FIRST, PAUSE seconds between writes (default 0.1,
# fine enough to time a failover). Each write is an ssh login to whoever holds the address.
WRITER_PID=""
start_writer() {
  on_address "$VIP" "mkdir -p $TREE/writer"
  (
    n=${1:-1} pause=${2:-0.1}
    while :; do
      if node=$(timeout 2 ssh "${SSH_OPTS[@]}" -o ConnectTimeout=1 "root@$VIP" \
        "flock -s $GATE_LOCK sh -c 'systemctl is-active --quiet $GATE && echo $n > $TREE/writer/$n.tmp && mv $TREE/writer/$n.tmp $TREE/writer/$n && hostname'" 2>/dev/null); then
        echo "$n $(now) $node"
      else
        echo "$n $(now) -"
      fi
      n=$((n + 1))
      sleep "$pause"
    done
  ) >>"$WORK/writer.log" &
  WRITER_PID=$!
}
stop_writer() {
  if [ -n "$WRITER_PID" ]; then
    kill "$WRITER_PID" 2>/dev/null || true
    wait "$WRITER_PID" 2>/dev/null || true
    WRITER_PID=""
  fi
}
CLEANUP_HOOKS+=("stop_writer")

# Longest stretch without an acknowledged write after time $1, in seconds.
write_gap_after() {
  awk -v t="$1" '$3 != "-" { if (last != "" && $2 > t && $2 - last > gap) gap = $2 - last; last = $2 }
    END { printf "%.1f", gap }' "$WORK/writer.log"
}
# lost_writes NODE FIRST: acknowledged writes numbered FIRST or more whose file is not on NODE.
lost_writes() {
  local node=$1 first=$2 have
  have=$(on "$node" "ls $TREE/writer")
  awk -v first="$first" '$3 != "-" && $1 >= first { print $1 }' "$WORK/writer.log" | sort -u | comm -23 - <(echo "$have" | grep -E '^[0-9]+$' | sort -u) | tr '\n' ' '
}

# ---------------------------------------------------------------- 1. power cut of the primary
start_writer 1
sleep 3
NEW_PRIMARY=${BACKUPS[0]}
REMAINING=${BACKUPS[1]}
log "killing $PRIMARY (SIGKILL to its init)"
t_kill=$(now)
kill_node "$PRIMARY"
if t_vip=$(wait_for_vip_on "$NEW_PRIMARY" "$t_kill" 30); then
  note "power cut: the address answered on $NEW_PRIMARY ${t_vip} s after $PRIMARY died (target ${VIP_TARGET} s; keepalived there became master after $(master_after "$NEW_PRIMARY" "$t_kill") s)"
  if within "$t_vip" "$VIP_TARGET"; then
    pass "after a power cut of the primary, the address answers on $NEW_PRIMARY within ${VIP_TARGET} s (${t_vip} s)"
  else
    fail "after a power cut of the primary, the address answers on $NEW_PRIMARY within ${VIP_TARGET} s" "${t_vip} s"
  fi
else
  fail "after a power cut of the primary, the address answers on $NEW_PRIMARY within ${VIP_TARGET} s" "not within 30 s: $(vip_answer)"
  exit 1
fi
t_answer=$(awk -v a="$t_kill" -v b="$t_vip" 'BEGIN { printf "%.3f", a + b }')
# A file written on the new primary right away must reach the remaining backup.
on "$NEW_PRIMARY" "echo after-failover > $TREE/failover-marker"
deadline=$((SECONDS + 60))
until on "$REMAINING" "[ -f $TREE/failover-marker ]"; do
  [ $SECONDS -lt $deadline ] || break
  sleep 0.2
done
if on "$REMAINING" "[ -f $TREE/failover-marker ]"; then
  t_repl=$(elapsed "$t_answer")
  note "power cut: a file written on $NEW_PRIMARY reached $REMAINING ${t_repl} s after the address answered there ($(elapsed "$t_kill") s after the kill; target ${REPLICATION_TARGET} s)"
  if within "$t_repl" "$REPLICATION_TARGET"; then
    pass "the new primary replicates to the remaining backup within ${REPLICATION_TARGET} s (${t_repl} s)"
  else
    fail "the new primary replicates to the remaining backup within ${REPLICATION_TARGET} s" "${t_repl} s"
  fi
else
  fail "the new primary replicates to the remaining backup within ${REPLICATION_TARGET} s" "not within 60 s"
fi

# check_takeover NODE GENERATION SINCE: NODE's notify script took over after time SINCE.
check_takeover() {
  local new=$1 old_generation=$2 since=${3%.*} problems=""
  unit_active "$new" watchsync || problems+=" $new:agent-not-running"
  ! write_module_open "$new" || problems+=" $new:write-module-open"
  on "$new" "journalctl -t watchsync-ha --since @$since -o cat --no-pager | grep -q '^master: started watchsync'" || problems+=" $new:not-started-by-notify"
  [ "$(generation "$new")" -gt "$old_generation" ] || problems+=" $new:generation-not-raised($(generation "$new"))"
  [ -z "$problems" ] || { echo "$problems"; return 1; }
}
if problems=$(check_takeover "$NEW_PRIMARY" 1 "$t_kill"); then
  pass "on $NEW_PRIMARY keepalived's notify script closed the writable module, raised the generation ($(generation "$NEW_PRIMARY")) and started the agent"
else
  fail "on $NEW_PRIMARY keepalived's notify script closed the writable module, raised the generation and started the agent" "$problems"
fi

sleep 3
gap=$(write_gap_after "$t_kill")
note "power cut: the writer went ${gap} s without an acknowledged write"
if awk -v t="$t_answer" '$2 > t && $3 != "-"' "$WORK/writer.log" | grep -q " $NEW_PRIMARY\$"; then
  pass "writes through the address resume on $NEW_PRIMARY"
else
  fail "writes through the address resume on $NEW_PRIMARY" "$(tail -3 "$WORK/writer.log" | tr '\n' ' ')"
fi

# ---------------------------------------------------------------- 2. the old primary returns
log "booting $PRIMARY again"
t_boot=$(now)
boot_node "$PRIMARY"
wait_for_ssh "$PRIMARY"
# Give keepalived time to settle: three adverts and more.
deadline=$((SECONDS + 30))
until on "$PRIMARY" "systemctl is-active --quiet keepalived && systemctl is-active --quiet rsync"; do
  [ $SECONDS -lt $deadline ] || break
  sleep 1
done
sleep 6
problems=""
holders=$(vip_holders)
[ "$holders" = "$NEW_PRIMARY" ] || problems+=" address-on:[$holders]"
! unit_active "$PRIMARY" watchsync || problems+=" $PRIMARY:agent-running"
unit_active "$PRIMARY" rsync || problems+=" $PRIMARY:daemon-not-running"
unit_active "$NEW_PRIMARY" watchsync || problems+=" $NEW_PRIMARY:agent-stopped"
if [ -z "$problems" ]; then
  pass "the old primary returns as a backup: the address stays on $NEW_PRIMARY (nopreempt), its agent does not start"
else
  fail "the old primary returns as a backup: the address stays on $NEW_PRIMARY (nopreempt), its agent does not start" "$problems"
fi
stop_writer
lost=$(lost_writes "$NEW_PRIMARY" 1)
lost=${lost% }
note "power cut: acknowledged writes missing on $NEW_PRIMARY (written on $PRIMARY, not yet replicated when it died): ${lost:-none}"
if wait_for_rejoin "$PRIMARY" "$t_boot" 90; then
  note "power cut: $PRIMARY rejoined $NEW_PRIMARY $(elapsed "$t_boot") s after its boot began: $(on "$PRIMARY" "journalctl -t watchsync-ha --since @${t_boot%.*} -o cat --no-pager | grep '^rejoin: .*now equals' | tail -1")"
  pass "the returned old primary rejoined $NEW_PRIMARY and then opened its writable module"
else
  fail "the returned old primary rejoined $NEW_PRIMARY and then opened its writable module" "$(on "$PRIMARY" "journalctl -t watchsync-ha -t watchsync --since @${t_boot%.*} -o cat --no-pager | tail -5")"
fi
# Acknowledged by the old primary, never sent: the rejoin must have moved them aside, not deleted them.
missing=""
for n in $lost; do
  on "$PRIMARY" "grep -qx '$n' $QUARANTINE/*/writer/$n" 2>/dev/null || missing+=" $n"
done
if [ -z "$lost" ]; then
  skip "acknowledged writes the old primary never sent are in its quarantine" "the power cut lost none this time"
elif [ -z "$missing" ]; then
  pass "acknowledged writes the old primary never sent ($lost) are in its quarantine, with their content"
else
  fail "acknowledged writes the old primary never sent are in its quarantine" "missing:$missing"
fi
# The new primary's agent retries the old one with backoff (up to 60 s apart).
ok=1
for b in "$REMAINING" "$PRIMARY"; do wait_until_equal "$NEW_PRIMARY" "$b" 150 || ok=0; done
if [ "$ok" -eq 1 ]; then
  pass "the remaining backup and the returned old primary equal the new primary"
else
  fail "the remaining backup and the returned old primary equal the new primary"
fi

# ---------------------------------------------------------------- 3. agent killed, link down
ISOLATED=$NEW_PRIMARY
# The highest priority of the rest: the old primary (200) before the other backup (180).
NEXT=$PRIMARY
generation_before=$(generation "$ISOLATED")
start_writer 100000
sleep 3
log "SIGKILL of the agent on $ISOLATED, a write there, and its link down"
# systemctl may report an rsync child that exited meanwhile as an error: what counts is that
# the agent is dead.
on "$ISOLATED" "systemctl kill --signal=SIGKILL watchsync || true; sleep 0.2; ! systemctl is-active --quiet watchsync" \
  || log "the agent on $ISOLATED still runs after SIGKILL"
# Acknowledged on the primary after its agent died: never sent anywhere.
UNSENT=unsent/after-agent-kill
UNSENT_CONTENT="written on $ISOLATED after its agent was killed, $(date -u +%FT%TZ)"
on "$ISOLATED" "mkdir -p $TREE/unsent && echo '$UNSENT_CONTENT' > $TREE/$UNSENT"
# Times count from the link going down: the agent's death alone moves nothing.
t_kill=$(now)
ip link set "$(node_link "$ISOLATED")" down
if t_vip=$(wait_for_vip_on "$NEXT" "$t_kill" 30); then
  note "agent killed, link down: the address answered on $NEXT ${t_vip} s after the link went down (target ${VIP_TARGET} s; keepalived there became master after $(master_after "$NEXT" "$t_kill") s)"
  if within "$t_vip" "$VIP_TARGET"; then
    pass "after the agent's SIGKILL and link down on $ISOLATED, the address answers on $NEXT within ${VIP_TARGET} s (${t_vip} s)"
  else
    fail "after the agent's SIGKILL and link down on $ISOLATED, the address answers on $NEXT within ${VIP_TARGET} s" "${t_vip} s"
  fi
else
  fail "after the agent's SIGKILL and link down on $ISOLATED, the address answers on $NEXT within ${VIP_TARGET} s" "not within 30 s: $(vip_answer)"
fi
t_answer=$(awk -v a="$t_kill" -v b="$t_vip" 'BEGIN { printf "%.3f", a + b }')
on "$NEXT" "echo after-second-failover > $TREE/failover-marker-2"
deadline=$((SECONDS + 60))
until on "$REMAINING" "[ -f $TREE/failover-marker-2 ]"; do
  [ $SECONDS -lt $deadline ] || break
  sleep 0.2
done
if on "$REMAINING" "[ -f $TREE/failover-marker-2 ]"; then
  t_repl=$(elapsed "$t_answer")
  note "agent killed, link down: a file written on $NEXT reached $REMAINING ${t_repl} s after the address answered there"
  if within "$t_repl" "$REPLICATION_TARGET"; then
    pass "$NEXT replicates to the remaining backup within ${REPLICATION_TARGET} s (${t_repl} s)"
  else
    fail "$NEXT replicates to the remaining backup within ${REPLICATION_TARGET} s" "${t_repl} s"
  fi
else
  fail "$NEXT replicates to the remaining backup within ${REPLICATION_TARGET} s" "not within 60 s"
fi
if problems=$(check_takeover "$NEXT" "$generation_before" "$t_kill"); then
  pass "on $NEXT the notify script took over again (generation $(generation "$NEXT"))"
else
  fail "on $NEXT the notify script took over again" "$problems"
fi
sleep 3
gap=$(write_gap_after "$t_kill")
note "agent killed, link down: the writer went ${gap} s without an acknowledged write"

# The isolated node, seen from the host through its console: keepalived must have stopped the
# agent (systemd would otherwise restart it 5 s after the SIGKILL) and dropped the address.
sleep 8
problems=""
isolated_root=$WORK/$ISOLATED/root
if nsenter_pid=$(pgrep -P "${NSPAWN_PID[$ISOLATED]}" | head -1) && [ -n "$nsenter_pid" ]; then
  if nsenter -t "$nsenter_pid" -m -u -i -n -p systemctl is-active --quiet watchsync; then problems+=" agent-running"; fi
  if nsenter -t "$nsenter_pid" -n ip -o -4 addr show to "$VIP/32" | grep -q .; then problems+=" holds-address"; fi
else
  problems+=" cannot-enter-$isolated_root"
fi
if [ -z "$problems" ]; then
  pass "the isolated $ISOLATED gave the address up and its agent stays stopped"
else
  fail "the isolated $ISOLATED gave the address up and its agent stays stopped" "$problems"
fi

log "link of $ISOLATED up again"
t_link_up=$(now)
ip link set "$(node_link "$ISOLATED")" up
sleep 8
problems=""
holders=$(vip_holders)
[ "$holders" = "$NEXT" ] || problems+=" address-on:[$holders]"
! unit_active "$ISOLATED" watchsync || problems+=" $ISOLATED:agent-running"
unit_active "$ISOLATED" rsync || problems+=" $ISOLATED:daemon-not-running"
if [ -z "$problems" ]; then
  pass "when its link is back, $ISOLATED is a backup and the address stays on $NEXT"
else
  fail "when its link is back, $ISOLATED is a backup and the address stays on $NEXT" "$problems"
fi
stop_writer
lost=$(lost_writes "$NEXT" 100000)
lost=${lost% }
note "agent killed, link down: acknowledged writes missing on $NEXT: ${lost:-none}"

# ---------------------------------------------------------------- rejoin of the isolated node
if wait_for_rejoin "$ISOLATED" "$t_link_up" 90; then
  note "rejoin: $ISOLATED opened its writable module $(elapsed "$t_link_up") s after its link came back"
  pass "$ISOLATED rejoined $NEXT and then opened its writable module"
else
  fail "$ISOLATED rejoined $NEXT and then opened its writable module" "$(on "$ISOLATED" "journalctl -t watchsync-ha -t watchsync --since @${t_link_up%.*} -o cat --no-pager | tail -5")"
fi
qdir=$(on "$ISOLATED" "ls -d $QUARANTINE/*/ 2>/dev/null | sed 's:/\$::' | while read -r d; do [ -f \"\$d/$UNSENT\" ] && echo \"\$d\"; done | tail -1")
problems=""
if [ -z "$qdir" ]; then
  problems+=" not-in-any-quarantine($(on "$ISOLATED" "ls $QUARANTINE 2>&1" | tr '\n' ' '))"
else
  [ "$(on "$ISOLATED" "cat $qdir/$UNSENT")" = "$UNSENT_CONTENT" ] || problems+=" content-differs"
  on "$ISOLATED" "grep -qx '$UNSENT' $qdir.list" || problems+=" not-in-$qdir.list"
  on "$ISOLATED" "journalctl -t watchsync --since @${t_link_up%.*} -o cat --no-pager | grep -q 'rejoin: moved aside $UNSENT\$'" || problems+=" not-in-journal"
  ! on "$ISOLATED" "[ -e $TREE/$UNSENT ]" || problems+=" still-in-the-tree"
  note "rejoin: $(on "$ISOLATED" "journalctl -t watchsync-ha --since @${t_link_up%.*} -o cat --no-pager | grep '^rejoin: .*now equals' | tail -1")"
fi
if [ -z "$problems" ]; then
  pass "the file $ISOLATED took after its agent died is in its quarantine ${qdir#"$QUARANTINE"/}/$UNSENT with its content, listed in ${qdir#"$QUARANTINE"/}.list and in the journal"
else
  fail "the file $ISOLATED took after its agent died is in its quarantine, listed and logged" "$problems"
fi
# Its other unsent writes (acknowledged through the address between the kill and the link going down).
missing=""
for n in $lost; do
  on "$ISOLATED" "grep -qx '$n' $QUARANTINE/*/writer/$n" 2>/dev/null || missing+=" $n"
done
if [ -n "$lost" ]; then
  if [ -z "$missing" ]; then
    pass "acknowledged writes $ISOLATED never sent ($lost) are in its quarantine"
  else
    fail "acknowledged writes $ISOLATED never sent are in its quarantine" "missing:$missing"
  fi
fi

ok=1
for b in "$REMAINING" "$ISOLATED"; do wait_until_equal "$NEXT" "$b" 150 || ok=0; done
if [ "$ok" -eq 1 ]; then pass "all three trees equal $NEXT's in the end"; else fail "all three trees equal $NEXT's in the end"; fi
# Every write $NEXT acknowledged after it took over is on every node.
problems=""
for node in "$NEXT" "$REMAINING" "$ISOLATED"; do
  have=$(on "$node" "ls $TREE/writer")
  gone=$(awk -v t="$t_answer" -v n="$NEXT" '$2 > t && $3 == n { print $1 }' "$WORK/writer.log" | sort -u \
    | comm -23 - <(echo "$have" | grep -E '^[0-9]+$' | sort -u) | tr '\n' ' ')
  [ -z "$gone" ] || problems+=" $node:missing:$gone"
done
acked=$(awk -v t="$t_answer" -v n="$NEXT" '$2 > t && $3 == n' "$WORK/writer.log" | wc -l)
if [ -z "$problems" ] && [ "$acked" -gt 0 ]; then
  pass "none of the $acked writes $NEXT acknowledged after the failover is missing on any node"
else
  fail "none of the writes $NEXT acknowledged after the failover is missing on any node" "acknowledged=$acked$problems"
fi

# The old primary's agent, started by hand while it is a backup, must change nothing: it pushes
# from the floating address, which it does not hold, to daemons that accept only that address
# (the new primary's writable module is closed), and the generation guard checks each target.
before_next=$(listing "$NEXT")
before_remaining=$(listing "$REMAINING")
on "$ISOLATED" "systemctl start watchsync"
sleep 15
status=$(on "$ISOLATED" "watchsync status" 2>&1 || true)
on "$ISOLATED" "systemctl stop watchsync"
note "agent started by hand on the backup $ISOLATED: $(echo "$status" | awk 'NR > 1 && NF > 1 { print $1, $2 }' | tr '\n' ';')"
problems=""
[ "$(listing "$NEXT")" = "$before_next" ] || problems+=" $NEXT-changed"
[ "$(listing "$REMAINING")" = "$before_remaining" ] || problems+=" $REMAINING-changed"
echo "$status" | awk 'NR > 1 && ($2 == "up") { found = 1 } END { exit !found }' && problems+=" a-target-up"
echo "$status" | grep -Eq '^(ha[0-9]) +(held|down|failing) ' || problems+=" no-target-refused"
if [ -z "$problems" ]; then
  pass "the old primary's agent, started by hand while it is a backup, overwrites nothing (its targets: held/down, trees unchanged)"
else
  fail "the old primary's agent, started by hand while it is a backup, overwrites nothing" "$problems; status: $(echo "$status" | tr '\n' '|')"
fi

# ---------------------------------------------------------------- 4. planned switchover
SWITCHOVER_TARGET=10
FROM=$NEXT
TO=$REMAINING
quarantines_before=$(on "$FROM" "ls -d $QUARANTINE/*/ 2>/dev/null | wc -l")
generation_before=$(generation "$FROM")
start_writer 200000
sleep 3
log "switchover.yml -e new_primary=$TO, the writer writing"
t_switch=$(now)
if PLAYBOOK=$ANSIBLE_DIR/switchover.yml playbook "$WORK/switchover.log" -e "new_primary=$TO"; then
  switch_ok=1
else
  switch_ok=0
fi
t_switched=$(now)
sleep 3
stop_writer
report=$(grep -o 'switchover from [^"]*' "$WORK/switchover.log" | tail -1 || true)
paused=$(echo "$report" | sed -n 's/.*writes paused for \([0-9.]*\) s.*/\1/p')
if [ "$switch_ok" -eq 1 ] && [ -n "$paused" ]; then
  note "switchover: $report (the run took $(elapsed "$t_switch" "$t_switched") s; the writer went $(write_gap_after "$t_switch") s without an acknowledged write)"
  pass "switchover.yml moved the primary from $FROM to $TO and reported the pause"
  if within "$paused" "$SWITCHOVER_TARGET"; then
    pass "writes were paused for at most ${SWITCHOVER_TARGET} s during the switchover (${paused} s)"
  else
    fail "writes were paused for at most ${SWITCHOVER_TARGET} s during the switchover" "${paused} s"
  fi
else
  fail "switchover.yml moved the primary from $FROM to $TO and reported the pause" "see $WORK/switchover.log"
  grep -E '^(fatal|failed):|msg' "$WORK/switchover.log" | tail -10 >&2 || true
fi
problems=""
holders=$(vip_holders)
[ "$holders" = "$TO" ] || problems+=" address-on:[$holders]"
unit_active "$TO" watchsync || problems+=" $TO:agent-not-running"
! unit_active "$FROM" watchsync || problems+=" $FROM:agent-running"
unit_active "$FROM" keepalived || problems+=" $FROM:keepalived-stopped"
unit_active "$FROM" "$GATE" || problems+=" $FROM:$GATE-stopped"
write_module_open "$FROM" || problems+=" $FROM:not-rejoined"
! on "$FROM" "[ -e /run/watchsync-ha.switchover ]" || problems+=" $FROM:switchover-flag-left"
[ "$(generation "$TO")" -gt "$generation_before" ] || problems+=" $TO:generation-not-raised($(generation "$TO"))"
if [ -z "$problems" ]; then
  pass "after the switchover $TO holds the address and replicates; $FROM is a backup that rejoined, its services back"
else
  fail "after the switchover $TO holds the address and replicates; $FROM is a backup that rejoined, its services back" "$problems"
fi
# Zero loss: every write acknowledged since the writer restarted is on every node, and the old
# primary's rejoin moved nothing aside (the drain had sent everything).
ok=1
for b in "$FROM" "$ISOLATED"; do wait_until_equal "$TO" "$b" 150 || ok=0; done
problems=""
acked=$(awk '$1 >= 200000 && $3 != "-"' "$WORK/writer.log" | wc -l)
for node in "$TO" "$FROM" "$ISOLATED"; do
  gone=$(lost_writes "$node" 200000)
  [ -z "$gone" ] || problems+=" $node:missing:$gone"
done
quarantines_after=$(on "$FROM" "ls -d $QUARANTINE/*/ 2>/dev/null | wc -l")
[ "$quarantines_after" -eq "$quarantines_before" ] || problems+=" $FROM-quarantined-something($(on "$FROM" "ls -t $QUARANTINE | head -2" | tr '\n' ' '))"
if [ "$ok" -eq 1 ] && [ -z "$problems" ] && [ "$acked" -gt 0 ]; then
  pass "no write is lost in the switchover: all $acked acknowledged writes are on every node, nothing was quarantined"
else
  fail "no write is lost in the switchover" "equal=$ok acknowledged=$acked$problems"
fi
if PLAYBOOK=$ANSIBLE_DIR/switchover.yml playbook "$WORK/switchover2.log" -e "new_primary=$TO" \
  && [ "$(recap_total "$WORK/switchover2.log" changed)" -eq 0 ] \
  && grep -q "already holds $VIP and is the primary: nothing to switch" "$WORK/switchover2.log"; then
  pass "a second switchover to $TO says there is nothing to switch and changes nothing"
else
  fail "a second switchover to $TO says there is nothing to switch and changes nothing" "changed=$(recap_total "$WORK/switchover2.log" changed), see $WORK/switchover2.log"
fi

# ---------------------------------------------------------------- 5. the inventory follows
# The operator names the new primary in the inventory and runs site.yml: with the address
# floating, nothing moves, one agent runs (no loop), nothing is lost. That a run on a converged
# HA layout changes nothing is checked by the dual-primary drill's --check run and the cluster
# test's second run after its promotion: a real second run here would cost the suite minutes.
cat >"$WORK/inventory-swapped.ini" <<INV
[nfs_primary]
$TO ansible_host=${ADDRESS[$TO]}

[nfs_backup]
$FROM ansible_host=${ADDRESS[$FROM]}
$ISOLATED ansible_host=${ADDRESS[$ISOLATED]}

$(inventory_connection_vars)
replication_vip=$VIP
replication_vip_prefix=24
nfs_ha_check_services=['$GATE']
INV
# Nothing is timed here: a write a second shows that none is lost, without the logins of ten a
# second competing with site.yml on the machine.
start_writer 300000 1
sleep 2
if INVENTORY=$WORK/inventory-swapped.ini playbook "$WORK/swap1.log"; then
  pass "site.yml with the inventory naming $TO the primary converges"
else
  fail "site.yml with the inventory naming $TO the primary converges" "see $WORK/swap1.log"
  grep -E '^(fatal|failed):' "$WORK/swap1.log" | tail -5 >&2 || true
fi
sleep 2
stop_writer
problems=""
holders=$(vip_holders)
[ "$holders" = "$TO" ] || problems+=" address-on:[$holders]"
agents=""
for node in "${NODES[@]}"; do unit_active "$node" watchsync && agents+=" $node"; done
[ "$agents" = " $TO" ] || problems+=" agents-running:[$agents]"
ok=1
for b in "$FROM" "$ISOLATED"; do wait_until_equal "$TO" "$b" 150 || ok=0; done
[ "$ok" -eq 1 ] || problems+=" trees-differ"
for node in "${NODES[@]}"; do
  gone=$(lost_writes "$node" 300000)
  [ -z "$gone" ] || problems+=" $node:missing:$gone"
done
# A loop shows as the same file sent again and again: the agent's log names each batch it sent.
sent=$(on "$TO" "journalctl -u watchsync --since @${t_switched%.*} -o cat --no-pager | grep -c 'sent in' || true")
note "inventory swap: $TO's agent sent ${sent} batches since the switchover; agents running:$agents"
if [ -z "$problems" ]; then
  pass "after the inventory swap the address stays on $TO, only its agent runs, every node equals it and no write is lost"
else
  fail "after the inventory swap the address stays on $TO, only its agent runs, every node equals it and no write is lost" "$problems"
fi
