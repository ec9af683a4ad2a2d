package io.xai4j.error;

/** Stable error codes. The type decides the CLI exit code. */
public enum ErrorCode {
    INVALID_ARGUMENT(ErrorType.USAGE),
    UNKNOWN_METHOD(ErrorType.USAGE),
    UNKNOWN_METRIC(ErrorType.USAGE),
    UNKNOWN_PARAMETER(ErrorType.USAGE),
    INVALID_PARAMETER(ErrorType.USAGE),
    UNKNOWN_TARGET(ErrorType.USAGE),
    UNKNOWN_LAYER(ErrorType.USAGE),
    MISSING_CAPABILITY(ErrorType.USAGE),
    INVALID_INPUT(ErrorType.INPUT),
    SHAPE_MISMATCH(ErrorType.INPUT),
    NON_FINITE_INPUT(ErrorType.INPUT),
    CORRUPT_FILE(ErrorType.INPUT),
    MODEL_NOT_FOUND(ErrorType.MODEL),
    INVALID_MODEL(ErrorType.MODEL),
    UNSUPPORTED_OP(ErrorType.MODEL),
    MODEL_EXECUTION(ErrorType.MODEL),
    PLUGIN_FAILURE(ErrorType.PLUGIN),
    DUPLICATE_METHOD(ErrorType.PLUGIN),
    DEVICE_UNAVAILABLE(ErrorType.RESOURCE),
    IO_ERROR(ErrorType.RESOURCE),
    CANCELLED(ErrorType.CANCELLED),
    INTERNAL(ErrorType.INTERNAL);

    private final ErrorType type;

    ErrorCode(ErrorType type) {
        this.type = type;
    }

    public ErrorType type() {
        return type;
    }
}
