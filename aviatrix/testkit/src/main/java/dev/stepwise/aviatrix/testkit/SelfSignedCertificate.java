package dev.stepwise.aviatrix.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made once per JVM.
 *
 * <p>JDK 17 has no public API to create a certificate, so this runs the JDK's own {@code keytool}
 * ({@code $java.home/bin/keytool}) to write a PKCS12 key store into a temporary directory, loads
 * it, and deletes the files. No extra dependency is needed.
 */
final class SelfSignedCertificate {

    private static SelfSignedCertificate instance;

    final KeyStore keyStore;
    final char[] password;
    final KeyStore trustStore;

    private SelfSignedCertificate(KeyStore keyStore, char[] password, KeyStore trustStore) {
        this.keyStore = keyStore;
        this.password = password;
        this.trustStore = trustStore;
    }

    static synchronized SelfSignedCertificate get() {
        if (instance == null) {
            instance = generate();
        }
        return instance;
    }

    SSLContext serverContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("FakeController could not build its TLS context", e);
        }
    }

    SSLContext clientContext() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("FakeController could not build a client TLS context", e);
        }
    }

    private static SelfSignedCertificate generate() {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("fake-controller-tls");
            Path file = dir.resolve("fake-controller.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            ProcessBuilder p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "fake-controller",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", file.toString(),
                    "-storepass:env", "FAKE_CONTROLLER_STOREPASS", "-keypass:env", "FAKE_CONTROLLER_STOREPASS"))
                    .redirectErrorStream(true);
            p.environment().put("FAKE_CONTROLLER_STOREPASS", new String(password));
            Process process = p.start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("FakeController could not create a certificate with " + keytool
                        + ": " + output.strip());
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                keyStore.load(in, password);
            }
            Certificate cert = keyStore.getCertificate("fake-controller");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("fake-controller", cert);
            return new SelfSignedCertificate(keyStore, password, trust);
        } catch (IOException e) {
            throw new UncheckedIOException("FakeController could not create a certificate", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("FakeController could not load its certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("FakeController interrupted while creating a certificate", e);
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // A leftover temp file is harmless; the JVM's temp cleanup removes it.
                }
            }
        }
    }
}
