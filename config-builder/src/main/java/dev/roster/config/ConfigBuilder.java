package dev.roster.config;

import dev.roster.core.ConfigVersion;
import dev.roster.core.PoolSnapshot;
import dev.roster.core.SnapshotFollower;
import dev.roster.core.Topics;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The config builder service: follows {@code roster.snapshots}, keeps the latest snapshot of each pool,
 * and turns every burst of changes into at most one new config version (see {@link ConfigApplier}),
 * published on {@code roster.config-versions} keyed by the instance id.
 *
 * <p>One thread owns the consumer. It assigns itself every partition and reads from the beginning (no
 * consumer group, no committed offsets: the compacted topic <em>is</em> the state), reads committed
 * records only, and first catches up to the end of the topic before rendering, so that a restart
 * renders the whole current state once instead of a version per partially-read pool.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} once. The work folder is locked while running.
 */
public final class ConfigBuilder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigBuilder.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);
    /** How often the requests folder is looked at: {@code roster config activate} waits about this long. */
    private static final Duration REQUEST_CHECK_INTERVAL = Duration.ofMillis(250);

    private final ConfigBuilderSettings settings;
    private final List<Consumer<VersionRecord>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Object versionsChanged = new Object();
    /** The pools served, as read from roster.snapshots; guarded by itself. */
    private final SnapshotFollower pools;

    private volatile boolean running;
    private volatile VersionRecord latest;
    private volatile Throwable failure;
    private ConfigApplier applier;
    private KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, ConfigVersion> producer;
    private WorkDirLock lock;
    private OperatorRequests requests;
    private Thread thread;

    public ConfigBuilder(ConfigBuilderSettings settings) {
        this.settings = settings;
        this.pools = new SnapshotFollower(settings.pools()::matches);
    }

    /**
     * Locks the work folder, reads the versions written so far, and starts the consumer thread. Returns
     * at once; {@link #awaitReady(Duration)} tells when the current state has been rendered.
     *
     * @throws IllegalStateException if already started, or another builder holds the work folder
     * @throws IOException           if the work folder or the template cannot be read
     */
    public synchronized void start() throws IOException {
        if (thread != null) {
            throw new IllegalStateException("config builder already started");
        }
        Files.createDirectories(settings.workDir());
        lockWorkDir();
        if (settings.validate() && !HaproxyProcess.isInstalled(settings.haproxyBinary())) {
            LOG.error("'{} -v' does not run: no version can be validated, so every one will be"
                    + " rejected until HAProxy is installed (or validate is turned off)", settings.haproxyBinary());
        }
        try {
            applier = ConfigApplier.create(settings);
            requests = new OperatorRequests(settings.workDir());
            latest = latestManifest(applier.store()).orElse(null);
            consumer = new KafkaConsumer<>(settings.consumerProperties(),
                    Topics.SNAPSHOTS.keySerde().deserializer(), Topics.SNAPSHOTS.valueSerde().deserializer());
            producer = new KafkaProducer<>(settings.producerProperties(),
                    Topics.CONFIG_VERSIONS.keySerde().serializer(), Topics.CONFIG_VERSIONS.valueSerde().serializer());
        } catch (IOException | RuntimeException e) {
            closeClients();
            unlockWorkDir();
            throw e;
        }
        running = true;
        thread = new Thread(this::run, "roster-config-builder-" + settings.instanceId());
        thread.start();
        LOG.info("config builder {} started: {} -> {} (versions in {})", settings.instanceId(),
                Topics.SNAPSHOTS.name(), settings.liveFile(), settings.versionsDir());
    }

    /**
     * Stops the thread (waiting for a version in progress to finish), flushes the producer and releases
     * the work folder. Safe to call twice or without {@link #start()}.
     */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            t = thread;
            running = false;
        }
        if (t != null) {
            consumer.wakeup();
            try {
                t.join(settings.validateTimeout().plus(settings.reloadTimeout()).plusSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.warn("config builder thread did not stop in time; interrupting it");
                t.interrupt();
            }
        }
        synchronized (this) {
            closeClients();
            unlockWorkDir();
            thread = null;
        }
    }

    /** Waits until the snapshots present at start have been read and rendered (and the live file exists). */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits until version {@code version} has been decided (its manifest written), by this run or an
     * earlier one.
     *
     * @return its record, or empty if it did not appear within {@code timeout}
     */
    public Optional<VersionRecord> awaitVersion(long version, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (versionsChanged) {
            while (true) {
                VersionStore store = applier == null ? null : applier.store();
                if (store != null && store.hasManifest(version)) {
                    try {
                        return store.manifest(version);
                    } catch (IOException e) {
                        throw new IllegalStateException("cannot read the manifest of version " + version, e);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                versionsChanged.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /**
     * Called on the builder's thread after each new version's manifest is written (before it is
     * published). Must be quick and must not throw; exceptions are logged and ignored.
     */
    public void addListener(Consumer<VersionRecord> listener) {
        listeners.add(listener);
    }

    /** The newest decided version (applied or rejected), including those of earlier runs; empty if none yet. */
    public Optional<VersionRecord> latestRecord() {
        return Optional.ofNullable(latest);
    }

    /** The number of {@link #latestRecord()}, or empty. */
    public OptionalLong latestVersion() {
        VersionRecord record = latest;
        return record == null ? OptionalLong.empty() : OptionalLong.of(record.version());
    }

    /** The latest snapshot of each pool as read so far, sorted by pool. */
    public Map<String, PoolSnapshot> pools() {
        Map<String, PoolSnapshot> byName = new TreeMap<>();
        synchronized (pools) {
            pools.snapshots().forEach(snapshot -> byName.put(snapshot.pool(), snapshot));
        }
        return Collections.unmodifiableMap(byName);
    }

    /**
     * The error that stopped the builder's thread, if one did: it then builds no more versions and the
     * process running it should stop (and be restarted). Empty while healthy and after a normal close.
     */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    public ConfigBuilderSettings settings() {
        return settings;
    }

    public Path liveFile() {
        return settings.liveFile();
    }

    public Path versionsDir() {
        return settings.versionsDir();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = assignAll();
            while (running && !catchUp(partitions)) {
                sleep(RETRY_DELAY);
            }
            if (!running) {
                return;
            }
            applier.restoreLiveFile();
            applyUntilDone();
            ready.countDown();
            followChanges();
        } catch (WakeupException e) {
            if (running) {
                LOG.error("config builder woken up while running", e);
            }
        } catch (InterruptException e) {
            LOG.warn("config builder interrupted");
        } catch (RuntimeException | IOException e) {
            failure = e;
            LOG.error("config builder stopped by an unexpected error; no new versions will be built", e);
        } finally {
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                LOG.warn("closing the consumer failed", e);
            }
        }
    }

    /**
     * Reads every partition from the beginning up to the end it had when this began (the last stable
     * offset, as the consumer reads committed records only).
     *
     * @return false if Kafka did not answer in time; the caller starts over
     */
    private boolean catchUp(List<TopicPartition> partitions) {
        try {
            synchronized (pools) {
                pools.clear();
            }
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            LOG.info("reading {} to its end {}", Topics.SNAPSHOTS.name(), end);
            while (running && !caughtUp(end)) {
                poll(IDLE_POLL);
            }
            return true;
        } catch (TimeoutException e) {
            LOG.warn("Kafka did not answer while reading {} ({}); starting over", Topics.SNAPSHOTS.name(),
                    e.getMessage());
            return false;
        }
    }

    /** Assigns every partition of the snapshots topic, waiting for the topic to exist. */
    private List<TopicPartition> assignAll() {
        boolean warned = false;
        while (running) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(Topics.SNAPSHOTS.name(), Duration.ofSeconds(5));
            } catch (TimeoutException e) {
                LOG.warn("Kafka at {} does not answer yet ({}); retrying", settings.bootstrapServers(), e.getMessage());
                sleep(RETRY_DELAY);
                continue;
            }
            if (infos != null && !infos.isEmpty()) {
                List<TopicPartition> partitions = infos.stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition()))
                        .sorted(Comparator.comparingInt(TopicPartition::partition))
                        .toList();
                consumer.assign(partitions);
                return partitions;
            }
            if (!warned) {
                LOG.warn("topic {} does not exist yet; waiting for it", Topics.SNAPSHOTS.name());
                warned = true;
            }
            sleep(RETRY_DELAY);
        }
        return List.of();
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> entry : end.entrySet()) {
            if (consumer.position(entry.getKey()) < entry.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The initial render: retried until it succeeds, since without it there may be no live file at all. */
    private void applyUntilDone() {
        while (running) {
            if (applyOnce(true).isPresent()) {
                return;
            }
            sleep(RETRY_DELAY);
        }
    }

    /**
     * Follows the snapshots and renders them as {@link Coalescer} says: a lone change goes live at once, and
     * a long burst reloads HAProxy at most once per {@code maxWait} (100 joins within a second give at most
     * three reloads with the defaults, 50 ms and 500 ms), while what the runtime API carries does not wait
     * for reloads.
     */
    private void followChanges() {
        Coalescer coalescer = new Coalescer(settings.quietWindow(), settings.maxWait());
        long nextReloadRetry = 0;
        long nextRequestCheck = 0;
        while (running) {
            long now = System.nanoTime();
            Duration timeout = coalescer.pending()
                    ? Duration.ofNanos(Math.max(0, coalescer.due(applier.lastReloadAt()) - now)) : IDLE_POLL;
            int count = poll(timeout);
            now = System.nanoTime();
            if (count > 0) {
                coalescer.changed(now);
            }
            if (coalescer.pending() && now >= coalescer.due(applier.lastReloadAt())) {
                Optional<ConfigApplier.Attempt> attempt = applyOnce(coalescer.mayReload(now, applier.lastReloadAt()));
                if (attempt.isEmpty()) {
                    coalescer.failed(now, RETRY_DELAY);
                } else if (attempt.get().waitsForReload()) {
                    coalescer.waitForReload();
                } else {
                    coalescer.done();
                }
            }
            if (!coalescer.pending() && applier.reloadPending() && now >= nextReloadRetry) {
                applier.retryPendingReload();
                nextReloadRetry = now + RETRY_DELAY.toNanos();
            }
            if (now >= nextRequestCheck) {
                handleOperatorRequests();
                nextRequestCheck = now + REQUEST_CHECK_INTERVAL.toNanos();
            }
        }
    }

    /**
     * Carries out {@code roster config activate} requests filed while this builder holds the work folder.
     * Between two polls, so never in the middle of a version.
     */
    private void handleOperatorRequests() {
        List<OperatorRequests.Request> pending;
        try {
            pending = requests.claimPending();
        } catch (IOException e) {
            LOG.warn("cannot read operator requests in {}: {}", settings.workDir().resolve(OperatorRequests.DIR_NAME),
                    e.getMessage());
            return;
        }
        for (OperatorRequests.Request request : pending) {
            OperatorRequests.Answer answer;
            try {
                Optional<VersionRecord> record = applier.activateVersion(request.version());
                if (record.isPresent()) {
                    announce(record.get());
                    VersionRecord made = record.get();
                    answer = new OperatorRequests.Answer(made.applied(), made.applied()
                            ? "version " + made.version() + " is live: a copy of version " + request.version()
                            : "version " + made.version() + " (a copy of version " + request.version()
                                    + ") did not go live: " + made.reason(), made);
                } else {
                    answer = new OperatorRequests.Answer(true, "version " + request.version()
                            + " is live already: nothing to do", null);
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("operator activation of version {} failed: {}", request.version(), e.getMessage());
                answer = new OperatorRequests.Answer(false, e.getMessage(), null);
            }
            try {
                requests.answer(request, answer);
            } catch (IOException e) {
                LOG.warn("cannot answer operator request {}: {}", request.file(), e.getMessage());
            }
        }
    }

    /**
     * Polls once and folds the records into {@link #pools}; returns how many pools moved to a new version
     * or went away.
     */
    private int poll(Duration timeout) {
        ConsumerRecords<String, byte[]> records = consumer.poll(timeout);
        int moved = 0;
        synchronized (pools) {
            for (ConsumerRecord<String, byte[]> record : records) {
                try {
                    SnapshotFollower.Effect effect = pools.accept(record.key(), record.value());
                    if (effect == SnapshotFollower.Effect.DELETED) {
                        LOG.info("pool {} deleted (tombstone at {}-{}@{})", record.key(), record.topic(),
                                record.partition(), record.offset());
                    }
                    if (effect != SnapshotFollower.Effect.NONE) {
                        moved++;
                    }
                } catch (IllegalArgumentException e) {
                    // An unreadable record must not stop every later one: skip it. A row lost this way is
                    // written again with the member's next change.
                    LOG.error("skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(),
                            record.offset(), e.getMessage());
                }
            }
        }
        return moved;
    }

    /**
     * Renders the current snapshots and makes them a version if they differ from the last one.
     *
     * @param mayReload whether the version may reload HAProxy (see {@link ConfigApplier#apply(java.util.Collection, boolean)})
     * @return what came of it; empty if it failed and should be retried
     */
    private Optional<ConfigApplier.Attempt> applyOnce(boolean mayReload) {
        List<PoolSnapshot> current;
        synchronized (pools) {
            current = pools.snapshots();
        }
        ConfigApplier.Attempt attempt;
        try {
            attempt = applier.apply(current, mayReload);
        } catch (IOException | RuntimeException e) {
            LOG.error("building a config version failed; retrying in {} ms", RETRY_DELAY.toMillis(), e);
            return Optional.empty();
        }
        attempt.version().ifPresent(this::announce);
        return Optional.of(attempt);
    }

    private void announce(VersionRecord record) {
        synchronized (versionsChanged) {
            latest = record;
            versionsChanged.notifyAll();
        }
        for (Consumer<VersionRecord> listener : listeners) {
            try {
                listener.accept(record);
            } catch (RuntimeException e) {
                LOG.warn("a version listener failed", e);
            }
        }
        try {
            ConfigVersion value = record.toConfigVersion(Instant.now(), applier.store().text(record.version()),
                    applier.lastReload().map(Duration::toMillis).orElse(null));
            producer.send(new ProducerRecord<>(Topics.CONFIG_VERSIONS.name(), settings.instanceId(), value),
                    (metadata, error) -> {
                        if (error != null) {
                            LOG.error("version {} is on disk but could not be published to {}", record.version(),
                                    Topics.CONFIG_VERSIONS.name(), error);
                        }
                    });
        } catch (IOException | RuntimeException e) {
            LOG.error("version {} is on disk but could not be published to {}", record.version(),
                    Topics.CONFIG_VERSIONS.name(), e);
        }
    }

    private static Optional<VersionRecord> latestManifest(VersionStore store) throws IOException {
        List<Long> versions = store.versions();
        for (int i = versions.size() - 1; i >= 0; i--) {
            Optional<VersionRecord> record = store.manifest(versions.get(i));
            if (record.isPresent()) {
                return record;
            }
        }
        return Optional.empty();
    }

    private void lockWorkDir() throws IOException {
        lock = WorkDirLock.tryAcquire(settings.workDir()).orElseThrow(() -> new IllegalStateException(
                "another config builder is using workDir " + settings.workDir() + " ("
                        + settings.workDir().resolve(WorkDirLock.LOCK_FILE) + " is locked)"));
    }

    private void unlockWorkDir() {
        try {
            if (lock != null) {
                lock.close();
            }
        } catch (IOException e) {
            LOG.warn("releasing the work folder lock failed", e);
        }
        lock = null;
    }

    private void closeClients() {
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                LOG.warn("closing the producer failed", e);
            }
            producer = null;
        }
        if (consumer != null && thread == null) {
            // Without a thread the consumer was never handed over; otherwise the thread closes it.
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
        consumer = null;
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            running = false;
            Thread.currentThread().interrupt();
        }
    }
}
