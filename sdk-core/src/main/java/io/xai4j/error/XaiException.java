package io.xai4j.error;

/** The single exception type of the SDK. Messages name the problem and the valid choices. */
public class XaiException extends RuntimeException {
    private final ErrorCode code;

    public XaiException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public XaiException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public int exitCode() {
        return code.type().exitCode();
    }
}
