package io.watchsync.repo.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 serving directories under path prefixes, with HTTP Range, and
 * faults to inject per file name: a connection dropped after some bytes, wrong bytes, a pause
 * before each response, a trickle of bytes. Everything asked for is logged.
 */
public final class UpstreamServer implements AutoCloseable {
  /** One request: the path and the Range start it asked for (-1 for none). */
  public record Request(String path, long rangeStart) {}

  private final HttpServer server;
  private final Map<String, Path> mounts = new ConcurrentHashMap<>();
  private final Map<String, URI> redirects = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> drops = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> corrupt = new ConcurrentHashMap<>();
  private final List<Request> log = new CopyOnWriteArrayList<>();
  private volatile String authorization;
  private volatile String proxyAuthorization;
  private volatile long latencyMillis;
  private volatile long bytesPerSecond;

  public UpstreamServer() throws IOException {
    this(null);
  }

  /** Over TLS with {@code tls}'s certificate when not null, else plain HTTP. */
  public UpstreamServer(javax.net.ssl.SSLContext tls) throws IOException {
    this(tls, false);
  }

  /**
   * Over TLS with {@code tls}'s certificate when not null, else plain HTTP; with {@code
   * clientAuth}, only clients with a certificate {@code tls} trusts are served.
   */
  public UpstreamServer(javax.net.ssl.SSLContext tls, boolean clientAuth) throws IOException {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
    if (tls != null) {
      com.sun.net.httpserver.HttpsServer https =
          com.sun.net.httpserver.HttpsServer.create(address, 64);
      https.setHttpsConfigurator(
          new com.sun.net.httpserver.HttpsConfigurator(tls) {
            @Override
            public void configure(com.sun.net.httpserver.HttpsParameters params) {
              javax.net.ssl.SSLParameters ssl = tls.getDefaultSSLParameters();
              ssl.setNeedClientAuth(clientAuth);
              params.setSSLParameters(ssl);
            }
          });
      server = https;
    } else {
      server = HttpServer.create(address, 64);
    }
    server.setExecutor(
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "upstream-server");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/", this::handle);
    server.start();
  }

  /** Serves {@code dir} under http://127.0.0.1:PORT/PREFIX/; returns that URL. */
  public URI mount(String prefix, Path dir) {
    mounts.put(prefix, dir);
    return url(prefix);
  }

  /** Answers every request under {@code prefix} with a 302 to the same path under {@code to}. */
  public URI redirect(String prefix, URI to) {
    redirects.put(prefix, to);
    return url(prefix);
  }

  /** The URL of {@code prefix}, mounted or not (an unmounted prefix answers 404). */
  public URI url(String prefix) {
    String scheme = server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http";
    return URI.create(
        scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/" + prefix + "/");
  }

  /** The next {@code times} responses for files named {@code fileName} end after half the file. */
  public void dropMidFile(String fileName, int times) {
    drops.put(fileName, new AtomicInteger(times));
  }

  /** The next {@code times} responses for {@code fileName} carry wrong bytes (same length). */
  public void corrupt(String fileName, int times) {
    corrupt.put(fileName, new AtomicInteger(times));
  }

  /** Answers 401 to requests without HTTP basic authentication as {@code user}. */
  public void requireBasicAuth(String user, String password) {
    authorization =
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString(
                    (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * Acts as a proxy that answers 407 to requests without basic proxy authentication as {@code
   * user}.
   */
  public void requireProxyAuth(String user, String password) {
    proxyAuthorization =
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString(
                    (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public void latency(long millis) {
    latencyMillis = millis;
  }

  /** Sends bodies at most this fast (0: as fast as it can). */
  public void throttle(long perSecond) {
    bytesPerSecond = perSecond;
  }

  public void clearFaults() {
    drops.clear();
    corrupt.clear();
    latencyMillis = 0;
    bytesPerSecond = 0;
  }

  public List<Request> log() {
    return List.copyOf(log);
  }

  public void clearLog() {
    log.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String range = exchange.getRequestHeaders().getFirst("Range");
      long start = range != null && range.startsWith("bytes=") ? parseStart(range) : -1;
      log.add(new Request(path, start));
      pause(latencyMillis);
      String proxyRequired = proxyAuthorization;
      if (proxyRequired != null
          && !proxyRequired.equals(exchange.getRequestHeaders().getFirst("Proxy-Authorization"))) {
        exchange.getResponseHeaders().add("Proxy-Authenticate", "Basic realm=\"proxy\"");
        exchange.sendResponseHeaders(407, -1);
        return;
      }
      String required = authorization;
      if (required != null
          && !required.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"upstream\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      String[] parts = path.substring(1).split("/", 2);
      URI redirect = parts.length == 2 ? redirects.get(parts[0]) : null;
      if (redirect != null) {
        exchange.getResponseHeaders().add("Location", redirect.resolve(parts[1]).toString());
        exchange.sendResponseHeaders(302, -1);
        return;
      }
      Path root = parts.length == 2 ? mounts.get(parts[0]) : null;
      Path file = root == null ? null : root.resolve(parts[1]).normalize();
      if (file == null || !file.startsWith(root) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = Files.readAllBytes(file);
      String name = file.getFileName().toString();
      if (take(corrupt, name)) {
        body = body.clone();
        for (int i = body.length / 2; i < body.length; i += 97) {
          body[i] ^= 0x5a;
        }
      }
      int from = 0;
      if (start > 0 && start < body.length) {
        from = (int) start;
        exchange
            .getResponseHeaders()
            .add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
        exchange.sendResponseHeaders(206, body.length - from);
      } else if (start >= body.length && start > 0) {
        exchange.sendResponseHeaders(416, -1);
        return;
      } else {
        exchange.sendResponseHeaders(200, body.length);
      }
      int end = body.length;
      boolean drop = take(drops, name);
      if (drop) {
        end = from + Math.max(1, (body.length - from) / 2);
      }
      OutputStream out = exchange.getResponseBody();
      int chunk = 8192;
      for (int i = from; i < end; i += chunk) {
        int n = Math.min(chunk, end - i);
        out.write(body, i, n);
        out.flush();
        long rate = bytesPerSecond;
        if (rate > 0) {
          pause(n * 1000L / rate);
        }
      }
      if (drop) {
        // Ends the exchange with the body short of its announced length: the client sees EOF.
        throw new IOException("dropped on purpose");
      }
    }
  }

  private static boolean take(Map<String, AtomicInteger> faults, String name) {
    AtomicInteger left = faults.get(name);
    return left != null && left.getAndDecrement() > 0;
  }

  private static long parseStart(String range) {
    try {
      String spec = range.substring("bytes=".length());
      return Long.parseLong(spec.substring(0, spec.indexOf('-')));
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** The server's own pacing: it simulates a slow network, it does not wait for a condition. */
  private static void pause(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
