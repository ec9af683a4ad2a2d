package io.xai4j.spi;

/**
 * Types of method parameters. On the command line every value is text; from Java a value may also be given
 * typed (see {@link Parameters#parse}).
 */
public enum ParameterType {
    /** A whole number, e.g. {@code 50}. */
    INT,
    /** A real number, e.g. {@code 0.25}. */
    FLOAT,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** Free text. */
    STRING,
    /** One of a fixed list of choices. */
    CHOICE,
    /** Comma-separated whole numbers, e.g. {@code 3,32,32}. */
    INT_LIST,
    /** A baseline: {@code zeros}, a number, {@code mean}, {@code blur[:SIGMA]} or a path to an .npy file. */
    BASELINE,
    /** A tensor ({@link io.xai4j.tensor.Tensor}), or on the command line the path of an .npy file. */
    TENSOR,
    /**
     * The parameters of another method, each given as {@code PREFIX.KEY=VALUE}; the spec's name is the prefix
     * with its dot, e.g. {@code base.}.
     */
    NESTED
}
