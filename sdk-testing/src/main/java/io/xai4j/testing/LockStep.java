package io.xai4j.testing;

import java.util.concurrent.Exchanger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes two threads meet before each model call, so that two runs of a method overlap call by call. When one
 * thread waits in vain (the runs made different numbers of calls), the threads run freely from then on.
 */
final class LockStep implements Runnable {
    private static final long WAIT_MILLIS = 200;
    private final Exchanger<Object> exchanger = new Exchanger<>();
    private volatile boolean free;

    @Override
    public void run() {
        if (free) {
            return;
        }
        try {
            exchanger.exchange(this, WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            free = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            free = true;
        }
    }
}
