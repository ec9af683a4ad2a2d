package io.xai4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.error.ErrorCode;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoErrorsTest {
    @TempDir
    Path dir;

    @Test
    void reasonsAreWordsNotBarePaths() {
        assertThat(IoErrors.reason(new AccessDeniedException("/x/y"))).isEqualTo("permission denied");
        assertThat(IoErrors.reason(new NoSuchFileException("/x/y"))).isEqualTo("no such file or folder");
        assertThat(IoErrors.reason(new FileSystemException("/x", null, "No space left on device")))
                .isEqualTo("No space left on device");
        assertThat(IoErrors.of("write", Path.of("out.png"), new AccessDeniedException("out.png")))
                .hasMessage("cannot write out.png: permission denied")
                .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR));
    }

    @Test
    void aFolderOrASpecialFileIsNeverReplaced() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("out.onnx"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AtomicFiles.write(folder, new byte[1]))
                .hasMessage("cannot write " + folder + ": it is a folder; name a new or regular file");
        assertThat(folder).isEmptyDirectory();
        Path pipe = dir.resolve("pipe.onnx");
        assertThat(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor()).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AtomicFiles.write(pipe, new byte[1]))
                .hasMessageContaining("not a regular file");
        assertThat(Files.isRegularFile(pipe)).isFalse();
        assertThat(Files.exists(pipe)).isTrue();
    }

    @Test
    void writingBelowAFileNamesTheReason() throws IOException {
        Path file = dir.resolve("plain");
        Files.writeString(file, "x");
        Path below = file.resolve("a.npy");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AtomicFiles.write(below, new byte[1]))
                .hasMessageStartingWith("cannot write " + below + ": ").hasMessageNotContaining("null")
                .hasMessageEndingWith("(at " + file + ")");
    }
}
