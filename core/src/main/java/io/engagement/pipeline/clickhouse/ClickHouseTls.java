package io.engagement.pipeline.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTP client every ClickHouse connection of the project uses (the job's writers, the start-up
 * checks, the service, the tools): plain, or for an {@code https://} endpoint signed by a private CA,
 * trusting exactly the certificates of a PEM file ({@code clickhouse.ca-file},
 * {@code clickhouse.ca-file}, {@code ENGAGEMENT_CLICKHOUSE_CA_FILE}). Without a CA file an {@code https://}
 * endpoint is checked against the JVM's trust store. Host names are always verified (the JDK client's
 * default): the certificate must name the host of the URL.
 */
public final class ClickHouseTls {

    private ClickHouseTls() {}

    /** A client trusting the CA file's certificates, or the JVM's trust store when {@code caFile} is null or empty. */
    public static HttpClient client(String caFile) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (caFile != null && !caFile.isEmpty()) {
            try {
                builder.sslContext(trusting(Path.of(caFile)));
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return builder.build();
    }

    /**
     * Why the file cannot serve as a CA file (missing, unreadable, no certificate in it), or null when
     * it can: for the start-up checks of the settings that name one.
     */
    public static String problem(String caFile) {
        try {
            trusting(Path.of(caFile));
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getMessage();
        }
    }

    /** A TLS context whose trust anchors are the certificates of a PEM (or DER) file, and nothing else. */
    static SSLContext trusting(Path caFile) throws IOException {
        if (!Files.isReadable(caFile)) {
            throw new IOException("CA file " + caFile + " does not exist or is not readable");
        }
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IOException(
                        "CA file " + caFile + " holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)");
            }
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                anchors.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("CA file " + caFile + " is not a certificate file: " + e.getMessage(), e);
        }
    }
}
