package io.xai4j.io;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A separate process for {@link OutputSetTest}: writes a set of three files tagged {@code args[1]} into
 * {@code args[0]} and halts, as a kill would stop it, just before rename number {@code args[2]} (counted from 0);
 * exits normally when the write has fewer renames.
 */
public final class OutputSetHaltingWriter {
    static final int HALTED = 137;

    private OutputSetHaltingWriter() {
    }

    public static void main(String[] args) {
        int haltAt = Integer.parseInt(args[2]);
        AtomicInteger steps = new AtomicInteger();
        OutputSet set = new OutputSet(OutputSetTest.NAMES, step -> {
            if (steps.getAndIncrement() == haltAt) {
                System.out.println(step);
                Runtime.getRuntime().halt(HALTED);
            }
        });
        set.write(Path.of(args[0]), OutputSetTest.set(args[1], false));
    }
}
