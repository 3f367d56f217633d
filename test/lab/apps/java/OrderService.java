// The lab's Java HTTP service: the JDK's own com.sun.net.httpserver, which the OpenTelemetry Java agent
// instruments (instrumentation module "java-http-server"), so a span per request needs no library.
// Listens on 127.0.0.1:$PORT; the pod template sets PORT, since every lab "pod" shares the host's network.
// With DOWNSTREAM_URL set, each request first calls that URL (GET, the request's path appended) through
// HttpURLConnection, which the agent instruments too ("http-url-connection") and writes its propagators'
// headers into, so a chain of lab apps is one call path.
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;

public final class OrderService {
    private static final int DOWNSTREAM_TIMEOUT_MS = 10_000;

    public static void main(String[] args) throws IOException {
        String port = System.getenv("PORT");
        if (port == null || port.isEmpty()) {
            System.err.println("OrderService: set PORT (the port to listen on)");
            System.exit(2);
        }
        String downstream = System.getenv().getOrDefault("DOWNSTREAM_URL", "").replaceAll("/+$", "");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            int status = 200;
            String text = "order " + path + "\n";
            if (!downstream.isEmpty()) {
                try {
                    text += get(downstream + path);
                } catch (IOException e) {
                    status = 502;
                    text += "downstream " + downstream + path + ": " + e + "\n";
                }
            }
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("OrderService listening on 127.0.0.1:" + port);
    }

    private static String get(String url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        connection.setConnectTimeout(DOWNSTREAM_TIMEOUT_MS);
        connection.setReadTimeout(DOWNSTREAM_TIMEOUT_MS);
        try (InputStream in = connection.getInputStream(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) out.write(buffer, 0, n);
            if (connection.getResponseCode() != 200) throw new IOException("status " + connection.getResponseCode());
            return out.toString("UTF-8");
        } finally {
            connection.disconnect();
        }
    }
}
