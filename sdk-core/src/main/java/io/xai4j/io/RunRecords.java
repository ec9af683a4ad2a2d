package io.xai4j.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.explain.Explanation;
import io.xai4j.explain.Prediction;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON Lines record per input of a run ({@value #FILE}): the input, {@code "ok"}, and either its explanations
 * (method, target, folder, files, time) and predictions, or the error that made it skip ({@code code},
 * {@code message}). Each record is written and flushed as the input finishes, so a long run can be followed.
 */
public final class RunRecords implements AutoCloseable {
    public static final String FILE = "explanations.jsonl";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BufferedWriter out;
    private final Map<String, Object> current = new LinkedHashMap<>();
    private final List<Map<String, Object>> explanations = new ArrayList<>();

    private RunRecords(BufferedWriter out) {
        this.out = out;
    }

    /** Starts {@value #FILE} in {@code dir} (created if missing), replacing an earlier one. */
    public static RunRecords create(Path dir) {
        try {
            Files.createDirectories(dir);
            return new RunRecords(Files.newBufferedWriter(dir.resolve(FILE), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw IoErrors.of("write", dir.resolve(FILE), e);
        }
    }

    /** Adds an explanation of the current input, written to {@code files} (the heatmap first). */
    public synchronized void add(Explanation explanation, List<Path> files) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("method", explanation.method());
        e.put("target", explanation.targetLabels().isEmpty() ? explanation.targetSpec()
                : explanation.targetLabels().get(0));
        e.put("files", files.stream().map(Path::toString).toList());
        e.put("millis", explanation.provenance().timingsMillis().getOrDefault("attribution", 0.0));
        explanations.add(e);
        if (!explanation.predictions().isEmpty()) {
            List<Map<String, Object>> top = new ArrayList<>();
            for (Prediction p : explanation.predictions().get(0)) {
                top.add(Map.of("label", p.label(), "probability", p.probability()));
            }
            current.put("predictions", top);
        }
    }

    /** Ends the current input's record as a success. */
    public synchronized void succeeded(Path input) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("input", input.toString());
        record.put("ok", true);
        record.putAll(current);
        record.put("explanations", List.copyOf(explanations));
        write(record);
    }

    /** Ends the current input's record as skipped because of {@code error}. */
    public synchronized void failed(Path input, XaiException error) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("input", input.toString());
        record.put("ok", false);
        record.put("error", Map.of("code", error.code().name(), "message", String.valueOf(error.getMessage())));
        write(record);
    }

    private void write(Map<String, Object> record) {
        current.clear();
        explanations.clear();
        try {
            out.write(MAPPER.writeValueAsString(record));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new XaiException(ErrorCode.IO_ERROR, "cannot write " + FILE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new XaiException(ErrorCode.IO_ERROR, "cannot close " + FILE + ": " + e.getMessage(), e);
        }
    }
}
