package skyshift.sw8;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.util.Map;

/**
 * What an injected sw8 header says about its sender. SkyWalking agents drop a header with any of these
 * empty (Java: ContextCarrier.isValid; Python: Carrier.is_valid), and the receiver only records them as
 * link attributes ({@code parent.service}, {@code parent.service.instance}, {@code parent.endpoint},
 * {@code network.AddressUsedAtPeer}), so where the propagator cannot know a value it sends a fixed one.
 */
final class Sw8Identity {
  /** The OpenTelemetry SDK's default service name for Java when none is configured. */
  static final String DEFAULT_SERVICE = "unknown_service:java";
  /**
   * A TextMapPropagator sees neither the current span's name nor the request's peer address, so the
   * parentEndpoint and target fields carry this marker instead.
   */
  static final String UNKNOWN = "opentelemetry";

  final String service;
  final String instance;

  Sw8Identity(String service, String instance) {
    this.service = service;
    this.instance = instance;
  }

  /**
   * Service from {@code otel.service.name}, else {@code service.name} in {@code otel.resource.attributes},
   * else the SDK default; instance from {@code service.instance.id} there, else the service name — the same
   * keys (and environment variables OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES) the agent's resource reads.
   */
  static Sw8Identity from(ConfigProperties config) {
    Map<String, String> attributes = config.getMap("otel.resource.attributes");
    String service = firstNonEmpty(config.getString("otel.service.name"), attributes.get("service.name"),
        DEFAULT_SERVICE);
    String instance = firstNonEmpty(attributes.get("service.instance.id"), service, service);
    return new Sw8Identity(service, instance);
  }

  private static String firstNonEmpty(String first, String second, String fallback) {
    if (first != null && !first.isEmpty()) {
      return first;
    }
    return second != null && !second.isEmpty() ? second : fallback;
  }
}
