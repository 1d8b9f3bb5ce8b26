package dev.dolly.core.tls;

import dev.dolly.api.DollyException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The daemon's TLS identity: a PEM certificate chain (the server's certificate first, then intermediates) and its
 * PEM private key in PKCS#8 ({@code BEGIN PRIVATE KEY}; RSA or EC). Loading checks everything up front, so that a
 * mistake stops the daemon at start with the variable's name instead of failing every handshake later. Only the
 * JDK is used: it reads PEM certificates and PKCS#8 keys without help.
 */
public record TlsIdentity(List<X509Certificate> chain, PrivateKey key)
{
    public static final String CERTIFICATE_VARIABLE = "DOLLY_TLS_CERTIFICATE";
    public static final String KEY_VARIABLE = "DOLLY_TLS_KEY";

    private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    public TlsIdentity
    {
        chain = List.copyOf(requireNonNull(chain, "chain is null"));
        requireNonNull(key, "key is null");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain is empty");
        }
    }

    /** Reads and checks the certificate chain and the key; every problem names the variable and the file. */
    public static TlsIdentity load(Path certificateFile, Path keyFile)
    {
        requireNonNull(certificateFile, "certificateFile is null");
        requireNonNull(keyFile, "keyFile is null");
        List<X509Certificate> chain = certificates(certificateFile);
        PrivateKey key = privateKey(keyFile);
        if (!matches(key, chain.getFirst())) {
            throw DollyException.badInput(KEY_VARIABLE + ": the private key in " + keyFile + " does not match the certificate in " + certificateFile
                    + " (" + chain.getFirst().getSubjectX500Principal().getName() + "). Use the key the certificate was issued for; "
                    + "the server's own certificate must come first in the chain file.");
        }
        return new TlsIdentity(chain, key);
    }

    /** An in-memory PKCS#12 key store holding the key and its chain under the alias {@code dolly}. */
    public KeyStore keyStore(char[] password)
    {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("dolly", key, password, chain.toArray(Certificate[]::new));
            return store;
        }
        catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot build a key store for the TLS identity", e);
        }
    }

    /** The server's own certificate (the chain's first) in PEM. */
    public String certificatePem()
    {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(chain.getFirst().getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        }
        catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<X509Certificate> certificates(Path file)
    {
        String text = read(file, CERTIFICATE_VARIABLE, "certificate");
        List<X509Certificate> chain = new ArrayList<>();
        Matcher block = PEM_BLOCK.matcher(text);
        while (block.find()) {
            if (!block.group(1).equals("CERTIFICATE")) {
                continue;
            }
            byte[] der = decode(block.group(2), file, CERTIFICATE_VARIABLE);
            try {
                chain.add((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)));
            }
            catch (CertificateException e) {
                throw DollyException.badInput(CERTIFICATE_VARIABLE + ": certificate " + (chain.size() + 1) + " in " + file + " is not a valid X.509 certificate: "
                        + e.getMessage());
            }
        }
        if (chain.isEmpty()) {
            throw DollyException.badInput(CERTIFICATE_VARIABLE + ": " + file + " is not a PEM certificate file: it has no '-----BEGIN CERTIFICATE-----' block. "
                    + "Give the server's certificate (and its intermediates) in PEM format.");
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file)
    {
        String text = read(file, KEY_VARIABLE, "private key");
        Matcher block = PEM_BLOCK.matcher(text);
        while (block.find()) {
            String type = block.group(1);
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(decode(block.group(2), file, KEY_VARIABLE), file);
                }
                case "ENCRYPTED PRIVATE KEY" -> throw DollyException.badInput(KEY_VARIABLE + ": the private key in " + file + " is encrypted. "
                        + "Dolly needs it unencrypted, readable by the daemon's user only: "
                        + "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw DollyException.badInput(KEY_VARIABLE + ": the private key in " + file + " is in the traditional '" + type
                        + "' format; Dolly reads PKCS#8 ('BEGIN PRIVATE KEY'). Convert it with: "
                        + "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
                default -> {
                    // certificates or parameters next to the key: skip them
                }
            }
        }
        throw DollyException.badInput(KEY_VARIABLE + ": " + file + " is not a PEM private key file: it has no '-----BEGIN PRIVATE KEY-----' block. "
                + "Give the certificate's private key in PKCS#8 PEM format.");
    }

    private static PrivateKey pkcs8(byte[] der, Path file)
    {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            }
            catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // another algorithm
            }
        }
        throw DollyException.badInput(KEY_VARIABLE + ": the private key in " + file + " is neither an RSA nor an EC key that the JDK can read.");
    }

    /** Whether the key signs what the certificate's public key verifies: works for RSA, EC and EdDSA alike. */
    private static boolean matches(PrivateKey key, X509Certificate certificate)
    {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        }
        catch (GeneralSecurityException e) {
            // a key of another kind than the certificate's: they do not match
            return false;
        }
    }

    private static byte[] decode(String base64, Path file, String variable)
    {
        try {
            return Base64.getMimeDecoder().decode(base64.strip());
        }
        catch (IllegalArgumentException e) {
            throw DollyException.badInput(variable + ": " + file + " is not valid PEM: " + e.getMessage());
        }
    }

    private static String read(Path file, String variable, String what)
    {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        }
        catch (NoSuchFileException e) {
            throw DollyException.badInput(variable + ": the " + what + " file " + file + " does not exist.");
        }
        catch (AccessDeniedException e) {
            throw DollyException.badInput(variable + ": the " + what + " file " + file + " cannot be read by the daemon's user ("
                    + System.getProperty("user.name") + "): permission denied.");
        }
        catch (java.nio.charset.MalformedInputException e) {
            throw DollyException.badInput(variable + ": " + file + " is not a PEM file (it holds binary data; DER files must be converted to PEM).");
        }
        catch (IOException e) {
            if (Files.isDirectory(file)) {
                throw DollyException.badInput(variable + ": " + file + " is a directory, not a " + what + " file.");
            }
            throw DollyException.badInput(variable + ": cannot read the " + what + " file " + file + ": " + e.getMessage());
        }
    }
}
