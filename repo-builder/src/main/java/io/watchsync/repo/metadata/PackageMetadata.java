package io.watchsync.repo.metadata;

import java.util.List;
import java.util.Map;

/**
 * Everything repository metadata says about one package: the fields of its primary.xml,
 * filelists.xml and other.xml entries. Text is already cleaned for XML (see {@link HeaderText}).
 */
public record PackageMetadata(
    String name,
    String arch,
    String epoch,
    String version,
    String release,
    String checksumType,
    String pkgid,
    String summary,
    String description,
    String packager,
    String url,
    long timeFile,
    long timeBuild,
    long sizePackage,
    long sizeInstalled,
    long sizeArchive,
    String locationHref,
    String locationBase,
    String license,
    String vendor,
    String group,
    String buildhost,
    String sourcerpm,
    long headerStart,
    long headerEnd,
    Map<DependencyKind, List<Dependency>> dependencies,
    List<PackageFile> files,
    List<ChangelogItem> changelogs) {

  public List<Dependency> dependencies(DependencyKind kind) {
    return dependencies.getOrDefault(kind, List.of());
  }
}
