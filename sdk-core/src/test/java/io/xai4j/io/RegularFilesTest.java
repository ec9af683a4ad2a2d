package io.xai4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files a user names are read only when regular and small enough, and refused with the reason otherwise. */
class RegularFilesTest {
    @TempDir
    Path dir;

    @Test
    void readsARegularFile() throws Exception {
        Path file = Files.writeString(dir.resolve("names.txt"), "cät\n", StandardCharsets.UTF_8);
        assertThat(RegularFiles.readText(file, "labels file", ErrorCode.INVALID_INPUT)).isEqualTo("cät\n");
    }

    @Test
    void aLinkToDevZeroIsRefusedBeforeReading() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("names.txt"), Path.of("/dev/zero"));
        assertThatThrownBy(() -> RegularFiles.readText(link, "labels file", ErrorCode.INVALID_INPUT))
                .isInstanceOf(XaiException.class).hasMessageContaining("names.txt")
                .hasMessageContaining("not a regular file")
                .extracting(e -> ((XaiException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT);
    }

    @Test
    void missingFoldersAndLargeFilesSayWhich() throws Exception {
        assertThatThrownBy(() -> RegularFiles.read(dir.resolve("gone"), 10, "boxes file", ErrorCode.INVALID_INPUT))
                .hasMessageContaining("gone does not exist");
        assertThatThrownBy(() -> RegularFiles.read(dir, 10, "boxes file", ErrorCode.INVALID_INPUT))
                .hasMessageContaining("is a folder");
        Path big = Files.write(dir.resolve("big.json"), new byte[11]);
        assertThatThrownBy(() -> RegularFiles.read(big, 10, "boxes file", ErrorCode.INVALID_INPUT))
                .hasMessageContaining("11 bytes").hasMessageContaining("10");
    }

    @Test
    void binaryDataIsNotText() throws Exception {
        Path png = Files.write(dir.resolve("labels.txt"), new byte[] {(byte) 0x89, 'P', 'N', 'G', (byte) 0xFF});
        assertThatThrownBy(() -> RegularFiles.readText(png, "labels file", ErrorCode.INVALID_INPUT))
                .hasMessageContaining("labels.txt").hasMessageContaining("not UTF-8 text");
    }
}
