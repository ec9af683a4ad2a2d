package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime 1.29 crashes the JVM (SIGSEGV) when the process's command line is longer than about 4 KB. A fresh
 * JVM with such a command line gets exit code 6 and a message saying what to do instead; the same command with a
 * short command line works.
 */
@EnabledOnOs(OS.LINUX)
class LongCommandLineTest {
    @Test
    void aCommandLineTooLongForOnnxRuntimeIsRefusedNotCrashed(@TempDir Path dir) throws Exception {
        Path argFile = dir.resolve("classpath.args");
        Files.writeString(argFile, "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"");
        Result longLine = run(dir, argFile, "x".repeat(4200));
        Result shortLine = run(dir, argFile, "x");

        assertThat(longLine.exit).as(longLine.output).isEqualTo(6);
        assertThat(longLine.output).contains("command line is").contains("bytes long").contains("java @FILE");
        assertThat(shortLine.exit).as(shortLine.output).isZero();
    }

    private record Result(int exit, String output) {
    }

    /** {@code explain} on the embedded demo, in a fresh JVM whose command line holds {@code padding}. */
    private static Result run(Path dir, Path argFile, String padding) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dxai4j.cache.dir=off", "-Dpadding=" + padding, "@" + argFile, Main.class.getName(),
                "explain", "--method", "saliency", "--out", dir.resolve("out-" + padding.length()).toString()));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
