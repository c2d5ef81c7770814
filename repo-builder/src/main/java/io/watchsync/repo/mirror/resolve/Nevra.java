package io.watchsync.repo.mirror.resolve;

import io.watchsync.repo.mirror.model.Pkg;
import java.util.ArrayList;
import java.util.List;

/**
 * A package argument read as name-[epoch:]version[-release][.arch], the forms dnf tries after a
 * plain name ({@code rsync-3.2.3-19.el9.x86_64}, {@code rsync-3.2.3-19.el9}, {@code rsync-3.2.3}).
 * What is not given matches anything: no epoch, any epoch; no release, any release.
 *
 * @param epoch null when not given
 * @param release null when not given
 * @param arch null when not given
 */
record Nevra(String name, Long epoch, String version, String release, String arch) {

  /**
   * The readings of {@code arg} in dnf's order: with arch, then with release, then version only.
   */
  static List<Nevra> forms(String arg) {
    List<Nevra> forms = new ArrayList<>();
    int dot = arg.lastIndexOf('.');
    if (dot > 0) {
      Nevra nevr = withRelease(arg.substring(0, dot));
      if (nevr != null && dot + 1 < arg.length()) {
        forms.add(
            new Nevra(nevr.name, nevr.epoch, nevr.version, nevr.release, arg.substring(dot + 1)));
      }
    }
    Nevra nevr = withRelease(arg);
    if (nevr != null) {
      forms.add(nevr);
    }
    Nevra nev = withoutRelease(arg);
    if (nev != null) {
      forms.add(nev);
    }
    return forms;
  }

  boolean matches(Pkg p) {
    return p.name().equals(name)
        && (epoch == null || p.evr().epoch() == epoch)
        && p.evr().version().equals(version)
        && (release == null || release.equals(p.evr().release()))
        && (arch == null || arch.equals(p.arch()));
  }

  /** name-[epoch:]version-release */
  private static Nevra withRelease(String s) {
    int dash = s.lastIndexOf('-');
    if (dash <= 0 || dash + 1 == s.length()) {
      return null;
    }
    Nevra nev = withoutRelease(s.substring(0, dash));
    return nev == null
        ? null
        : new Nevra(nev.name, nev.epoch, nev.version, s.substring(dash + 1), null);
  }

  /** name-[epoch:]version */
  private static Nevra withoutRelease(String s) {
    int dash = s.lastIndexOf('-');
    if (dash <= 0 || dash + 1 == s.length()) {
      return null;
    }
    String name = s.substring(0, dash);
    String ev = s.substring(dash + 1);
    Long epoch = null;
    int colon = ev.indexOf(':');
    if (colon >= 0) {
      String e = ev.substring(0, colon);
      if (!e.matches("[0-9]{1,18}") || colon + 1 == ev.length()) {
        return null;
      }
      epoch = Long.parseLong(e);
      ev = ev.substring(colon + 1);
    }
    if (ev.contains(":")) {
      return null;
    }
    return new Nevra(name, epoch, ev, null, null);
  }
}
