package dev.roster.config;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Polls a consumer on a thread of its own until each assigned partition has reached its end offset, and
 * hands the batches over in poll order. A rebuild is bound by CPU: fetching, decompressing and parsing
 * records here while the reading thread decodes and folds the batch before lets the two overlap on two
 * cores. Only this thread touches the consumer between {@link #start} and {@link #close}.
 */
final class Prefetcher implements AutoCloseable {
    /** Batches fetched ahead of the reader: enough to keep both threads busy, each at most max.poll.records. */
    private static final int BATCHES_AHEAD = 4;
    private static final Duration POLL = Duration.ofMillis(500);

    /** What the polling thread puts in the queue: a batch, the end, or why it stopped. */
    private record Item(ConsumerRecords<String, byte[]> records, Throwable failure) {
    }

    private static final Item END = new Item(null, null);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<TopicPartition, Long> until;
    private final Duration timeout;
    private final String bootstrapServers;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(BATCHES_AHEAD);
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param until   each assigned partition and the offset to read up to, not including it
     * @param timeout how long to wait for the first record, and for the consumer's answers
     */
    private Prefetcher(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> until, Duration timeout,
                       String bootstrapServers) {
        this.consumer = consumer;
        this.until = until;
        this.timeout = timeout;
        this.bootstrapServers = bootstrapServers;
        this.thread = new Thread(this::run, "roster-rebuild-fetch");
        thread.setDaemon(true);
    }

    /** Starts polling {@code consumer}, which must be assigned exactly the partitions of {@code until}. */
    static Prefetcher start(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> until, Duration timeout,
                            String bootstrapServers) {
        Prefetcher prefetcher = new Prefetcher(consumer, until, timeout, bootstrapServers);
        prefetcher.thread.start();
        return prefetcher;
    }

    /**
     * The next batch in poll order (it may hold records at or past a partition's end offset, which the
     * reader skips), or null once every partition has reached its end.
     *
     * @throws IOException if polling failed, or no record arrived within the timeout
     */
    ConsumerRecords<String, byte[]> next() throws IOException, InterruptedException {
        Item item = queue.take();
        Throwable failure = item.failure();
        if (failure == null) {
            return item.records();
        }
        if (failure instanceof TimeoutException) {
            throw new IOException("Kafka at " + bootstrapServers + " did not answer: " + failure.getMessage(), failure);
        }
        if (failure instanceof IOException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        throw (Error) failure;
    }

    private void run() {
        try {
            List<TopicPartition> open = new ArrayList<>(until.keySet());
            long start = System.nanoTime();
            boolean any = false;
            while (!open.isEmpty() && !closed) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    any = true;
                    queue.put(new Item(records, null));
                }
                open.removeIf(tp -> consumer.position(tp, timeout) >= until.get(tp));
                consumer.pause(until.keySet().stream().filter(tp -> !open.contains(tp)).toList());
                if (!any && System.nanoTime() - start > timeout.toNanos()) {
                    throw new IOException("no record of " + until.keySet().iterator().next().topic() + " arrived from "
                            + bootstrapServers + " within " + timeout.toSeconds() + " s");
                }
            }
            queue.put(END);
        } catch (InterruptedException e) {
            // Closed by the reader: it takes nothing more.
        } catch (Throwable t) {
            if (!closed) {
                try {
                    queue.put(new Item(null, t));
                } catch (InterruptedException e) {
                    // Closed by the reader meanwhile.
                }
            }
        }
    }

    /** Stops polling and waits for the thread, so that the consumer is free again when this returns. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
