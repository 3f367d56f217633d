package skyshift.sw8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The vectors test/lab/tools/sw8-vectors computes with the collector's own skywalking translator, read from
 * the file test/lab/steps/sw8.sh writes into the lab cache. Its path comes from the system property
 * {@code sw8.vectors} or the environment variable {@code SW8_VECTORS}; without it the tests fail.
 */
final class ReceiverVectors {
  final String translator;
  final List<JsonNode> segments;
  final List<JsonNode> inject;

  private ReceiverVectors(JsonNode root) {
    translator = root.path("translator").asText();
    segments = list(root.path("segments"));
    inject = list(root.path("inject"));
  }

  static ReceiverVectors load() {
    String configured = System.getProperty("sw8.vectors", "");
    if (configured.isBlank()) {
      configured = System.getenv().getOrDefault("SW8_VECTORS", "");
    }
    if (configured.isBlank()) {
      throw new IllegalStateException("sw8 vectors: no path given. Run `npm run lab:tools` (test/lab/steps/sw8.sh "
          + "generates them) and `npm run test:sw8`, or pass -Dsw8.vectors=<file> / SW8_VECTORS=<file>");
    }
    Path path = Paths.get(configured);
    try {
      return new ReceiverVectors(new ObjectMapper().readTree(Files.readAllBytes(path)));
    } catch (IOException e) {
      throw new IllegalStateException("sw8 vectors: cannot read " + path + " (" + e + "). Run `npm run lab:tools` "
          + "to generate it with test/lab/tools/sw8-vectors", e);
    }
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }
}
