package dev.alpharen.arsrv;

import dev.alpharen.arsrv.config.ConfigException;
import dev.alpharen.arsrv.config.ConfigLoader;
import dev.alpharen.arsrv.config.NodeConfig;
import dev.alpharen.arsrv.node.Node;
import dev.alpharen.arsrv.node.StandaloneProxy;
import dev.alpharen.arsrv.node.StartupException;
import java.io.PrintStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The node's entry point: parse the command line, load the configuration, start the node, and stop
 * it on SIGTERM or SIGINT. Exit codes: 0 stopped cleanly, 1 could not start, 2 bad command line or
 * configuration.
 */
public final class Main {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.err);
    // A node or proxy that started keeps running on its own threads. The training run ends
    // here: pools its node left behind (Artemis's client threads linger 60 s) must not keep the
    // JVM, and with it the class-data dump and a first start, waiting.
    if (code != EXIT_OK || args.length > 0 && args[0].equals("train")) {
      System.exit(code);
    }
  }

  static int run(String[] args, PrintStream err) {
    if (args.length > 0 && (args[0].equals("drain") || args[0].equals("deploy"))) {
      return AdminClient.run(args, System.getenv(), System.out, err);
    }
    CommandLine command;
    try {
      command = CommandLine.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("alpha-ren: " + e.getMessage());
      err.println(CommandLine.USAGE);
      return EXIT_USAGE;
    }
    if (command.help()) {
      err.println(CommandLine.USAGE);
      return EXIT_OK;
    }
    if (command.command() == CommandLine.Command.TRAIN) {
      return ClassDataTraining.run() ? EXIT_OK : EXIT_FAILED;
    }

    NodeConfig config;
    try {
      config = new ConfigLoader(System.getenv(), HostName.asNodeId())
          .load(command.configFile(), command.sets());
    } catch (ConfigException e) {
      err.println("alpha-ren: the configuration has " + e.problems().size() + " problem(s):");
      e.problems().forEach(p -> err.println("  " + p));
      return EXIT_USAGE;
    }

    if (command.command() == CommandLine.Command.PROXY) {
      return runProxy(config);
    }
    Node node = new Node(config, version());
    Runnable stop = () -> {
      node.close();
      log.info("node {} stopped", config.node().id());
      System.exit(EXIT_OK);
    };
    try {
      node.start(stop);
    } catch (StartupException e) {
      log.error("node {} cannot start: {}", config.node().id(), e.getMessage());
      return EXIT_FAILED;
    }
    for (String signal : List.of("TERM", "INT")) {
      Signal.handle(new Signal(signal), s -> {
        log.info("node {} stopping on SIG{}", config.node().id(), signal);
        new Thread(stop, "node-stop").start();
      });
    }
    return EXIT_OK; // the node's non-daemon threads keep the process alive until it stops
  }

  private static int runProxy(NodeConfig config) {
    StandaloneProxy proxy;
    try {
      proxy = StandaloneProxy.start(config);
    } catch (StartupException e) {
      log.error("proxy {} cannot start: {}", config.node().id(), e.getMessage());
      return EXIT_FAILED;
    }
    for (String signal : List.of("TERM", "INT")) {
      Signal.handle(new Signal(signal), s -> {
        log.info("proxy {} stopping on SIG{}", config.node().id(), signal);
        new Thread(() -> {
          proxy.close();
          System.exit(EXIT_OK);
        }, "proxy-stop").start();
      });
    }
    return EXIT_OK; // the proxy's non-daemon threads keep the process alive until it stops
  }

  /** The version in the distribution's manifest, or "dev" when run from classes. */
  static String version() {
    String version = Main.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
