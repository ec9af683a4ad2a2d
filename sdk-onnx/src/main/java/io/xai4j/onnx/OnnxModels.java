package io.xai4j.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.io.AtomicFiles;
import io.xai4j.io.RegularFiles;
import io.xai4j.onnx.proto.Onnx;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reading, writing and hashing ONNX model files.
 *
 * <p>Only the model proto is parsed: tensors stored as external data keep their references and their
 * data files are not read, so models over 2 GB load as long as their graph proto is small.
 */
public final class OnnxModels {
    /** The largest model file read: a protobuf message holds at most 2 GiB. */
    static final long MAX_MODEL_BYTES = Integer.MAX_VALUE - 8;

    private OnnxModels() {
    }

    /** A model file's bytes with its parsed proto and SHA-256. */
    public record LoadedModel(Path file, byte[] bytes, ModelProto proto, String sha256) {
        /** The directory that external-data locations are relative to. */
        public Path directory() {
            Path parent = file.toAbsolutePath().getParent();
            return parent == null ? Path.of(".").toAbsolutePath() : parent;
        }
    }

    /** Reads and parses a model file; fails with MODEL_NOT_FOUND or INVALID_MODEL. */
    public static LoadedModel load(Path file) {
        byte[] bytes = readBytes(file);
        return new LoadedModel(file, bytes, parse(bytes, file.toString()), sha256(bytes));
    }

    /** Reads a model file's proto. */
    public static ModelProto read(Path file) {
        return parse(readBytes(file), file.toString());
    }

    /** Parses model bytes; {@code source} names them in error messages. */
    public static ModelProto parse(byte[] bytes, String source) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new XaiException(ErrorCode.INVALID_MODEL,
                    "'" + source + "' is not an ONNX model: the protobuf cannot be parsed (" + e.getMessage() + ")", e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0 && model.getGraph().getOutputCount() == 0) {
            throw new XaiException(ErrorCode.INVALID_MODEL,
                    "'" + source + "' is not an ONNX model: it has no graph (" + bytes.length + " bytes)");
        }
        for (Onnx.ValueInfoProto input : model.getGraph().getInputList()) {
            List<Onnx.TensorShapeProto.Dimension> dims = input.getType().getTensorType().getShape().getDimList();
            for (int axis = 0; axis < dims.size(); axis++) {
                // -1 is how some converters write an unknown size, and ONNX Runtime reads it so; less is damage.
                if (dims.get(axis).hasDimValue() && dims.get(axis).getDimValue() < -1) {
                    throw new XaiException(ErrorCode.INVALID_MODEL, "'" + source + "' declares input '"
                            + input.getName() + "' with dimension " + dims.get(axis).getDimValue() + " at axis " + axis
                            + "; a dimension is a size of 0 or more, a name, or -1 for unknown");
                }
            }
        }
        return model;
    }

    /** Writes a model atomically (through a temporary file in the same directory). */
    public static void write(ModelProto model, Path file) {
        AtomicFiles.write(file, model::writeTo);
    }

    /**
     * Whether two paths name the same file: equal once absolute and normalized, or, when both exist, the same file
     * on disk (a link or another spelling).
     */
    public static boolean sameFile(Path a, Path b) {
        try {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())
                    || Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            throw new XaiException(ErrorCode.IO_ERROR, "cannot compare " + a + " with " + b + ": " + e.getMessage(), e);
        }
    }

    /**
     * The model with {@code tensors}, intermediate tensors, made graph inputs: a run feeds their values instead of
     * computing them, and the model inputs the rest still reads stay inputs. Nodes only needed for them are
     * dropped. Model inputs among {@code tensors} stay as they are.
     *
     * @throws XaiException {@link ErrorCode#UNKNOWN_LAYER} for an unknown tensor
     */
    public static ModelProto feeding(ModelProto model, Collection<String> tensors) {
        Set<String> inputs = new HashSet<>();
        Graphs.runtimeInputs(model.getGraph()).forEach(v -> inputs.add(v.getName()));
        ModelProto fed = model;
        for (String tensor : new TreeSet<>(tensors)) {
            if (!inputs.contains(tensor)) {
                fed = TailGraph.of(fed, tensor, List.of());
            }
        }
        return fed;
    }

    /** SHA-256 of a file's bytes, as lowercase hex. */
    public static String sha256(Path file) {
        return sha256(readBytes(file));
    }

    /** SHA-256 of bytes, as lowercase hex. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new XaiException(ErrorCode.INTERNAL, "SHA-256 is not available in this JVM", e);
        }
    }

    private static byte[] readBytes(Path file) {
        if (!Files.exists(file)) {
            throw new XaiException(ErrorCode.MODEL_NOT_FOUND, "model file '" + file + "' does not exist");
        }
        return RegularFiles.read(file, MAX_MODEL_BYTES, "model file", ErrorCode.INVALID_MODEL);
    }
}
