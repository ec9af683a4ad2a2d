package io.xai4j.family.cam;

import io.xai4j.batch.ExampleOutputs;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.layer.ChannelsLast;
import io.xai4j.layer.LayerLayout;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.Parameters;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One call of a {@link CamMethod}: the context, the request, the layer, and the details being collected. */
public final class CamJob {
    private final String method;
    private final AttributionContext context;
    private final AttributionRequest request;
    private final String layer;
    private final int[] grid;
    private final Map<String, Object> details = new LinkedHashMap<>();
    private final ExampleOutputs outputs;

    CamJob(String method, AttributionContext context, AttributionRequest request, String layer, int[] grid) {
        this.method = method;
        this.context = context;
        this.request = request;
        this.layer = layer;
        this.grid = grid;
        this.outputs = new ExampleOutputs(request.target().output(), request.examples());
    }

    /** The method's name, for messages and progress. */
    public String method() {
        return method;
    }

    public AttributionContext context() {
        return context;
    }

    public AttributionRequest request() {
        return request;
    }

    /** The layer tensor the maps are computed at. */
    public String layer() {
        return layer;
    }

    /** The details to report, in order. */
    public Map<String, Object> details() {
        return details;
    }

    public Parameters parameters() {
        return request.parameters();
    }

    public ResolvedTarget target() {
        return request.target();
    }

    public int examples() {
        return request.examples();
    }

    /** The layout of the layer's activations, recorded in the details. */
    public LayerLayout layout(Tensor activations) {
        boolean channelsLast = activations.rank() == 4 && ChannelsLast.isIn(context.model(), layer);
        LayerLayout layout = LayerLayout.of(layer, activations.shape(), grid, request.input().rank() == 4, channelsLast);
        details.put("layerLayout", layout.toString());
        return layout;
    }

    /**
     * Keeps rows {@code [start, start + batch.dim(0))} of the target's output at the examples' inputs, for
     * {@link io.xai4j.spi.Attribution#outputs()}.
     */
    public void keepOutputs(int start, Tensor batch) {
        for (int r = 0; r < batch.dim(0); r++) {
            outputs.keep(start + r, batch.row(r));
        }
    }

    /** The kept outputs of all examples, or an empty map when some example has none. */
    Map<String, Tensor> outputs() {
        return outputs.complete();
    }

    /**
     * The layer's activations for every example, in the layer's own layout, from batched forward passes that also
     * give the target's output ({@link #keepOutputs}).
     */
    public Tensor activations() {
        int n = examples();
        String output = target().output();
        List<Tensor> parts = new ArrayList<>();
        long bytes = 0;
        for (Tensor t : request.inputs().values()) {
            bytes += 2L * Float.BYTES * t.rowSize();
        }
        context.batcher().forEach(method + " activations", n, bytes, (start, end) -> {
            Map<String, Tensor> slice = new LinkedHashMap<>();
            request.inputs().forEach((name, t) -> slice.put(name, t.rows(start, end)));
            Map<String, Tensor> out = context.model().forward(slice, new HashSet<>(List.of(layer, output)));
            Tensor a = out.get(layer);
            if (a == null || a.rank() < 2 || a.dim(0) != end - start) {
                throw new XaiException(ErrorCode.MODEL_EXECUTION, "the model returned "
                        + (a == null ? "nothing" : "shape " + Arrays.toString(a.shape())) + " for layer '" + layer
                        + "' on a batch of " + (end - start) + "; expected a batch of " + (end - start));
            }
            parts.add(a);
            Tensor o = out.get(output);
            if (o != null && o.rank() > 0 && o.dim(0) == end - start) {
                keepOutputs(start, o);
            }
        });
        return parts.size() == 1 ? parts.get(0) : Tensor.concat(parts);
    }
}
