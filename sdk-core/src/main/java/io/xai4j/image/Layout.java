package io.xai4j.image;

/** Memory layout of an image batch tensor. */
public enum Layout {
    /** {@code [N, C, H, W]}: channels first (PyTorch). */
    NCHW,
    /** {@code [N, H, W, C]}: channels last (TensorFlow, Keras). */
    NHWC
}
