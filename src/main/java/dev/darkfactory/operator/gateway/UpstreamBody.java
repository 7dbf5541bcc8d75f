package dev.darkfactory.operator.gateway;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The provider's answer body, read chunk by chunk with two clocks: no chunk for {@code idle}, or
 * the call's overall deadline, ends it. (The JDK client's own timeout stops at the response
 * headers; a stream that stalls afterwards would hold a thread forever.) One chunk is requested at
 * a time, so a slow client slows the provider rather than filling memory.
 */
final class UpstreamBody implements Flow.Subscriber<List<ByteBuffer>> {

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Duration idle;
    private final Instant deadline;
    private final Clock clock;
    private volatile Flow.Subscription subscription;
    private boolean ended;

    UpstreamBody(
            Flow.Publisher<List<ByteBuffer>> publisher,
            Duration idle,
            Instant deadline,
            Clock clock) {
        this.idle = idle;
        this.deadline = deadline;
        this.clock = clock;
        publisher.subscribe(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        queue.add(throwable);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    /** The next bytes, or null at the end of the body. */
    byte[] next() throws IOException, InterruptedException {
        while (!ended) {
            long wait =
                    Math.min(
                            idle.toMillis(),
                            Duration.between(clock.instant(), deadline).toMillis());
            Object item = wait > 0 ? queue.poll(wait, TimeUnit.MILLISECONDS) : null;
            if (item == null) {
                cancel();
                throw new HttpTimeoutException(
                        "the provider's answer stalled or passed the call's time limit");
            }
            if (item == END) {
                ended = true;
                return null;
            }
            if (item instanceof Throwable failure) {
                ended = true;
                throw failure instanceof IOException io ? io : new IOException(failure);
            }
            @SuppressWarnings("unchecked")
            List<ByteBuffer> buffers = (List<ByteBuffer>) item;
            subscription.request(1);
            int size = buffers.stream().mapToInt(ByteBuffer::remaining).sum();
            if (size == 0) {
                continue;
            }
            byte[] bytes = new byte[size];
            int at = 0;
            for (ByteBuffer buffer : buffers) {
                int n = buffer.remaining();
                buffer.get(bytes, at, n);
                at += n;
            }
            return bytes;
        }
        return null;
    }

    void cancel() {
        ended = true;
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
    }
}
