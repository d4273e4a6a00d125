package dev.errand.it;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Declares the embedded servers once, for every test class: one application for the whole run. */
@WithTestResource(value = EmbeddedServersResource.class, scope = TestResourceScope.GLOBAL)
public final class WithEmbeddedServers {

    private WithEmbeddedServers() {
    }
}
