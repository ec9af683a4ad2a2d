package io.xai4j.onnx;

import ai.onnxruntime.OrtEnvironment;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ONNX Runtime environment, created only on a command line it survives. ONNX Runtime 1.29 crashes the JVM
 * (SIGSEGV, exit 139) while creating its environment when the process's command line, {@code /proc/self/cmdline}
 * on Linux, holds more than about 3,980 bytes (measured: 3,975 works, 3,985 crashes, whatever the arguments are).
 * Long class paths given with {@code -cp} reach that easily. xai4j refuses such a process with an error instead.
 */
public final class OrtEnvironments {
    /** The longest command line, in bytes, measured to work with the bundled ONNX Runtime. */
    static final int LONGEST_SAFE_COMMAND_LINE = 3975;
    private static final Path COMMAND_LINE = Path.of("/proc/self/cmdline");

    private OrtEnvironments() {
    }

    /**
     * The shared environment.
     *
     * @throws XaiException {@code DEVICE_UNAVAILABLE} (exit code 6) when the command line is too long for ONNX
     *                      Runtime
     */
    public static OrtEnvironment get() {
        check(commandLineBytes());
        return OrtEnvironment.getEnvironment();
    }

    static void check(long commandLineBytes) {
        if (commandLineBytes > LONGEST_SAFE_COMMAND_LINE) {
            throw new XaiException(ErrorCode.DEVICE_UNAVAILABLE, "this Java process's command line is "
                    + commandLineBytes + " bytes long, and ONNX Runtime crashes the JVM when it is longer than about "
                    + LONGEST_SAFE_COMMAND_LINE + " bytes; start Java with a shorter one: put the class path in a JAR"
                    + " manifest (java -jar) or in an argument file (java @FILE), or use a class-path wildcard (lib/*)");
        }
    }

    /** The length of this process's command line, or 0 where the system does not show it (not Linux). */
    private static long commandLineBytes() {
        if (!Files.isReadable(COMMAND_LINE)) {
            return 0;
        }
        try {
            return Files.readAllBytes(COMMAND_LINE).length;
        } catch (IOException e) {
            return 0; // the check is a guard only; ONNX Runtime reports its own errors
        }
    }
}
