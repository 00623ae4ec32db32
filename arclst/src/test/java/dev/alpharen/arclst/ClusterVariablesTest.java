package dev.alpharen.arclst;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.alpharen.arclst.testing.TestMembers;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hazelcast expires entries by the system clock: the TTL tests wait (never sleep) for it. */
final class ClusterVariablesTest extends VariablesContractTest {
  private static final Duration AWAIT = Duration.ofSeconds(10);

  private TestMembers members;
  private ClusterVariables variables;

  @BeforeEach
  void startMember() {
    members = TestMembers.start(1);
    variables = new ClusterVariables(members.get(0));
  }

  @AfterEach
  void shutDown() {
    members.close();
  }

  @Override
  Variables variables() {
    return variables;
  }

  @Test
  void valueSetOnOneMemberIsSeenAndRemovableOnAnother() {
    ClusterVariables other = new ClusterVariables(members.startAnother());

    variables.set("counter", "7");

    assertEquals(Optional.of("7"), other.get("counter"));
    assertEquals(Map.of("counter", "7"), other.snapshot());
    other.remove("counter");
    assertEquals(Optional.empty(), variables.get("counter"));
  }

  @Test
  void valueVanishesOnceItsTtlHasPassed() {
    variables.set("token", "abc", Duration.ofMillis(300));

    await().atMost(AWAIT).until(() -> variables.get("token").isEmpty());
    assertEquals(Map.of(), variables.snapshot());
  }

  @Test
  void settingAgainWithoutTtlMakesTheValuePermanent() {
    variables.set("token", "abc", Duration.ofMillis(200));
    variables.set("token", "def");

    // well past the first TTL, the value must still be there
    await().during(Duration.ofMillis(800)).atMost(AWAIT)
        .until(() -> variables.get("token").equals(Optional.of("def")));
  }
}
