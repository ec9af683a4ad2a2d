package io.xai4j.spi;

/** Element types a model input or output may declare. The SDK computes in float32 and converts at the edge. */
public enum DataType {
    FLOAT32, FLOAT64, FLOAT16, BFLOAT16, INT8, UINT8, INT16, INT32, INT64, BOOL, STRING, OTHER;

    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT64 || this == FLOAT16 || this == BFLOAT16;
    }
}
