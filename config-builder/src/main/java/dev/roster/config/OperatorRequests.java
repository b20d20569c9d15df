package dev.roster.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.roster.core.Json;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How {@code roster config activate} asks a running builder to pin a version: a request file in
 * {@code workDir/requests/}, which the builder picks up within half a second, and an answer file beside
 * it. Files, not a port, because both sides share the work folder anyway. Each file appears whole
 * (written aside, then renamed).
 */
public final class OperatorRequests {
    public static final String DIR_NAME = "requests";
    private static final Pattern REQUEST = Pattern.compile("activate-([0-9a-f-]{36})\\.json");
    private static final String CLAIMED = ".claimed";
    private static final String ANSWER = ".answer";

    private final Path dir;

    public OperatorRequests(Path workDir) {
        this.dir = workDir.resolve(DIR_NAME);
    }

    /** A request to activate {@code version}, as read from its file. */
    public record Request(Path file, long version) {
    }

    /**
     * The builder's answer.
     *
     * @param ok      whether the request was carried out (or there was nothing to do)
     * @param message one line for the operator
     * @param record  the new version's manifest, when one was made
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(boolean ok, String message, VersionRecord record) {
    }

    private record Body(long version) {
    }

    /** CLI side: files a request to activate {@code version}; returns its file. */
    public Path submitActivation(long version) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("activate-" + UUID.randomUUID() + ".json");
        writeWhole(file, Json.MAPPER.writeValueAsString(new Body(version)));
        return file;
    }

    /**
     * CLI side: waits for the answer to {@code request}, reads and removes it.
     *
     * @return the answer, or empty if none came within {@code timeout}
     */
    public Optional<Answer> awaitAnswer(Path request, Duration timeout) throws IOException, InterruptedException {
        Path answer = answerFile(request);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(answer)) {
                Answer read = Json.MAPPER.readValue(answer.toFile(), Answer.class);
                Files.deleteIfExists(answer);
                return Optional.of(read);
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }

    /** CLI side: takes back a request nobody answered; false if the builder had already taken it. */
    public boolean withdraw(Path request) throws IOException {
        return Files.deleteIfExists(request);
    }

    /**
     * Builder side: claims the waiting requests, oldest first. A claimed request is renamed, so that the
     * CLI can no longer withdraw it and another reader never takes it twice. Unreadable requests are
     * answered with an error at once.
     */
    public List<Request> claimPending() throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "activate-*.json")) {
            entries.forEach(files::add);
        }
        files.sort((a, b) -> {
            try {
                return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
            } catch (IOException e) {
                return 0;
            }
        });
        List<Request> requests = new ArrayList<>();
        for (Path file : files) {
            Matcher name = REQUEST.matcher(file.getFileName().toString());
            if (!name.matches()) {
                continue;
            }
            Path claimed = file.resolveSibling(file.getFileName() + CLAIMED);
            try {
                Files.move(file, claimed, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                continue;
            }
            long version;
            try {
                version = Json.MAPPER.readValue(claimed.toFile(), Body.class).version();
            } catch (IOException e) {
                answer(new Request(file, 0), new Answer(false, "unreadable request: " + e.getMessage(), null));
                continue;
            }
            requests.add(new Request(file, version));
        }
        return requests;
    }

    /** Builder side: answers a claimed request. */
    public void answer(Request request, Answer answer) throws IOException {
        writeWhole(answerFile(request.file()), Json.MAPPER.writeValueAsString(answer));
        Files.deleteIfExists(request.file().resolveSibling(request.file().getFileName() + CLAIMED));
    }

    private static Path answerFile(Path request) {
        String name = request.getFileName().toString();
        return request.resolveSibling(name.substring(0, name.length() - ".json".length()) + ANSWER + ".json");
    }

    private void writeWhole(Path file, String text) throws IOException {
        Path temp = Files.createTempFile(dir, ".request-", ".tmp");
        try {
            Files.writeString(temp, text);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
