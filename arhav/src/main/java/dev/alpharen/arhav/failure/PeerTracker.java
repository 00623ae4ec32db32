package dev.alpharen.arhav.failure;

import dev.alpharen.arhav.Health;
import dev.alpharen.arhav.HealthEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The failure detector's decisions for every peer, as a pure function of when each peer last
 * answered (directly or through another member) and the current time: silent longer than
 * {@code suspectAfter} and not confirmed alive by an indirect probe → SUSPECT; silent longer than
 * {@code deadAfter} → DEAD; any answer → ALIVE. Time comes in as arguments, so tests drive it
 * with a manual clock. Thread-safe.
 */
public final class PeerTracker {
  private final Duration suspectAfter;
  private final Duration deadAfter;
  private final Map<String, Peer> peers = new HashMap<>();

  public PeerTracker(Duration suspectAfter, Duration deadAfter) {
    if (suspectAfter.isNegative() || suspectAfter.isZero()) {
      throw new IllegalArgumentException("suspectAfter must be positive, was " + suspectAfter);
    }
    if (deadAfter.compareTo(suspectAfter) <= 0) {
      throw new IllegalArgumentException("deadAfter must be longer than suspectAfter ("
          + suspectAfter + "), was " + deadAfter);
    }
    this.suspectAfter = suspectAfter;
    this.deadAfter = deadAfter;
  }

  /** Starts tracking a peer as alive from {@code now}; no-op if already tracked. */
  public synchronized void track(String node, Instant now) {
    peers.putIfAbsent(node, new Peer(now));
  }

  /** Stops tracking a peer (it left the cluster). */
  public synchronized void forget(String node) {
    peers.remove(node);
  }

  /** The peer answered a probe at {@code now}; returns the transition to ALIVE, if any. */
  public synchronized Optional<HealthEvent> answered(String node, Instant now) {
    Peer peer = peers.get(node);
    if (peer == null) {
      return Optional.empty();
    }
    long silence = Duration.between(peer.lastAnswer, now).toMillis();
    peer.lastAnswer = now.isAfter(peer.lastAnswer) ? now : peer.lastAnswer;
    return move(node, peer, Health.ALIVE, now, silence);
  }

  /** Whether the peer has been silent long enough that indirect probes should confirm it. */
  public synchronized boolean needsIndirectProbe(String node, Instant now, Duration after) {
    Peer peer = peers.get(node);
    return peer != null && peer.health == Health.ALIVE
        && Duration.between(peer.lastAnswer, now).compareTo(after) > 0;
  }

  /**
   * Decides a peer's health at {@code now}.
   *
   * @return the transition, if the health changed
   */
  public synchronized Optional<HealthEvent> decide(String node, Instant now) {
    Peer peer = peers.get(node);
    if (peer == null) {
      return Optional.empty();
    }
    Duration silence = Duration.between(peer.lastAnswer, now);
    Health verdict = silence.compareTo(deadAfter) > 0 ? Health.DEAD
        : silence.compareTo(suspectAfter) > 0 ? Health.SUSPECT
        : peer.health == Health.DEAD ? Health.DEAD : peer.health;
    if (peer.health == Health.DEAD && verdict != Health.DEAD) {
      verdict = Health.DEAD; // only an answer brings a dead peer back
    }
    return move(node, peer, verdict, now, silence.toMillis());
  }

  /** The current health of a peer; ALIVE for one not tracked (this node itself). */
  public synchronized Health health(String node) {
    Peer peer = peers.get(node);
    return peer == null ? Health.ALIVE : peer.health;
  }

  /** Since when the peer has its current health. */
  public synchronized Optional<Instant> since(String node) {
    Peer peer = peers.get(node);
    return peer == null ? Optional.empty() : Optional.of(peer.since);
  }

  private static Optional<HealthEvent> move(String node, Peer peer, Health to, Instant now,
      long silenceMs) {
    if (peer.health == to) {
      return Optional.empty();
    }
    HealthEvent event = new HealthEvent(node, peer.health, to, now, silenceMs);
    peer.health = to;
    peer.since = now;
    return Optional.of(event);
  }

  private static final class Peer {
    Instant lastAnswer;
    Instant since;
    Health health = Health.ALIVE;

    Peer(Instant now) {
      this.lastAnswer = now;
      this.since = now;
    }
  }
}
