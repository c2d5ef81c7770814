package io.watchsync.repo.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fixture RPMs built by the real rpmbuild, covering what repository metadata must describe: noarch
 * and arch packages, epochs, every dependency kind (with pre, weak ones, libc.so.6 versions,
 * requires that repeat a provide or a package's own file), config, ghost and directory entries,
 * primary and non-primary paths, long changelogs with shared dates, ISO-8859-1 and UTF-8 text,
 * gzip, xz and zstd payloads, a package without files, rich dependencies and a source RPM (control
 * characters need redline: see ControlCharactersTest). Built once per test JVM.
 */
public final class FixtureRpms {
  private static final Duration DEADLINE = Duration.ofMinutes(5);
  private static Path built;

  private FixtureRpms() {}

  /** The good packages, built once (binary and source RPMs side by side). */
  public static synchronized List<Path> all() throws IOException {
    if (built == null) {
      Path dir = Files.createTempDirectory("fixture-rpms-");
      build(dir);
      built = dir.resolve("out");
    }
    try (Stream<Path> s = Files.list(built)) {
      return s.filter(p -> p.toString().endsWith(".rpm")).sorted().toList();
    }
  }

  /** Copies (or hard-links) the good packages into {@code repo}, keeping their times. */
  public static void copyInto(Path repo) throws IOException {
    Files.createDirectories(repo);
    for (Path rpm : all()) {
      Files.copy(rpm, repo.resolve(rpm.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  private static void build(Path dir) throws IOException {
    Path out = Files.createDirectories(dir.resolve("out"));
    spec(dir, "alpha", ALPHA, "w2.xzdio", true, out);
    spec(dir, "beta", BETA, "w3.zstdio", false, out);
    spec(dir, "gamma", GAMMA, "w6.gzdio", false, out);
    spec(dir, "delta", DELTA, "w6.gzdio", false, out);
    spec(dir, "epsilon", EPSILON, "w6.gzdio", false, out);
  }

  private static void spec(
      Path dir, String name, String text, String payload, boolean withSource, Path out)
      throws IOException {
    Path spec = dir.resolve(name + ".spec");
    // ISO-8859-1 keeps each char one byte: the specs hold deliberate non-UTF-8 bytes.
    Files.writeString(spec, text, StandardCharsets.ISO_8859_1);
    Path top = dir.resolve("top-" + name);
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "rpmbuild",
                "--quiet",
                "--define",
                "_topdir " + top,
                "--define",
                "_build_id_links none",
                "--define",
                "_invalid_encoding_terminates_build 0",
                "--define",
                "_binary_payload " + payload,
                "--define",
                "_source_payload w6.gzdio",
                withSource ? "-ba" : "-bb",
                spec.toString()));
    Command.run(DEADLINE, cmd).ok("rpmbuild " + name);
    try (Stream<Path> s = Files.walk(top)) {
      for (Path rpm : s.filter(p -> p.toString().endsWith(".rpm")).toList()) {
        Files.move(rpm, out.resolve(rpm.getFileName()));
      }
    }
  }

  private static final String ALPHA =
      """
      Name: alpha
      Version: 1.2
      Release: 3.el9
      Epoch: 2
      Summary: Alpha: every kind of dependency & <markup>
      License: MIT and (GPLv2+ or BSD)
      URL: https://example.org/alpha?x=1&y=2
      Group: Applications/System
      Vendor: Example Vendor
      Packager: Pat Packager <pat@example.org>
      Provides: alpha-virtual = 5
      Provides: cap(feature) = 1.0-1
      Provides: /usr/bin/alpha-alias
      Requires: rsync >= 3.1
      Requires: cap(feature) = 1.0-1
      Requires: /etc/alpha/alpha.conf
      Requires: /usr/share/alpha/data.txt
      Requires(pre): /bin/sh
      Requires(post): coreutils
      Requires(preun): procps
      Requires: coreutils
      Requires: libc.so.6()(64bit)
      Requires: libc.so.6(GLIBC_2.4)(64bit)
      Requires: libc.so.6(GLIBC_2.17)(64bit)
      Requires: libc.so.6(GLIBC_2.3.4)(64bit)
      Requires: tilde >= 1.0~rc1
      Conflicts: other < 2
      Conflicts: another <= 3:1.0-1
      Obsoletes: alpha-old < 1.0
      Recommends: rec-pkg
      Suggests: sug-pkg > 1
      Supplements: (alpha-plugin and alpha)
      Enhances: enh-pkg
      OrderWithRequires: ordered

      %description
      Alpha exercises every field of primary.xml.
      Second line: quotes " and ' and tabs\tin text.

      %prep
      %build
      %install
      mkdir -p %{buildroot}/etc/alpha %{buildroot}/usr/bin %{buildroot}/usr/sbin \\
        %{buildroot}/opt/alpha/sbin %{buildroot}/usr/lib %{buildroot}/usr/share/alpha/sub \\
        %{buildroot}/var/log/alpha %{buildroot}/usr/libexec/alpha
      echo conf > %{buildroot}/etc/alpha/alpha.conf
      echo tool > %{buildroot}/usr/bin/alpha
      echo admin > %{buildroot}/usr/sbin/alpha-admin
      echo opt > %{buildroot}/opt/alpha/sbin/helper
      echo mail > %{buildroot}/usr/lib/sendmail
      echo data > %{buildroot}/usr/share/alpha/data.txt
      echo sub > "%{buildroot}/usr/share/alpha/sub/name with spaces & <angle>.txt"
      echo libexec > %{buildroot}/usr/libexec/alpha/run
      chmod 0755 %{buildroot}/usr/bin/alpha %{buildroot}/usr/sbin/alpha-admin

      %pre
      true
      %post
      true

      %files
      %dir /etc/alpha
      %config(noreplace) /etc/alpha/alpha.conf
      /usr/bin/alpha
      /usr/sbin/alpha-admin
      /opt/alpha
      /usr/lib/sendmail
      /usr/share/alpha
      /usr/libexec/alpha
      %dir /var/log/alpha
      %ghost /var/log/alpha/alpha.log
      %ghost %dir /var/lib/alpha

      %changelog
      * Tue Nov 24 2026 Pat Packager <pat@example.org> - 2:1.2-3
      - twelfth
      * Tue Nov 24 2026 Pat Packager <pat@example.org> - 2:1.2-2
      - eleventh, same day
      * Tue Nov 24 2026 Pat Packager <pat@example.org> - 2:1.2-1
      - tenth, same day again
      * Mon Nov 23 2026 Pat <pat@example.org> - 2:1.1-9
      - ninth
      * Sun Nov 22 2026 Pat <pat@example.org> - 2:1.1-8
      - eighth
      * Sat Nov 21 2026 Pat <pat@example.org> - 2:1.1-7
      - seventh
      * Fri Nov 20 2026 Pat <pat@example.org> - 2:1.1-6
      - sixth
      * Thu Nov 19 2026 Pat <pat@example.org> - 2:1.1-5
      - fifth
      * Wed Nov 18 2026 Pat <pat@example.org> - 2:1.1-4
      - fourth
      * Tue Nov 17 2026 Pat <pat@example.org> - 2:1.1-3
      - third
      * Mon Nov 16 2026 Pat <pat@example.org> - 2:1.1-2
      - second
      * Sun Nov 15 2026 Pat <pat@example.org> - 2:1.1-1
      - first & <oldest>
      """;

  private static final String BETA =
      """
      Name: beta
      Version: 0.9
      Release: 1
      Summary: Beta: ISO-8859-1 text, caf\u00e9 (not UTF-8)
      License: GPLv2
      BuildArch: noarch
      Packager: Ren\u00e9 M\u00fcller <rene@example.org>
      Requires: alpha >= 2:1.2

      %description
      Beschreibung auf Deutsch: Gr\u00fc\u00dfe, Stra\u00dfe. The bytes are ISO-8859-1.
      An \u0080-\u00bf byte (\u0085) is dropped, as createrepo_c drops it.

      %install
      mkdir -p %{buildroot}/usr/share/beta
      echo b > %{buildroot}/usr/share/beta/caf\u00e9.txt

      %files
      /usr/share/beta

      %changelog
      * Mon Nov 23 2026 Ren\u00e9 M\u00fcller <rene@example.org>   - 0.9-1
      - premi\u00e8re version
      """;

  private static final String GAMMA =
      """
      Name: gamma
      Version: 3.0
      Release: 1
      Summary: Gamma: UTF-8 text \u00c3\u00a9t\u00c3\u00a9
      License: ASL 2.0
      BuildArch: noarch
      Provides: gamma-api(x86-64) = 3.0
      Obsoletes: gamma-legacy <= 2.9-9
      Conflicts: gamma-broken = 1:3.0-0

      %description
      Valid UTF-8 stays as it is: na\u00c3\u00afve \u00e2\u0082\u00ac.

      %install
      mkdir -p %{buildroot}/usr/bin
      echo g > %{buildroot}/usr/bin/gamma

      %files
      /usr/bin/gamma
      """;

  private static final String DELTA =
      """
      Name: delta
      Version: 1.0^git20260101
      Release: 0.1
      Summary: Delta: no changelog, no URL, weak dependencies with versions
      License: Public Domain
      BuildArch: noarch
      Recommends: gamma >= 3.0
      Suggests: beta
      Supplements: alpha = 2:1.2-3.el9
      Enhances: gamma < 4

      %description
      Delta.

      %install
      mkdir -p %{buildroot}/etc/delta.d
      echo d > %{buildroot}/etc/delta.d/one.conf

      %files
      %config /etc/delta.d/one.conf
      %dir /etc/delta.d
      """;

  private static final String EPSILON =
      """
      Name: epsilon
      Version: 2
      Release: 1
      Summary: Epsilon: a package without files, rich dependencies
      License: MIT
      BuildArch: noarch
      Requires: (gamma or delta)
      Requires: (beta if alpha)
      Provides: eps(abc)
      Provides: eps-epoch = 3:2
      Conflicts: zeta = 1:2

      %description
      Epsilon installs nothing: a meta package.

      %files
      """;
}
