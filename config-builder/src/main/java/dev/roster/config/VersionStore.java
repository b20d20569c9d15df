package dev.roster.config;

import com.fasterxml.jackson.databind.ObjectWriter;
import dev.roster.core.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The folder of numbered config versions: {@code haproxy-NNNNNN.cfg} (the rendered text),
 * {@code haproxy-NNNNNN.json} (its {@link VersionRecord} manifest), and {@code templates/<sha256>.hbs},
 * every template a version was rendered with, named by the SHA-256 of its text so that editing the
 * template file later cannot change what an old version was made from. A file is written once and never
 * overwritten: each appears whole (written aside, synced, then hard-linked into place, which fails if
 * the name exists), so a crash leaves either no file or the complete one.
 *
 * <p>Opening reads the folder to continue the numbering and to know the latest text, so a restart that
 * renders the same config writes no new version. One writer per folder ({@link ConfigBuilder} holds a
 * lock on its work folder); methods are synchronized so that other threads may read.
 */
public final class VersionStore {
    private static final Logger LOG = LoggerFactory.getLogger(VersionStore.class);
    private static final Pattern CONFIG = Pattern.compile("haproxy-(\\d{6,})\\.cfg");
    private static final Pattern MANIFEST = Pattern.compile("haproxy-(\\d{6,})\\.json");
    private static final String TEMP_PREFIX = ".haproxy-";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final ObjectWriter MANIFEST_WRITER = Json.MAPPER.writerWithDefaultPrettyPrinter();
    /** The folder of content-addressed templates, inside the versions folder. */
    public static final String TEMPLATES_DIR_NAME = "templates";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path dir;
    private final TreeSet<Long> configs = new TreeSet<>();
    private final TreeSet<Long> manifests = new TreeSet<>();
    private String latestText;

    private VersionStore(Path dir) {
        this.dir = dir;
    }

    /** Opens (creating if needed) the folder {@code dir}. */
    public static VersionStore open(Path dir) throws IOException {
        Files.createDirectories(dir);
        VersionStore store = new VersionStore(dir);
        store.load();
        return store;
    }

