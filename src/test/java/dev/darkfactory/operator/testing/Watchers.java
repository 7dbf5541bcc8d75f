package dev.darkfactory.operator.testing;

import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.function.Consumer;

/** Watchers for tests and the bench, which want each object the API server announces. */
public final class Watchers {

    private Watchers() {}

    /**
     * Hands every object the watch announces (added, modified, deleted) to {@code action}; a closed
     * watch is the caller's to notice, as none of them reopens one.
     */
    public static <T> Watcher<T> each(Consumer<T> action) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action event, T object) {
                action.accept(object);
            }

            @Override
            public void onClose(WatcherException cause) {}
        };
    }
}
