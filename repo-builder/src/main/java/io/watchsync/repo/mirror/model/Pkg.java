package io.watchsync.repo.mirror.model;

import io.watchsync.repo.rpm.Evr;
import java.util.List;

/**
 * What the mirror needs of one upstream package: identity, where to fetch it and how to check it,
 * and the dependency lists the closure follows. Files are those primary.xml lists (binaries and
 * /etc); the rest come from filelists.xml when a file requirement needs them.
 */
public record Pkg(
    int repo,
    String name,
    String arch,
    Evr evr,
    String checksumType,
    String checksum,
    String href,
    long size,
    List<Dep> provides,
    List<Dep> requires,
    List<Dep> obsoletes,
    List<Dep> recommends,
    List<Dep> supplements,
    List<String> files) {

  /** name-[epoch:]version-release.arch */
  public String nevra() {
    return name + "-" + evr + "." + arch;
  }

  /** The NEVRA as modules.yaml lists artifacts: name-epoch:version-release.arch, epoch always. */
  public String moduleNevra() {
    return name + "-" + evr.epoch() + ":" + evr.version() + "-" + evr.release() + "." + arch;
  }

  /** The file name the package is stored under. */
  public String fileName() {
    int slash = href.lastIndexOf('/');
    return slash < 0 ? href : href.substring(slash + 1);
  }

  @Override
  public String toString() {
    return nevra();
  }
}
