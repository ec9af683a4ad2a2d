package io.xai4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the benchmark ResNet-18 (random weights, seed {@link ResNetFixture#WEIGHT_SEED}) to the file given. */
public final class WriteResNet18 {
    private WriteResNet18() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: WriteResNet18 FILE.onnx");
            System.exit(2);
        }
        Files.write(Path.of(args[0]), ResNet18.build(ResNetFixture.WEIGHT_SEED).toByteArray());
    }
}
