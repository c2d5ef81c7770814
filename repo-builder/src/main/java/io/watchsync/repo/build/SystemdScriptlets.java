package io.watchsync.repo.build;

/**
 * The scriptlets Fedora's %systemd_post, %systemd_preun and %systemd_postun_with_restart macros
 * expand to, written out because these packages are built without rpmbuild. Each tolerates a system
 * where systemd is not running or not installed (a chroot, an --installroot, a container):
 * systemctl itself ignores requests in a chroot, and every call ends in "|| :" because a failing
 * scriptlet must never fail the transaction.
 */
final class SystemdScriptlets {
  private SystemdScriptlets() {}

  /**
   * %post: on first install apply the preset (the unit stays disabled unless a preset enables it;
   * nothing is started), and on every install or upgrade apply the sysctl drop-in now rather than
   * at the next boot, but only on a system booted with systemd (not in a chroot, where it would
   * change the host's kernel settings).
   */
  static String post(String unit, String sysctlFile) {
    return """
        if [ "$1" -eq 1 ] && command -v systemctl >/dev/null 2>&1; then
            # %%systemd_post %1$s
            systemctl --no-reload preset %1$s >/dev/null 2>&1 || :
        fi
        if [ -d /run/systemd/system ] && [ -x /usr/lib/systemd/systemd-sysctl ]; then
            # %%sysctl_apply %2$s
            /usr/lib/systemd/systemd-sysctl %2$s >/dev/null 2>&1 || :
        fi
        """
        .formatted(unit, sysctlFile);
  }

  /** %preun: on erase (not on upgrade) stop the service and disable it. */
  static String preUninstall(String unit) {
    return """
        if [ "$1" -eq 0 ] && command -v systemctl >/dev/null 2>&1; then
            # %%systemd_preun %1$s
            systemctl --no-reload disable --now %1$s >/dev/null 2>&1 || :
        fi
        """
        .formatted(unit);
  }

  /** %postun: reload unit files; on upgrade restart the service if it was running. */
  static String postUninstall(String unit) {
    return """
        if command -v systemctl >/dev/null 2>&1; then
            # %%systemd_postun_with_restart %1$s
            systemctl daemon-reload >/dev/null 2>&1 || :
            if [ "$1" -ge 1 ]; then
                systemctl try-restart %1$s >/dev/null 2>&1 || :
            fi
        fi
        """
        .formatted(unit);
  }
}
