package dev.dolly.api;

/** Asks the daemon to create a team, {@code org:team} (administrators only). */
public record CreateTeamRequest(String name) {}
