package dev.darkfactory.operator.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body on the event loop, bounded: past {@code max} bytes the future fails with a
 * 413 at once and nothing more is kept. The rest is still read and dropped, so a client that is
 * still sending gets to read that answer, but only up to as much again; then the connection is
 * closed, so an endless body cannot hold it.
 */
final class RequestBody {

    private RequestBody() {}

    static Future<byte[]> read(HttpServerRequest request, int max) {
        Promise<byte[]> body = Promise.promise();
        Buffer bytes = Buffer.buffer();
        long[] received = {0};
        request.handler(
                chunk -> {
                    received[0] += chunk.length();
                    if (received[0] <= max) {
                        bytes.appendBuffer(chunk);
                    } else if (received[0] > 2L * max) {
                        request.connection().close();
                    } else {
                        body.tryFail(
                                GatewayError.badRequest(
                                        413,
                                        "the request is larger than the gateway's limit of "
                                                + max
                                                + " bytes"));
                    }
                });
        request.endHandler(ignored -> body.tryComplete(bytes.getBytes()));
        request.exceptionHandler(body::tryFail);
        return body.future();
    }
}
