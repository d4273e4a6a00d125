package com.example.invoices;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Stands in for the remote billing system, so that the example runs on its own: it counts calls and
 * invoices, and fails on request (a transient error, or an outage). A real service calls a REST client
 * here.
 */
@ApplicationScoped
public class BillingApi {

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final Map<String, String> invoices = new ConcurrentHashMap<>();
    private volatile boolean down;

    public String send(String idempotencyKey, SendInvoice invoice) {
        calls.computeIfAbsent(invoice.invoiceId(), any -> new AtomicInteger()).incrementAndGet();
        if (down) {
            throw new IllegalStateException("billing is down");
        }
        AtomicInteger left = failuresLeft.get(invoice.invoiceId());
        if (left != null && left.getAndDecrement() > 0) {
            throw new IllegalStateException("billing hiccup for " + invoice.invoiceId());
        }
        // Idempotent by key, like a payment API.
        return invoices.computeIfAbsent(idempotencyKey, key -> "receipt-" + invoices.size());
    }

    public void failNext(String invoiceId, int times) {
        failuresLeft.put(invoiceId, new AtomicInteger(times));
    }

    public void down(boolean isDown) {
        down = isDown;
    }

    public int calls(String invoiceId) {
        AtomicInteger count = calls.get(invoiceId);
        return count == null ? 0 : count.get();
    }

    /** Calls for every invoice whose id starts with {@code prefix}. */
    public int totalCallsTo(String prefix) {
        return calls.entrySet().stream().filter(entry -> entry.getKey().startsWith(prefix))
                .mapToInt(entry -> entry.getValue().get()).sum();
    }
}
