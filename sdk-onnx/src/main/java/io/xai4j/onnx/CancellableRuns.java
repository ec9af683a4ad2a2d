package io.xai4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.RunOptions;
import io.xai4j.api.Cancellation;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.util.Map;
import java.util.Set;

/**
 * Session runs that honour the {@link Cancellation} in force on the calling thread: refused when it is already
 * cancelled, and stopped by ONNX Runtime's terminate flag when it is cancelled during the run.
 */
public final class CancellableRuns {
    private CancellableRuns() {
    }

    /**
     * Runs {@code session}; the caller closes the result and the inputs.
     *
     * @throws XaiException {@link ErrorCode#CANCELLED} when cancelled before or during the run
     */
    public static OrtSession.Result run(OrtSession session, Map<String, OnnxTensor> feed, Set<String> wanted)
            throws OrtException {
        Cancellation cancellation = Cancellation.current();
        if (cancellation == null) {
            return session.run(feed, wanted);
        }
        cancellation.throwIfCancelled();
        try (RunOptions options = new RunOptions()) {
            try (Cancellation.Registration terminator = cancellation.onCancel(() -> terminate(options))) {
                return session.run(feed, wanted, options);
            } catch (OrtException e) {
                XaiException cancelled = cancellation.error();
                if (cancelled != null) {
                    cancelled.addSuppressed(e);
                    throw cancelled;
                }
                throw e;
            }
        }
    }

    private static void terminate(RunOptions options) {
        try {
            options.setTerminate(true);
        } catch (OrtException e) {
            throw new XaiException(ErrorCode.MODEL_EXECUTION, "ONNX Runtime could not stop the run: " + e.getMessage(),
                    e);
        }
    }
}
