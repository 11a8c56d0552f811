package io.engagement.pipeline.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The chunked batch buffer gives back exactly the bytes written, as an array and as a request body. */
class RowBufferTest {

    @Test
    void aBatchAcrossSeveralChunksIsSentAndCopiedByteForByte() throws Exception {
        RowBuffer buffer = new RowBuffer();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        writeRows(buffer, expected, new Random(7), 3 * RowBuffer.CHUNK + 1234);

        assertEquals(expected.size(), buffer.size());
        assertArrayEquals(expected.toByteArray(), buffer.toByteArray());
        assertArrayEquals(expected.toByteArray(), published(buffer.body()));
        assertEquals(expected.size(), buffer.body().contentLength());
    }

    @Test
    void aBatchEndingExactlyAtAChunkBoundaryAndAnEmptyOne() throws Exception {
        RowBuffer buffer = new RowBuffer();
        byte[] oneChunk = new byte[RowBuffer.CHUNK];
        new Random(3).nextBytes(oneChunk);
        buffer.write(oneChunk, 0, oneChunk.length);
        assertArrayEquals(oneChunk, published(buffer.body()));

        buffer.reset();
        assertEquals(0, buffer.size());
        assertArrayEquals(new byte[0], published(buffer.body()));
        assertArrayEquals(new byte[0], buffer.toByteArray());
    }

    @Test
    void aResetBufferReusesItsChunksForASmallerBatchWithoutOldBytes() throws Exception {
        RowBuffer buffer = new RowBuffer();
        writeRows(buffer, new ByteArrayOutputStream(), new Random(1), 2 * RowBuffer.CHUNK + 10);
        buffer.reset();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        writeRows(buffer, expected, new Random(2), RowBuffer.CHUNK + 5);

        assertArrayEquals(expected.toByteArray(), buffer.toByteArray());
        assertArrayEquals(expected.toByteArray(), published(buffer.body()));
    }

    /** Rows as the RowBinary serializer writes them: single bytes and short runs, mixed. */
    private static void writeRows(RowBuffer buffer, ByteArrayOutputStream expected, Random random, int total) {
        while (expected.size() < total) {
            if (random.nextBoolean()) {
                int b = random.nextInt(256);
                buffer.write(b);
                expected.write(b);
            } else {
                byte[] run = new byte[1 + random.nextInt(300)];
                random.nextBytes(run);
                int off = random.nextInt(run.length);
                buffer.write(run, off, run.length - off);
                expected.write(run, off, run.length - off);
            }
        }
    }

    private static byte[] published(HttpRequest.BodyPublisher body) throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        body.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                received.write(bytes, 0, bytes.length);
            }

            @Override
            public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                done.complete(received.toByteArray());
            }
        });
        return done.get(10, TimeUnit.SECONDS);
    }
}
