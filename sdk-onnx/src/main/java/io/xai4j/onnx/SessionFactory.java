package io.xai4j.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.ModelOptions;
import java.nio.file.Path;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates ONNX Runtime sessions for one model on one device with the same options. */
final class SessionFactory {
    /**
     * Session config key that stops the intra-op threads spinning when a run returns. Each session has its own
     * thread pool, and methods alternate between sessions (the model, its gradient model, a tail); threads still
     * spinning in one pool would take the cores from the next session's run.
     */
    static final String STOP_SPINNING_AFTER_RUN = "session.force_spinning_stop";
    private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);

    private final OrtEnvironment env = OrtEnvironments.get();
    private final Device device;
    private final int intraOpThreads;
    private final Path modelDirectory;

    SessionFactory(Device device, int intraOpThreads, Path modelDirectory) {
        this.device = device;
        this.intraOpThreads = intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
        this.modelDirectory = modelDirectory;
    }

    /**
     * The factory for the requested device. An unavailable CUDA device fails with DEVICE_UNAVAILABLE, or, with
     * {@link ModelOptions#fallbackToCpu()}, logs a warning and uses the CPU.
     */
    static SessionFactory select(ModelOptions options, Path modelDirectory) {
        Device device = Device.parse(options.device());
        if (device.isCuda()) {
            String problem = cudaProblem(device);
            if (problem != null) {
                String message = "device " + device + " is unavailable: " + problem + ". To use a GPU, build with the"
                        + " Maven profile -Pcuda (onnxruntime_gpu) and install a CUDA and cuDNN version supported by"
                        + " ONNX Runtime, or use the device cpu";
                if (!options.fallbackToCpu()) {
                    throw new XaiException(ErrorCode.DEVICE_UNAVAILABLE, message);
                }
                LOG.warn("{}; falling back to the CPU", message);
                device = Device.CPU;
            }
        }
        return new SessionFactory(device, options.intraOpThreads(), modelDirectory);
    }

    /** Why CUDA cannot be used, or null when it can. */
    private static String cudaProblem(Device device) {
        Set<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
        if (!providers.contains(OrtProvider.CUDA)) {
            return "this ONNX Runtime build has no CUDA execution provider (available: " + providers + ")";
        }
        try (SessionOptions probe = new SessionOptions()) {
            probe.addCUDA(device.cudaId());
            return null;
        } catch (OrtException e) {
            return "the CUDA execution provider failed to start (" + e.getMessage() + ")";
        }
    }

    Device device() {
        return device;
    }

    OrtEnvironment environment() {
        return env;
    }

    /** The folder of the model file, where its external data is found. */
    Path modelDirectory() {
        return modelDirectory;
    }

    /** Session options for this device and thread count; the caller closes them after its sessions. */
    SessionOptions newOptions() {
        SessionOptions options = new SessionOptions();
        try {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
            ExternalData.resolveFrom(options, modelDirectory);
            options.addConfigEntry(STOP_SPINNING_AFTER_RUN, "1");
            if (device.isCuda()) {
                options.addCUDA(device.cudaId());
            }
            return options;
        } catch (OrtException e) {
            options.close();
            throw new XaiException(ErrorCode.DEVICE_UNAVAILABLE, "cannot configure ONNX Runtime for " + device + ": "
                    + e.getMessage(), e);
        }
    }

    /** A session for serialized model bytes; {@code what} names the model in errors. */
    OrtRunner open(byte[] model, String what) {
        SessionOptions options = newOptions();
        try {
            OrtSession session = env.createSession(model, options);
            return new OrtRunner(env, session, options);
        } catch (OrtException e) {
            options.close();
            ErrorCode code = e.getCode() == OrtException.OrtErrorCode.ORT_NOT_IMPLEMENTED
                    ? ErrorCode.UNSUPPORTED_OP : ErrorCode.INVALID_MODEL;
            throw new XaiException(code, "ONNX Runtime cannot load " + what + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            options.close();
            throw e;
        }
    }
}
