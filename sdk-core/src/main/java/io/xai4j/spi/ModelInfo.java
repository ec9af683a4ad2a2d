package io.xai4j.spi;

/** Identity of a loaded model: its source (a file name), SHA-256 of its bytes, and the backend and device. */
public record ModelInfo(String source, String sha256, String backend, String device) {
}
