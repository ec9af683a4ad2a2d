package io.xai4j.io;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;

/**
 * Reads files that a user names: only regular files (not a folder, a device such as {@code /dev/zero}, or a pipe,
 * any of which would block or never end), of a bounded size, with errors that say what is wrong.
 */
public final class RegularFiles {
    /** The largest text file (labels, boxes, rule files) read: 64 MiB. */
    public static final long MAX_TEXT_BYTES = 64L << 20;

    private RegularFiles() {
    }

    /**
     * The bytes of {@code file}, a regular file of at most {@code maxBytes}.
     *
     * @param what names the file in messages, e.g. "labels file"
     * @param code the error of a missing, special, too large or unreadable file
     */
    public static byte[] read(Path file, long maxBytes, String what, ErrorCode code) {
        requireRegular(file, what, code);
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new XaiException(code, what + " " + file + " has " + size + " bytes, more than the " + maxBytes
                        + " read at most");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new XaiException(code, "cannot read " + what + " " + file + ": " + IoErrors.reason(e), e);
        }
    }

    /** The UTF-8 text of {@code file}, a regular file of at most {@link #MAX_TEXT_BYTES}; see {@link #read}. */
    public static String readText(Path file, String what, ErrorCode code) {
        byte[] bytes = read(file, MAX_TEXT_BYTES, what, code);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new XaiException(code, "cannot read " + what + " " + file + ": it is not UTF-8 text", e);
        }
    }

    /** Refuses a missing file, a folder and a special file (a device, a pipe), naming which it is. */
    public static void requireRegular(Path file, String what, ErrorCode code) {
        if (!Files.exists(file)) {
            throw new XaiException(code, what + " " + file + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new XaiException(code, what + " " + file + " is a folder, not a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new XaiException(code, what + " " + file + " is not a regular file (a device or a pipe)");
        }
    }
}
