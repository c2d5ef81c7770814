#!/bin/sh
# Installs watchsync from this tarball on a host without rpm (Debian, Ubuntu, or any systemd
# Linux with Java 17+ and rsync). Run as root from the unpacked directory:
#
#   ./install.sh               install under /usr/local (jar, launcher), config in /etc
#   ./install.sh --uninstall   remove what install.sh installed; the configuration stays
#
# PREFIX (default /usr/local) and DESTDIR (default empty: the live system) can be set in the
# environment. The service is installed but not enabled: edit /etc/watchsync/watchsync.yml,
# then "systemctl enable --now watchsync". The bash completion goes to
# /usr/share/bash-completion/completions when that directory exists (bash-completion installed).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-/usr/local}
dest=${DESTDIR:-}
if [ -d "$dest/etc/sysconfig" ] || [ ! -d "$dest/etc/default" ]; then
    sysconfig=/etc/sysconfig/watchsync
else
    sysconfig=/etc/default/watchsync
fi
jar=$prefix/share/watchsync/watchsync.jar
launcher=$prefix/bin/watchsync
unit=/etc/systemd/system/watchsync.service
sysctl=/etc/sysctl.d/90-watchsync.conf
completions=/usr/share/bash-completion/completions

systemd_running() {
    [ -z "$dest" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1
}

if [ "${1:-}" = "--uninstall" ]; then
    if systemd_running; then
        systemctl disable --now watchsync.service >/dev/null 2>&1 || :
    fi
    rm -f "$dest$jar" "$dest$launcher" "$dest$unit" "$dest$sysctl" "$dest$completions/watchsync"
    rmdir "$dest$prefix/share/watchsync" 2>/dev/null || :
    if systemd_running; then systemctl daemon-reload || :; fi
    echo "watchsync removed; kept /etc/watchsync, $sysconfig and /var/lib/watchsync"
    exit 0
elif [ $# -gt 0 ]; then
    echo "usage: $0 [--uninstall]" >&2
    exit 2
fi

if [ -z "$dest" ] && [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: run as root (or set DESTDIR for a staged install)" >&2
    exit 1
fi
command -v rsync >/dev/null 2>&1 || echo "install.sh: warning: rsync is not installed" >&2

install -d -m 0755 "$dest$prefix/share/watchsync" "$dest$prefix/bin" "$dest/etc/watchsync" \
    "$dest$(dirname "$sysconfig")" "$dest/etc/systemd/system" "$dest/etc/sysctl.d"
install -d -m 0700 "$dest/var/lib/watchsync"
install -m 0644 "$here/watchsync.jar" "$dest$jar"
# The rpm's own launcher: it finds the jar under the prefix it is installed in.
install -m 0755 "$here/watchsync" "$dest$launcher.tmp"
mv -f "$dest$launcher.tmp" "$dest$launcher"
sed -e "s|^ExecStart=/usr/bin/watchsync |ExecStart=$launcher |" \
    "$here/watchsync.service" > "$dest$unit"
chmod 0644 "$dest$unit"
install -m 0644 "$here/90-watchsync.conf" "$dest$sysctl"
# Only into bash-completion's own directory: without the package there is nothing to load it.
if [ -d "$dest$completions" ] && [ -f "$here/watchsync.bash-completion" ]; then
    install -m 0644 "$here/watchsync.bash-completion" "$dest$completions/watchsync"
fi

# Configuration: never overwrite the administrator's; leave the new one next to it.
for pair in "watchsync.yml:/etc/watchsync/watchsync.yml" "watchsync.sysconfig:$sysconfig"; do
    source=${pair%%:*}
    target=${pair#*:}
    if [ -e "$dest$target" ]; then
        if ! cmp -s "$here/$source" "$dest$target"; then
            install -m 0644 "$here/$source" "$dest$target.new"
            echo "install.sh: kept $target, the shipped version is $target.new"
        fi
    else
        install -m 0644 "$here/$source" "$dest$target"
    fi
done

if systemd_running; then
    systemctl daemon-reload || :
    sysctl -q -p "$sysctl" || :
fi
echo "watchsync installed: edit /etc/watchsync/watchsync.yml, then: systemctl enable --now watchsync"
