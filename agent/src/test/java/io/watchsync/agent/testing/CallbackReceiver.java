package io.watchsync.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 that records the callbacks it accepts, and can be told to fail
 * with 500 for a while, as a web hook that is down.
 */
public final class CallbackReceiver implements AutoCloseable {
  /** One accepted request. */
  public record Received(String contentType, String authorization, JsonNode body) {}

  private final HttpServer server;
  private final List<Received> accepted = new CopyOnWriteArrayList<>();
  private final AtomicInteger refused = new AtomicInteger();
  private volatile boolean failing;

  public CallbackReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(
        "/hook",
        exchange -> {
          try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (failing || !exchange.getRequestMethod().equals("POST")) {
              refused.incrementAndGet();
              exchange.sendResponseHeaders(500, -1);
              return;
            }
            accepted.add(
                new Received(
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    new ObjectMapper().readTree(body)));
            exchange.sendResponseHeaders(204, -1);
          }
        });
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook?k=v");
  }

  /** From now on, answer 500 to everything (true) or accept again (false). */
  public void failing(boolean on) {
    failing = on;
  }

  public List<Received> accepted() {
    return List.copyOf(accepted);
  }

  public int refused() {
    return refused.get();
  }

  /** True when an accepted callback lists {@code path} under {@code field}. */
  public boolean announced(String field, String path) {
    for (Received r : accepted) {
      for (JsonNode p : r.body().path(field)) {
        if (p.asText().equals(path)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
