package io.watchsync.repo.build;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** The project's real packaging inputs, with small jars standing in for the built ones. */
final class ProjectFiles {
  /** The project root: tests run in the repo-builder module directory. */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  static final Path PACKAGING = ROOT.resolve("packaging");

  private ProjectFiles() {}

  static ProjectPackages.Inputs inputs(Path work, String version, String release)
      throws IOException {
    return inputs(work, PACKAGING, version, release);
  }

  static ProjectPackages.Inputs inputs(Path work, Path packaging, String version, String release)
      throws IOException {
    return new ProjectPackages.Inputs(
        jar(work.resolve("watchsync.jar"), "io.watchsync.agent.cli.WatchsyncCommand"),
        jar(work.resolve("repo-builder.jar"), "io.watchsync.repo.cli.RepoBuilderCommand"),
        packaging,
        ROOT.resolve("README.md"),
        ROOT.resolve("LICENSE"),
        version,
        release);
  }

  /** A small jar: the packages' content does not depend on what the jar does. */
  static Path jar(Path path, String mainClass) throws IOException {
    if (Files.exists(path)) {
      return path;
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
    Files.createDirectories(path.getParent());
    try (OutputStream file = Files.newOutputStream(path);
        JarOutputStream jar = new JarOutputStream(file, manifest)) {
      // Compressed content, as in a real jar (rpmlint flags jars that store everything).
      jar.putNextEntry(new java.util.jar.JarEntry("README.txt"));
      jar.write(("stands in for " + mainClass + "\n").repeat(50).getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
    }
    return path;
  }
}
