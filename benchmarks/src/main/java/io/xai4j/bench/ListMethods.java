package io.xai4j.bench;

import io.xai4j.inject.MethodRegistry;
import io.xai4j.inject.Xai4j;

/** Prints the names of the attribution methods discovered on the class path, one a line. */
public final class ListMethods {
    private ListMethods() {
    }

    public static void main(String[] args) {
        Xai4j.injector().getInstance(MethodRegistry.class).names().forEach(System.out::println);
    }
}
