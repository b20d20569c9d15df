package dev.roster.history;

import dev.roster.core.Fields;
import dev.roster.core.EventCodec;
import dev.roster.core.Fold;
import dev.roster.core.InvalidEventException;
import dev.roster.core.LogPosition;
import dev.roster.core.MemberEvent;
import dev.roster.core.MemberSet;
import dev.roster.core.PoolSnapshot;
import dev.roster.core.Topics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;


/**
 * Reads each record of {@code roster.events}: refuses what is not a valid event (dead letter with a
 * reason), ignores event ids seen before, keeps every valid event in history, folds it with
 * {@link Fold#apply} and publishes a snapshot whenever the pool's member set changed.
 */
final class FoldProcessor implements Processor<String, byte[], String, byte[]> {
    private final FoldMetrics metrics;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, MemberSet> poolState;
    private KeyValueStore<String, byte[]> poolEvents;
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
        this.poolEvents = context.getStateStore(Stores.POOL_EVENTS);
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
        if (after != before) {
            poolState.put(event.pool(), after);
        }
        watch(after, event.member());
        LoggedEvent logged = new LoggedEvent(source.partition(), source.offset(), changed, after.version(), event);
        byte[] bytes = logged.toBytes();
        poolEvents.put(Stores.poolEventKey(event.pool(), source.offset()), bytes);
        memberEvents.put(Stores.memberEventKey(event.pool(), event.member(), source.offset()), bytes);
        metrics.folded(changed);

        if (changed) {
            PoolSnapshot snapshot = PoolSnapshot.of(after, new LogPosition(source.partition(), source.offset()), event.at());
            byte[] value = Topics.SNAPSHOTS.valueSerde().serializer().serialize(Topics.SNAPSHOTS.name(), snapshot);
            context.forward(new Record<>(event.pool(), value, record.timestamp()), HistoryTopology.SNAPSHOT_SINK);
        }
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
