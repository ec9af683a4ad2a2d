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

/**
 * One call of a {@link CamMethod}: the context, the request, the layer (an intermediate tensor or a model input),
 * its layout, and the details being collected.
 */
public final class CamJob {
    private final String method;
    private final AttributionContext context;
    private final AttributionRequest request;
    private final String layer;
    private final int[] grid;
    private final boolean needsPositions;
    private final Map<String, Object> details = new LinkedHashMap<>();
    private final ExampleOutputs outputs;
    private LayerLayout layout;

    CamJob(String method, AttributionContext context, AttributionRequest request, String layer, int[] grid,
            boolean needsPositions) {
        this.method = method;
        this.context = context;
        this.request = request;
        this.layer = layer;
        this.grid = grid;
        this.outputs = new ExampleOutputs(request.target().output(), request.examples());
        this.needsPositions = needsPositions;
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

    /** True when the layer is a model input (the input of the model's first layer), not a tensor a node makes. */
    public boolean layerIsModelInput() {
        return request.inputs().containsKey(layer);
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

    /**
     * The layout of the layer's activations, recorded in the details.
     *
     * @throws XaiException {@link ErrorCode#UNKNOWN_LAYER} for a flat {@code [N,C]} layer when the method needs
     *                      positions to weigh (its map would be a single number)
     */
    public LayerLayout layout(Tensor activations) {
        boolean channelsLast = activations.rank() == 4 && ChannelsLast.isIn(context.model(), layer);
        LayerLayout found = LayerLayout.of(layer, activations.shape(), grid, request.input().rank() == 4, channelsLast);
        if (found.flat() && needsPositions) {
            throw new XaiException(ErrorCode.UNKNOWN_LAYER, "method '" + method + "' needs a layer with positions"
                    + " ([N,C,H,W] maps or [N,T,C] tokens), but layer '" + layer + "' has shape "
                    + Arrays.toString(activations.shape()) + ", features at a single position; choose another layer"
                    + " with --layer (see 'xai4j inspect'), or use a method that takes [N,C] layers, such as grad-cam");
        }
        details.put("layerLayout", found.toString());
        layout = found;
        return found;
    }

    /** The layout {@link #layout(Tensor)} found, or null before it was called. */
    LayerLayout foundLayout() {
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
     * give the target's output ({@link #keepOutputs}); the request's own values for a model input.
     */
    public Tensor activations() {
        if (layerIsModelInput()) {
            return request.inputs().get(layer);
        }
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
            if (a == null) {
                throw new XaiException(ErrorCode.MODEL_EXECUTION, "the model returned nothing for layer '" + layer
                        + "'");
            }
            if (a.rank() < 2 || a.dim(0) != end - start) {
                throw new XaiException(ErrorCode.UNKNOWN_LAYER, "layer '" + layer + "' has shape "
                        + Arrays.toString(a.shape()) + " for a batch of " + (end - start) + ": its first axis is not"
                        + " the batch, which CAM methods need; choose another layer with --layer (see 'xai4j inspect')");
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
