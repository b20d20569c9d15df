package dev.roster.history;

import io.javalin.http.Context;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The other history-api instances of the same application id. Pools are split between them by
 * partition, so a question about a pool goes to the instance that owns the pool's partition: this one,
 * or another one the request is forwarded to. Each instance advertises its REST address as Kafka
 * Streams' {@code application.server}.
 */
final class Cluster implements Router {
    /** Set on a forwarded request, so that it is never forwarded twice (say, during a rebalance). */
    static final String FORWARDED = "X-Roster-Forwarded";
    /** Set on a fan-out request: answer from this instance's own pools only. */
    static final String LOCAL_ONLY = "X-Roster-Local";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Supplier<KafkaStreams> streams;
    private final Supplier<HostInfo> self;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** @param self this instance's advertised REST address; read only once {@code streams} gives a value */
    Cluster(Supplier<KafkaStreams> streams, Supplier<HostInfo> self) {
        this.streams = streams;
        this.self = self;
    }

    /**
     * The instance that owns the pool, or empty when it is this one (or the request was forwarded here
     * already: then this instance answers with what it has, rather than bouncing it on).
     */
    @Override
    public Optional<HostInfo> ownerOf(String pool, Context ctx) {
        if (ctx.header(FORWARDED) != null) {
            return Optional.empty();
        }
        KeyQueryMetadata metadata = running().queryMetadataForKey(Stores.POOL_HEADS, pool, new StringSerializer());
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw new ApiException(503, "not ready", "no instance owns pool " + pool + " right now (rebalancing)");
        }
        HostInfo owner = metadata.activeHost();
        return owner.equals(self.get()) ? Optional.empty() : Optional.of(owner);
    }

    /** The other instances of this application, as Kafka Streams knows them now. */
    @Override
    public List<HostInfo> others() {
        List<HostInfo> hosts = new ArrayList<>();
        for (StreamsMetadata metadata : running().metadataForAllStreamsClients()) {
            if (!metadata.hostInfo().equals(self.get()) && !hosts.contains(metadata.hostInfo())) {
                hosts.add(metadata.hostInfo());
            }
        }
        return hosts;
    }

    /** Sends the same request to {@code owner} and answers with its answer, status and body unchanged. */
    @Override
    public void forward(Context ctx, HostInfo owner) {
        String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
        HttpResponse<byte[]> response = send(owner, ctx.path() + query, ctx.header("Authorization"), FORWARDED);
        ctx.status(response.statusCode());
        ctx.contentType(response.headers().firstValue("Content-Type").orElse("application/json"));
        ctx.result(response.body());
    }

    /** Asks another instance about its own pools only. */
    @Override
    public HttpResponse<byte[]> askLocal(HostInfo host, String pathAndQuery, String authorization) {
        return send(host, pathAndQuery, authorization, LOCAL_ONLY);
    }

    private HttpResponse<byte[]> send(HostInfo host, String pathAndQuery, String authorization, String marker) {
        String hostName = host.host().contains(":") ? "[" + host.host() + "]" : host.host();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + hostName + ":" + host.port()
                + pathAndQuery)).timeout(TIMEOUT).header(marker, "true").GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unavailable(host, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(host, "interrupted");
        }
    }

    private static ApiException unavailable(HostInfo host, String why) {
        return new ApiException(503, "instance unavailable", "history-api instance " + host.host() + ":"
                + host.port() + " did not answer: " + why);
    }

    private KafkaStreams running() {
        KafkaStreams current = streams.get();
        if (current == null || !current.state().isRunningOrRebalancing()) {
            throw new ApiException(503, "not ready", "the history stores are not ready yet ("
                    + (current == null ? "starting" : current.state()) + ")");
        }
        return current;
    }
}
