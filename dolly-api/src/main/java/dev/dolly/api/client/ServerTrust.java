package dev.dolly.api.client;

import dev.dolly.api.DollyException;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Which servers a {@link DollyClient} trusts over HTTPS: the JDK's trust store, plus the certificate authorities of
 * an optional PEM file (for a team server with a certificate of its own CA, or self-signed). Host names are always
 * checked. There is no way to skip verification.
 */
public final class ServerTrust
{
    public static final String CA_CERTIFICATE_VARIABLE = "DOLLY_CA_CERTIFICATE";

    private static final ServerTrust JDK = new ServerTrust(List.of(), false, "the JDK's trust store");

    private final List<X509Certificate> certificates;
    private final boolean pinned;
    private final String description;
    private SSLContext sslContext;
    private SSLSocketFactory socketFactory;

    private ServerTrust(List<X509Certificate> certificates, boolean pinned, String description)
    {
        this.certificates = List.copyOf(certificates);
        this.pinned = pinned;
        this.description = requireNonNull(description, "description is null");
    }

    /** The certificate authorities of the JDK's trust store. */
    public static ServerTrust jdk()
    {
        return JDK;
    }

    /**
     * The JDK's trust store and the certificate authorities of a PEM file.
     *
     * @param source how the user named the file, for messages: {@code --ca-certificate} or the variable
     */
    public static ServerTrust withCertificateAuthorities(Path file, String source)
    {
        List<X509Certificate> authorities = read(file, source);
        return new ServerTrust(authorities, false, "the JDK's trust store and " + file);
    }

    /**
     * Exactly the certificate the local daemon wrote to its {@code daemon.json}: the client trusts that certificate
     * whatever host name it connects by (the daemon may listen on every address, by a name the certificate does not
     * hold), and nothing else.
     */
    public static ServerTrust pinned(String pemCertificate)
    {
        try {
            List<X509Certificate> chain = parse(new ByteArrayInputStream(pemCertificate.getBytes(StandardCharsets.US_ASCII)));
            if (chain.isEmpty()) {
                throw new CertificateException("no certificate");
            }
            return new ServerTrust(chain.subList(0, 1), true, "the certificate in daemon.json");
        }
        catch (CertificateException e) {
            throw DollyException.failed("The certificate in the local daemon's daemon.json cannot be read: " + e.getMessage() + ". Restart the daemon.");
        }
    }

    String description()
    {
        return description;
    }

    boolean usesOwnCertificates()
    {
        return !certificates.isEmpty();
    }

    void configure(HttpsURLConnection connection)
    {
        if (!certificates.isEmpty()) {
            connection.setSSLSocketFactory(socketFactory());
        }
    }

    /** Sets up a java.net.http client the same way as {@link #configure(HttpsURLConnection)}. */
    void configure(HttpClient.Builder builder)
    {
        if (!certificates.isEmpty()) {
            builder.sslContext(sslContext());
        }
    }

    private synchronized SSLSocketFactory socketFactory()
    {
        if (socketFactory == null) {
            socketFactory = sslContext().getSocketFactory();
        }
        return socketFactory;
    }

    private synchronized SSLContext sslContext()
    {
        if (sslContext == null) {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {pinned ? new PinnedTrustManager(certificates.getFirst()) : trustManager()}, null);
                sslContext = context;
            }
            catch (GeneralSecurityException e) {
                throw new IllegalStateException("Cannot set up TLS", e);
            }
        }
        return sslContext;
    }

    /** One PKIX trust manager over the JDK's authorities and the file's. */
    private X509TrustManager trustManager()
            throws GeneralSecurityException
    {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int index = 0;
        for (X509Certificate authority : defaultTrustManager().getAcceptedIssuers()) {
            store.setCertificateEntry("jdk-" + index++, authority);
        }
        for (X509Certificate authority : certificates) {
            store.setCertificateEntry("dolly-" + index++, authority);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return Arrays.stream(factory.getTrustManagers()).filter(X509TrustManager.class::isInstance).map(X509TrustManager.class::cast).findFirst()
                .orElseThrow();
    }

    private static X509TrustManager defaultTrustManager()
            throws GeneralSecurityException
    {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        return Arrays.stream(factory.getTrustManagers()).filter(X509TrustManager.class::isInstance).map(X509TrustManager.class::cast).findFirst()
                .orElseThrow();
    }

    private static List<X509Certificate> read(Path file, String source)
    {
        try (InputStream input = Files.newInputStream(file)) {
            List<X509Certificate> authorities = parse(input);
            if (authorities.isEmpty()) {
                throw new CertificateException("no certificate in it");
            }
            return authorities;
        }
        catch (NoSuchFileException e) {
            throw DollyException.badInput(source + ": the CA certificate file " + file + " does not exist.");
        }
        catch (AccessDeniedException e) {
            throw DollyException.badInput(source + ": the CA certificate file " + file + " cannot be read: permission denied.");
        }
        catch (IOException e) {
            throw DollyException.badInput(source + ": cannot read the CA certificate file " + file + ": " + e.getMessage());
        }
        catch (CertificateException e) {
            throw DollyException.badInput(source + ": " + file + " is not a PEM certificate file ('-----BEGIN CERTIFICATE-----'): " + e.getMessage());
        }
    }

    private static List<X509Certificate> parse(InputStream input)
            throws CertificateException
    {
        List<X509Certificate> result = new ArrayList<>();
        for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(input)) {
            result.add((X509Certificate) certificate);
        }
        return result;
    }

    /**
     * Trusts one certificate, the daemon's own, and nothing else, whatever host name it was reached by (the local
     * daemon may listen on every address). An extended trust manager: both HttpsURLConnection (with its default
     * host name verifier) and java.net.http check host names inside the trust manager, so this one, which checks the
     * certificate itself, is the whole check on both request paths.
     */
    private static final class PinnedTrustManager
            extends X509ExtendedTrustManager
    {
        private final X509Certificate certificate;

        PinnedTrustManager(X509Certificate certificate)
        {
            this.certificate = requireNonNull(certificate, "certificate is null");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws CertificateException
        {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException
        {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException
        {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws CertificateException
        {
            if (chain == null || chain.length == 0 || !chain[0].equals(certificate)) {
                throw new CertificateException("The server's certificate is not the one in the local daemon's daemon.json");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException
        {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException
        {
            checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers()
        {
            return new X509Certificate[0];
        }
    }
}
