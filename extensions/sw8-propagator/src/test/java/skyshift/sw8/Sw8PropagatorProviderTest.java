package skyshift.sw8;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurablePropagatorProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The SPI registration the agent's autoconfiguration looks up for OTEL_PROPAGATORS=...,sw8. */
class Sw8PropagatorProviderTest {
  @Test
  void theServiceFileRegistersAProviderNamedSw8() {
    List<String> names = new ArrayList<>();
    ServiceLoader.load(ConfigurablePropagatorProvider.class).forEach(p -> names.add(p.getName()));
    assertEquals(List.of("sw8"), names);
  }

  @Test
  void theSenderIdentityComesFromTheAgentsServiceSettings() {
    Map<String, String> props = new HashMap<>();
    props.put("otel.service.name", "checkout");
    props.put("otel.resource.attributes", "service.instance.id=checkout-7d9f");
    assertEquals(List.of("checkout", "checkout-7d9f"), identity(props));

    props.remove("otel.service.name");
    props.put("otel.resource.attributes", "service.name=orders,k8s.pod.name=orders-1");
    assertEquals(List.of("orders", "orders"), identity(props));

    assertEquals(List.of(Sw8Identity.DEFAULT_SERVICE, Sw8Identity.DEFAULT_SERVICE), identity(Collections.emptyMap()));
  }

  private static List<String> identity(Map<String, String> props) {
    TextMapPropagator propagator = new Sw8PropagatorProvider().getPropagator(new MapConfig(props));
    Map<String, String> headers = new HashMap<>();
    propagator.inject(TestCarriers.contextWith("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", true),
        headers, TestCarriers.SETTER);
    String[] fields = headers.get("sw8").split("-");
    return List.of(TestCarriers.unb64(fields[4]), TestCarriers.unb64(fields[5]));
  }

  /** The agent's config as a map: only what Sw8Identity reads is parsed. */
  private static final class MapConfig implements ConfigProperties {
    private final Map<String, String> props;

    MapConfig(Map<String, String> props) {
      this.props = props;
    }

    @Override
    public String getString(String name) {
      return props.get(name);
    }

    @Override
    public Map<String, String> getMap(String name) {
      Map<String, String> out = new HashMap<>();
      String value = props.get(name);
      if (value != null) {
        for (String pair : value.split(",")) {
          String[] kv = pair.split("=", 2);
          out.put(kv[0].trim(), kv[1].trim());
        }
      }
      return out;
    }

    @Override
    public Boolean getBoolean(String name) {
      throw new UnsupportedOperationException(name);
    }

    @Override
    public Integer getInt(String name) {
      throw new UnsupportedOperationException(name);
    }

    @Override
    public Long getLong(String name) {
      throw new UnsupportedOperationException(name);
    }

    @Override
    public Double getDouble(String name) {
      throw new UnsupportedOperationException(name);
    }

    @Override
    public Duration getDuration(String name) {
      throw new UnsupportedOperationException(name);
    }

    @Override
    public List<String> getList(String name) {
      throw new UnsupportedOperationException(name);
    }
  }
}
