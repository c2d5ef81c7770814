package io.watchsync.repo.mirror.publish;

import io.watchsync.repo.files.Digests;
import io.watchsync.repo.index.Compression;
import io.watchsync.repo.index.Repomd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Adds the upstream metadata an index does not make to the mirror's repomd.xml, as modifyrepo_c
 * does: comps groups (as {@code group} and {@code group_gz}), {@code modules} and {@code
 * updateinfo}, several upstreams' documents merged into one. The files are written first under
 * names of their checksum, then repomd.xml is swapped in with one atomic rename.
 */
public final class ExtraMetadata {
  /** The types this step owns in repomd.xml (the zchunk forms are dropped, not rewritten). */
  static final Set<String> TYPES =
      Set.of(
          "group",
          "group_gz",
          "group_zck",
          "modules",
          "modules_zck",
          "updateinfo",
          "updateinfo_zck");

  private final List<byte[]> comps = new ArrayList<>();
  private final List<byte[]> modules = new ArrayList<>();
  private final List<Path> updateinfo = new ArrayList<>();
  private final List<String> updateinfoChecksums = new ArrayList<>();

  public void addComps(byte[] xml) {
    comps.add(xml);
  }

  public void addModules(byte[] yaml) {
    modules.add(yaml);
  }

  /** An upstream updateinfo file as fetched (compressed), with its checksum from repomd.xml. */
  public void addUpdateinfo(Path file, String checksum) {
    updateinfo.add(file);
    updateinfoChecksums.add(checksum);
  }

  /** A digest of everything this step would publish, to tell whether it changed since. */
  public String fingerprint() {
    var d = Digests.sha256();
    for (List<byte[]> docs : List.of(comps, modules)) {
      for (byte[] doc : docs) {
        d.update(doc);
      }
      d.update((byte) 0);
    }
    for (String checksum : updateinfoChecksums) {
      d.update(checksum.getBytes(StandardCharsets.UTF_8));
    }
    return Digests.hex(d);
  }

