package io.xai4j.onnx;

/**
 * A tensor produced inside a graph.
 *
 * @param name     the tensor (value) name
 * @param opType   the op type of the producing node
 * @param node     the producing node's name (may be empty)
 * @param elemType the inferred ONNX element type number, 0 when unknown or not a tensor
 */
public record GraphTensor(String name, String opType, String node, int elemType) {
}
