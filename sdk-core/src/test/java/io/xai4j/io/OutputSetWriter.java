package io.xai4j.io;

import java.nio.file.Path;

/** A separate process for {@link OutputSetTest}: writes a set tagged {@code args[1]} into {@code args[0]}, 30 times. */
public final class OutputSetWriter {
    private OutputSetWriter() {
    }

    public static void main(String[] args) {
        for (int i = 0; i < 30; i++) {
            OutputSetTest.SET.write(Path.of(args[0]), OutputSetTest.set(args[1], args[1].hashCode() % 2 == 0));
        }
    }
}
