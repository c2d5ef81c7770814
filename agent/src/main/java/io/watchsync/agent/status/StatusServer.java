package io.watchsync.agent.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.DurationParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's local HTTP endpoint: {@code GET /metrics} (Prometheus), {@code GET /health} (200
 * while every target is up and within max_lag, else 503), {@code GET /status} (JSON, for {@code
 * watchsync status}) and {@code POST /sync-now[?target=NAME][&allow_deletes=1]} (a full sync,
 * accepted from loopback only). One thread serves it, so a flood of scrapes cannot take CPU from
 * replication.
 */
public final class StatusServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("watchsync");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final AgentView agent;
  private final Metrics metrics;
  private final Duration maxLag;

  private StatusServer(HttpServer server, AgentView agent, Metrics metrics, Duration maxLag) {
    this.server = server;
    this.agent = agent;
    this.metrics = metrics;
    this.maxLag = maxLag;
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "watchsync-status");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Binds {@code settings.address():settings.port()} and starts serving.
   *
   * @throws IOException when the address cannot be bound (message names it)
   */
  public static StatusServer start(AgentConfig.Status settings, AgentView agent, Metrics metrics)
      throws IOException {
    InetSocketAddress address;
    HttpServer server;
    try {
      address = new InetSocketAddress(InetAddress.getByName(settings.address()), settings.port());
      server = HttpServer.create(address, 16);
    } catch (IOException e) {
      throw new IOException(
          "status endpoint "
              + settings.address()
              + ":"
              + settings.port()
              + ": cannot listen: "
              + e.getMessage(),
          e);
    }
    StatusServer s = new StatusServer(server, agent, metrics, settings.maxLag());
    server.setExecutor(s.executor);
    s.route("/metrics", "GET", s::metrics);
    s.route("/health", "GET", s::health);
    s.route("/status", "GET", s::status);
    s.route("/sync-now", "POST", s::syncNow);
    server.start();
    return s;
  }

  /** The address and port actually bound (the port is chosen by the kernel when 0 was asked). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The base URL to reach it from this machine. */
  public String url() {
    InetSocketAddress a = address();
    String host =
        a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + a.getPort();
  }

  private interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private void route(String path, String method, Handler handler) {
    HttpHandler h =
        exchange -> {
          try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(path)) {
              reply(exchange, 404, "text/plain", "not found\n");
            } else if (!exchange.getRequestMethod().equals(method)) {
              exchange.getResponseHeaders().set("Allow", method);
              reply(exchange, 405, "text/plain", path + " accepts " + method + " only\n");
            } else {
              handler.handle(exchange);
            }
          } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "status endpoint: " + path + ": " + e, e);
          }
        };
    server.createContext(path, h);
  }

  private void metrics(HttpExchange exchange) throws IOException {
    reply(exchange, 200, PrometheusText.CONTENT_TYPE, PrometheusText.render(agent, metrics));
  }

  private void health(HttpExchange exchange) throws IOException {
    List<TargetStatus> targets = agent.targets();
    List<String> problems = new ArrayList<>();
    for (TargetStatus t : targets) {
      String problem = HealthRule.problem(t, maxLag);
      if (problem != null) {
        problems.add(problem);
      }
    }
    if (problems.isEmpty()) {
      reply(
          exchange,
          200,
          "text/plain",
          "ok: "
              + targets.size()
              + (targets.size() == 1 ? " target" : " targets")
              + " up and within max_lag "
              + DurationParser.format(maxLag)
              + "\n");
    } else {
      reply(
          exchange,
          503,
          "text/plain",
          "unhealthy: "
              + String.join("; ", problems)
              + " (max_lag "
              + DurationParser.format(maxLag)
              + ")\n");
    }
  }

  private void status(HttpExchange exchange) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("watched_directories", agent.watchedDirectories());
    body.put("source_lost", agent.sourceLoss());
    body.put("max_lag_seconds", maxLag.toMillis() / 1000.0);
    List<Map<String, Object>> list = new ArrayList<>();
    for (TargetStatus t : agent.targets()) {
      Metrics.TargetCounters c = t.counters();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", t.name());
      m.put("url", t.url());
      m.put("state", t.state().word());
      m.put("state_detail", t.stateDetail());
      m.put("pending", t.pending());
      m.put("lag_seconds", t.lag().toMillis() / 1000.0);
      m.put("files_sent", c.files());
      m.put("bytes_sent", c.bytes());
      m.put("batches", c.batches());
      m.put("full_syncs", c.fullSyncs());
      m.put("full_syncs_started", t.fullSyncs().started());
      m.put("last_full_sync_ended", t.fullSyncs().lastEnded());
      m.put("last_full_sync_done", t.fullSyncs().lastDone());
      m.put("last_success", c.lastSuccess() == null ? null : c.lastSuccess().toString());
      m.put("last_error", c.lastError());
      m.put("last_error_time", c.lastErrorAt() == null ? null : c.lastErrorAt().toString());
      list.add(m);
    }
    body.put("targets", list);
    reply(exchange, 200, "application/json", JSON.writeValueAsString(body) + "\n");
  }

  private void syncNow(HttpExchange exchange) throws IOException {
    drain(exchange.getRequestBody());
    InetAddress from = exchange.getRemoteAddress().getAddress();
    if (!from.isLoopbackAddress()) {
      reply(exchange, 403, "text/plain", "sync-now is accepted from this machine only\n");
      return;
    }
    String query = exchange.getRequestURI().getRawQuery();
    String target = queryParameter(query, "target");
    boolean allowDeletes = "1".equals(queryParameter(query, "allow_deletes"));
    String reason =
        allowDeletes ? "asked for with sync-now --allow-deletes" : "asked for with sync-now";
    if (!agent.requestFullSync(target, reason, allowDeletes)) {
      reply(exchange, 404, "text/plain", "no target named \"" + target + "\"\n");
      return;
    }
    String answer =
        "full sync requested for "
            + (target == null ? "every target" : target)
            + (allowDeletes ? "; it may delete beyond max_delete, this once" : "");
    LOG.info(answer);
    reply(exchange, 202, "text/plain", answer + "\n");
  }

  static String queryParameter(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (key.equals(name)) {
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        return value.isEmpty() ? null : value;
      }
    }
    return null;
  }

  private static void drain(InputStream in) throws IOException {
    in.readNBytes(64 * 1024);
  }

  private static void reply(HttpExchange exchange, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange
        .getResponseHeaders()
        .set("Content-Type", type.contains("charset") ? type : type + "; charset=utf-8");
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
