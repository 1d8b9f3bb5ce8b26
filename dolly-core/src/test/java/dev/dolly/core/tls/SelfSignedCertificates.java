package dev.dolly.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Self-signed certificates for tests, made by the JDK's own keytool, written as PEM: the certificate, and the key in
 * PKCS#8, as a server administrator would get them from openssl or a CA.
 */
public final class SelfSignedCertificates
{
    private SelfSignedCertificates() {}

    /**
     * @param algorithm {@code RSA} or {@code EC}
     * @param subjectAlternativeNames keytool's form, such as {@code ip:127.0.0.1,dns:localhost}
     */
    public static Pair generate(Path directory, String name, String algorithm, String subjectAlternativeNames)
            throws IOException, InterruptedException, GeneralSecurityException
    {
        Path keyStore = directory.resolve(name + ".p12");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", algorithm,
                "-dname", "CN=" + name, "-ext", "SAN=" + subjectAlternativeNames, "-validity", "2",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit"));
        if (algorithm.equals("EC")) {
            command.addAll(List.of("-groupname", "secp256r1"));
        }
        else {
            command.addAll(List.of("-keysize", "2048"));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream input = Files.newInputStream(keyStore)) {
            store.load(input, "changeit".toCharArray());
        }
        X509Certificate certificate = (X509Certificate) store.getCertificate("server");
        PrivateKey key = (PrivateKey) store.getKey("server", "changeit".toCharArray());
        Path certificateFile = directory.resolve(name + ".crt");
        Path keyFile = directory.resolve(name + ".key");
        Files.writeString(certificateFile, pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
        return new Pair(certificateFile, keyFile, certificate);
    }

    public static String pem(String type, byte[] der)
    {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    public record Pair(Path certificate, Path key, X509Certificate x509) {}
}
