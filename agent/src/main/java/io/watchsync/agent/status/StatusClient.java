package io.watchsync.agent.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Talks to a running agent's status endpoint, for {@code watchsync status} and {@code sync-now}.
 */
public final class StatusClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final String base;
  private final HttpClient http;

  /** A client for the agent at {@code baseUrl} ({@code http://127.0.0.1:9873}). */
  public StatusClient(String baseUrl) {
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  /** The answer of one request. */
  public record Answer(int code, String body) {}

  /** {@code GET /status}, parsed. */
  public JsonNode status() throws StatusException, InterruptedException {
    Answer a = send(HttpRequest.newBuilder(uri("/status")).GET());
    if (a.code() != 200) {
      throw new StatusException(
          base + "/status answered HTTP " + a.code() + ": " + a.body().strip());
    }
    try {
      return new ObjectMapper().readTree(a.body());
    } catch (IOException e) {
      throw new StatusException(base + "/status did not answer JSON: " + e.getMessage(), e);
    }
  }

  /**
   * {@code POST /sync-now}, for one target or (null) all; with {@code allowDeletes} that full sync
   * may delete beyond {@code max_delete}, once.
   */
  public Answer syncNow(String target, boolean allowDeletes)
      throws StatusException, InterruptedException {
    List<String> query = new ArrayList<>();
    if (target != null) {
      query.add("target=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
    }
    if (allowDeletes) {
      query.add("allow_deletes=1");
    }
    String path = "/sync-now" + (query.isEmpty() ? "" : "?" + String.join("&", query));
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  private URI uri(String path) throws StatusException {
    try {
      URI u = URI.create(base + path);
      if (u.getHost() == null || !"http".equalsIgnoreCase(u.getScheme())) {
        throw new IllegalArgumentException("need http://host:port");
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw new StatusException("not a usable agent URL: " + base + " (" + e.getMessage() + ")");
    }
  }

  private Answer send(HttpRequest.Builder request) throws StatusException, InterruptedException {
    try {
      HttpResponse<String> r =
          http.send(
              request.timeout(TIMEOUT).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(r.statusCode(), r.body());
    } catch (ConnectException e) {
      throw new StatusException(
          "cannot reach the agent at "
              + base
              + ": connection refused (is watchsync running, with the status endpoint on?)");
    } catch (HttpTimeoutException e) {
      throw new StatusException("the agent at " + base + " did not answer within 10 s");
    } catch (IOException e) {
      throw new StatusException("cannot reach the agent at " + base + ": " + e);
    }
  }
}
