package io.xai4j.error;

/** The category of an {@link ErrorCode}; each maps to one documented CLI exit code. */
public enum ErrorType {
    /** A bug in xai4j or a plugin. */
    INTERNAL(1),
    /** Bad options: unknown method, parameter, target or layer. */
    USAGE(2),
    /** Bad input data: unreadable image or NPY, shape or dtype mismatch, NaN. */
    INPUT(3),
    /** A missing, corrupt or unsupported model. */
    MODEL(4),
    /** A plugin that failed to load or clashes with another. */
    PLUGIN(5),
    /** The environment: device unavailable, file system errors. */
    RESOURCE(6),
    /** The work was cancelled or ran out of time ({@code io.xai4j.api.Cancellation}). */
    CANCELLED(8);

    private final int exitCode;

    ErrorType(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
