package dev.errand.internal.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.errand.internal.contract.StrictJson;

class KeyedStartTest {

    @Test
    void aPrintableKeyOfUpToTwoHundredCharactersIsAKey() {
        assertNull(KeyedStart.serviceKeyProblem("order:42"));
        assertNull(KeyedStart.serviceKeyProblem("k".repeat(200)));
        assertNull(KeyedStart.serviceKeyProblem("commande:é\uD83D\uDE00"));
    }

    @Test
    void aMissingBlankLongOrUnprintableKeyIsRefusedSayingWhy() {
        assertEquals("a business key is required", KeyedStart.serviceKeyProblem(null));
        assertEquals("a business key may not be blank", KeyedStart.serviceKeyProblem(" \t"));
        assertEquals("a business key is at most 200 characters, was 201", KeyedStart.serviceKeyProblem("k".repeat(201)));
        assertEquals("a business key may not contain the control character U+000A (at index 5)",
                KeyedStart.serviceKeyProblem("order\n42"));
        assertTrue(KeyedStart.serviceKeyProblem("x\uD800").contains("unpaired surrogate"));
    }

    @Test
    void theServiceMayNotTakeAKeyOfTheOutsideSendersNamespace() {
        assertTrue(KeyedStart.serviceKeyProblem("outside:order:42").contains("outside senders'"));
        // From outside, the same text is a key like any other: it is kept as outside:outside:order:42.
        assertNull(KeyedStart.problem("outside:order:42"));
    }

    @Test
    void aCallsBodyGivesItsArgumentsAndNeverItsBusinessKeyWhichOnlyTheMessagesPropertyGives() throws Exception {
        ObjectMapper mapper = StrictJson.configure(new ObjectMapper());
        CallRequest read = mapper.readValue("{\"arguments\": [1, \"two\"], \"businessKey\": \"forged\"}", CallRequest.class);
        assertEquals(2, read.arguments().size());
        assertNull(read.businessKey());
        assertEquals("order:42", read.withBusinessKey("order:42").businessKey());
        assertEquals(read.arguments(), read.withBusinessKey("order:42").arguments());
    }
}
