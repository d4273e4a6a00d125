package dev.errand.internal.trust;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import dev.errand.WireContract;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Tells Errand's own messages from anything else on its queues. Anyone with the broker's sender user
 * could otherwise write work the service never asked for, repeat it under new ids, change its amounts,
 * forge a retry's history or a dead letter. Errand signs everything it sends with an HMAC whose key
 * lives in the database (shared by every replica, unknown to every broker user), and the consumers
 * trust only what carries a valid signature.
 * <p>
 * The signature covers the message-id, subject, correlation-id, the body's JSON value and every
 * {@code errand_*} application property (attempts, history, origin, ordering key, a dead letter's
 * reason...), sorted by name. Each {@link Purpose} signs with its own label, so a dead letter's signature,
 * which operators can read, never passes for a work message's.
 */
@ApplicationScoped
public class MessageSigner {

    /** What a signature vouches for. */
    public enum Purpose {
        /** A message for a consumer: outbox, events, durable calls, retries, replays. */
        MESSAGE("errand-message-v1"),
        /** A dead letter, for the recorder. */
        DEAD_LETTER("errand-dead-letter-v1");

        private final String label;

        Purpose(String label) {
            this.label = label;
        }
    }

    private static final Logger LOG = Logger.getLogger(MessageSigner.class);
    /** The name it has had since dead letters were first signed: a replica of an older version shares it. */
    private static final String KEY_NAME = "dead-letter-signing-key";
    private static final String ALGORITHM = "HmacSHA256";
    private static final String PREFIX = "errand_";
    private static final List<String> LEGACY_DEAD_LETTER_PROPERTIES = List.of(WireContract.DL_ORIGINAL_ADDRESS,
            WireContract.DL_CONSUMER, WireContract.DL_REASON, WireContract.DL_ERROR_CLASS,
            WireContract.DL_ERROR_MESSAGE, WireContract.DL_FIRST_FAILURE, WireContract.DL_LAST_FAILURE,
            WireContract.ATTEMPTS, WireContract.HISTORY);

    private final EntityManager entityManager;
    private volatile SecretKeySpec key;

    public MessageSigner(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** The signature of a message about to be sent; {@code properties} must not be changed after. */
    public String sign(Purpose purpose, String messageId, String subject, String correlationId, String body,
            Map<String, Object> properties) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                mac(purpose, messageId, subject, correlationId, body, properties));
    }

    private byte[] mac(Purpose purpose, String messageId, String subject, String correlationId, String body,
            Map<String, Object> properties) {
        return mac(purpose, messageId, subject, correlationId, body, properties, false);
    }

    /** Whether a received message carries the signature Errand would have given it. */
    public boolean verify(Purpose purpose, String messageId, String subject, String correlationId, String body,
            Map<String, Object> properties) {
        Object signature = properties.get(WireContract.SIGNATURE);
        if (!(signature instanceof String text)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
        // Errand sends JSON under a content-type the connector hands over as it came, so the text is the one
        // signed; its JSON value is compared only when the text differs (a body decoded and encoded again),
        // and never for a body over the contract's limit, which is not worth parsing to find out.
        boolean parseable = body == null || body.length() <= WireContract.MAX_BODY_BYTES;
        return MessageDigest.isEqual(given, mac(purpose, messageId, subject, correlationId, body, properties))
                || parseable && MessageDigest.isEqual(given,
                        mac(purpose, messageId, subject, correlationId, body, properties, true))
                || purpose == Purpose.DEAD_LETTER
                        && MessageDigest.isEqual(given, legacyDeadLetterMac(messageId, subject, correlationId, body,
                                properties));
    }

    /**
     * How a dead letter was signed before every message was (this key, no label, a fixed list of
     * properties): a replica of the older version, during a rolling upgrade, dead-letters that way, and its
     * letters must still be recorded. Remove once no such replica can run.
     */
    private byte[] legacyDeadLetterMac(String messageId, String subject, String correlationId, String body,
            Map<String, Object> properties) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key());
            update(mac, messageId);
            update(mac, subject);
            update(mac, correlationId);
            update(mac, canonical(body));
            for (String name : LEGACY_DEAD_LETTER_PROPERTIES) {
                Object value = properties.get(name);
                update(mac, value == null ? null : value.toString());
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JVM has " + ALGORITHM, e);
        }
    }

    private byte[] mac(Purpose purpose, String messageId, String subject, String correlationId, String body,
            Map<String, Object> properties, boolean canonicalBody) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key());
            // Each field length-prefixed, so no two different messages share an input.
            update(mac, purpose.label);
            update(mac, messageId);
            update(mac, subject);
            update(mac, correlationId);
            update(mac, canonicalBody ? canonical(body) : body);
            for (String name : new TreeSet<>(properties.keySet())) {
                if (name.startsWith(PREFIX) && !name.equals(WireContract.SIGNATURE)) {
                    Object value = properties.get(name);
                    update(mac, name);
                    update(mac, value == null ? null : value.toString());
                }
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JVM has " + ALGORITHM, e);
        }
    }

    /**
     * The connector hands a JSON body over decoded and Errand encodes it again, so spacing may change
     * on the way through the broker; the signature covers the JSON value, not its spelling.
     */
    private static String canonical(String body) {
        if (body == null) {
            return null;
        }
        try {
            Object value = Json.decodeValue(body);
            if (value instanceof JsonObject object) {
                return object.encode();
            }
            if (value instanceof JsonArray array) {
                return array.encode();
            }
            return body;
        } catch (RuntimeException e) {
            return body;
        }
    }

    private static void update(Mac mac, String value) {
        if (value == null) {
            mac.update(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        mac.update(bytes);
    }

    /**
     * Loaded at start, so the first message, maybe on an I/O thread (where a blocking load is refused),
     * needs no database. A start that found no free connection (a replica started again beside others
     * that hold them) tries again every 2 s on a thread of its own until the key is in.
     */
    void preload(@Observes StartupEvent start) {
        preload(1);
    }

    private void preload(int attempt) {
        try {
            key();
            if (attempt > 1) {
                LOG.infof("The message signing key is loaded (attempt %d)", attempt);
            }
        } catch (RuntimeException e) {
            if (attempt == 1) {
                LOG.warnf("The message signing key is not loaded yet (%s); trying again every 2 s", e.toString());
            }
            CompletableFuture.runAsync(() -> preload(attempt + 1),
                    CompletableFuture.delayedExecutor(2, java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    private SecretKeySpec key() {
        SecretKeySpec current = key;
        if (current == null) {
            String encoded = QuarkusTransaction.requiringNew().call(this::loadOrCreate);
            current = new SecretKeySpec(Base64.getDecoder().decode(encoded), ALGORITHM);
            key = current;
        }
        return current;
    }

    private String loadOrCreate() {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        entityManager.createNativeQuery("insert into errand_secret (name, value) values (?1, ?2)"
                + " on conflict (name) do nothing")
                .setParameter(1, KEY_NAME)
                .setParameter(2, Base64.getEncoder().encodeToString(fresh))
                .executeUpdate();
        return (String) entityManager.createNativeQuery("select value from errand_secret where name = ?1")
                .setParameter(1, KEY_NAME)
                .getSingleResult();
    }
}
