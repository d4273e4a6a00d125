package dev.errand.internal.problem;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.internal.contract.StrictJson;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * With {@code errand.http.all-endpoints=true} the service's REST endpoints read JSON the way Errand
 * reads message bodies ({@link StrictJson}): what would be silently changed is refused with a 400
 * problem instead. Without it, the service's mapper is left as it is.
 */
@Singleton
@IfBuildProperty(name = "errand.http.all-endpoints", stringValue = "true")
public class StrictJsonForAllEndpoints implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        StrictJson.configure(mapper);
    }
}
