package dev.alpharen.arclst;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.alpharen.arclst.testing.TestMembers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events published on one real member reach the subscribers on every member. */
final class ClusterEventsTest {
  private static final Duration AWAIT = Duration.ofSeconds(10);
  private static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");

  private TestMembers members;
  private ClusterEvents onA;
  private ClusterEvents onB;

  @BeforeEach
  void startTwoMembers() {
    members = TestMembers.start(2);
    onA = new ClusterEvents(members.get(0));
    onB = new ClusterEvents(members.get(1));
  }

  @AfterEach
  void shutDown() {
    onA.close();
    onB.close();
    members.close();
  }

  @Test
  void eventPublishedOnOneMemberReachesSubscribersOnEveryMember() {
    List<ClusterEvent> seenOnA = new CopyOnWriteArrayList<>();
    List<ClusterEvent> seenOnB = new CopyOnWriteArrayList<>();
    onA.subscribe(seenOnA::add);
    onB.subscribe(seenOnB::add);
    List<ClusterEvent> published = List.of(
        new ClusterEvent.MemberJoined(AT, "node-2"),
        new ClusterEvent.StatusChanged(AT, "node-2", "JOINING", "ACTIVE"),
        new ClusterEvent.ConfigChanged(AT, "config", "db-url", 3),
        new ClusterEvent.MemberLeft(AT, "node-2"));

    published.forEach(onA::publish);

    await().atMost(AWAIT).untilAsserted(() -> assertEquals(published, seenOnB));
    await().atMost(AWAIT).untilAsserted(() -> assertEquals(published, seenOnA));
  }

  @Test
  void closedSubscriptionGetsNoMoreEvents() throws Exception {
    List<ClusterEvent> closedOne = new CopyOnWriteArrayList<>();
    List<ClusterEvent> openOne = new CopyOnWriteArrayList<>();
    AutoCloseable subscription = onB.subscribe(closedOne::add);
    onB.subscribe(openOne::add);
    ClusterEvent first = new ClusterEvent.MemberJoined(AT, "node-1");
    ClusterEvent second = new ClusterEvent.MemberJoined(AT, "node-2");
    onA.publish(first);
    await().atMost(AWAIT).untilAsserted(() -> assertEquals(List.of(first), closedOne));

    subscription.close();
    onA.publish(second);

    await().atMost(AWAIT).untilAsserted(() -> assertEquals(List.of(first, second), openOne));
    assertEquals(List.of(first), closedOne);
  }

  @Test
  void aFailingSubscriberDoesNotStopLaterEvents() {
    List<ClusterEvent> seen = new CopyOnWriteArrayList<>();
    onB.subscribe(event -> {
      seen.add(event);
      throw new IllegalStateException("subscriber bug");
    });
    ClusterEvent first = new ClusterEvent.MemberJoined(AT, "node-1");
    ClusterEvent second = new ClusterEvent.MemberLeft(AT, "node-1");

    onA.publish(first);
    onA.publish(second);

    await().atMost(AWAIT).untilAsserted(() -> assertEquals(List.of(first, second), seen));
  }

  @Test
  void eventsRefuseMissingFieldsNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ClusterEvent.StatusChanged(AT, "node-1", "", "ACTIVE"));
    assertEquals("from of a cluster event must not be empty, was empty", e.getMessage());

    IllegalArgumentException v = assertThrows(IllegalArgumentException.class,
        () -> new ClusterEvent.ConfigChanged(AT, "config", "db-url", 0));
    assertEquals("version of config 'db-url' must be >= 1, was 0", v.getMessage());
  }
}
