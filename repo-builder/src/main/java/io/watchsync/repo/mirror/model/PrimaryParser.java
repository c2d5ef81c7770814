package io.watchsync.repo.mirror.model;

import io.watchsync.repo.rpm.Evr;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Streams primary.xml (StAX, one package in memory at a time) into {@link Pkg}s. Repeated strings
 * (capability names, arches, versions) are shared, so a large repository stays small in memory.
 */
public final class PrimaryParser {
  private final Map<String, String> strings = new HashMap<>();

  /** Reads every package of {@code in}, giving each to {@code sink}. */
  public void parse(int repo, InputStream in, Consumer<Pkg> sink) throws XMLStreamException {
    XMLStreamReader r = factory().createXMLStreamReader(in);
    try {
      while (r.hasNext()) {
        if (r.next() == XMLStreamConstants.START_ELEMENT && r.getLocalName().equals("package")) {
          Pkg p = readPackage(repo, r);
          if (p != null) {
            sink.accept(p);
          }
        }
      }
    } finally {
      r.close();
    }
  }

  static XMLInputFactory factory() {
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    return f;
  }

  private Pkg readPackage(int repo, XMLStreamReader r) throws XMLStreamException {
    String name = null;
    String arch = null;
    Evr evr = null;
    String checksumType = null;
    String checksum = null;
    String href = null;
    long size = 0;
    Map<String, List<Dep>> deps = new HashMap<>();
    List<String> files = new ArrayList<>();
    List<Dep> current = null;
    int depth = 1;
    while (depth > 0) {
      int event = r.next();
      if (event == XMLStreamConstants.END_ELEMENT) {
        depth--;
        String local = r.getLocalName();
        if (local.equals("provides")
            || local.equals("requires")
            || local.equals("obsoletes")
            || local.equals("recommends")
            || local.equals("supplements")) {
          current = null;
        }
        continue;
      }
      if (event != XMLStreamConstants.START_ELEMENT) {
        continue;
      }
      depth++;
      switch (r.getLocalName()) {
        case "name" -> {
          name = intern(r.getElementText());
          depth--;
        }
        case "arch" -> {
          arch = intern(r.getElementText());
          depth--;
        }
        case "version" ->
            evr =
                new Evr(
                    epoch(r.getAttributeValue(null, "epoch")),
                    intern(nonNull(r.getAttributeValue(null, "ver"))),
                    intern(nonNull(r.getAttributeValue(null, "rel"))));
        case "checksum" -> {
          checksumType = intern(r.getAttributeValue(null, "type"));
          checksum = r.getElementText().strip();
          depth--;
        }
        case "size" -> size = parseLong(r.getAttributeValue(null, "package"));
        case "location" -> href = r.getAttributeValue(null, "href");
        case "provides", "requires", "obsoletes", "recommends", "supplements" ->
            current = deps.computeIfAbsent(r.getLocalName(), k -> new ArrayList<>());
        case "conflicts", "suggests", "enhances" -> current = null;
        case "entry" -> {
          if (current != null) {
            current.add(entry(r));
          }
        }
        case "file" -> {
          files.add(intern(r.getElementText()));
          depth--;
        }
        default -> {}
      }
    }
    if (name == null || arch == null || evr == null || href == null) {
      return null;
    }
    return new Pkg(
        repo,
        name,
        arch,
        evr,
        checksumType,
        checksum,
        href,
        size,
        list(deps.get("provides")),
        list(deps.get("requires")),
        list(deps.get("obsoletes")),
        list(deps.get("recommends")),
        list(deps.get("supplements")),
        files.isEmpty() ? List.of() : List.copyOf(files));
  }

  private Dep entry(XMLStreamReader r) {
    String name = intern(r.getAttributeValue(null, "name"));
    String flags = r.getAttributeValue(null, "flags");
    String ver = r.getAttributeValue(null, "ver");
    if (flags == null || ver == null) {
      return new Dep(name, null, null);
    }
    String rel = r.getAttributeValue(null, "rel");
    return new Dep(
        name,
        intern(flags),
        new Evr(epoch(r.getAttributeValue(null, "epoch")), intern(ver), intern(rel)));
  }

  private static List<Dep> list(List<Dep> deps) {
    return deps == null || deps.isEmpty() ? List.of() : List.copyOf(deps);
  }

  private String intern(String s) {
    if (s == null) {
      return null;
    }
    String known = strings.putIfAbsent(s, s);
    return known == null ? s : known;
  }

  private static long epoch(String s) {
    return s == null || s.isEmpty() ? 0 : parseLong(s);
  }

  private static long parseLong(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
