package io.engagement.pipeline.service;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Collections;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * HTTPS for the service ({@code service.tls.keystore}): one TLS connector on the service's host and
 * port, in place of the plain one, so no request and no API key ever crosses the network in clear.
 * TLS 1.2 and 1.3 only, with the JDK's default cipher suites (Jetty excludes the weak ones).
 */
final class ServiceTls {

    private ServiceTls() {}

    /** Why the keystore cannot serve (missing, wrong password, no key in it), or null when it can. */
    static String problem(String keystore, String password) {
        Path path = Path.of(keystore);
        if (!Files.isReadable(path)) {
            return keystore + " does not exist or is not readable";
        }
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password == null ? new char[0] : password.toCharArray());
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    return null;
                }
            }
            return keystore + " holds no private key (a PKCS12 file with the service's key and certificate chain)";
        } catch (Exception e) {
            return "cannot open " + keystore + " as PKCS12 with service.tls.keystore-password: " + e.getMessage();
        }
    }

    /** The HTTPS connector on {@code host:port}, with the request settings Javalin gives its own. */
    static Connector connector(
            Server server, HttpConfiguration javalinHttp, String host, int port, String keystore, String password) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(keystore);
        tls.setKeyStoreType("PKCS12");
        tls.setKeyStorePassword(password == null ? "" : password);
        tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        HttpConfiguration https = new HttpConfiguration(javalinHttp);
        // Request.isSecure() and the https scheme for what Javalin builds from the request; SNI not
        // required (clients that address the service by IP send none).
        https.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
        ServerConnector connector = new ServerConnector(
                server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }
}