    private void load() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Matcher config = CONFIG.matcher(name);
                Matcher manifest = MANIFEST.matcher(name);
                if (config.matches()) {
                    configs.add(Long.parseLong(config.group(1)));
                } else if (manifest.matches()) {
                    manifests.add(Long.parseLong(manifest.group(1)));
                } else if (name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX)) {
                    // Left by a crash between writing aside and linking into place: never a version.
                    Files.deleteIfExists(file);
                }
            }
        }
        Path templates = dir.resolve(TEMPLATES_DIR_NAME);
        if (Files.isDirectory(templates)) {
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(templates, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
                for (Path leftover : leftovers) {
                    Files.deleteIfExists(leftover);
                }
            }
        }
        latestText = configs.isEmpty() ? null : Files.readString(configFile(configs.last()), StandardCharsets.UTF_8);
    }

    public Path dir() {
        return dir;
    }

    /** The highest version number written, or empty for an empty folder. */
    public synchronized OptionalLong latestVersion() {
        return configs.isEmpty() ? OptionalLong.empty() : OptionalLong.of(configs.last());
    }

    /** The text of the latest version, or empty for an empty folder. */
    public synchronized Optional<String> latestText() {
        return Optional.ofNullable(latestText);
    }

    /** Every version number with a config file, ascending. */
    public synchronized List<Long> versions() {
        return new ArrayList<>(configs);
    }

    /**
     * Writes {@code text} as the next version, unless it equals the latest version's text.
     *
     * @return the new version's number, or empty when {@code text} is the latest text already
     * @throws FileAlreadyExistsException if the next name was taken behind this store's back (another
     *                                    writer); nothing is overwritten
     */
    public synchronized OptionalLong add(String text) throws IOException {
        if (text.equals(latestText)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(addCopy(text));
    }

    /**
     * Writes {@code text} as the next version even if it equals the latest text: what an operator's
     * activation of an earlier version does.
     *
     * @return the new version's number
     */
    public synchronized long addCopy(String text) throws IOException {
        long next = Math.max(configs.isEmpty() ? 0 : configs.last(), manifests.isEmpty() ? 0 : manifests.last()) + 1;
        writeOnce(configFile(next), text.getBytes(StandardCharsets.UTF_8));
        configs.add(next);
        latestText = text;
        return next;
    }

    /**
     * Keeps {@code templateText} as {@code templates/<sha256>.hbs} unless it is there already.
     *
     * @return its SHA-256 (lower-case hex)
     */
    public synchronized String storeTemplate(String templateText) throws IOException {
        String sha256 = Sha256.hex(templateText);
        Path file = templateFile(sha256);
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            try {
                writeOnce(file, templateText.getBytes(StandardCharsets.UTF_8));
            } catch (FileAlreadyExistsException e) {
                // Written meanwhile: content-addressed, so it holds the same text.
            }
        }
        return sha256;
    }

    /**
     * The template stored under {@code sha256}, checked against its name.
     *
     * @throws IllegalArgumentException if it is missing or its text does not have that digest
     */
    public String template(String sha256) throws IOException {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("template digest must be 64 lower-case hex digits, was '" + sha256 + "'");
        }
        Path file = templateFile(sha256);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("template " + sha256 + " is not in " + file.getParent());
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (!Sha256.hex(text).equals(sha256)) {
            throw new IllegalArgumentException("template file " + file + " has been changed: its SHA-256 is "
                    + Sha256.hex(text));
        }
        return text;
    }

    public Path templateFile(String sha256) {
        return dir.resolve(TEMPLATES_DIR_NAME).resolve(sha256 + ".hbs");
    }

    /**
     * The text of the newest version the builder itself rendered (not an operator's copy), including one
     * left without a manifest by a crash; empty if there is none.
     */
    public synchronized Optional<String> newestBuilderText() throws IOException {
        for (Long version : configs.descendingSet()) {
            Optional<VersionRecord> record = manifest(version);
            if (record.isEmpty() || !record.get().byOperator()) {
                return Optional.of(text(version));
            }
        }
        return Optional.empty();
    }

    /** Writes the manifest of {@code record.version()}, once. */
    public synchronized void writeManifest(VersionRecord record) throws IOException {
        if (!configs.contains(record.version())) {
            throw new IllegalArgumentException("version " + record.version() + " has no config in " + dir);
        }
        byte[] json = (MANIFEST_WRITER.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
        writeOnce(manifestFile(record.version()), json);
        manifests.add(record.version());
    }

    public synchronized boolean hasManifest(long version) {
        return manifests.contains(version);
    }

    /** The manifest of {@code version}, or empty if it has none (yet). */
    public synchronized Optional<VersionRecord> manifest(long version) throws IOException {
        if (!manifests.contains(version)) {
            return Optional.empty();
        }
        return Optional.of(Json.MAPPER.readValue(manifestFile(version).toFile(), VersionRecord.class));
    }

    /** The text of {@code version}. */
    public synchronized String text(long version) throws IOException {
        if (!configs.contains(version)) {
            throw new IllegalArgumentException("no version " + version + " in " + dir);
        }
        return Files.readString(configFile(version), StandardCharsets.UTF_8);
    }

    /** The newest version whose manifest says applied, or empty. */
    public synchronized Optional<VersionRecord> latestApplied() throws IOException {
        for (Long version : manifests.descendingSet()) {
            Optional<VersionRecord> record = manifest(version);
            if (record.isPresent() && record.get().applied()) {
                return record;
            }
        }
        return Optional.empty();
    }

    public Path configFile(long version) {
        return dir.resolve(String.format("haproxy-%06d.cfg", version));
    }

    public Path manifestFile(long version) {
        return dir.resolve(String.format("haproxy-%06d.json", version));
    }

    private void writeOnce(Path target, byte[] bytes) throws IOException {
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "versions are never overwritten");
        }
        Path temp = Files.createTempFile(target.getParent(), TEMP_PREFIX, TEMP_SUFFIX);
        try {
            write(temp, bytes, StandardOpenOption.WRITE);
            LiveFile.makeWorldReadable(temp);
            // link(2) fails when the name exists, unlike rename(2): never-overwrite holds even against a
            // second writer that slipped past the check above, and the file appears complete or not at all.
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(target.toString(), null, "versions are never overwritten");
        } catch (UnsupportedOperationException | FileSystemException e) {
            // A file system without hard links: CREATE_NEW still never overwrites, only a crash mid-write
            // could leave a short file.
            LOG.debug("hard link into {} failed ({}); writing in place", dir, e.getMessage());
            write(target, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            LiveFile.makeWorldReadable(target);
        } finally {
            Files.deleteIfExists(temp);
        }
        LiveFile.syncDirectory(target.getParent());
    }

    private static void write(Path file, byte[] bytes, StandardOpenOption... options) throws IOException {
        try (FileChannel channel = FileChannel.open(file, options)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    @Override
    public String toString() {
        return "VersionStore[" + dir + "]";
    }
}
