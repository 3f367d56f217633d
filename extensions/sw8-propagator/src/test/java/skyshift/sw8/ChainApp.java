package skyshift.sw8;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;

/**
 * The middle of a SkyWalking → OpenTelemetry → SkyWalking chain, run by {@link AgentChainIT} under the real
 * OpenTelemetry Java agent: serves GET / (instrumented by the agent's java-http-server instrumentation) and, while
 * handling it, calls the URL given as its argument (HttpURLConnection, instrumented too). It prints its port.
 */
public final class ChainApp {
  private ChainApp() {}

  public static void main(String[] args) throws IOException {
    URL downstream = new URL(args[0]);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      HttpURLConnection call = (HttpURLConnection) downstream.openConnection();
      int status = call.getResponseCode();
      try (InputStream body = call.getInputStream()) {
        body.readAllBytes();
      }
      byte[] reply = ("downstream said " + status).getBytes();
      exchange.sendResponseHeaders(200, reply.length);
      exchange.getResponseBody().write(reply);
      exchange.close();
    });
    server.start();
    System.out.println("PORT " + server.getAddress().getPort());
  }
}
