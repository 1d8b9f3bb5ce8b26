package dev.dolly.api;

/**
 * Asks the daemon to listen on a port and relay it to a container.
 *
 * @param name the route's name
 * @param port the port to listen on, outside the containers' port range
 * @param container the container to relay to (a name or a numeric ID): one the caller may connect to
 */
public record CreateRouteRequest(String name, int port, String container) {}
