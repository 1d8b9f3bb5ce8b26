package dev.dolly.api;

import java.util.List;

/** The body of list answers: {@code {"items": [...]}}, leaving room for paging later. */
public record ResourceList<T>(List<T> items) {}
