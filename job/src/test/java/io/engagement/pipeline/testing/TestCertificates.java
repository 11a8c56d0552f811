package io.engagement.pipeline.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private CA and a server certificate it signed for 127.0.0.1 and localhost, made with the JDK's
 * keytool (no openssl needed): the CA certificate as PEM (what clients trust), the server's key and
 * chain as PKCS12 (the service's keystore) and as PEM files (ClickHouse's openSSL settings).
 */
public final class TestCertificates {

    public static final String PASSWORD = "test-keystore-password";

    /** The CA certificate, PEM: the CA file clients are given. */
    public final Path caPem;
    /** The server's key and certificate chain, PKCS12 with {@link #PASSWORD}. */
    public final Path serverKeystore;
    /** The server's certificate followed by the CA's, PEM. */
    public final Path serverChainPem;
    /** The server's private key, unencrypted PKCS#8 PEM. */
    public final Path serverKeyPem;
    /** A second CA that signed nothing here: trusting it alone must fail. */
    public final Path otherCaPem;

    private TestCertificates(Path dir) {
        this.caPem = dir.resolve("ca.pem");
        this.serverKeystore = dir.resolve("server.p12");
        this.serverChainPem = dir.resolve("server-chain.pem");
        this.serverKeyPem = dir.resolve("server-key.pem");
        this.otherCaPem = dir.resolve("other-ca.pem");
    }

    public static TestCertificates create(Path dir) throws Exception {
        TestCertificates files = new TestCertificates(dir);
        Path ca = dir.resolve("ca.p12");
        Path other = dir.resolve("other-ca.p12");
        Path request = dir.resolve("server.csr");
        Path signed = dir.resolve("server.pem");
        keytool(
                dir,
                "-genkeypair",
                "-alias",
                "ca",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=engagement test CA",
                "-ext",
                "bc:c",
                "-validity",
                "3",
                "-keystore",
                ca.toString());
        keytool(
                dir,
                "-exportcert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                ca.toString(),
                "-file",
                files.caPem.toString());
        keytool(
                dir,
                "-genkeypair",
                "-alias",
                "ca",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=another CA",
                "-ext",
                "bc:c",
                "-validity",
                "3",
                "-keystore",
                other.toString());
        keytool(
                dir,
                "-exportcert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                other.toString(),
                "-file",
                files.otherCaPem.toString());
        keytool(
                dir,
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-validity",
                "3",
                "-keystore",
                files.serverKeystore.toString());
        keytool(
                dir,
                "-certreq",
                "-alias",
                "server",
                "-keystore",
                files.serverKeystore.toString(),
                "-file",
                request.toString());
        keytool(
                dir,
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                ca.toString(),
                "-infile",
                request.toString(),
                "-outfile",
                signed.toString(),
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-ext",
                "EKU=serverAuth",
                "-validity",
                "3");
        keytool(
                dir,
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                files.caPem.toString(),
                "-keystore",
                files.serverKeystore.toString());
        keytool(
                dir,
                "-importcert",
                "-alias",
                "server",
                "-file",
                signed.toString(),
                "-keystore",
                files.serverKeystore.toString());
        Files.writeString(files.serverChainPem, Files.readString(signed) + Files.readString(files.caPem));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(files.serverKeystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        Key key = store.getKey("server", PASSWORD.toCharArray());
        Files.writeString(
                files.serverKeyPem,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(key.getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        return files;
    }

    private static void keytool(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
