package dev.roster.agent;

import dev.roster.core.EventCodec;
import dev.roster.core.Heartbeat;
import dev.roster.core.MemberEvent;
import dev.roster.core.MemberJoined;
import dev.roster.core.MemberDraining;
import dev.roster.core.MemberLeft;
import dev.roster.core.MemberUpdated;
import dev.roster.core.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node agent: announces the member on {@link #start()}, sends heartbeats while it runs, and leaves
 * gracefully on {@link #close()} (drain, leave, each waited for), with Kafka's acknowledgement each time.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    /** Start times are the incarnations; two starts within one millisecond still get distinct ones. */
    private static final AtomicLong LAST_INCARNATION = new AtomicLong();
    /** How long a step of a graceful leave waits when the agent cannot see the config change. */
    private static final long BLIND_WAIT_MILLIS = 1000;

    private final AgentSettings settings;
    private final java.nio.file.Path stateFile;
    private KafkaProducer<String, byte[]> producer;
    private ScheduledExecutorService heartbeats;
    private long incarnation;
    private boolean running;

    public Agent(AgentSettings settings) {
        this(settings, null);
    }

    /** @param stateFile where to record the running incarnation for {@code roster agent drain}; null = nowhere */
    public Agent(AgentSettings settings, java.nio.file.Path stateFile) {
        this.settings = settings;
        this.stateFile = stateFile;
    }

    /** Publishes {@code member-joined} with a new incarnation and starts heartbeating. */
    public synchronized Agent start() {
        if (running) {
            return this;
        }
        incarnation = nextIncarnation();
        producer = new KafkaProducer<>(settings.producerProperties());
        try {
            publish(new MemberJoined(UUID.randomUUID().toString(), settings.pool(), settings.member(), incarnation,
                    Instant.now(), settings.source(), settings.address(), settings.port(), settings.weight(),
                    settings.tags()));
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        running = true;
        if (stateFile != null) {
            try {
                AgentStateFile.write(stateFile, settings.pool(), settings.member(), incarnation);
            } catch (java.io.IOException e) {
                LOG.warn("cannot record agent state in {} (roster agent drain will not find it): {}", stateFile,
                        e.toString());
            }
        }
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "roster-heartbeat-" + settings.member());
            thread.setDaemon(true);
            return thread;
        });
        long every = settings.heartbeatInterval().toMillis();
        heartbeats.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
        LOG.info("{}/{} joined as {}:{} (incarnation {})", settings.pool(), settings.member(), settings.address(),
                settings.port(), incarnation);
        return this;
    }

    /** The incarnation of the current run; 0 before {@link #start()}. */
    public synchronized long incarnation() {
        return incarnation;
    }

    /**
     * Leaves gracefully: publishes {@code member-draining} and waits until the load balancer runs a config
     * with this member draining, publishes {@code member-left} and waits until it runs one without it.
     * Each wait is bounded by the settings; heartbeats go on until the leave is published, so the
     * failure detector never mistakes a drain for a crash. The node can stop serving when this returns.
     */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        boolean waits = !settings.drainTimeout().isZero() || !settings.leaveTimeout().isZero();
        try (AppliedConfigWatcher watcher = waits ? watcher() : null) {
            if (!settings.drainTimeout().isZero()) {
                publish(new MemberDraining(UUID.randomUUID().toString(), settings.pool(), settings.member(), incarnation,
                        Instant.now(), settings.source()));
                if (watcher == null) {
                    pause(settings.drainTimeout());
                } else if (!watcher.awaitApplied(member -> member != null && member.draining(), settings.drainTimeout())) {
                    LOG.warn("{}/{}: no config with it draining was applied within {} ms; leaving anyway",
                            settings.pool(), settings.member(), settings.drainTimeout().toMillis());
                }
            }
            heartbeats.shutdownNow();
            publish(new MemberLeft(UUID.randomUUID().toString(), settings.pool(), settings.member(), incarnation,
                    Instant.now(), settings.source()));
            LOG.info("{}/{} left (incarnation {})", settings.pool(), settings.member(), incarnation);
            long left = System.nanoTime();
            if (settings.leaveTimeout().isZero()) {
                return;
            }
            if (watcher == null) {
                pause(settings.leaveTimeout());
            } else if (watcher.awaitApplied(member -> member == null, settings.leaveTimeout())) {
                LOG.info("{}/{}: a config without it is live, {} ms after the leave", settings.pool(),
                        settings.member(), (System.nanoTime() - left) / 1_000_000);
            } else {
                LOG.warn("{}/{}: no config without it was applied within {} ms", settings.pool(),
                        settings.member(), settings.leaveTimeout().toMillis());
            }
        } finally {
            heartbeats.shutdownNow();
            producer.close(settings.ackTimeout());
            if (stateFile != null) {
                try {
                    java.nio.file.Files.deleteIfExists(stateFile);
                } catch (java.io.IOException e) {
                    LOG.warn("cannot remove agent state {}: {}", stateFile, e.toString());
                }
            }
        }
    }

    /**
     * Publishes {@code member-updated} for the given incarnation of a member: a new address, port, weight
     * or tags (null = unchanged) without a leave and a join. Used by {@code roster agent update}.
     */
    public static void update(AgentSettings settings, long incarnation, String address, Integer port, Integer weight,
                              java.util.Map<String, String> tags) {
        MemberUpdated event = new MemberUpdated(UUID.randomUUID().toString(), settings.pool(), settings.member(),
                incarnation, Instant.now(), settings.source(), address, port, weight, tags);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producerProperties())) {
            publish(producer, settings, event);
        }
    }

    /**
     * Publishes {@code member-draining} for the given incarnation of a member: HAProxy keeps it but sends
     * it no new traffic until it leaves. Used by {@code roster agent drain} beside a running agent.
     */
    public static void drain(AgentSettings settings, long incarnation) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producerProperties())) {
            MemberDraining event = new MemberDraining(UUID.randomUUID().toString(), settings.pool(), settings.member(),
                    incarnation, Instant.now(), settings.source());
            publish(producer, settings, event);
        }
    }

    /**
     * A watcher of roster.snapshots and roster.config-versions, or null where the agent may not read them
     * (Kafka ACLs that only let a node write its events): it then leaves without seeing the config change.
     */
    private AppliedConfigWatcher watcher() {
        try {
            return new AppliedConfigWatcher(settings);
        } catch (org.apache.kafka.common.KafkaException e) {
            LOG.warn("{}/{}: cannot watch {} and {} ({}); draining and leaving without waiting for HAProxy's config",
                    settings.pool(), settings.member(), Topics.SNAPSHOTS.name(), Topics.CONFIG_VERSIONS.name(),
                    e.toString());
            return null;
        }
    }

    /** Without a watcher, a short pause stands in for the wait: HAProxy follows within a second as a rule. */
    private static void pause(java.time.Duration timeout) {
        try {
            Thread.sleep(Math.min(timeout.toMillis(), BLIND_WAIT_MILLIS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private RecordMetadata publish(MemberEvent event) {
        return publish(producer, settings, event);
    }

    /** Sends one event and waits for Kafka's acknowledgement, bounded by the settings' ack timeout. */
    private static RecordMetadata publish(KafkaProducer<String, byte[]> producer, AgentSettings settings,
                                          MemberEvent event) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.EVENTS.name(), event.pool(),
                EventCodec.encode(event));
        try {
            return producer.send(record).get(settings.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(event.type() + " not acknowledged: interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException(event.type() + " of " + event.pool() + "/" + event.member()
                    + " not acknowledged by Kafka within " + settings.ackTimeout().toMillis() + " ms: " + cause, e);
        }
    }

    private void heartbeat() {
        try {
            Heartbeat beat = new Heartbeat(settings.pool(), settings.member(), incarnation, Instant.now());
            producer.send(new ProducerRecord<>(Topics.HEARTBEATS.name(), settings.pool(),
                    EventCodec.encodeHeartbeat(beat)), (metadata, error) -> {
                        if (error != null) {
                            LOG.warn("heartbeat of {}/{} not delivered: {}", settings.pool(), settings.member(),
                                    error.toString());
                        }
                    });
        } catch (Exception e) {
            // A missed heartbeat is what the failure detector is for; never let it kill the schedule.
            LOG.warn("heartbeat of {}/{} failed: {}", settings.pool(), settings.member(), e.toString());
        }
    }

    private static long nextIncarnation() {
        long now = System.currentTimeMillis();
        return LAST_INCARNATION.updateAndGet(last -> Math.max(last + 1, now));
    }
}
