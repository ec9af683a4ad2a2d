package io.xai4j.onnx;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.util.Locale;

/**
 * An execution device: the CPU or one CUDA GPU.
 *
 * @param cudaId the GPU index, or -1 for the CPU
 */
public record Device(int cudaId) {
    public static final Device CPU = new Device(-1);

    /** Parses {@code cpu}, {@code cuda} or {@code cuda:N}; null or blank means the CPU. */
    public static Device parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return CPU;
        }
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) {
            return CPU;
        }
        if (s.equals("cuda")) {
            return new Device(0);
        }
        if (s.startsWith("cuda:")) {
            try {
                int id = Integer.parseInt(s.substring(5));
                if (id >= 0) {
                    return new Device(id);
                }
            } catch (NumberFormatException e) {
                throw invalid(spec, e);
            }
        }
        throw invalid(spec, null);
    }

    private static XaiException invalid(String spec, Throwable cause) {
        return new XaiException(ErrorCode.INVALID_ARGUMENT,
                "unknown device '" + spec + "'; valid devices are cpu, cuda, cuda:N (N = GPU index >= 0)", cause);
    }

    public boolean isCuda() {
        return cudaId >= 0;
    }

    @Override
    public String toString() {
        return isCuda() ? "cuda:" + cudaId : "cpu";
    }
}
