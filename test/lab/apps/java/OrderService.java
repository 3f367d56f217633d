// The lab's Java HTTP service: the JDK's own com.sun.net.httpserver, which the OpenTelemetry Java agent
// instruments (instrumentation module "java-http-server"), so a span per request needs no library.
// Listens on 127.0.0.1:$PORT; the pod template sets PORT, since every lab "pod" shares the host's network.
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

public final class OrderService {
    public static void main(String[] args) throws IOException {
        String port = System.getenv("PORT");
        if (port == null || port.isEmpty()) {
            System.err.println("OrderService: set PORT (the port to listen on)");
            System.exit(2);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)), 0);
        server.createContext("/", exchange -> {
            byte[] body = ("order " + exchange.getRequestURI().getPath() + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("OrderService listening on 127.0.0.1:" + port);
    }
}
