package io.watchsync.repo.mirror;

import io.watchsync.repo.mirror.model.CompsGroups;
import io.watchsync.repo.mirror.model.Modules;
import io.watchsync.repo.mirror.model.Pkg;
import io.watchsync.repo.mirror.model.PrimaryParser;
import io.watchsync.repo.mirror.publish.ExtraMetadata;
import io.watchsync.repo.mirror.resolve.Arches;
import io.watchsync.repo.mirror.upstream.MetadataStreams;
import io.watchsync.repo.mirror.upstream.UpstreamRepo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLStreamException;

/**
 * What the upstreams offer: their packages of the accepted architectures (from primary.xml), comps
 * groups and module streams, and the metadata to carry into the mirror (comps, modules,
 * updateinfo).
 */
record Catalog(
    List<UpstreamRepo> repos,
    List<Pkg> packages,
    CompsGroups groups,
    Modules modules,
    ExtraMetadata extra) {

  static Catalog read(List<UpstreamRepo> repos, Arches arches)
      throws MirrorException, InterruptedException {
    List<Pkg> packages = new ArrayList<>();
    CompsGroups groups = new CompsGroups();
    Modules modules = new Modules();
    ExtraMetadata extra = new ExtraMetadata();
    PrimaryParser parser = new PrimaryParser();
    for (int i = 0; i < repos.size(); i++) {
      UpstreamRepo repo = repos.get(i);
      int index = i;
      read(
          repo,
          "primary",
          in ->
              parser.parse(
                  index,
                  in,
                  p -> {
                    if (arches.accepts(p.arch()) && repo.packages().admits(p)) {
                      packages.add(p);
                    }
                  }));
      String comps = repo.has("group_gz") ? "group_gz" : repo.has("group") ? "group" : null;
      if (comps != null) {
        byte[] xml = bytes(repo, comps);
        try {
          groups.read(new ByteArrayInputStream(xml));
        } catch (XMLStreamException e) {
          throw new MirrorException("repository " + repo.id() + ": comps: " + e.getMessage(), e);
        }
        extra.addComps(xml);
      }
      if (repo.has("modules")) {
        byte[] yaml = bytes(repo, "modules");
        try {
          modules.read(new ByteArrayInputStream(yaml));
        } catch (RuntimeException e) {
          throw new MirrorException(
              "repository " + repo.id() + ": modules.yaml: " + e.getMessage(), e);
        }
        extra.addModules(yaml);
      }
      if (repo.has("updateinfo")) {
        extra.addUpdateinfo(
            repo.metadata("updateinfo"), repo.repomd().record("updateinfo").checksum());
      }
    }
    return new Catalog(List.copyOf(repos), packages, groups, modules, extra);
  }

  /** Reads one metadata file of a repository as a stream, decompressed. */
  @FunctionalInterface
  interface StreamReader {
    void read(InputStream in) throws XMLStreamException, IOException;
  }

  static void read(UpstreamRepo repo, String type, StreamReader reader)
      throws MirrorException, InterruptedException {
    Path file = repo.metadata(type);
    try (InputStream in = MetadataStreams.open(file)) {
      reader.read(in);
    } catch (XMLStreamException | IOException e) {
      throw new MirrorException(
          "repository " + repo.id() + ": " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  private static byte[] bytes(UpstreamRepo repo, String type)
      throws MirrorException, InterruptedException {
    Path file = repo.metadata(type);
    try {
      return MetadataStreams.readAll(file);
    } catch (IOException e) {
      throw new MirrorException(
          "repository " + repo.id() + ": " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }
}
