package skyshift.sw8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The built jar as an extension of the real OpenTelemetry Java agent (opentelemetry-javaagent from Maven
 * Central, the version in pom.xml) with OTEL_PROPAGATORS=tracecontext,baggage,sw8: a request carrying a
 * SkyWalking Java agent's sw8 header reaches {@link ChainApp}, whose server span must have the parent the
 * collector's skywalking receiver assigns (from the translator's own vectors), and whose outgoing call must
 * carry an sw8 header that maps back to the agent's client span and keeps the caller's trace ID string.
 */
class AgentChainIT {
  private static final int KIND_SERVER = 2;
  private static final int KIND_CLIENT = 3;

  @Test
  void aSkyWalkingCallerAndASkyWalkingCalleeJoinTheAgentsTrace() throws Exception {
    JsonNode vector = ReceiverVectors.load().segments.stream()
        .filter(v -> v.path("kind").asText().equals("trace:java-agent") && v.path("parentSpanId").asInt() >= 0)
        .findFirst().orElseThrow();
    int downstreamPort = captureServer();
    File spansLog = File.createTempFile("sw8-agent-spans", ".log");
    Process app = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:" + System.getProperty("sw8.agent"),
        "-Dotel.javaagent.extensions=" + System.getProperty("sw8.extension"),
        "-Dotel.propagators=tracecontext,baggage,sw8",
        "-Dotel.service.name=chain-middle",
        "-Dotel.traces.exporter=logging-otlp", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none",
        "-cp", new File(ChainApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
        ChainApp.class.getName(), "http://127.0.0.1:" + downstreamPort + "/down")
        .redirectError(spansLog).start();
    try {
      int port = readPort(app);
      String sw8 = TestCarriers.sw8("1", vector.path("traceId").asText(), vector.path("parentSegmentId").asText(),
          Integer.toString(vector.path("parentSpanId").asInt()));
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/")).header("sw8", sw8).timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
    } finally {
      app.destroy(); // SIGTERM: the agent's shutdown hook exports the remaining spans
      assertTrue(app.waitFor(60, TimeUnit.SECONDS), "the app did not stop");
    }

    List<JsonNode> spans = exportedSpans(spansLog);
    JsonNode server = only(spans, KIND_SERVER);
    JsonNode client = only(spans, KIND_CLIENT);
    assertEquals(vector.path("otelTraceId").asText(), server.path("traceId").asText(), "server span's trace");
    assertEquals(vector.path("otelEntryParentSpanId").asText(), server.path("parentSpanId").asText(),
        "server span's parent: the caller's exit span as the receiver names it");
    assertEquals(server.path("traceId").asText(), client.path("traceId").asText());
    assertEquals(server.path("spanId").asText(), client.path("parentSpanId").asText());

    Map<String, String> received = downstreamHeaders.get();
    assertNotNull(received, "the downstream call never arrived");
    String[] fields = received.get("sw8").split("-", -1);
    assertEquals(vector.path("traceId").asText(), TestCarriers.unb64(fields[1]), "the caller's trace ID string");
    assertEquals(client.path("traceId").asText(),
        Hex.lowercase(ReceiverIdMapping.traceId(TestCarriers.unb64(fields[1]).getBytes(StandardCharsets.UTF_8))));
    assertEquals(client.path("spanId").asText(), Hex.lowercase(ReceiverIdMapping.spanId(
        TestCarriers.unb64(fields[2]).getBytes(StandardCharsets.UTF_8), Integer.parseInt(fields[3]))),
        "the downstream SkyWalking segment's parent is the agent's client span");
    assertEquals("chain-middle", TestCarriers.unb64(fields[4]));
    assertEquals("00-" + client.path("traceId").asText() + "-" + client.path("spanId").asText() + "-01",
        received.get("traceparent"));
  }

  /** What the downstream service (a plain JDK server standing in for a SkyWalking app) received. */
  private final AtomicReference<Map<String, String>> downstreamHeaders = new AtomicReference<>();

  private int captureServer() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/down", exchange -> {
      downstreamHeaders.set(Map.of("sw8", String.valueOf(exchange.getRequestHeaders().getFirst("sw8")),
          "traceparent", String.valueOf(exchange.getRequestHeaders().getFirst("traceparent"))));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    return server.getAddress().getPort();
  }

  private static int readPort(Process app) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
    String line = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).get(120, TimeUnit.SECONDS);
    assertTrue(line != null && line.startsWith("PORT "), "the app did not start: " + line);
    return Integer.parseInt(line.substring(5).trim());
  }

  /** Spans from the agent's logging-otlp exporter: one OTLP/JSON ResourceSpans object per log line. */
  private static List<JsonNode> exportedSpans(File log) throws Exception {
    List<JsonNode> spans = new ArrayList<>();
    for (String line : Files.readAllLines(log.toPath())) {
      int json = line.indexOf("{\"resource\"");
      if (json < 0) {
        continue;
      }
      new ObjectMapper().readTree(line.substring(json)).path("scopeSpans")
          .forEach(scope -> scope.path("spans").forEach(spans::add));
    }
    assertTrue(!spans.isEmpty(), "no spans exported; agent log: " + Files.readString(log.toPath()));
    return spans;
  }

  private static JsonNode only(List<JsonNode> spans, int kind) {
    List<JsonNode> ofKind = new ArrayList<>();
    spans.stream().filter(s -> s.path("kind").asInt() == kind).forEach(ofKind::add);
    assertEquals(1, ofKind.size(), "spans of kind " + kind + ": " + spans);
    return ofKind.get(0);
  }
}
