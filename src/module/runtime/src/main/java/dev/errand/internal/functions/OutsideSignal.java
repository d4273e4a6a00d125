package dev.errand.internal.functions;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.databind.JsonNode;

import dev.errand.Signals;
import dev.errand.WireContract;

/**
 * The body of a signal from outside the service, on {@value WireContract#SIGNALS_QUEUE}: which workflow,
 * which signal, and what its wait returns. The signal's id is the message's id.
 *
 * @param workflow the workflow's call id
 * @param signal   the signal's name, one its workflow takes from outside
 * @param payload  any JSON value (absent: null), read as the type its wait asks for
 */
public record OutsideSignal(@NotBlank @Size(max = WireContract.MAX_MESSAGE_ID_LENGTH) String workflow,
        @NotBlank @Size(max = Signals.MAX_LENGTH) String signal, JsonNode payload) {
}
