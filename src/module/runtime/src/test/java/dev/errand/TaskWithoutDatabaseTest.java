package dev.errand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A handler's unit test: its Task is built with steps in memory, with no database, broker or Quarkus. */
class TaskWithoutDatabaseTest {

    record SendInvoice(String number) {
    }

    /** A handler as a service writes one: two remote steps, the second using the first's result. */
    static final class InvoiceHandler {

        final List<String> remoteCalls = new ArrayList<>();
        int mailerFailures;

        void send(SendInvoice command, Task<SendInvoice> task) throws Exception {
            String id = task.step("create", key -> {
                remoteCalls.add("create " + command.number() + " with key " + key);
                return "inv-" + command.number();
            });
            task.step("email", key -> {
                if (mailerFailures-- > 0) {
                    throw new IOException("mailer down");
                }
                remoteCalls.add("email " + id);
                return "sent";
            });
        }
    }

    private final InvoiceHandler handler = new InvoiceHandler();

    @Test
    void aHandlerRunsWithATaskBuiltWithoutADatabase() throws Exception {
        Task<SendInvoice> task = Task.builder(new SendInvoice("7")).consumer("invoices").messageId("m-1").build();

        handler.send(task.payload(), task);

        assertEquals(List.of("create 7 with key m-1:create", "email inv-7"), handler.remoteCalls);
        assertEquals(1, task.attempt());
    }

    @Test
    void aRetryOfTheSameMessageSkipsTheStepsItRecorded() throws Exception {
        Steps steps = Steps.inMemory();
        SendInvoice command = new SendInvoice("8");
        handler.mailerFailures = 1;

        Task<SendInvoice> first = Task.builder(command).messageId("m-2").steps(steps).build();
        assertThrows(IOException.class, () -> handler.send(command, first));
        handler.send(command, Task.builder(command).messageId("m-2").steps(steps).attempt(2).build());

        // created once; the email failed on attempt 1 (not recorded) and was sent on attempt 2
        assertEquals(List.of("create 8 with key m-2:create", "email inv-8"), handler.remoteCalls);
        assertEquals(List.of("create", "email"),
                steps.done("test", "m-2").stream().map(Steps.Done::step).sorted().toList());
    }

    @Test
    void anotherMessageOrAnotherConsumerHasStepsOfItsOwn() throws Exception {
        Steps steps = Steps.inMemory();
        SendInvoice command = new SendInvoice("9");

        handler.send(command, Task.builder(command).messageId("m-3").steps(steps).build());
        handler.send(command, Task.builder(command).messageId("m-4").steps(steps).build());
        handler.send(command, Task.builder(command).consumer("copies").messageId("m-3").steps(steps).build());

        assertEquals(6, handler.remoteCalls.size());
    }

    @Test
    void anOutsideSendersMessageHasStepKeysOfItsOwn() {
        Task<String> outside = Task.builder("body").messageId("m-5").origin(Origin.OUTSIDE).build();

        assertEquals("outside:m-5:create", outside.stepKey("create"));
        assertEquals("m-5:create", Task.builder("body").messageId("m-5").build().stepKey("create"));
    }
}
