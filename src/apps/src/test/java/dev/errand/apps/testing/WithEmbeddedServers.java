package dev.errand.apps.testing;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Declares the embedded servers once, for every test class. */
@WithTestResource(value = EmbeddedServersResource.class, scope = TestResourceScope.GLOBAL)
public final class WithEmbeddedServers {

    private WithEmbeddedServers() {
    }
}
