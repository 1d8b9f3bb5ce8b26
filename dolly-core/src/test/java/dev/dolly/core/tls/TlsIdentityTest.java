package dev.dolly.core.tls;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsIdentityTest
{
    @TempDir
    Path directory;

    @Test
    void loadsRsaAndEcKeysWithTheirCertificates()
            throws Exception
    {
        for (String algorithm : new String[] {"RSA", "EC"}) {
            SelfSignedCertificates.Pair pair = SelfSignedCertificates.generate(directory, "server-" + algorithm, algorithm, "ip:127.0.0.1,dns:localhost");

            TlsIdentity identity = TlsIdentity.load(pair.certificate(), pair.key());

            assertThat(identity.key().getAlgorithm()).isEqualTo(algorithm);
            assertThat(identity.chain()).containsExactly(pair.x509());
            KeyStore store = identity.keyStore("secret".toCharArray());
            assertThat(store.getCertificate("dolly")).isEqualTo(pair.x509());
            assertThat(store.getKey("dolly", "secret".toCharArray())).isEqualTo(identity.key());
            assertThat(identity.certificatePem()).isEqualTo(Files.readString(pair.certificate()));
        }
    }

    @Test
    void keepsTheChainInOrder()
            throws Exception
    {
        SelfSignedCertificates.Pair server = SelfSignedCertificates.generate(directory, "server", "RSA", "dns:localhost");
        SelfSignedCertificates.Pair other = SelfSignedCertificates.generate(directory, "intermediate", "EC", "dns:intermediate");
        Path chain = directory.resolve("chain.pem");
        Files.writeString(chain, Files.readString(server.certificate()) + Files.readString(other.certificate()));

        assertThat(TlsIdentity.load(chain, server.key()).chain()).containsExactly(server.x509(), other.x509());
    }

    @Test
    void refusesAKeyOfAnotherCertificate()
            throws Exception
    {
        SelfSignedCertificates.Pair first = SelfSignedCertificates.generate(directory, "first", "RSA", "dns:localhost");
        SelfSignedCertificates.Pair second = SelfSignedCertificates.generate(directory, "second", "RSA", "dns:localhost");
        SelfSignedCertificates.Pair ec = SelfSignedCertificates.generate(directory, "third", "EC", "dns:localhost");

        assertBadInput(first.certificate(), second.key(), "DOLLY_TLS_KEY: the private key in " + second.key() + " does not match the certificate in "
                + first.certificate() + " (CN=first). Use the key the certificate was issued for; the server's own certificate must come first in the chain file.");
        assertBadInput(first.certificate(), ec.key(), "DOLLY_TLS_KEY: the private key in " + ec.key() + " does not match the certificate in "
                + first.certificate() + " (CN=first). Use the key the certificate was issued for; the server's own certificate must come first in the chain file.");
    }

    @Test
    void namesMissingAndMisplacedFiles()
            throws Exception
    {
        SelfSignedCertificates.Pair pair = SelfSignedCertificates.generate(directory, "server", "RSA", "dns:localhost");
        Path missing = directory.resolve("missing.pem");

        assertBadInput(missing, pair.key(), "DOLLY_TLS_CERTIFICATE: the certificate file " + missing + " does not exist.");
        assertBadInput(pair.certificate(), missing, "DOLLY_TLS_KEY: the private key file " + missing + " does not exist.");
        assertBadInput(directory, pair.key(), "DOLLY_TLS_CERTIFICATE: " + directory + " is a directory, not a certificate file.");
    }

    @Test
    void refusesWhatIsNotPem()
            throws Exception
    {
        SelfSignedCertificates.Pair pair = SelfSignedCertificates.generate(directory, "server", "RSA", "dns:localhost");
        Path text = directory.resolve("notes.txt");
        Files.writeString(text, "hello\n");
        Path der = directory.resolve("server.der");
        Files.write(der, pair.x509().getEncoded());

        assertBadInput(text, pair.key(), "DOLLY_TLS_CERTIFICATE: " + text + " is not a PEM certificate file: it has no '-----BEGIN CERTIFICATE-----' block. "
                + "Give the server's certificate (and its intermediates) in PEM format.");
        assertBadInput(der, pair.key(), "DOLLY_TLS_CERTIFICATE: " + der + " is not a PEM file (it holds binary data; DER files must be converted to PEM).");
        assertBadInput(pair.certificate(), pair.certificate(), "DOLLY_TLS_KEY: " + pair.certificate()
                + " is not a PEM private key file: it has no '-----BEGIN PRIVATE KEY-----' block. Give the certificate's private key in PKCS#8 PEM format.");
    }

    @Test
    void explainsKeysInOtherFormats()
            throws Exception
    {
        SelfSignedCertificates.Pair pair = SelfSignedCertificates.generate(directory, "server", "RSA", "dns:localhost");
        String body = Base64.getMimeEncoder().encodeToString(new byte[] {1, 2, 3});
        Path traditional = directory.resolve("traditional.key");
        Files.writeString(traditional, "-----BEGIN RSA PRIVATE KEY-----\n" + body + "\n-----END RSA PRIVATE KEY-----\n");
        Path encrypted = directory.resolve("encrypted.key");
        Files.writeString(encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + body + "\n-----END ENCRYPTED PRIVATE KEY-----\n");
        Path garbage = directory.resolve("garbage.key");
        Files.writeString(garbage, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");

        assertBadInput(pair.certificate(), traditional, "DOLLY_TLS_KEY: the private key in " + traditional + " is in the traditional 'RSA PRIVATE KEY' format; "
                + "Dolly reads PKCS#8 ('BEGIN PRIVATE KEY'). Convert it with: openssl pkcs8 -topk8 -nocrypt -in " + traditional + " -out key.pem");
        assertBadInput(pair.certificate(), encrypted, "DOLLY_TLS_KEY: the private key in " + encrypted + " is encrypted. Dolly needs it unencrypted, "
                + "readable by the daemon's user only: openssl pkcs8 -topk8 -nocrypt -in " + encrypted + " -out key.pem");
        assertBadInput(pair.certificate(), garbage, "DOLLY_TLS_KEY: the private key in " + garbage + " is neither an RSA nor an EC key that the JDK can read.");
    }

    private static void assertBadInput(Path certificate, Path key, String message)
    {
        assertThatThrownBy(() -> TlsIdentity.load(certificate, key))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessage(message);
    }
}
