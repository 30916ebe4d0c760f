package io.camelappconnect.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import io.camelappconnect.tls.Tls.Pem;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads the PEM material a {@link Tls.Pem} names (text, or a file read bounded) into certificates and a private key,
 * with messages that name the setting and never show a key: the part of TLS that BouncyCastle does for us.
 */
final class PemReader {

    private PemReader() {
    }

    /** A PEM file's size at most: a chain of a few certificates is some KiB; this leaves room for a CA bundle. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

    /** Every certificate in {@code pem}, in order; at least one. */
    static List<X509Certificate> certificates(Pem pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object o : read(pem)) {
            if (!(o instanceof X509CertificateHolder holder)) {
                throw bad(pem, "holds " + kind(o) + " where certificates (-----BEGIN CERTIFICATE-----) belong");
            }
            try {
                certificates.add(converter.getCertificate(holder));
            } catch (GeneralSecurityException e) {
                throw bad(pem, "unusable certificate " + holder.getSubject() + ": " + e.getMessage());
            }
        }
        return certificates;
    }

    /** The one private key in {@code pem}. */
    static PrivateKey privateKey(Pem pem) {
        // openssl ecparam -genkey writes the curve's name (an EC PARAMETERS block) before the key
        List<Object> objects = read(pem).stream().filter(o -> !(o instanceof ASN1ObjectIdentifier)).toList();
        if (objects.size() != 1) {
            throw bad(pem, "holds " + objects.size() + " PEM blocks: it must be exactly one private key");
        }
        Object o = objects.get(0);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (o instanceof PEMKeyPair pair) { // PKCS#1 (BEGIN RSA PRIVATE KEY), SEC1 (BEGIN EC PRIVATE KEY)
                return converter.getPrivateKey(pair.getPrivateKeyInfo()); // SEC1's public key is optional
            }
            if (o instanceof PrivateKeyInfo info) { // PKCS#8 (BEGIN PRIVATE KEY)
                return converter.getPrivateKey(info);
            }
        } catch (IOException e) {
            throw bad(pem, "unusable private key: " + e.getMessage());
        }
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw bad(pem, "the private key is encrypted: give it unencrypted (openssl pkey -in key.pem -out plain.pem)");
        }
        throw bad(pem, "holds " + kind(o) + ", not a private key");
    }

    private static List<Object> read(Pem pem) {
        List<Object> objects = new ArrayList<>();
        String text = text(pem);
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                objects.add(o);
            }
        } catch (IOException | RuntimeException e) { // BouncyCastle reports bad base64 or ASN.1 unchecked
            throw bad(pem, "not valid PEM: " + e.getMessage());
        }
        if (objects.isEmpty()) {
            throw bad(pem, "no PEM block in it: expected PEM text starting with -----BEGIN, or the path of a PEM file");
        }
        return objects;
    }

    private static String text(Pem pem) {
        String value = pem.value().strip();
        if (value.startsWith("-----BEGIN")) {
            // a value from the environment or -D may carry \n escapes; a properties file joining continuation lines
            // may leave BEGIN, base64 and END on one line: PEM needs the markers on lines of their own
            return value.replace("\\n", "\n")
                    .replaceAll("(-----BEGIN [^-]+-----)\\s*", "$1\n")
                    .replaceAll("\\s*(-----END [^-]+-----)\\s*", "\n$1\n");
        }
        try {
            return new String(readBounded(Path.of(value)), StandardCharsets.ISO_8859_1); // a DER file has no PEM block
        } catch (NoSuchFileException e) {
            throw bad(pem, "no such file: give PEM text starting with -----BEGIN, or the path of a PEM file");
        } catch (IOException e) {
            throw bad(pem, "cannot read the file: " + e);
        } catch (RuntimeException e) { // InvalidPathException: its message would repeat the value
            throw bad(pem, "neither PEM text starting with -----BEGIN nor the path of a file");
        }
    }

    /**
     * A file named by configuration or by a LENS list, read only if it is a regular file (links resolved first) and at
     * most {@link #MAX_FILE_BYTES}, and no more than its size said: {@code /dev/zero} would fill the heap, a FIFO or
     * {@code /proc/kmsg} would block the reader (and, for a LENS application, the AppNetworks lock) for ever; procfs
     * says 0 bytes for its files, so none of them is read at all.
     */
    static byte[] readBounded(Path path) throws IOException {
        Path real = path.toRealPath();
        BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            throw new IOException(real + " is not a regular file");
        }
        if (attributes.size() > MAX_FILE_BYTES) {
            throw new IOException(real + " is " + attributes.size() + " bytes, over the " + MAX_FILE_BYTES / 1024
                    + " KiB a PEM file may have");
        }
        try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
            return in.readNBytes((int) attributes.size()); // a file that grew since is read as it was
        }
    }

    private static String kind(Object o) {
        if (o instanceof PEMKeyPair || o instanceof PrivateKeyInfo || o instanceof PEMEncryptedKeyPair
                || o instanceof PKCS8EncryptedPrivateKeyInfo) {
            return "a private key";
        }
        if (o instanceof X509CertificateHolder) {
            return "a certificate";
        }
        return "a " + o.getClass().getSimpleName();
    }

    private static IllegalArgumentException bad(Pem pem, String what) {
        return new IllegalArgumentException(pem.where() + ": " + what);
    }
}
