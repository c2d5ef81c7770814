package io.watchsync.repo.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackageElementsTest {
  private static final String HEAD =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata packages=\"3\">\n";

  private record Found(long offset, String text) {}

  /** A stream that hands out at most {@code step} bytes a read, as a slow decompressor may. */
  private static InputStream trickling(byte[] bytes, int step) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, step));
      }
    };
  }

  private static List<Found> split(byte[] doc, int step, ByteArrayOutputStream spill)
      throws IOException {
    List<Found> found = new ArrayList<>();
    PackageElements.split(
        trickling(doc, step),
        spill,
        (at, bytes, from, length) ->
            found.add(new Found(at, new String(bytes, from, length, StandardCharsets.UTF_8))));
    return found;
  }

  private static String element(String name, int padding) {
    return "<package type=\"rpm\"><name>"
        + name
        + "</name><packager>x</packager>"
        + "y".repeat(padding)
        + "</package>\n";
  }

  @Test
  void everyElementIsFoundWithItsNewlineAndWhereItStartsWhateverTheReadSizes() throws IOException {
    String[] elements = {element("a", 10), element("b", 300_000), element("c", 0)};
    String doc = HEAD + String.join("", elements) + "</metadata>\n";
    byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
    for (int step : new int[] {1, 7, 4096, 1 << 20}) {
      ByteArrayOutputStream spill = new ByteArrayOutputStream();
      List<Found> found = split(bytes, step, spill);
      assertEquals(3, found.size(), "read size " + step);
      for (int i = 0; i < 3; i++) {
        assertEquals(elements[i], found.get(i).text(), "read size " + step);
        assertEquals(doc.indexOf(elements[i]), found.get(i).offset(), "read size " + step);
      }
      assertArrayEquals(bytes, spill.toByteArray(), "the spill is the document, read size " + step);
    }
  }

  @Test
  void anElementAtTheVeryEndWithoutANewlineIsFound() throws IOException {
    String doc = HEAD + "<package pkgid=\"1\"></package>";
    List<Found> found = split(doc.getBytes(StandardCharsets.UTF_8), 5, new ByteArrayOutputStream());
    assertEquals(List.of(new Found(HEAD.length(), "<package pkgid=\"1\"></package>")), found);
  }

  @Test
  void theDocumentsHeadIsReturnedForItsPackageCount() throws IOException {
    String doc = HEAD + element("a", 2000) + "</metadata>\n";
    byte[] head =
        PackageElements.split(
            trickling(doc.getBytes(StandardCharsets.UTF_8), 3),
            new ByteArrayOutputStream(),
            (at, bytes, from, length) -> {});
    assertTrue(new String(head, StandardCharsets.UTF_8).startsWith(HEAD));
  }

  @Test
  void anUnclosedElementIsAnError() {
    String doc = HEAD + "<package type=\"rpm\"><name>a</name>";
    IOException e =
        assertThrows(
            IOException.class,
            () -> split(doc.getBytes(StandardCharsets.UTF_8), 4096, new ByteArrayOutputStream()));
    assertEquals("a <package> element is not closed", e.getMessage());
  }
}
