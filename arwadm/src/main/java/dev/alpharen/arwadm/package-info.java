/**
 * ARWADM, the web admin console and the admin REST API ({@code /api/v1}) it uses. Every API call
 * is authenticated; the handlers here read cluster state through ARCLST's and ARHAV's public types
 * and never reach into the integrator server, which mounts them on its HTTP server.
 */
package dev.alpharen.arwadm;
