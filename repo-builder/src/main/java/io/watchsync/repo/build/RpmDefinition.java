package io.watchsync.repo.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything one noarch RPM holds: what a spec file's preamble, %description, %files, scriptlets
 * and %changelog would say. Filled in with the fluent setters, written by {@link RpmWriter}.
 */
public final class RpmDefinition {
  private final String name;
  private final String version;
  private final String release;
  private String summary;
  private String description;
  private String license;
  private String url;
  private String vendor;
  private String group = "Unspecified";
  private String packager;
  private String preInstall;
  private String postInstall;
  private String preUninstall;
  private String postUninstall;
  private final List<PayloadEntry> payload = new ArrayList<>();
  private final List<Requirement> requires = new ArrayList<>();
  private final List<Requirement> provides = new ArrayList<>();
  private final List<ChangelogEntry> changelog = new ArrayList<>();

  public RpmDefinition(String name, String version, String release) {
    this.name = checkToken("name", name, "/ \t\n");
    this.version = checkToken("version", version, "-/~ \t\n");
    this.release = checkToken("release", release, "-/~ \t\n");
  }

  private static String checkToken(String what, String value, String forbidden) {
    Objects.requireNonNull(value, what);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    for (char c : value.toCharArray()) {
      if (forbidden.indexOf(c) >= 0 || c < ' ') {
        throw new IllegalArgumentException(
            what + " '" + value + "' contains '" + c + "', which rpm does not allow there");
      }
    }
    return value;
  }

  public RpmDefinition summary(String value) {
    this.summary = value;
    return this;
  }

  public RpmDefinition description(String value) {
    this.description = value;
    return this;
  }

  public RpmDefinition license(String value) {
    this.license = value;
    return this;
  }

  public RpmDefinition url(String value) {
    this.url = value;
    return this;
  }

  public RpmDefinition vendor(String value) {
    this.vendor = value;
    return this;
  }

  public RpmDefinition group(String value) {
    this.group = value;
    return this;
  }

  public RpmDefinition packager(String value) {
    this.packager = value;
    return this;
  }

  public RpmDefinition preInstall(String script) {
    this.preInstall = script;
    return this;
  }

  public RpmDefinition postInstall(String script) {
    this.postInstall = script;
    return this;
  }

  public RpmDefinition preUninstall(String script) {
    this.preUninstall = script;
    return this;
  }

  public RpmDefinition postUninstall(String script) {
    this.postUninstall = script;
    return this;
  }

  public RpmDefinition add(PayloadEntry entry) {
    for (PayloadEntry existing : payload) {
      if (existing.path().equals(entry.path())) {
        throw new IllegalArgumentException(entry.path() + " is in the payload twice");
      }
    }
    payload.add(entry);
    return this;
  }

  public RpmDefinition require(Requirement requirement) {
    requires.add(requirement);
    return this;
  }

  /** An extra Provides (the package always provides its own name = version-release). */
  public RpmDefinition provide(Requirement capability) {
    provides.add(capability);
    return this;
  }

  public RpmDefinition changelog(List<ChangelogEntry> entries) {
    changelog.addAll(entries);
    return this;
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  public String release() {
    return release;
  }

  /** The file name rpm tools expect: name-version-release.noarch.rpm. */
  public String fileName() {
    return name + "-" + version + "-" + release + ".noarch.rpm";
  }

  public String summary() {
    return summary;
  }

  public String description() {
    return description;
  }

  public String license() {
    return license;
  }

  public String url() {
    return url;
  }

  public String vendor() {
    return vendor;
  }

  public String group() {
    return group;
  }

  public String packager() {
    return packager;
  }

  public String preInstall() {
    return preInstall;
  }

  public String postInstall() {
    return postInstall;
  }

  public String preUninstall() {
    return preUninstall;
  }

  public String postUninstall() {
    return postUninstall;
  }

  public List<PayloadEntry> payload() {
    return List.copyOf(payload);
  }

  public List<Requirement> requires() {
    return List.copyOf(requires);
  }

  public List<Requirement> provides() {
    return List.copyOf(provides);
  }

  public List<ChangelogEntry> changelog() {
    return List.copyOf(changelog);
  }
}
