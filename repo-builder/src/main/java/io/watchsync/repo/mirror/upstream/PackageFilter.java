package io.watchsync.repo.mirror.upstream;

import io.watchsync.repo.mirror.model.PackageGlob;
import io.watchsync.repo.mirror.model.Pkg;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which packages of one upstream a run sees, as a {@code .repo} section's {@code includepkgs=} and
 * {@code exclude=} ({@code excludepkgs=}) tell dnf: when there are includes, only the packages they
 * match; never those an exclude matches. Each is a glob over the name, name.arch, name-version,
 * name-version-release or name-[epoch:]version-release.arch.
 *
 * @param includes globs; empty takes every package
 * @param excludes globs
 */
public record PackageFilter(List<String> includes, List<String> excludes) {
  /** Every package. */
  public static final PackageFilter ALL = new PackageFilter(List.of(), List.of());

  public PackageFilter {
    includes = List.copyOf(includes);
    excludes = List.copyOf(excludes);
  }

  /** From the settings' values (blank- or comma-separated globs; null for none). */
  public static PackageFilter of(String includepkgs, String excludepkgs) {
    return new PackageFilter(split(includepkgs), split(excludepkgs));
  }

  public boolean admits(Pkg p) {
    List<String> forms = forms(p);
    return (includes.isEmpty() || matchesAny(includes, forms)) && !matchesAny(excludes, forms);
  }

  private static boolean matchesAny(List<String> globs, List<String> forms) {
    for (String glob : globs) {
      Pattern pattern = PackageGlob.compile(glob);
      for (String form : forms) {
        if (pattern.matcher(form).matches()) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<String> forms(Pkg p) {
    String v = p.evr().version();
    String vr = v + (p.evr().release() == null ? "" : "-" + p.evr().release());
    return List.of(
        p.name(),
        p.name() + "." + p.arch(),
        p.name() + "-" + v,
        p.name() + "-" + vr,
        p.name() + "-" + vr + "." + p.arch(),
        p.name() + "-" + p.evr().epoch() + ":" + vr + "." + p.arch());
  }

  private static List<String> split(String value) {
    List<String> globs = new ArrayList<>();
    if (value != null) {
      for (String g : value.split("[\\s,]+")) {
        if (!g.isEmpty()) {
          globs.add(g);
        }
      }
    }
    return globs;
  }
}
