package skyshift.sw8;

import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurablePropagatorProvider;

/**
 * Registers the propagator under the name {@code sw8} (META-INF/services), so that
 * {@code OTEL_PROPAGATORS=tracecontext,baggage,sw8} enables it once the jar is an agent extension
 * ({@code -Dotel.javaagent.extensions=/path/skyshift-sw8-propagator.jar}).
 */
public final class Sw8PropagatorProvider implements ConfigurablePropagatorProvider {
  @Override
  public TextMapPropagator getPropagator(ConfigProperties config) {
    return new Sw8Propagator(Sw8Identity.from(config));
  }

  @Override
  public String getName() {
    return Sw8Header.NAME;
  }
}
