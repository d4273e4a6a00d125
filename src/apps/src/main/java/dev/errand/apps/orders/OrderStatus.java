package dev.errand.apps.orders;

/** PROCESSING from the moment the order is stored until the worker has done every step. */
public enum OrderStatus {
    PROCESSING,
    COMPLETED
}
