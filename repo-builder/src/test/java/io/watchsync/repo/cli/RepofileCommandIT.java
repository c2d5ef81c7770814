package io.watchsync.repo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepofileCommandIT {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  private int repofile(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "repofile";
    System.arraycopy(args, 0, all, 1, args.length);
    return RepoBuilderCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
  }

  @Test
  void printsARepoFileWithTheIdAsNameAndSafeDefaults() {
    assertEquals(0, repofile("--id", "benchi", "--baseurl", "file:///root/rpm"));
    assertEquals(
        "[benchi]\nname=benchi\nbaseurl=file:///root/rpm\nenabled=1\ngpgcheck=0\nrepo_gpgcheck=0\n",
        out.toString());
    assertEquals("", err.toString());
  }

  @Test
  void anAbsolutePathBecomesAFileUrl() {
    assertEquals(0, repofile("--id", "local", "--baseurl", "/srv/repo"));
    assertEquals(
        "[local]\nname=local\nbaseurl=file:///srv/repo\nenabled=1\ngpgcheck=0\nrepo_gpgcheck=0\n",
        out.toString());
  }

  @Test
  void printsEveryOptionGiven() {
    int exit =
        repofile(
            "--id",
            "site-el9:updates_2.x",
            "--baseurl",
            "https://mirror.example.org/el/$releasever/$basearch/",
            "--name",
            "Site mirror [EL $releasever] = updates",
            "--enabled",
            "0",
            "--gpgcheck",
            "1",
            "--gpgkey",
            "/etc/pki/rpm-gpg/RPM-GPG-KEY-site");

    assertEquals(0, exit, err.toString());
    assertEquals(
        "[site-el9:updates_2.x]\n"
            + "name=Site mirror [EL $releasever] = updates\n"
            + "baseurl=https://mirror.example.org/el/$releasever/$basearch/\n"
            + "enabled=0\n"
            + "gpgcheck=1\n"
            + "repo_gpgcheck=1\n"
            + "gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-site\n",
        out.toString());
    assertEquals("", err.toString());
  }

  @Test
  void aGpgkeyTurnsOnBothPackageAndRepositorySignatureChecks() {
    assertEquals(
        0,
        repofile("--id", "local", "--baseurl", "/srv/repo", "--gpgkey", "/srv/RPM-GPG-KEY-site"));
    assertEquals(
        "[local]\nname=local\nbaseurl=file:///srv/repo\nenabled=1\ngpgcheck=1\nrepo_gpgcheck=1\n"
            + "gpgkey=file:///srv/RPM-GPG-KEY-site\n",
        out.toString());
    assertEquals("", err.toString());
  }

  @Test
  void eachCheckCanBeTurnedOffExplicitlyWithAGpgkey() {
    assertEquals(
        0,
        repofile(
            "--id",
            "local",
            "--baseurl",
            "/srv/repo",
            "--gpgkey",
            "/srv/RPM-GPG-KEY-site",
            "--repo-gpgcheck",
            "0"));
    assertTrue(out.toString().contains("gpgcheck=1\nrepo_gpgcheck=0\n"), out.toString());
  }

  @Test
  void gpgcheckWithoutAKeyIsAllowedWithAOneLineWarning() {
    assertEquals(
        0, repofile("--id", "local", "--baseurl", "ftp://ftp.example.org/repo", "--gpgcheck", "1"));
    assertEquals(
        "[local]\nname=local\nbaseurl=ftp://ftp.example.org/repo\nenabled=1\ngpgcheck=1\n"
            + "repo_gpgcheck=0\n",
        out.toString());
    assertEquals(
        List.of(
            "repo-builder repofile: warning: gpgcheck=1 without --gpgkey: dnf will install only"
                + " packages signed by keys already imported on the host (rpm --import KEY)"),
        err.toString().lines().toList());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--id|my repo|--id 'my repo': use letters, digits and - _ . : only",
        "--id|local]\\n[evil|--id 'local]\\u000a[evil': use letters, digits and - _ . : only",
        "--id|''|--id '': use letters, digits and - _ . : only",
        "--baseurl|srv/repo|--baseurl 'srv/repo': use a file://, http://, https:// or ftp:// URL,"
            + " or an absolute path",
        "--baseurl|rsync://host/repo|--baseurl 'rsync://host/repo': use a file://, http://,"
            + " https:// or ftp:// URL, or an absolute path",
        "--baseurl|file://srv/repo|--baseurl 'file://srv/repo': a file URL needs an absolute"
            + " path: file:///PATH",
        "--baseurl|https:///repo|--baseurl 'https:///repo': the URL has no host",
        "--baseurl|/srv/my repo|--baseurl '/srv/my repo': spaces and commas separate URLs in a"
            + " .repo file; percent-encode them (%20, %2C)",
        "--baseurl|http://a/x,http://b/x|--baseurl 'http://a/x,http://b/x': spaces and commas"
            + " separate URLs in a .repo file; percent-encode them (%20, %2C)",
        "--gpgkey|key.asc|--gpgkey 'key.asc': use a file://, http://, https:// or ftp:// URL, or"
            + " an absolute path",
        "--enabled|yes|--enabled 'yes': use 0 or 1",
        "--gpgcheck|2|--gpgcheck '2': use 0 or 1",
        "--repo-gpgcheck|yes|--repo-gpgcheck 'yes': use 0 or 1",
        "--name|'   '|--name '   ': must not be blank",
      })
  void aBadValueIsAUsageErrorNamingTheOptionAndTheValue(
      String option, String value, String message) {
    String[] base = {"--id", "local", "--baseurl", "/srv/repo"};
    List<String> args = new java.util.ArrayList<>(List.of(base));
    int at = args.indexOf(option);
    String real = value.replace("\\n", "\n");
    if (at >= 0) {
      args.set(at + 1, real);
    } else {
      args.add(option);
      args.add(real);
    }

    assertEquals(2, repofile(args.toArray(String[]::new)));

    assertEquals("repo-builder repofile: " + message + "\n", err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void aNewlineOrOtherControlCharacterInTheNameIsRejectedAndShownEscaped() {
    int exit =
        repofile("--id", "local", "--baseurl", "/srv/repo", "--name", "Local\n[evil]\nbaseurl=x");
    assertEquals(2, exit);
    assertEquals(
        "repo-builder repofile: --name 'Local\\u000a[evil]\\u000abaseurl=x': control characters"
            + " are not allowed\n",
        err.toString());
    assertEquals(2, repofile("--id", "local", "--baseurl", "/srv/re\u0000po"));
    assertEquals(2, repofile("--id", "local", "--baseurl", "/srv/repo", "--name", "a\u2028b"));
    assertEquals("", out.toString());
  }

  @Test
  void missingIdOrBaseurlIsAUsageError() {
    assertEquals(2, repofile("--id", "local"));
    assertTrue(err.toString().contains("Missing required option: '--baseurl=URL'"), err.toString());
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
    assertEquals(0, repofile("--help"));
    HelpText.assertMentions(
        out.toString(),
        "--id=ID The repository id: letters, digits and - _ . : (required, no default).",
        // Two parts: where picocli breaks the line depends on the widest option.
        "--baseurl=URL The repository's file://, http://, https:// or ftp:",
        "URL; an absolute path is turned into a file:// URL (required, no default).",
        "--name=NAME A human-readable name (default: the id).",
        "--enabled=0|1 Whether dnf uses the repository (default: 1).",
        "--gpgcheck=0|1 Whether dnf checks package signatures (default: 1 with --gpgkey, else"
            + " 0).",
        "--repo-gpgcheck=0|1 Whether dnf checks the signature of the repository's metadata,"
            + " repomd.xml.asc (default: 1 with --gpgkey, else 0).",
        "--gpgkey=URL URL (or absolute path) of the public key that signs the packages and the"
            + " repository, e.g. the RPM-GPG-KEY-* of repo-builder keygen (default: none, no"
            + " gpgkey line).",
        "-h, --help");
  }
}
