package io.engagement.pipeline.service;

import io.engagement.pipeline.clickhouse.ClickHouseHttp;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;

/**
 * Whether the client of a request is still there, for a query that should not outlive it
 * ({@link ClickHouseHttp#stream}). An HTTP/1.1 server learns that its client closed the connection
 * only by reading from it, and Jetty does not read while a request without a body is handled; so
 * each check tries a non-blocking read of the connection (through Jetty's end point, which decrypts
 * TLS): end of stream means the client has gone. Bytes instead of an end are a pipelined next request
 * (rare; browsers do not pipeline): they are dropped and the answer closes the connection
 * ({@code Connection: close}), which RFC 9112 section 9.3.2 tells a pipelining client to expect and
 * retry after. Jetty's own failure and close notices count too.
 */
final class ClientConnection {

    private ClientConnection() {}

    static ClickHouseHttp.Caller of(Context ctx) {
        Request request;
        try {
            request = ServletContextRequest.getServletContextRequest(ctx.req());
        } catch (IllegalStateException notJetty) {
            return () -> false;
        }
        AtomicBoolean gone = new AtomicBoolean();
        request.addFailureListener(failure -> gone.set(true));
        Connection connection = request.getConnectionMetaData().getConnection();
        EndPoint endPoint = connection.getEndPoint();
        Connection.Listener closed = new Connection.Listener() {
            @Override
            public void onClosed(Connection c) {
                gone.set(true);
            }
        };
        connection.addEventListener(closed);
        Request.addCompletionListener(request, failure -> connection.removeEventListener(closed));
        ByteBuffer probe = BufferUtil.allocate(4096);
        return () -> {
            if (gone.get() || !endPoint.isOpen()) {
                return true;
            }
            try {
                int read = endPoint.fill(probe);
                if (read < 0) {
                    return true;
                }
                if (read > 0) {
                    BufferUtil.clear(probe);
                    ctx.header("Connection", "close");
                }
                return false;
            } catch (IOException e) {
                return true;
            }
        };
    }
}
