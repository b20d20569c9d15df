package dev.roster.history;

import dev.roster.core.Admission;
import dev.roster.core.DedupWindow;
import dev.roster.core.LogPosition;
import dev.roster.core.Member;
import dev.roster.core.MemberEvent;
import dev.roster.core.MemberState;
import dev.roster.core.PoolHead;
import dev.roster.core.PoolVersion;
import dev.roster.core.SnapshotFollower;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads each record of {@code roster.events} through {@link Admission}: a record that is not a valid event
 * of its key's pool goes to the dead letters with the reason; a repeated id is ignored; anything else is
 * kept in history and folded. The state is a row per member plus a head per pool, so an event reads and
 * writes one member's row whatever the size of its pool. When the member set changed, the member's row and
 * the pool's head go to {@code roster.snapshots}, and the change is kept as a {@link PoolChange}, with the
 * whole member set every so often, so that any past version can be answered from the stores.
 */
final class FoldProcessor implements Processor<String, byte[], String, byte[]> {
    /**
     * The whole member set is kept again once the changes since the last time are at least twice its size
     * (and at least this many): rebuilding any version then reads the set and at most twice as many changes,
     * and the checkpoints cost half a member row per change, on average.
     */
    static final int MIN_CHECKPOINT_GAP = 64;
    /** The changes between two checkpoints, as a multiple of the set's size. */
    static final int CHECKPOINT_GAP_PER_MEMBER = 2;
    /** Most expired ids one event forgets. */
    static final int FORGET_PER_EVENT = 2;

    private final FoldMetrics metrics;
    private final DedupWindow window;
    private ProcessorContext<String, byte[]> context;
    /**
     * Rows read and written by every event, as objects: the heads of every pool of the task, and the most
     * recently used member rows (about 50 MB of heap at the most).
     */
    private final RowCache<PoolHead> heads = new RowCache<>(100_000);
    private final RowCache<MemberState> memberRows = new RowCache<>(200_000);
    private KeyValueStore<String, MemberState> members;
    private KeyValueStore<String, Long> seenIds;
    private KeyValueStore<String, String> idsForgotten;
    private KeyValueStore<String, byte[]> poolLog;
    private KeyValueStore<String, PoolChange> poolChanges;
    private KeyValueStore<String, Member> checkpoints;
    private KeyValueStore<String, byte[]> memberEvents;
    private LivenessTable liveness;
    /** Per pool, the place on its clock before which no id is due to be forgotten; see {@link #forgetIds}. */
    private final java.util.Map<String, Long> nextForgetting = new java.util.HashMap<>();
    /**
     * Per pool, the version of its latest whole-set checkpoint, as written in its latest change: kept in memory
     * so that a change does not read the one before it (read from the store again after a restart).
     */
    private final java.util.Map<String, Long> lastCheckpoint = new java.util.HashMap<>();

    FoldProcessor(FoldMetrics metrics, DedupWindow window) {
        this.metrics = metrics;
        this.window = window;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        nextForgetting.clear();
        lastCheckpoint.clear();
        this.heads.attach(context.getStateStore(Stores.POOL_HEADS));
        this.members = context.getStateStore(Stores.POOL_MEMBERS);
        this.memberRows.attach(members);
        this.seenIds = context.getStateStore(Stores.SEEN_IDS);
        this.idsForgotten = context.getStateStore(Stores.IDS_FORGOTTEN);
        this.poolLog = context.getStateStore(Stores.POOL_LOG);
        this.poolChanges = context.getStateStore(Stores.POOL_CHANGES);
        this.checkpoints = context.getStateStore(Stores.POOL_CHECKPOINTS);
        this.memberEvents = context.getStateStore(Stores.MEMBER_EVENTS);
        this.liveness = context.getStateStore(Stores.LIVENESS);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        Admission.Read read = Admission.read(record.key(), record.value());
        if (read.refused()) {
            DeadLetters.send(context, record, read.refusal(), metrics);
            return;
        }
        MemberEvent event = read.event();
        String pool = event.pool();
        PoolHead head = heads.get(pool);
        if (head == null) {
            head = PoolHead.empty(pool);
        }
        String memberKey = Stores.memberKey(pool, event.member());
        MemberState before = memberRows.get(memberKey);
        String idKey = Stores.seenIdKey(pool, event.id());
        Admission.Outcome outcome = Admission.admit(head, before, seenIds.get(idKey), event, window);
        if (outcome.verdict() == Admission.Verdict.DUPLICATE) {
            metrics.duplicate();
            return;
        }
        boolean changed = outcome.verdict().applied();
        MemberState after = outcome.state();
        seenIds.put(idKey, outcome.since().toEpochMilli());
        if (after != before) {
            memberRows.put(memberKey, after);
        }
        if (changed) {
            // The change before the head: a query that reads version V from the head while this thread
            // writes always finds change V (the stores are read without a transaction).
            recordChange(outcome.head(), event, after, outcome.since(), source);
        }
        if (outcome.head() != head) {
            heads.put(pool, outcome.head());
        }
        watch(memberKey, after);
        String logKey = Stores.poolLogKey(pool, outcome.since(), source.offset());
        poolLog.put(logKey, LoggedEvent.encode(source.partition(), source.offset(), changed,
                outcome.head().version(), record.value()));
        memberEvents.put(Stores.memberEventKey(pool, event.member(), source.offset()),
                logKey.getBytes(StandardCharsets.UTF_8));
        forgetIds(pool, window.oldestRemembered(outcome.since().toEpochMilli()));
        metrics.folded(changed);

        if (changed) {
            Member row = after.present();
            context.forward(new Record<>(SnapshotFollower.memberKey(pool, event.member()),
                    row == null ? null : SnapshotFollower.encode(row), record.timestamp()), HistoryTopology.SNAPSHOT_SINK);
            PoolVersion version = new PoolVersion(pool, outcome.head().version(), outcome.head().size(),
                    new LogPosition(source.partition(), source.offset()), event.at());
            context.forward(new Record<>(pool, SnapshotFollower.encode(version), record.timestamp()),
                    HistoryTopology.SNAPSHOT_SINK);
        }
    }

