package dev.errand.internal.functions;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import dev.errand.internal.contract.BusinessKeyed;

/**
 * The body of a call's message: {@code {"arguments": [...]}}, one JSON value per parameter; and the
 * message's business key ({@code errand_business_key}), which is no part of the body.
 */
public record CallRequest(List<JsonNode> arguments, @JsonIgnore String businessKey)
        implements BusinessKeyed<CallRequest> {

    @JsonCreator
    public CallRequest(@JsonProperty("arguments") List<JsonNode> arguments) {
        this(arguments, null);
    }

    @Override
    public CallRequest withBusinessKey(String key) {
        return new CallRequest(arguments, key);
    }
}
