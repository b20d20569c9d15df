package dev.roster.history;

import dev.roster.core.Member;
import dev.roster.core.MemberState;
import dev.roster.core.PoolHead;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
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
        void write(Out out, T value);
    }

    private interface Reader<T> {
        T read(In in);
    }

    /** A growing byte array, written without the locks of ByteArrayOutputStream (this runs for every row). */
    private static final class Out {
        private byte[] bytes = new byte[128];
        private int size;

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        void writeByte(int value) {
            ensure(1);
            bytes[size++] = (byte) value;
        }

        void writeBoolean(boolean value) {
            writeByte(value ? 1 : 0);
        }

        void writeShort(int value) {
            ensure(2);
            bytes[size++] = (byte) (value >>> 8);
            bytes[size++] = (byte) value;
        }

        void writeInt(int value) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (value >>> shift);
            }
        }

        void writeLong(long value) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (value >>> shift);
            }
        }

        /** UTF-8, after its length in two bytes. */
        void writeUTF(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > 0xFFFF) {
                throw new SerializationException("a text of " + utf8.length + " bytes does not fit a store row");
            }
            writeShort(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }

    /** Reads what {@link Out} wrote. */
    private static final class In {
        private final byte[] bytes;
        private int position;

        In(byte[] bytes) {
            this.bytes = bytes;
        }

        private void need(int count) {
            if (position + count > bytes.length) {
                throw new SerializationException("store row ends early");
            }
        }

        int readUnsignedByte() {
            need(1);
            return bytes[position++] & 0xFF;
        }

        boolean readBoolean() {
            return readUnsignedByte() != 0;
        }

        int readUnsignedShort() {
            need(2);
            int value = (bytes[position] & 0xFF) << 8 | (bytes[position + 1] & 0xFF);
            position += 2;
            return value;
        }

        short readShort() {
            return (short) readUnsignedShort();
        }

        int readInt() {
            need(4);
            int value = 0;
            for (int i = 0; i < 4; i++) {
                value = value << 8 | (bytes[position++] & 0xFF);
            }
            return value;
        }

        long readLong() {
            need(8);
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = value << 8 | (bytes[position++] & 0xFF);
            }
            return value;
        }

        String readUTF() {
            int length = readUnsignedShort();
            need(length);
            String value = new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return value;
        }
    }

    private static <T> Serde<T> serde(Writer<T> writer, Reader<T> reader) {
        Serializer<T> serializer = (topic, value) -> {
            if (value == null) {
                return null;
            }
            Out out = new Out();
            out.writeByte(FORMAT);
            writer.write(out, value);
            return out.toByteArray();
        };
        Deserializer<T> deserializer = (topic, data) -> {
            if (data == null) {
                return null;
            }
            In in = new In(data);
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new SerializationException("store row of format " + format + ", this version reads " + FORMAT);
            }
            try {
                return reader.read(in);
            } catch (IllegalArgumentException e) {
                throw new SerializationException("unreadable store row", e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static void writeHead(Out out, PoolHead head) {
        out.writeUTF(head.pool());
        out.writeLong(head.version());
        writeInstant(out, head.clock());
        out.writeInt(head.size());
    }

    private static PoolHead readHead(In in) {
        return new PoolHead(in.readUTF(), in.readLong(), readInstant(in), in.readInt());
    }

    private static void writeState(Out out, MemberState state) {
        out.writeLong(state.incarnation());
        writeOptionalMember(out, state.present());
        writeOptionalMember(out, state.failed());
    }

    private static MemberState readState(In in) {
        long incarnation = in.readLong();
        return new MemberState(readOptionalMember(in), incarnation, readOptionalMember(in));
    }

    private static void writeChange(Out out, PoolChange change) {
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

    private static PoolChange readChange(In in) {
        return new PoolChange(in.readLong(), readInstant(in), readInstant(in), in.readInt(), in.readLong(), in.readUTF(),
                in.readUTF(), readOptionalMember(in), in.readLong());
    }

    private static void writeOptionalMember(Out out, Member member) {
        out.writeBoolean(member != null);
        if (member != null) {
            writeMember(out, member);
        }
    }

    private static Member readOptionalMember(In in) {
        return in.readBoolean() ? readMember(in) : null;
    }

    private static void writeMember(Out out, Member member) {
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

    private static Member readMember(In in) {
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

    private static void writeInstant(Out out, Instant instant) {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    private static Instant readInstant(In in) {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }
}
