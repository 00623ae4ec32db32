package dev.alpharen.arwadm;

import dev.alpharen.arclst.VersionConflictException;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * What the admin API needs from the integration runtime, which lives in the integrator server:
 * validate and store integrations in the cluster registry, and report them with their status on
 * every node. Answers are JSON-ready maps. Implementations are thread-safe.
 */
public interface Integrations {
  /**
   * Validates {@code document} (Camel YAML DSL, optionally led by {@code # alpharen.<key>:}
   * comments) with {@code options} (query parameters, which win over the comments) and stores it
   * as the next version of {@code name}; nothing changes when it is refused.
   *
   * @param expectedVersion as for {@code VersionedRegistry.put}: -1 any, 0 must not exist, n
   * @return {@code {"name","version","created"}}
   * @throws IntegrationRejectedException naming what is wrong and where
   * @throws VersionConflictException if the integration is not at {@code expectedVersion}
   */
  Map<String, Object> deploy(String name, String document, Map<String, String> options,
      long expectedVersion, String author)
      throws IntegrationRejectedException, VersionConflictException;

  /** Every live integration with its current version and its status on every node. */
  List<Map<String, Object>> list();

  /** One integration: current document, metadata, kept versions and per-node status. */
  Optional<Map<String, Object>> describe(String name);

  /**
   * Removes the integration from every node.
   *
   * @throws NoSuchElementException if there is no such integration
   */
  Map<String, Object> delete(String name, long expectedVersion, String author)
      throws VersionConflictException;

  /** Writes a new version with the document of version {@code to}; see the registry's rules. */
  Map<String, Object> rollback(String name, long to, String author)
      throws VersionConflictException;

  /**
   * Stops ({@code running=false}) or starts the integration on every node, keeping its version.
   *
   * @throws NoSuchElementException if there is no such integration
   */
  Map<String, Object> setRunning(String name, boolean running);
}
