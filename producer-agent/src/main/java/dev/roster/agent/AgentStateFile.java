package dev.roster.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.core.Fields;
import dev.roster.core.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a running agent records who it is ({@code pool}, {@code member}, {@code incarnation}), so that
 * {@code roster agent drain} run beside it can speak for the same incarnation. One file per member in
 * a folder; removed when the agent exits.
 */
public final class AgentStateFile {
    /** {@code <java.io.tmpdir>/roster-agent}. */
    public static Path defaultDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "roster-agent");
    }

    public static Path of(Path dir, String pool, String member) {
        return dir.resolve(Fields.name("pool", pool) + "." + Fields.name("member", member) + ".json");
    }

    static void write(Path file, String pool, String member, long incarnation) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temp, Json.MAPPER.writeValueAsBytes(Json.MAPPER.createObjectNode()
                .put("pool", pool).put("member", member).put("incarnation", incarnation)));
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The incarnation of the agent running for this member. */
    public static long readIncarnation(Path file) {
        try {
            JsonNode node = Json.MAPPER.readTree(Files.readAllBytes(file));
            return node.path("incarnation").asLong(-1);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no running agent recorded at " + file
                    + " (start the agent first, or pass the same --state-dir)");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read agent state " + file + ": " + e.getMessage());
        }
    }

    private AgentStateFile() {
    }
}
