package dev.alpharen.arsrv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {
  @Test
  void runsANodeOnEmbeddedDefaultsWithoutOptions() {
    CommandLine command = CommandLine.parse(new String[] {"node"});

    assertEquals(CommandLine.Command.NODE, command.command());
    assertEquals(Optional.empty(), command.configFile());
    assertEquals(List.of(), command.sets());
  }

  @Test
  void readsConfigFileAndRepeatedSetsInOrder() {
    CommandLine command = CommandLine.parse(new String[] {
        "node", "--set", "http.port=8081", "--config", "conf/node.yaml", "--set", "http.port=8082"});

    assertEquals(CommandLine.Command.NODE, command.command());
    assertEquals(Optional.of(Path.of("conf/node.yaml")), command.configFile());
    assertEquals(List.of("http.port=8081", "http.port=8082"), command.sets());
  }

  @Test
  void acceptsOptionsJoinedToTheirValueWithEquals() {
    CommandLine command = CommandLine.parse(new String[] {
        "node", "--config=conf/node.yaml", "--set=cluster.join.members=a:1,b:2"});

    assertEquals(Optional.of(Path.of("conf/node.yaml")), command.configFile());
    assertEquals(List.of("cluster.join.members=a:1,b:2"), command.sets());
  }

  @Test
  void runsAStandaloneProxyJoiningTheGivenSeeds() {
    CommandLine command = CommandLine.parse(new String[] {
        "proxy", "--join", "10.0.0.5:5701", "--set", "proxy.port=8001", "--join", "10.0.0.6:5701"});

    assertEquals(CommandLine.Command.PROXY, command.command());
    assertEquals(List.of("proxy.port=8001", "cluster.join.members=10.0.0.5:5701,10.0.0.6:5701"),
        command.sets());
  }

  @Test
  void refusesAProxyWithoutJoinAndJoinForANode() {
    assertEquals("proxy needs --join HOST:PORT, the cluster address of a node (its"
        + " cluster.host:cluster.port)", rejection("proxy"));
    assertEquals("--join is for 'proxy'; a node joins through cluster.join.members",
        rejection("node", "--join", "a:1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"help", "--help", "-h"})
  void recognisesAskingForHelp(String arg) {
    assertTrue(CommandLine.parse(new String[] {arg}).help());
  }

  @Test
  void usagePointsToTheConfigurationReference() {
    assertTrue(CommandLine.USAGE.startsWith("usage: alpha-ren node [--config FILE] [--set key=value ...]"),
        CommandLine.USAGE);
    assertTrue(CommandLine.USAGE.contains("docs/configuration.md"), CommandLine.USAGE);
  }

  @Test
  void rejectsUnknownArgumentNamingIt() {
    assertEquals("unknown argument '--verbose'", rejection("node", "--verbose"));
  }

  @Test
  void rejectsOptionWithoutValue() {
    assertEquals("--config needs a value", rejection("node", "--config"));
    assertEquals("--set needs a value", rejection("node", "--set", "a=1", "--set"));
  }

  @Test
  void recognisesTheClassDataTrainingCommand() {
    assertEquals(CommandLine.Command.TRAIN, CommandLine.parse(new String[] {"train"}).command());
  }

  @Test
  void rejectsConfigGivenTwice() {
    assertEquals("--config given twice", rejection("node", "--config", "a.yaml", "--config", "b.yaml"));
    assertEquals("--config given twice", rejection("node", "--config", "a.yaml", "--config=b.yaml"));
  }

  @Test
  void rejectsMissingOrUnknownCommandNamingTheCommands() {
    assertEquals("missing command; expected 'node', 'proxy', 'drain', 'deploy' or 'help'",
        rejection());
    assertEquals("unknown command 'start'; expected 'node', 'proxy', 'drain', 'deploy' or 'help'",
        rejection("start"));
  }

  private static String rejection(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(args)).getMessage();
  }
}
