package dev.errand.internal.deadletter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

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
 * Tells Errand's own dead letters from forgeries. Anyone who may send to the broker could otherwise
 * put a made-up failure on the dead-letter queue: it would be recorded, counted against a campaign,
 * and replayed by an administrator. Errand signs what it dead-letters with an HMAC whose key lives in
 * the database (shared by every replica, unknown to every broker user), and records only what carries
 * a valid signature.
 */
@ApplicationScoped
public class DeadLetterSignature {

    private static final Logger LOG = Logger.getLogger(DeadLetterSignature.class);
    private static final String KEY_NAME = "dead-letter-signing-key";
    private static final String ALGORITHM = "HmacSHA256";
    /** What the signature covers besides the message-id and the body: everything that is recorded. */
    private static final List<String> SIGNED_PROPERTIES = List.of(WireContract.DL_ORIGINAL_ADDRESS,
            WireContract.DL_CONSUMER, WireContract.DL_REASON, WireContract.DL_ERROR_CLASS,
            WireContract.DL_ERROR_MESSAGE, WireContract.DL_FIRST_FAILURE, WireContract.DL_LAST_FAILURE,
            WireContract.ATTEMPTS, WireContract.HISTORY);

    private final EntityManager entityManager;
    private volatile SecretKeySpec key;

    public DeadLetterSignature(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** The signature of a dead letter about to be published. */
    public String sign(String messageId, String subject, String correlationId, String body,
            Map<String, Object> properties) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                mac(messageId, subject, correlationId, body, properties));
    }

    /** Whether a received dead letter carries the signature Errand would have given it. */
    public boolean verify(String messageId, String subject, String correlationId, String body,
            Map<String, Object> properties) {
        Object signature = properties.get(WireContract.DL_SIGNATURE);
        if (!(signature instanceof String text)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, mac(messageId, subject, correlationId, body, properties));
    }

    private byte[] mac(String messageId, String subject, String correlationId, String body,
            Map<String, Object> properties) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key());
            // Each field length-prefixed, so no two different letters share an input.
            update(mac, messageId);
            update(mac, subject);
            update(mac, correlationId);
            update(mac, canonical(body));
            for (String name : SIGNED_PROPERTIES) {
                Object value = properties.get(name);
                update(mac, value == null ? null : value.toString());
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

    /** Loaded at start, so the first dead letter, maybe on an I/O thread, needs no database. */
    void preload(@Observes StartupEvent start) {
        try {
            key();
        } catch (RuntimeException e) {
            LOG.warnf("The dead-letter signing key is not loaded yet (%s); it will be on first use", e.toString());
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
