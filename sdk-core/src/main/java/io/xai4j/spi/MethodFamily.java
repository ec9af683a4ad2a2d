package io.xai4j.spi;

/** The family an attribution method belongs to. */
public enum MethodFamily {
    GRADIENT, CAM, PERTURBATION
}
