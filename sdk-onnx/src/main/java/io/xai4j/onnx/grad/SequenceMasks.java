package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.UnrollGraph.BATCH;
import static io.xai4j.onnx.grad.UnrollGraph.shape;

import io.xai4j.onnx.proto.Onnx.TensorProto.DataType;
import java.util.List;

/**
 * Per-step masks from a {@code sequence_lens} tensor read at run time, as ONNX Runtime applies them: batch row b
 * takes part in step t only when {@code t < sequence_lens[b]}. A masked step keeps the previous state and outputs
 * zero, so a forward pass stops after step L - 1 and a reverse pass, which visits T - 1 down to 0, starts at step
 * L - 1. Rows of length 0 end with a zero state, not the initial one, again as ONNX Runtime does. The masks only
 * select values (Where), so gradients through them are exact; the lengths themselves get none.
 */
final class SequenceMasks {
    private final UnrollGraph g;
    private final int hidden;
    private final String lengths;
    private final String[] steps;
    private String zero;
    private String nonEmpty;

    /** Masks for {@code sequence_lens} (integer, [B]) over {@code steps} steps of states [B, hidden]. */
    SequenceMasks(UnrollGraph g, String sequenceLens, int steps, int hidden) {
        this.g = g;
        this.hidden = hidden;
        String lengths64 = g.typedOp("Cast", DataType.INT64_VALUE, shape(BATCH), List.of(sequenceLens),
                OnnxAttributes.of("to", (long) DataType.INT64_VALUE));
        this.lengths = g.typedOp("Unsqueeze", DataType.INT64_VALUE, shape(BATCH, 1), List.of(lengths64, g.longs(1)));
        this.steps = new String[steps];
    }

    /** The state after step {@code t}: {@code updated} where the row is inside its sequence, else {@code previous}. */
    String keep(int t, String updated, String previous) {
        return where(step(t), updated, previous == null ? zero() : previous);
    }

    /** The output of step {@code t}: {@code state} where the row is inside its sequence, else zero. */
    String output(int t, String state) {
        return where(step(t), state, zero());
    }

    /** The final state: {@code state}, or zero for rows of length 0. */
    String last(String state) {
        if (nonEmpty == null) {
            nonEmpty = g.typedOp("Greater", DataType.BOOL_VALUE, shape(BATCH, 1), List.of(lengths, g.longScalar(0)));
        }
        return where(nonEmpty, state, zero());
    }

    /** Bool [B, 1]: whether each row takes part in step {@code t}. */
    private String step(int t) {
        if (steps[t] == null) {
            steps[t] = g.typedOp("Less", DataType.BOOL_VALUE, shape(BATCH, 1), List.of(g.longScalar(t), lengths));
        }
        return steps[t];
    }

    private String where(String mask, String a, String b) {
        return g.op("Where", shape(BATCH, hidden), List.of(mask, a, b));
    }

    private String zero() {
        if (zero == null) {
            zero = g.floats(0);
        }
        return zero;
    }
}
