package io.camelappconnect.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The test stand-in of lora-query (src/test/resources/bin/lora-query) answering {@code appnet list json} and
 * {@code appnet get <eui>} from the files of a directory: {@code list.json}, {@code <eui>.json}.
 *
 * @param dir     where those files go
 * @param command the program to give as loraQuery.command
 */
public record AppnetsStandIn(Path dir, Path command) {

    private static final Path LORA_QUERY = Path.of("src/test/resources/bin/lora-query").toAbsolutePath();

    public static AppnetsStandIn create() throws IOException {
        Path dir = Files.createTempDirectory("appnets");
        Path command = dir.resolve("lora-query");
        Files.writeString(command, "#!/bin/sh\nLORA_QUERY_APPNETS='" + dir + "' exec '" + LORA_QUERY + "' \"$@\"\n");
        Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new AppnetsStandIn(dir, command);
    }

    /** {@code appnet list json} from now on: these entries (JSON objects), the file replaced whole at once. */
    public void list(String... apps) {
        try {
            Path tmp = dir.resolve("list.tmp");
            Files.writeString(tmp, "[" + String.join(",", apps) + "]");
            Files.move(tmp, dir.resolve("list.json"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
