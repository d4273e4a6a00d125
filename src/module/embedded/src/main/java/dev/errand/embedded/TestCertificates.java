package dev.errand.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for the test broker's AMQPS acceptor, made with the JDK's own keytool
 * (no library, no network): valid for 127.0.0.1 and localhost, so clients can verify both the chain
 * (against the trust store) and the host name.
 */
final class TestCertificates {

    private TestCertificates() {
    }

    static EmbeddedSettings.Tls brokerTls(Path folder, int port) throws IOException {
        String password = LocalCredentials.randomPassword();
        Path keyStore = folder.resolve("broker.p12");
        Path certificate = folder.resolve("broker.crt");
        Path trustStore = folder.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", password);
        keytool("-exportcert", "-alias", "broker", "-rfc", "-file", certificate.toString(),
                "-keystore", keyStore.toString(), "-storepass", password);
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(),
                "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", password);
        PrivateFolders.restrict(folder);
        return new EmbeddedSettings.Tls(port, keyStore, trustStore, password);
    }

    private static void keytool(String... arguments) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + arguments[0] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while making the test certificate", e);
        }
        if (!Files.exists(Path.of(arguments[java.util.Arrays.asList(arguments).indexOf("-keystore") + 1]))) {
            throw new IOException("keytool made no key store");
        }
    }
}
