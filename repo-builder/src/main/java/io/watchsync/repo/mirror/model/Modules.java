package io.watchsync.repo.mirror.model;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The module streams of modules.yaml (modulemd v2 and modulemd-defaults v1 documents), as far as
 * choosing packages needs them: which NEVRAs each stream ships, what it requires, and which stream
 * of each module is the default.
 */
public final class Modules {
  /** One build of a stream: its NEVRAs (epoch always written) and required module streams. */
  public record Build(
      String name,
      String stream,
      long version,
      String context,
      List<String> artifacts,
      Map<String, List<String>> requires) {}

  private final List<Build> builds = new ArrayList<>();
  private final Map<String, String> defaults = new LinkedHashMap<>();

  public boolean isEmpty() {
    return builds.isEmpty();
  }

  public List<Build> builds() {
    return builds;
  }

  /** Module name to default stream. */
  public Map<String, String> defaults() {
    return defaults;
  }

  /** Adds the documents of one modules.yaml. */
  @SuppressWarnings("unchecked")
  public void read(InputStream in) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(Integer.MAX_VALUE);
    Yaml yaml = new Yaml(new SafeConstructor(options));
    for (Object doc : yaml.loadAll(in)) {
      if (!(doc instanceof Map<?, ?> map) || !(map.get("data") instanceof Map<?, ?> data)) {
        continue;
      }
      String type = String.valueOf(map.get("document"));
      if (type.equals("modulemd-defaults")) {
        Object module = data.get("module");
        Object stream = data.get("stream");
        if (module != null && stream != null) {
          defaults.putIfAbsent(module.toString(), stream.toString());
        }
      } else if (type.equals("modulemd")) {
        builds.add(build((Map<String, Object>) data));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Build build(Map<String, Object> data) {
    List<String> artifacts = new ArrayList<>();
    if (data.get("artifacts") instanceof Map<?, ?> a && a.get("rpms") instanceof List<?> rpms) {
      for (Object o : rpms) {
        artifacts.add(o.toString());
      }
    }
    Map<String, List<String>> requires = new HashMap<>();
    if (data.get("dependencies") instanceof List<?> deps) {
      for (Object d : deps) {
        if (d instanceof Map<?, ?> dep && dep.get("requires") instanceof Map<?, ?> req) {
          for (Map.Entry<?, ?> e : req.entrySet()) {
            List<String> streams = new ArrayList<>();
            if (e.getValue() instanceof Collection<?> c) {
              c.forEach(s -> streams.add(s.toString()));
            } else if (e.getValue() != null) {
              streams.add(e.getValue().toString());
            }
            requires.put(e.getKey().toString(), streams);
          }
        }
      }
    }
    Object version = data.get("version");
    return new Build(
        String.valueOf(data.get("name")),
        String.valueOf(data.get("stream")),
        version instanceof Number n ? n.longValue() : 0,
        String.valueOf(data.get("context")),
        List.copyOf(artifacts),
        requires);
  }

  /** Every NEVRA some stream ships. */
  public Set<String> allArtifacts() {
    Set<String> all = new HashSet<>();
    for (Build b : builds) {
      all.addAll(b.artifacts());
    }
    return all;
  }
}
