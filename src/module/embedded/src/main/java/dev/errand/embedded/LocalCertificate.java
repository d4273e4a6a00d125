package dev.errand.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for a server on this machine, made with the JDK's own keytool (no
 * library, no network): valid for 127.0.0.1 and localhost, so clients can verify both the chain
 * (against the certificate) and the host name. Every file is readable by its owner only; the
 * certificate itself is public, but the key store beside it is not.
 *
 * @param keyStore    PKCS12 key store: the private key and the certificate, for the server
 * @param certificate the certificate alone (PEM), for clients to trust
 * @param trustStore  the certificate alone in a PKCS12 store, for clients that want a store
 * @param password    the password of both stores
 */
public record LocalCertificate(Path keyStore, Path certificate, Path trustStore, String password) {

    /** The broker's own certificate in the data folder lives this long; it is renewed at a start near its end. */
    static final Duration LIFETIME = Duration.ofDays(825);
    /** A start closer than this to the end makes a new one, so a running broker never outlives its certificate. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    /** A fresh certificate named {@code name} in {@code folder} (made private), valid for {@code validity}. */
    public static LocalCertificate create(Path folder, String name, Duration validity) throws IOException {
        return make(folder, name, LocalCredentials.randomPassword(), validity);
    }

    /**
     * The certificate {@code name} in {@code folder}, made at the first start and kept afterwards (clients
     * that trust it keep working across restarts); made again when it is missing, unreadable or near its end.
     */
    static LocalCertificate loadOrCreate(Path folder, String name, String password) throws IOException {
        LocalCertificate existing = files(folder, name, password);
        if (existing.usableUntil().map(end -> end.isAfter(Instant.now().plus(RENEW_BEFORE))).orElse(false)) {
            PrivateFolders.restrict(folder);
            return existing;
        }
        return make(folder, name, password, LIFETIME);
    }

    private static LocalCertificate files(Path folder, String name, String password) {
        return new LocalCertificate(folder.resolve(name + ".p12"), folder.resolve(name + ".crt"),
                folder.resolve(name + "-trust.p12"), password);
    }

    /** The end of the key store's certificate, empty when any of the three files is missing or unreadable. */
    private Optional<Instant> usableUntil() {
        if (!Files.exists(certificate) || !Files.exists(trustStore) || !Files.exists(keyStore)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            X509Certificate certificate = (X509Certificate) store.getCertificate(alias());
            return certificate == null ? Optional.empty()
                    : Optional.of(certificate.getNotAfter().toInstant());
        } catch (IOException | GeneralSecurityException e) {
            // A store written with another password, or half-written: make a new one.
            return Optional.empty();
        }
    }

    private String alias() {
        String file = keyStore.getFileName().toString();
        return file.substring(0, file.length() - ".p12".length());
    }

    private static LocalCertificate make(Path folder, String name, String password, Duration validity)
            throws IOException {
        PrivateFolders.create(folder);
        LocalCertificate made = files(folder, name, password);
        Files.deleteIfExists(made.keyStore());
        Files.deleteIfExists(made.certificate());
        Files.deleteIfExists(made.trustStore());
        keytool(password, "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048",
                "-validity", Long.toString(Math.max(1, validity.toDays())),
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", made.keyStore().toString(), "-storepass:env", PASSWORD_VARIABLE);
        keytool(password, "-exportcert", "-alias", name, "-rfc", "-file", made.certificate().toString(),
                "-keystore", made.keyStore().toString(), "-storepass:env", PASSWORD_VARIABLE);
        keytool(password, "-importcert", "-noprompt", "-alias", name, "-file", made.certificate().toString(),
                "-storetype", "PKCS12", "-keystore", made.trustStore().toString(), "-storepass:env", PASSWORD_VARIABLE);
        PrivateFolders.restrict(folder);
        return made;
    }

    /**
     * The stores' password reaches keytool in its environment, not on its command line: there, any process
     * could read it, and a random password that begins with "-J" is taken for an option of keytool's JVM.
     */
    private static final String PASSWORD_VARIABLE = "ERRAND_STORE_PASSWORD";

    private static void keytool(String password, String... arguments) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put(PASSWORD_VARIABLE, password);
        Process process = builder.start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + arguments[0] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while making a certificate", e);
        }
        if (!Files.exists(Path.of(arguments[List.of(arguments).indexOf("-keystore") + 1]))) {
            throw new IOException("keytool made no key store");
        }
    }
}
