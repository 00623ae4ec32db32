package dev.alpharen.arsrv.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.alpharen.arclst.testing.TestMembers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every YAML example in docs/integrations.md is an integration the runtime accepts. */
class DocsExamplesTest {
  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyExampleValidates() throws Exception {
    List<String> examples = examples();
    assertEquals(5, examples.size(), "examples in docs/integrations.md");
    List<String> refused = new ArrayList<>();
    try (TestMembers members = TestMembers.start(1)) {
      CamelRuntime runtime = new CamelRuntime(members.get(0), "docs", new HttpRouter(),
          new SimpleMeterRegistry(), () -> true, DeadLetterSink.logging());
      // As on a node: jms: endpoints find the broker's connection factory (not connected here).
      runtime.bindBeans(Map.of("connectionFactory",
          new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory("vm://0")));
      for (int i = 0; i < examples.size(); i++) {
        try {
          runtime.validate(new SpecParser().parse("example-" + (i + 1), examples.get(i),
              Map.of()));
        } catch (dev.alpharen.arwadm.IntegrationRejectedException e) {
          refused.add("example " + (i + 1) + " line " + e.line() + ": " + e.getMessage());
        }
      }
      runtime.close();
    }
    assertEquals(List.of(), refused);
  }

  private static List<String> examples() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "integrations.md"));
    List<String> blocks = new ArrayList<>();
    Matcher m = YAML_BLOCK.matcher(doc);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }
}
