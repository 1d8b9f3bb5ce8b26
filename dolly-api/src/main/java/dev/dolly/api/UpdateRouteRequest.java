package dev.dolly.api;

/**
 * Points a route at another container: connections accepted once the answer is sent go there.
 *
 * @param container the container to relay to (a name or a numeric ID)
 * @param dropConnections whether the connections open through the route are closed at once, rather than left on the
 *         container they went to until they end
 */
public record UpdateRouteRequest(String container, boolean dropConnections) {}
