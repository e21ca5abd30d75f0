package io.outlast.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The test-apps' TLS key: self-signed, made once per run with the JDK's {@code keytool} (PKCS12, password
 * {@value #PASSWORD}), for 127.0.0.1; and the client side, which trusts it, as a proxy in front of a server
 * with a private certificate is set to.
 */
final class TlsKeys {
    static final String PASSWORD = "outlast";
    private static Path keyStore;

    private TlsKeys() {
    }

    /** The key store's path, made on first use. */
    static synchronized Path keyStore() throws IOException {
        if (keyStore == null) {
            Path dir = Files.createTempDirectory("outlast-tls");
            Path store = dir.resolve("server.p12");
            Path keytool = Jdk.JDK17.java().resolveSibling("keytool");
            Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "app",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", PASSWORD, "-keypass", PASSWORD)).redirectErrorStream(true).start();
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IOException("keytool failed: " + new String(p.getInputStream().readAllBytes()));
                }
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            store.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            keyStore = store;
        }
        return keyStore;
    }

    /** A client that trusts any certificate: the tests' server has the one made above. */
    static SSLContext trustingClient() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
