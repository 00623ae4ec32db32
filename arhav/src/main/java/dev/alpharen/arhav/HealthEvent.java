package dev.alpharen.arhav;

import java.time.Instant;

/**
 * One transition of a peer's health as seen by one node. Immutable.
 *
 * @param node the peer's node id
 * @param from the health before
 * @param to the health now
 * @param at when the transition was decided
 * @param silence how long the peer had not answered, in milliseconds
 */
public record HealthEvent(String node, Health from, Health to, Instant at, long silence) {}
