package io.xai4j.cli;

/** Entry point of the {@code xai4j} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Cli.create().execute(args));
    }
}
