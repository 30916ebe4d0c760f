package io.camelappconnect.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
