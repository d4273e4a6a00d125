package dev.errand.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.errand.Call;
import dev.errand.DurableFunction;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Arguments and results are JSON: a type Jackson cannot write, or cannot read back, fails before the
 * first call is made, not when a worker meets it.
 */
class FunctionJsonChecksTest {

    /** Nothing Jackson can write. */
    public static class Opaque {
        @SuppressWarnings("unused")
        private final int secret = 42;
    }

    /** Written fine, but Jackson cannot know which class to read it back as. */
    public abstract static class Shape {
        public abstract String getName();
    }

    public static class Square extends Shape {
        @Override
        public String getName() {
            return "square";
        }
    }

    @ApplicationScoped
    public static class Functions {

        @DurableFunction
        public Call<Void> takesOpaque(Opaque opaque) {
            return Call.done();
        }

        @DurableFunction
        public Call<Shape> returnsAnAbstractShape(String name) {
            return Call.returning(new Square());
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest BUILD = new QuarkusUnitTest()
            .setArchiveProducer(() -> ShrinkWrap.create(JavaArchive.class).addClasses(Opaque.class, Shape.class, Square.class,
                    Functions.class))
            .overrideConfigKey("quarkus.devservices.enabled", "false")
            .assertException(failure -> {
                String message = HandlerBuildChecksTest.allMessages(failure);
                assertTrue(message.contains("Functions#takesOpaque: arguments and results are JSON, and argument 1:"
                        + " dev.errand.deployment.FunctionJsonChecksTest$Opaque has no properties"), message);
                assertTrue(message.contains("Functions#returnsAnAbstractShape: arguments and results are JSON, and"
                        + " result: dev.errand.deployment.FunctionJsonChecksTest$Shape is abstract"),
                        message);
            });

    @Test
    void aTypeThatIsNotJsonFailsTheBuild() {
        fail("the build should have failed");
    }
}
