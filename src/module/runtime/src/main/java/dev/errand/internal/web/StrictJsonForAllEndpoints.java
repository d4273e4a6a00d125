package dev.errand.internal.web;

import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.internal.contract.StrictJson;

/**
 * With {@code errand.http.all-endpoints=true} the service's REST endpoints read JSON the way Errand
 * reads message bodies ({@link StrictJson}): what would be silently changed is refused with a 400
 * problem instead. A REST-only resolver with a copy of the service's mapper, never the mapper itself:
 * Vert.x decodes AMQP bodies with that one, and a refusal there drops the message before Errand can
 * dead-letter it.
 */
@Provider
public class StrictJsonForAllEndpoints implements ContextResolver<ObjectMapper> {

    private final ObjectMapper strict;

    public StrictJsonForAllEndpoints(ObjectMapper mapper, HttpBuildTimeConfig config) {
        this.strict = config.allEndpoints() ? StrictJson.configure(mapper.copy()) : null;
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return strict;
    }
}
