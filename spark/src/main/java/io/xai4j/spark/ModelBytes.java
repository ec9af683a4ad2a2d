package io.xai4j.spark;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.io.IoErrors;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A model file's name, content and SHA-256, read once on the driver and broadcast to the executors. Models whose
 * weights are stored as external data files are not supported.
 */
record ModelBytes(String fileName, byte[] content, String sha256) implements Serializable {
    private static final long serialVersionUID = 1L;

    static ModelBytes read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new XaiException(ErrorCode.MODEL_NOT_FOUND, "model file not found: " + file);
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw IoErrors.of("read", file, e);
        }
        return new ModelBytes(String.valueOf(file.getFileName()), content, sha256(content));
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