  /**
   * Writes the files into {@code repodata} and makes repomd.xml list them (and only them). {@code
   * mirrored}: the file names of the packages the mirror holds, which the advisories of updateinfo
   * are cut down to.
   */
  public void publish(Path repodata, Set<String> mirrored) throws IOException {
    Path repomdFile = repodata.resolve("repomd.xml");
    Repomd old = Repomd.read(repomdFile);
    List<Repomd.Record> records = new ArrayList<>();
    for (Repomd.Record r : old.records()) {
      if (!TYPES.contains(r.type())) {
        records.add(r);
      }
    }
    if (!comps.isEmpty()) {
      byte[] xml = mergeXml(comps, "id");
      records.add(write(repodata, "group", "comps.xml", xml, Compression.NONE));
      records.add(write(repodata, "group_gz", "comps.xml.gz", xml, Compression.GZ));
    }
    if (!modules.isEmpty()) {
      records.add(write(repodata, "modules", "modules.yaml.gz", concat(modules), Compression.GZ));
    }
    if (!updateinfo.isEmpty()) {
      records.add(writeUpdateinfo(repodata, mirrored));
    }
    Repomd repomd = new Repomd(old.revision(), records);
    Path temp = Files.createTempFile(repodata, ".repomd-", ".tmp");
    try {
      Files.writeString(temp, repomd.toXml(), StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(
          temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(
          temp, repomdFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    Set<String> keep = new HashSet<>();
    for (Repomd.Record r : records) {
      keep.add(Path.of(r.location()).getFileName().toString());
    }
    for (Repomd.Record r : old.records()) {
      String name = Path.of(r.location()).getFileName().toString();
      if (TYPES.contains(r.type()) && !keep.contains(name)) {
        Files.deleteIfExists(repodata.resolve(name));
      }
    }
  }

  private static Repomd.Record write(
      Path repodata, String type, String baseName, byte[] open, Compression compression)
      throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(open.length / 4 + 64);
    try (OutputStream out = compression.compress(buffer)) {
      out.write(open);
    }
    byte[] stored = compression == Compression.NONE ? open : buffer.toByteArray();
    String checksum = sha256(stored);
    String name = checksum + "-" + baseName;
    Path file = repodata.resolve(name);
    if (!Files.exists(file)) {
      Path temp = Files.createTempFile(repodata, "." + type + "-", ".tmp");
      Files.write(temp, stored);
      Files.setPosixFilePermissions(
          temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    }
    boolean compressed = compression != Compression.NONE;
    return new Repomd.Record(
        type,
        "sha256",
        checksum,
        compressed ? sha256(open) : null,
        "repodata/" + name,
        Files.getLastModifiedTime(file).toMillis() / 1000,
        stored.length,
        compressed ? open.length : -1,
        null,
        -1,
        null);
  }

  /** The filtered updateinfo, streamed through gzip into a file named by its checksum. */
  private Repomd.Record writeUpdateinfo(Path repodata, Set<String> mirrored) throws IOException {
    Path temp = Files.createTempFile(repodata, ".updateinfo-", ".tmp");
    try {
      var openDigest = Digests.sha256();
      long openSize;
      try (OutputStream file = Files.newOutputStream(temp);
          OutputStream gz = Compression.GZ.compress(file);
          var counting = new java.security.DigestOutputStream(gz, openDigest);
          var counter = new CountingStream(counting)) {
        UpdateinfoFilter.write(updateinfo, mirrored, counter);
        counter.flush();
        openSize = counter.count;
      }
      var digest = Digests.sha256();
      try (var in = Files.newInputStream(temp)) {
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) > 0) {
          digest.update(buffer, 0, n);
        }
      }
      String checksum = Digests.hex(digest);
      Path file = repodata.resolve(checksum + "-updateinfo.xml.gz");
      Files.setPosixFilePermissions(
          temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Repomd.Record(
          "updateinfo",
          "sha256",
          checksum,
          Digests.hex(openDigest),
          "repodata/" + file.getFileName(),
          Files.getLastModifiedTime(file).toMillis() / 1000,
          Files.size(file),
          openSize,
          null,
          -1,
          null);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Counts the bytes written through it. */
  private static final class CountingStream extends java.io.FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }

  private static String sha256(byte[] data) {
    var d = Digests.sha256();
    d.update(data);
    return Digests.hex(d);
  }

  private static byte[] concat(List<byte[]> yamls) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] y : yamls) {
      out.writeBytes(y);
      if (y.length > 0 && y[y.length - 1] != '\n') {
        out.write('\n');
      }
    }
    return out.toByteArray();
  }

  /**
   * One document: the first as it is when alone; otherwise the first with the top-level elements of
   * the others appended, skipping those whose {@code <idElement>} (or id attribute) it has.
   */
  static byte[] mergeXml(List<byte[]> documents, String idElement) throws IOException {
    if (documents.size() == 1) {
      return documents.get(0);
    }
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      f.setExpandEntityReferences(false);
      var builder = f.newDocumentBuilder();
      Document first = builder.parse(new ByteArrayInputStream(documents.get(0)));
      Element root = first.getDocumentElement();
      Set<String> seen = new HashSet<>();
      for (Element e : children(root)) {
        seen.add(e.getTagName() + ":" + idOf(e, idElement));
      }
      for (byte[] more : documents.subList(1, documents.size())) {
        Document other = builder.parse(new ByteArrayInputStream(more));
        for (Element e : children(other.getDocumentElement())) {
          if (seen.add(e.getTagName() + ":" + idOf(e, idElement))) {
            root.appendChild(first.importNode(e, true));
          }
        }
      }
      var transformer = TransformerFactory.newDefaultInstance().newTransformer();
      transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      transformer.transform(new DOMSource(first), new StreamResult(out));
      return out.toByteArray();
    } catch (Exception e) {
      throw new IOException("cannot merge upstream metadata: " + e.getMessage(), e);
    }
  }

  private static List<Element> children(Element root) {
    List<Element> out = new ArrayList<>();
    NodeList nodes = root.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
        out.add((Element) nodes.item(i));
      }
    }
    return out;
  }

  private static String idOf(Element e, String idElement) {
    NodeList ids = e.getElementsByTagName(idElement);
    if (ids.getLength() > 0) {
      return ids.item(0).getTextContent().strip();
    }
    return e.getAttribute(idElement);
  }
}
