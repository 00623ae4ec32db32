package dev.alpharen.arsrv;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parsed command line: {@code node [--config FILE] [--set key=value ...]}, {@code proxy --join
 * host:port [--config FILE] [--set key=value ...]} (the {@code --join} seeds become
 * {@code cluster.join.members}), {@code help}, or
 * {@code train} (used by bin/alpha-ren to build the class-data archive; not for people).
 *
 * @param command what to do
 * @param configFile the YAML file, if given
 * @param sets {@code key=value} overrides in order
 */
record CommandLine(Command command, Optional<Path> configFile, List<String> sets) {
  /** The commands the distribution understands. */
  enum Command { NODE, PROXY, HELP, TRAIN }

  static final String USAGE = String.join(System.lineSeparator(),
      "usage: alpha-ren node [--config FILE] [--set key=value ...]",
      "       alpha-ren proxy --join HOST:PORT [--config FILE] [--set key=value ...]",
      "       alpha-ren drain NODE [--url URL] [--data DIR]",
      "       alpha-ren deploy FILE.yaml [--name NAME] [--url URL] [--data DIR]",
      "       alpha-ren help",
      "  --config FILE      the node's YAML configuration (default: embedded defaults)",
      "  --set key=value    override one key, e.g. --set http.port=8081 (repeatable)",
      "  proxy              run ARDPX alone, as a cluster member that holds no data and serves",
      "                     no requests itself; --join names a node's cluster address",
      "                     (repeatable); proxy.* keys apply as in a node",
      "  drain NODE         take a node out of service with no failed request; it leaves the",
      "                     cluster and exits (asks the node of --data DIR, default ./data,",
      "                     or --url URL; password from ALPHAREN_SECURITY_ADMINPASSWORD or",
      "                     DIR/initial-admin-password)",
      "  deploy FILE.yaml   validate and store a Camel YAML integration in the cluster (name:",
      "                     the file name without .yaml, or --name); same node and password",
      "                     rules as drain; refused files print file:line:column and why",
      "Keys, defaults and environment variables: docs/configuration.md");

  CommandLine {
    sets = List.copyOf(sets);
  }

  boolean help() {
    return command == Command.HELP;
  }

  /** @throws IllegalArgumentException saying what is wrong with the arguments */
  static CommandLine parse(String[] args) {
    if (args.length == 0) {
      throw new IllegalArgumentException(
          "missing command; expected 'node', 'proxy', 'drain', 'deploy' or 'help'");
    }
    switch (args[0]) {
      case "help", "--help", "-h" -> {
        return new CommandLine(Command.HELP, Optional.empty(), List.of());
      }
      case "train" -> {
        return new CommandLine(Command.TRAIN, Optional.empty(), List.of());
      }
      case "node", "proxy" -> { }
      default -> throw new IllegalArgumentException("unknown command '" + args[0]
          + "'; expected 'node', 'proxy', 'drain', 'deploy' or 'help'");
    }
    boolean proxy = args[0].equals("proxy");
    Optional<Path> config = Optional.empty();
    List<String> sets = new ArrayList<>();
    List<String> joins = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--config" -> config = onlyOnce(config, value(args, ++i, arg));
        case "--set" -> sets.add(value(args, ++i, arg));
        case "--join" -> {
          if (!proxy) {
            throw new IllegalArgumentException("--join is for 'proxy'; a node joins through"
                + " cluster.join.members");
          }
          joins.add(value(args, ++i, arg));
        }
        default -> {
          if (arg.startsWith("--config=")) {
            config = onlyOnce(config, arg.substring("--config=".length()));
          } else if (arg.startsWith("--set=")) {
            sets.add(arg.substring("--set=".length()));
          } else {
            throw new IllegalArgumentException("unknown argument '" + arg + "'");
          }
        }
      }
    }
    if (proxy) {
      if (joins.isEmpty()) {
        throw new IllegalArgumentException("proxy needs --join HOST:PORT, the cluster address of"
            + " a node (its cluster.host:cluster.port)");
      }
      sets.add("cluster.join.members=" + String.join(",", joins));
      return new CommandLine(Command.PROXY, config, sets);
    }
    return new CommandLine(Command.NODE, config, sets);
  }

  private static Optional<Path> onlyOnce(Optional<Path> config, String file) {
    if (config.isPresent()) {
      throw new IllegalArgumentException("--config given twice");
    }
    return Optional.of(Path.of(file));
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
