package io.xai4j.io;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Class names from a text file: one per line, in index order; blank lines are skipped. */
public final class Labels {
    private Labels() {
    }

    /**
     * @throws XaiException {@link ErrorCode#INVALID_INPUT} naming the file when it cannot be read
     */
    public static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "cannot read labels file " + file + ": " + e.getMessage(), e);
        }
    }
}
