package dev.roster.bench;

import dev.roster.core.EventCodec;
import dev.roster.core.MemberDraining;
import dev.roster.core.MemberEvent;
import dev.roster.core.MemberJoined;
import dev.roster.core.MemberLeft;
import dev.roster.core.MemberUpdated;
import dev.roster.core.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes a large, realistic log to roster.events: {@code pools × membersPerPool} members, each living
 * through joins, weight updates, drains and leaves with growing incarnations, with event times that
 * grow along the log. Every event is valid and nearly every one changes its pool.
 */
final class EventLogFixture {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    /** Simulated time between two events of the log. */
    static final long STEP_MILLIS = 10;

    private EventLogFixture() {
    }

    static String pool(int p) {
        return "pool-" + p;
    }

    static String member(int m) {
        return "m" + m;
    }

    /** Produces {@code total} events; returns when all are acknowledged. */
    static void produce(String bootstrapServers, int pools, int membersPerPool, long total) throws Exception {
        Random random = new Random(7);
        int members = pools * membersPerPool;
        long[] incarnation = new long[members];
        // 0 = absent, 1 = active, 2 = draining
        int[] state = new int[members];
        AtomicReference<Exception> failure = new AtomicReference<>();
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        long started = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (long i = 0; i < total; i++) {
                // The first pass joins every member once, so all of them exist early in the log.
                int m = i < members ? (int) i : random.nextInt(members);
                String pool = pool(m / membersPerPool);
                String member = member(m % membersPerPool);
                Instant at = START.plusMillis(i * STEP_MILLIS);
                String id = "b" + i;
                MemberEvent event;
                switch (state[m]) {
                    case 0 -> {
                        incarnation[m]++;
                        state[m] = 1;
                        event = new MemberJoined(id, pool, member, incarnation[m], at, "bench",
                                "10." + (m >> 16 & 255) + "." + (m >> 8 & 255) + "." + (m & 255), 8080, 100, Map.of());
                    }
                    case 1 -> {
                        int roll = random.nextInt(10);
                        if (roll < 6) {
                            event = new MemberUpdated(id, pool, member, incarnation[m], at, "bench", null, null,
                                    1 + random.nextInt(256), null);
                        } else if (roll < 8) {
                            state[m] = 2;
                            event = new MemberDraining(id, pool, member, incarnation[m], at, "bench");
                        } else {
                            state[m] = 0;
                            event = new MemberLeft(id, pool, member, incarnation[m], at, "bench");
                        }
                    }
                    default -> {
                        state[m] = 0;
                        event = new MemberLeft(id, pool, member, incarnation[m], at, "bench");
                    }
                }
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(), pool, EventCodec.encode(event)),
                        (metadata, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            }
                        });
                if (i > 0 && i % 200_000 == 0) {
                    System.out.printf("  produced %d of %d events%n", i, total);
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        System.out.printf("  produced %d events (%d pools × %d members) in %.1f s%n", total, pools, membersPerPool,
                (System.nanoTime() - started) / 1e9);
    }
}
