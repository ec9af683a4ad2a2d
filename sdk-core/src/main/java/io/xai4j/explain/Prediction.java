package io.xai4j.explain;

/**
 * One of the model's best classes for an example.
 *
 * @param index       the flat index in the output row
 * @param label       the class name, or {@code class 3} without names
 * @param probability the softmax probability (or the output itself when it already is a distribution)
 * @param score       the raw output value
 */
public record Prediction(int index, String label, double probability, double score) {
}
