package dev.roster.history;

import io.javalin.http.Context;
import org.apache.kafka.streams.state.HostInfo;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

/** Which instance answers a question: {@link Cluster} in a running app, {@link #LOCAL} when there is only one. */
interface Router {
    /** The instance that owns the pool, or empty when this one answers. */
    Optional<HostInfo> ownerOf(String pool, Context ctx);

    /** The other instances, for questions every instance holds a part of. */
    List<HostInfo> others();

    void forward(Context ctx, HostInfo owner);

    HttpResponse<byte[]> askLocal(HostInfo host, String pathAndQuery, String authorization);

    /** A single instance that answers everything itself. */
    Router LOCAL = new Router() {
        @Override
        public Optional<HostInfo> ownerOf(String pool, Context ctx) {
            return Optional.empty();
        }

        @Override
        public List<HostInfo> others() {
            return List.of();
        }

        @Override
        public void forward(Context ctx, HostInfo owner) {
            throw new IllegalStateException("a single instance forwards nothing");
        }

        @Override
        public HttpResponse<byte[]> askLocal(HostInfo host, String pathAndQuery, String authorization) {
            throw new IllegalStateException("a single instance asks nobody");
        }
    };
}
