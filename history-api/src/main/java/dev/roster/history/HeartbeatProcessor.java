package dev.roster.history;

import dev.roster.core.EventCodec;
import dev.roster.core.Heartbeat;
import dev.roster.core.InvalidEventException;
import dev.roster.core.MemberEvent;
import dev.roster.core.MemberFailed;
import dev.roster.core.MemberRecovered;
import dev.roster.core.MemberState;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.UUID;

/**
 * The failure detector. Heartbeats refresh a member's {@link Liveness}; a wall-clock punctuation writes
 * {@code member-failed} to {@code roster.events} for members silent longer than the timeout, and a
 * heartbeat of a failed member's same incarnation writes {@code member-recovered}. Both go through the
 * log like any other event, so every failure and recovery is part of history. Liveness lives in memory
 * only ({@link LivenessTable}): a heartbeat writes nothing to Kafka.
 */
final class HeartbeatProcessor implements Processor<String, byte[], String, byte[]> {
    private final DetectorSettings settings;
    private final FoldMetrics metrics;
    private ProcessorContext<String, byte[]> context;
    private LivenessTable liveness;
    private KeyValueStore<String, MemberState> members;

    HeartbeatProcessor(DetectorSettings settings, FoldMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.liveness = context.getStateStore(Stores.LIVENESS);
        this.members = context.getStateStore(Stores.POOL_MEMBERS);
        // After a restart or a move to this instance nobody has been heard of yet: give every present member
        // a full timeout from now rather than failing the whole pool for the time the detector was away.
        long now = context.currentSystemTimeMs();
        try (KeyValueIterator<String, MemberState> it = members.all()) {
            while (it.hasNext()) {
                KeyValue<String, MemberState> row = it.next();
                MemberState state = row.value;
                // The table starts empty with its task (it is never restored), so every entry is new here.
                if (state != null && state.present() != null) {
                    liveness.put(row.key, new Liveness(state.incarnation(), now, Liveness.State.ALIVE));
                }
            }
        }
        context.schedule(settings.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::check);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Heartbeat beat;
        try {
            beat = EventCodec.decodeHeartbeat(record.value());
        } catch (InvalidEventException e) {
            DeadLetters.send(context, record, e.getMessage(), metrics);
            return;
        }
        if (!beat.pool().equals(record.key())) {
            DeadLetters.send(context, record, "heartbeat key does not match pool " + beat.pool(), metrics);
            return;
        }
        long now = context.currentSystemTimeMs();
        String key = Stores.memberKey(beat.pool(), beat.member());
        Liveness known = liveness.get(key);
        if (known != null) {
            if (beat.incarnation() == known.incarnation()) {
                liveness.seen(key, known, now);
            }
            return;
        }
        MemberState state = members.get(key);
        if (state != null && state.failed() != null && state.incarnation() == beat.incarnation()) {
            write(new MemberRecovered(UUID.randomUUID().toString(), beat.pool(), beat.member(), beat.incarnation(),
                    Instant.ofEpochMilli(now), settings.source()));
            liveness.put(key, new Liveness(beat.incarnation(), now, Liveness.State.RECOVERY_SENT));
        }
    }

    private void check(long now) {
        for (KeyValue<String, Liveness> entry : liveness.due(now)) {
            Liveness member = entry.value;
            switch (member.state()) {
                case ALIVE -> {
                    String[] poolAndMember = entry.key.split("/", 2);
                    write(new MemberFailed(UUID.randomUUID().toString(), poolAndMember[0], poolAndMember[1],
                            member.incarnation(), Instant.ofEpochMilli(now), settings.source(),
                            "no heartbeat for " + (now - member.lastSeenMs()) + " ms"));
                    liveness.put(entry.key, member.with(Liveness.State.FAILURE_SENT));
                    metrics.failureDetected();
                }
                // A failure or recovery that was written but changed nothing (it turned out stale) leaves
                // its mark behind; forget it after a while so the member can be watched afresh.
                case FAILURE_SENT, RECOVERY_SENT -> liveness.delete(entry.key);
            }
        }
    }

    private void write(MemberEvent event) {
        context.forward(new Record<>(event.pool(), EventCodec.encode(event), context.currentSystemTimeMs()),
                HistoryTopology.EVENT_SINK);
    }
}
