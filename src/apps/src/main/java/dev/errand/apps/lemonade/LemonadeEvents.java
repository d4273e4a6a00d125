package dev.errand.apps.lemonade;

/** The stand's event type and its subscribers, by the names the broker and the operators see. */
public final class LemonadeEvents {

    public static final String ORDER_PLACED = "lemonade.order-placed";
    public static final String KITCHEN = "kitchen";
    public static final String LOYALTY = "loyalty";
    public static final String ANALYTICS = "analytics";
    /** The kitchen's subscription queue: its backlog is what {@code POST /lemonade/orders} is limited by. */
    public static final String KITCHEN_QUEUE = "errand.events." + KITCHEN;
    public static final int MAX_CUPS = 100;

    private LemonadeEvents() {
    }
}
