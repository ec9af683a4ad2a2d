package io.xai4j.spi;

/** Types of method parameters, as written on the command line. */
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
    /** A file path. */
    PATH
}
