package dev.roster.history;

import dev.roster.core.Member;
import dev.roster.core.MemberState;
import dev.roster.core.PoolHead;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the fold's hot rows are kept in their stores and changelogs: a compact binary form, written and read
 * on every event (a cached store still holds bytes, so each read decodes). The store format is not the
 * API format: the REST API turns these into JSON. Each form starts with a format byte, so that a later
 * layout can be told from this one.
 */
final class StoreCodecs {
    private static final int FORMAT = 1;

    static final Serde<PoolHead> POOL_HEAD = serde(StoreCodecs::writeHead, StoreCodecs::readHead);
    static final Serde<MemberState> MEMBER_STATE = serde(StoreCodecs::writeState, StoreCodecs::readState);
    static final Serde<Member> MEMBER = serde(StoreCodecs::writeMember, StoreCodecs::readMember);
    static final Serde<PoolChange> POOL_CHANGE = serde(StoreCodecs::writeChange, StoreCodecs::readChange);

    private StoreCodecs() {
    }

    private interface Writer<T> {
        void write(DataOutputStream out, T value) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static <T> Serde<T> serde(Writer<T> writer, Reader<T> reader) {
        Serializer<T> serializer = (topic, value) -> {
            if (value == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(FORMAT);
                writer.write(out, value);
            } catch (IOException e) {
                throw new SerializationException("cannot write " + value, e);
            }
            return bytes.toByteArray();
        };
        Deserializer<T> deserializer = (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                int format = in.readUnsignedByte();
                if (format != FORMAT) {
                    throw new SerializationException("store row of format " + format + ", this version reads " + FORMAT);
                }
                return reader.read(in);
            } catch (IOException | IllegalArgumentException e) {
                throw new SerializationException("unreadable store row", e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static void writeHead(DataOutputStream out, PoolHead head) throws IOException {
        out.writeUTF(head.pool());
        out.writeLong(head.version());
        writeInstant(out, head.clock());
        out.writeInt(head.size());
    }

    private static PoolHead readHead(DataInputStream in) throws IOException {
        return new PoolHead(in.readUTF(), in.readLong(), readInstant(in), in.readInt());
    }

    private static void writeState(DataOutputStream out, MemberState state) throws IOException {
        out.writeLong(state.incarnation());
        writeOptionalMember(out, state.present());
        writeOptionalMember(out, state.failed());
    }

    private static MemberState readState(DataInputStream in) throws IOException {
        long incarnation = in.readLong();
        return new MemberState(readOptionalMember(in), incarnation, readOptionalMember(in));
    }

    private static void writeChange(DataOutputStream out, PoolChange change) throws IOException {
        out.writeLong(change.version());
        writeInstant(out, change.since());
        writeInstant(out, change.at());
        out.writeInt(change.partition());
        out.writeLong(change.offset());
        out.writeUTF(change.type());
        out.writeUTF(change.member());
        writeOptionalMember(out, change.after());
        out.writeLong(change.checkpoint());
    }

    private static PoolChange readChange(DataInputStream in) throws IOException {
        return new PoolChange(in.readLong(), readInstant(in), readInstant(in), in.readInt(), in.readLong(), in.readUTF(),
                in.readUTF(), readOptionalMember(in), in.readLong());
    }

    private static void writeOptionalMember(DataOutputStream out, Member member) throws IOException {
        out.writeBoolean(member != null);
        if (member != null) {
            writeMember(out, member);
        }
    }

    private static Member readOptionalMember(DataInputStream in) throws IOException {
        return in.readBoolean() ? readMember(in) : null;
    }

    private static void writeMember(DataOutputStream out, Member member) throws IOException {
        out.writeUTF(member.name());
        out.writeUTF(member.address());
        out.writeInt(member.port());
        out.writeShort(member.weight());
        out.writeBoolean(member.draining());
        out.writeShort(member.tags().size());
        for (Map.Entry<String, String> tag : new TreeMap<>(member.tags()).entrySet()) {
            out.writeUTF(tag.getKey());
            out.writeUTF(tag.getValue());
        }
    }

    private static Member readMember(DataInputStream in) throws IOException {
        String name = in.readUTF();
        String address = in.readUTF();
        int port = in.readInt();
        int weight = in.readShort();
        String state = in.readBoolean() ? Member.DRAINING : Member.ACTIVE;
        int tagCount = in.readShort();
        Map<String, String> tags = tagCount == 0 ? Map.of() : new TreeMap<>();
        for (int i = 0; i < tagCount; i++) {
            tags.put(in.readUTF(), in.readUTF());
        }
        return new Member(name, address, port, weight, tags, state);
    }

    private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }
}
