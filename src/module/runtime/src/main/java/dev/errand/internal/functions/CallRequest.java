package dev.errand.internal.functions;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** The body of a call's message: {@code {"arguments": [...]}}, one JSON value per parameter. */
public record CallRequest(List<JsonNode> arguments) {
}
