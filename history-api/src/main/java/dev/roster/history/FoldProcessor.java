package dev.roster.history;

import dev.roster.core.EventCodec;
import dev.roster.core.Fields;
import dev.roster.core.Fold;
import dev.roster.core.InvalidEventException;
import dev.roster.core.LogPosition;
import dev.roster.core.Member;
import dev.roster.core.MemberEvent;
import dev.roster.core.MemberSet;
import dev.roster.core.PoolSnapshot;
import dev.roster.core.Topics;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads each record of {@code roster.events}: refuses what is not a valid event (dead letter with a
 * reason), ignores event ids seen before, keeps every valid event in history, folds it with
 * {@link Fold#apply} and publishes a snapshot whenever the pool's member set changed. Each change is
 * also kept as a {@link PoolChange}, with the whole member set every so often, so that any past
 * version can be answered from the stores.
 */
final class FoldProcessor implements Processor<String, byte[], String, byte[]> {
    /**
     * The whole member set is kept again once the changes since the last time are at least its size
     * (and at least this many): rebuilding any version then reads at most about twice the set, and the
     * checkpoints take no more room than the changes themselves.
     */
    static final int MIN_CHECKPOINT_GAP = 64;

    private final FoldMetrics metrics;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, MemberSet> poolState;
    private KeyValueStore<String, byte[]> poolLog;
    private KeyValueStore<String, String> poolClock;
    private KeyValueStore<String, PoolChange> poolChanges;
    private KeyValueStore<String, Member> checkpoints;
    private KeyValueStore<String, byte[]> memberEvents;
    private KeyValueStore<String, Long> seenIds;
    private KeyValueStore<String, Liveness> liveness;

    FoldProcessor(FoldMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.poolState = context.getStateStore(Stores.POOL_STATE);
        this.poolLog = context.getStateStore(Stores.POOL_LOG);
        this.poolClock = context.getStateStore(Stores.POOL_CLOCK);
        this.poolChanges = context.getStateStore(Stores.POOL_CHANGES);
        this.checkpoints = context.getStateStore(Stores.POOL_CHECKPOINTS);
        this.memberEvents = context.getStateStore(Stores.MEMBER_EVENTS);
        this.seenIds = context.getStateStore(Stores.SEEN_IDS);
        this.liveness = context.getStateStore(Stores.LIVENESS);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        MemberEvent event;
        try {
            event = EventCodec.decode(record.value());
        } catch (InvalidEventException e) {
            DeadLetters.send(context, record, e.getMessage(), metrics);
            return;
        }
        if (!event.pool().equals(record.key())) {
            // The key decides the partition, hence the order of a pool's events: a record keyed
            // otherwise may sit in another partition than its pool and cannot be ordered safely.
            DeadLetters.send(context, record, "record key "
                    + (record.key() == null ? "null" : Fields.quote(record.key())) + " does not match pool " + event.pool(),
                    metrics);
            return;
        }
        String idKey = Stores.seenIdKey(event.pool(), event.id());
        if (seenIds.get(idKey) != null) {
            metrics.duplicate();
            return;
        }
        seenIds.put(idKey, source.offset());

        MemberSet before = poolState.get(event.pool());
        if (before == null) {
            before = MemberSet.empty(event.pool());
        }
        MemberSet after = Fold.apply(before, event);
        boolean changed = after.version() != before.version();
        Instant since = advanceClock(event);
        if (changed) {
            // The change first, the state after: a query that reads version V from the state while this
            // thread writes always finds change V (the stores are read without a transaction).
            recordChange(after, event, since, source);
        }
        if (after != before) {
            poolState.put(event.pool(), after);
        }
        watch(after, event.member());
        LoggedEvent logged = new LoggedEvent(source.partition(), source.offset(), changed, after.version(), event);
        byte[] bytes = logged.toBytes();
        poolLog.put(Stores.poolLogKey(event.pool(), since, source.offset()), bytes);
        memberEvents.put(Stores.memberEventKey(event.pool(), event.member(), source.offset()), bytes);
        metrics.folded(changed);

        if (changed) {
            PoolSnapshot snapshot = PoolSnapshot.of(after, new LogPosition(source.partition(), source.offset()), event.at());
            byte[] value = Topics.SNAPSHOTS.valueSerde().serializer().serialize(Topics.SNAPSHOTS.name(), snapshot);
            context.forward(new Record<>(event.pool(), value, record.timestamp()), HistoryTopology.SNAPSHOT_SINK);
        }
    }

    /**
     * The pool's clock only moves forward: an event stamped earlier than one before it (another agent's
     * clock runs behind) is placed at the latest time seen, so log order and time order agree.
     */
    private Instant advanceClock(MemberEvent event) {
        String known = poolClock.get(event.pool());
        Instant latest = known == null ? Instant.EPOCH : Instant.parse(known);
        if (event.at().isAfter(latest)) {
            poolClock.put(event.pool(), event.at().toString());
            return event.at();
        }
        return latest;
    }

    private void recordChange(MemberSet after, MemberEvent event, Instant since, RecordMetadata source) {
        long version = after.version();
        PoolChange previous = version > 1 ? poolChanges.get(Stores.changeKey(after.pool(), version - 1)) : null;
        long checkpoint = previous == null ? 0 : previous.checkpoint();
        // Without the previous change (stores older than this record) the versions before cannot be
        // rebuilt from here: keep the whole set now, so that every version from this one on can.
        if (version - checkpoint >= Math.max(MIN_CHECKPOINT_GAP, after.members().size())
                || (previous == null && version > 1)) {
            String prefix = Stores.checkpointPrefix(after.pool(), version);
            List<KeyValue<String, Member>> rows = new ArrayList<>();
            after.members().forEach((name, member) -> rows.add(KeyValue.pair(prefix + name, member)));
            checkpoints.putAll(rows);
            checkpoint = version;
        }
        poolChanges.put(Stores.changeKey(after.pool(), version), new PoolChange(version, since, event.at(),
                source.partition(), source.offset(), event.type(), event.member(),
                after.members().get(event.member()), checkpoint));
    }

    /**
     * Keeps the failure detector in step with the member set: a present member is watched from the
     * moment it joined or recovered (a join counts as a sign of life); a departed one is not watched.
     */
    private void watch(MemberSet pool, String member) {
        String key = Stores.livenessKey(pool.pool(), member);
        Liveness known = liveness.get(key);
        if (pool.members().containsKey(member)) {
            long incarnation = pool.incarnations().get(member);
            if (known == null || known.state() != Liveness.State.ALIVE || known.incarnation() != incarnation) {
                liveness.put(key, new Liveness(incarnation, context.currentSystemTimeMs(), Liveness.State.ALIVE));
            }
        } else if (known != null && known.state() != Liveness.State.RECOVERY_SENT) {
            liveness.delete(key);
        }
    }
}
