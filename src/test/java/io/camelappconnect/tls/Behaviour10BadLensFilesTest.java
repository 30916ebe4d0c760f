package io.camelappconnect.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.TestSecrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding 10 of issue 20: a LENS list's (or the configuration's) server_cert naming /dev/zero, a FIFO or /proc/kmsg
 * is refused at once with a message naming the option, without filling the heap or blocking the reader.
 */
class Behaviour10BadLensFilesTest {

    private static String refusal(String path) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PemReader.certificates(new Tls.Pem("application network 00-00-00-00-00-00-00-01 server_cert", path)));
        assertTrue(e.getMessage().contains("server_cert"), e.getMessage());
        return e.getMessage();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void devZeroIsRefusedAsNotARegularFile() {
        assertTrue(refusal("/dev/zero").contains("not a regular file"));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = Files.createTempDirectory("fifo").resolve("cert.pem");
        assertTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(5, TimeUnit.SECONDS));
        assertTrue(refusal(fifo.toString()).contains("not a regular file"));
        assertTrue(refusal(Files.createSymbolicLink(fifo.resolveSibling("link.pem"), fifo).toString())
                .contains("not a regular file"), "a link to it too");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void procKmsgIsNotRead() {
        // procfs says 0 bytes: nothing is read, so no PEM block (or not readable at all without root)
        String message = refusal("/proc/kmsg");
        assertTrue(message.contains("no PEM block") || message.contains("cannot read"), message);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aFileOverTheCapIsRefusedUnread() throws IOException {
        Path big = Files.createTempFile("big", ".pem");
        try (var f = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.WRITE)) {
            f.truncate(0).position(PemReader.MAX_FILE_BYTES).write(java.nio.ByteBuffer.wrap(new byte[] {1})); // sparse
        }
        assertTrue(refusal(big.toString()).contains("over the 1024 KiB"));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void textThatIsNeitherPemNorAPathIsNotShown() {
        String key = "junk-----BEGIN PRIVATE KEY-----\n" + TestSecrets.KEY_BODY + "\n-----END PRIVATE KEY-----";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PemReader.privateKey(new Tls.Pem("app.options.apikey", key)));
        assertTrue(!e.getMessage().contains(TestSecrets.KEY_BODY), e.getMessage());
    }
}
