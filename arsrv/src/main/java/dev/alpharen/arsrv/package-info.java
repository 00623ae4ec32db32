/**
 * ARSRV, the integrator server: the node's main and lifecycle, configuration, the node HTTP
 * server with health endpoints, and (as they land) the Camel runtime, the embedded Artemis broker,
 * the activity journal and metrics. {@link dev.alpharen.arsrv.Main} wires every other module in;
 * nothing depends on this module.
 */
package dev.alpharen.arsrv;
