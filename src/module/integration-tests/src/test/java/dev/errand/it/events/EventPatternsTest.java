package dev.errand.it.events;

import dev.errand.internal.contract.EventTypes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.apache.activemq.artemis.core.filter.Filter;
import org.apache.activemq.artemis.core.filter.impl.FilterImpl;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.junit.jupiter.api.Test;

import dev.errand.internal.contract.EventTypes;

/**
 * What a subscription pattern matches, as Errand decides it and as Artemis' filter engine does with
 * the filter Errand declares (RabbitMQ's topic exchange has the same semantics natively).
 */
class EventPatternsTest {

    private static final List<String> TYPES = List.of("lemonade", "lemonade.order-placed", "lemonade.order.placed",
            "lemonades.order-placed", "other.order-placed");

    @Test
    void exactOneWordAndManyWordPatternsMatchTheSameTypesInErrandAndInArtemis() throws Exception {
        assertMatches("lemonade.order-placed", List.of("lemonade.order-placed"));
        assertMatches("lemonade.*", List.of("lemonade.order-placed"));
        assertMatches("lemonade.#", List.of("lemonade", "lemonade.order-placed", "lemonade.order.placed"));
        assertMatches("*", List.of("lemonade"));
        assertMatches("#", TYPES);
    }

    @Test
    void typesAndPatternsThatAreNotDotSeparatedWordsAreRefusedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> EventTypes.requireType("lemonade.*"));
        assertThrows(IllegalArgumentException.class, () -> EventTypes.requireType("lemonade..placed"));
        assertThrows(IllegalArgumentException.class, () -> EventTypes.requireType("it's"));
        assertThrows(IllegalArgumentException.class, () -> EventTypes.requireType("under_score"));
        assertNotNull(EventTypes.patternProblem("lemonade.*.placed"));
        assertNotNull(EventTypes.patternProblem(""));
        assertNull(EventTypes.patternProblem("lemonade.#"));
    }

    private static void assertMatches(String pattern, List<String> expected) throws Exception {
        String expression = EventTypes.artemisFilter(List.of(pattern));
        Filter filter = expression == null ? null : FilterImpl.createFilter(expression);
        List<String> byErrand = TYPES.stream().filter(type -> EventTypes.matches(pattern, type)).toList();
        List<String> byArtemis = TYPES.stream().filter(type -> filter == null || filter.match(withSubject(type))).toList();
        assertEquals(expected, byErrand, "Errand, " + pattern);
        assertEquals(expected, byArtemis, "Artemis, " + expression);
    }

    /** An AMQP subject is JMSType to Artemis' filters. */
    private static CoreMessage withSubject(String type) {
        CoreMessage message = new CoreMessage(1, 100);
        message.putStringProperty("JMSType", type);
        return message;
    }
}