    private void recordChange(PoolHead head, MemberEvent event, MemberState after, Instant since,
                              RecordMetadata source) {
        long version = head.version();
        Long known = lastCheckpoint.get(head.pool());
        boolean previousMissing = false;
        long checkpoint;
        if (known != null) {
            checkpoint = known;
        } else {
            PoolChange previous = version > 1 ? poolChanges.get(Stores.changeKey(head.pool(), version - 1)) : null;
            checkpoint = previous == null ? 0 : previous.checkpoint();
            // Without the previous change (stores older than this record) the versions before cannot be
            // rebuilt from here: keep the whole set now, so that every version from this one on can.
            previousMissing = previous == null && version > 1;
        }
        if (version - checkpoint >= Math.max(MIN_CHECKPOINT_GAP, CHECKPOINT_GAP_PER_MEMBER * (long) head.size())
                || previousMissing) {
            String prefix = Stores.checkpointPrefix(head.pool(), version);
            List<KeyValue<String, Member>> rows = new ArrayList<>();
            for (Member member : currentMembers(members, head.pool())) {
                rows.add(KeyValue.pair(prefix + member.name(), member));
            }
            checkpoints.putAll(rows);
            checkpoint = version;
        }
        lastCheckpoint.put(head.pool(), checkpoint);
        poolChanges.put(Stores.changeKey(head.pool(), version), new PoolChange(version, since, event.at(),
                source.partition(), source.offset(), event.type(), event.member(), after.present(), checkpoint));
    }

    /**
     * Forgets the ids of the pool's events that sit before {@code oldestMillis} on its clock, walking the pool's
     * log (which is in clock order) from where the last call stopped. At most {@link #FORGET_PER_EVENT} per
     * event: as each event adds one id, that keeps up, while no event pays for a long pause of its pool. A
     * walk that stops at an id still remembered tells when the next one is due, so most events walk nothing
     * (that time is kept in memory only: after a restart the first event of each pool walks again).
     */
    private void forgetIds(String pool, long oldestMillis) {
        Long due = nextForgetting.get(pool);
        if (due != null && oldestMillis <= due) {
            return;
        }
        String from = idsForgotten.get(pool);
        String lower = from == null ? pool + "/" : Stores.after(from);
        String upper = Stores.poolLogKeyBefore(pool, oldestMillis);
        String reached = null;
        try (KeyValueIterator<String, byte[]> it = poolLog.range(lower, Stores.poolLogKeyBefore(pool, Long.MAX_VALUE))) {
            for (int i = 0; i < FORGET_PER_EVENT && it.hasNext(); i++) {
                KeyValue<String, byte[]> entry = it.next();
                if (entry.key.compareTo(upper) > 0) {
                    // Still remembered: nothing of this pool is due before this entry's time is.
                    nextForgetting.put(pool, Stores.poolLogMillis(entry.key));
                    break;
                }
                reached = entry.key;
                String idKey = Stores.seenIdKey(pool, LoggedEvent.idOf(entry.value));
                Long seenAt = seenIds.get(idKey);
                // Seen again since (after the window had passed): that later sighting is still remembered.
                if (seenAt != null && seenAt == Stores.poolLogMillis(entry.key)) {
                    seenIds.delete(idKey);
                }
            }
        }
        if (reached != null) {
            idsForgotten.put(pool, reached);
        }
    }

    /** The members a pool serves now, in name order, from its member rows. */
    static List<Member> currentMembers(org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, MemberState> rows,
                                       String pool) {
        List<Member> present = new ArrayList<>();
        try (KeyValueIterator<String, MemberState> it = rows.prefixScan(pool + "/", new StringSerializer())) {
            while (it.hasNext()) {
                MemberState state = it.next().value;
                if (state != null && state.present() != null) {
                    present.add(state.present());
                }
            }
        }
        return present;
    }

    /**
     * Keeps the failure detector in step with the member set: a present member is watched from the
     * moment it joined or recovered (a join counts as a sign of life); a departed one is not watched.
     */
    private void watch(String memberKey, MemberState state) {
        Liveness known = liveness.get(memberKey);
        if (state != null && state.present() != null) {
            if (known == null || known.state() != Liveness.State.ALIVE || known.incarnation() != state.incarnation()) {
                liveness.put(memberKey, new Liveness(state.incarnation(), context.currentSystemTimeMs(),
                        Liveness.State.ALIVE).queuedAt(known == null ? Long.MAX_VALUE : known.queuedMs()));
            }
        } else if (known != null && known.state() != Liveness.State.RECOVERY_SENT) {
            liveness.delete(memberKey);
        }
    }
}
