package io.xai4j.spark;

import io.xai4j.error.ErrorCode;
import io.xai4j.io.RegularFiles;
import java.io.Serializable;
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
    /** The largest model read: the largest Java array. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    static ModelBytes read(Path file) {
        byte[] content = RegularFiles.read(file, MAX_BYTES, "model file", ErrorCode.MODEL_NOT_FOUND);
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
