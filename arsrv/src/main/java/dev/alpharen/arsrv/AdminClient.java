package dev.alpharen.arsrv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alpharen.arsrv.node.AdminPassword;
import dev.alpharen.arsrv.node.NodeReport;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * The admin commands of the command line, which call a node's REST API:
 * {@code drain NODE [--url URL] [--data DIR]} and
 * {@code deploy FILE.yaml [--name NAME] [--url URL] [--data DIR]}. The URL defaults to the node
 * whose data directory is {@code --data} (default {@code ./data}), the password to {@code
 * ALPHAREN_SECURITY_ADMINPASSWORD} or else that directory's generated password file. Stateless.
 */
final class AdminClient {
  static final String USAGE = String.join(System.lineSeparator(),
      "       alpha-ren drain NODE [--url URL] [--data DIR]",
      "       alpha-ren deploy FILE.yaml [--name NAME] [--url URL] [--data DIR]");

  private static final ObjectMapper JSON = new ObjectMapper();

  private AdminClient() {}

  /** Runs an admin command ({@code args[0]} is drain or deploy); returns the exit code. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    String command = args[0];
    if (args.length < 2 || args[1].startsWith("--")) {
      err.println("alpha-ren: " + command + (command.equals("drain")
          ? " needs the id of the node to drain" : " needs the YAML file to deploy"));
      err.println(USAGE);
      return Main.EXIT_USAGE;
    }
    String target = args[1];
    String url = null;
    String name = null;
    Path data = Path.of("data");
    for (int i = 2; i < args.length; i++) {
      if (i + 1 >= args.length) {
        err.println("alpha-ren: " + args[i] + " needs a value");
        return Main.EXIT_USAGE;
      }
      switch (args[i]) {
        case "--url" -> url = args[++i];
        case "--data" -> data = Path.of(args[++i]);
        case "--name" -> {
          if (!command.equals("deploy")) {
            err.println("alpha-ren: --name is for deploy only");
            return Main.EXIT_USAGE;
          }
          name = args[++i];
        }
        default -> {
          err.println("alpha-ren: unknown argument '" + args[i] + "'");
          err.println(USAGE);
          return Main.EXIT_USAGE;
        }
      }
    }
    try {
      String base = url != null ? url : NodeReport.read(data).http();
      String password = env.getOrDefault("ALPHAREN_SECURITY_ADMINPASSWORD", "");
      if (password.isEmpty()) {
        password = Files.readString(data.resolve(AdminPassword.FILE), StandardCharsets.UTF_8).trim();
      }
      return command.equals("drain") ? drain(base, password, target, out, err)
          : deploy(base, password, Path.of(target), name, out, err);
    } catch (IOException e) {
      err.println("alpha-ren: cannot reach the node" + (url == null ? " of " + data.toAbsolutePath()
          + " (pass --url or --data)" : " at " + url) + ": " + e.getMessage());
      return Main.EXIT_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Main.EXIT_FAILED;
    }
  }

  private static int drain(String base, String password, String node, PrintStream out,
      PrintStream err) throws IOException, InterruptedException {
    HttpResponse<String> response = send(base + "/api/v1/nodes/" + node + "/drain", password,
        "POST", HttpRequest.BodyPublishers.noBody());
    JsonNode body = JSON.readTree(response.body());
    if (response.statusCode() / 100 == 2) {
      out.println(body.path("message").asText(body.toString()));
      return Main.EXIT_OK;
    }
    err.println("alpha-ren: drain " + node + " refused (" + response.statusCode() + "): "
        + body.path("error").asText(response.body()));
    return Main.EXIT_FAILED;
  }

  /** PUTs the file as integration NAME (default: the file name without .camel.yaml/.yaml). */
  private static int deploy(String base, String password, Path file, String name,
      PrintStream out, PrintStream err) throws IOException, InterruptedException {
    if (!Files.isRegularFile(file)) {
      err.println("alpha-ren: deploy: " + file + " is not a readable file");
      return Main.EXIT_USAGE;
    }
    String integration = name != null ? name
        : file.getFileName().toString().replaceFirst("(\\.camel)?\\.ya?ml$", "");
    HttpResponse<String> response = send(base + "/api/v1/integrations/"
        + URLEncoder.encode(integration, StandardCharsets.UTF_8), password, "PUT",
        HttpRequest.BodyPublishers.ofFile(file));
    JsonNode body = JSON.readTree(response.body());
    if (response.statusCode() / 100 == 2) {
      out.println("deployed integration " + integration + " version "
          + body.path("version").asLong() + " from " + file);
      return Main.EXIT_OK;
    }
    int line = body.path("line").asInt();
    err.println("alpha-ren: " + file + (line > 0 ? ":" + line + ":" + body.path("column").asInt()
        : "") + ": deploy refused (" + response.statusCode() + "): "
        + body.path("error").asText(response.body()));
    return Main.EXIT_FAILED;
  }

  private static HttpResponse<String> send(String url, String password, String method,
      HttpRequest.BodyPublisher body) throws IOException, InterruptedException {
    String auth = Base64.getEncoder().encodeToString(("admin:" + password)
        .getBytes(StandardCharsets.UTF_8));
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return client.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Basic " + auth)
        .timeout(Duration.ofSeconds(30))
        .method(method, body).build(), HttpResponse.BodyHandlers.ofString());
  }
}
