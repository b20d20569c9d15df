package dev.roster.config;

import dev.roster.core.LogPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionStoreTest {
    @TempDir
    Path dir;

    @Test
    void numbersDistinctTextsFromOneWithSixDigits() throws IOException {
        VersionStore store = VersionStore.open(dir);

        assertThat(store.latestVersion()).isEmpty();
        assertThat(store.add("first\n")).hasValue(1);
        assertThat(store.add("second\n")).hasValue(2);

        assertThat(Files.readString(dir.resolve("haproxy-000001.cfg"))).isEqualTo("first\n");
        assertThat(Files.readString(dir.resolve("haproxy-000002.cfg"))).isEqualTo("second\n");
        assertThat(store.versions()).containsExactly(1L, 2L);
        assertThat(store.latestVersion()).hasValue(2);
        assertThat(store.latestText()).hasValue("second\n");
    }

    @Test
    void textIdenticalToTheLatestGivesNoNewVersion() throws IOException {
        VersionStore store = VersionStore.open(dir);
        store.add("same\n");

        assertThat(store.add("same\n")).isEmpty();
        assertThat(store.versions()).containsExactly(1L);
    }

    @Test
    void textEqualToAnOlderVersionButNotTheLatestIsANewVersion() throws IOException {
        VersionStore store = VersionStore.open(dir);
        store.add("a\n");
        store.add("b\n");

        assertThat(store.add("a\n")).hasValue(3);
        assertThat(store.text(3)).isEqualTo("a\n");
    }

    @Test
    void restartContinuesNumberingAndKnowsTheLatestText() throws IOException {
        VersionStore before = VersionStore.open(dir);
        before.add("a\n");
        before.add("b\n");

        VersionStore after = VersionStore.open(dir);

        assertThat(after.latestVersion()).hasValue(2);
        assertThat(after.latestText()).hasValue("b\n");
        assertThat(after.add("b\n")).as("same text after a restart").isEmpty();
        assertThat(after.add("c\n")).hasValue(3);
        assertThat(after.versions()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void neverOverwritesAFileThatAppearedBehindItsBack() throws IOException {
        VersionStore store = VersionStore.open(dir);
        store.add("a\n");
        Files.writeString(dir.resolve("haproxy-000002.cfg"), "written by someone else\n");

        assertThatThrownBy(() -> store.add("b\n"))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessage(dir.resolve("haproxy-000002.cfg") + ": versions are never overwritten");
        assertThat(Files.readString(dir.resolve("haproxy-000002.cfg"))).isEqualTo("written by someone else\n");
        assertThat(store.latestVersion()).hasValue(1);
        assertThat(store.latestText()).hasValue("a\n");
    }

    @Test
    void writesAManifestOnceAndReadsItBack() throws IOException {
        VersionStore store = VersionStore.open(dir);
        store.add("a\n");
        VersionRecord record = new VersionRecord(1, "haproxy-1", Sha256.hex("a\n"), "t".repeat(64),
                Map.of("web", 3L, "api", 1L), Map.of("web", new LogPosition(0, 17), "api", new LogPosition(2, 4)),
                VersionRecord.REJECTED, "bad\nthing", new RenderParameters("haproxy-1", "127.0.0.1", 8080,
                "/srv/haproxy.sock", "/srv/server-state"), VersionRecord.BY_RELOAD,
                List.of("set server web/a state ready"), VersionRecord.BUILDER, 0, 0);

        store.writeManifest(record);

        assertThat(Files.readString(dir.resolve("haproxy-000001.json"))).isEqualTo("""
                {
                  "version" : 1,
                  "instance" : "haproxy-1",
                  "sha256" : "%s",
                  "templateSha256" : "%s",
                  "poolVersions" : {
                    "api" : 1,
                    "web" : 3
                  },
                  "through" : {
                    "api" : {
                      "partition" : 2,
                      "offset" : 4
                    },
                    "web" : {
                      "partition" : 0,
                      "offset" : 17
                    }
                  },
                  "status" : "rejected",
                  "reason" : "bad\\nthing",
                  "render" : {
                    "instance" : "haproxy-1",
                    "frontendAddress" : "127.0.0.1",
                    "frontendPort" : 8080,
                    "statsSocket" : "/srv/haproxy.sock",
                    "serverStateFile" : "/srv/server-state",
                    "pools" : "*"
                  },
                  "activation" : "reload",
                  "runtimeCommands" : [ "set server web/a state ready" ],
                  "origin" : "builder",
                  "sourceVersion" : 0,
                  "rolledBackTo" : 0
                }
                """.formatted(Sha256.hex("a\n"), "t".repeat(64)));
        assertThat(VersionStore.open(dir).manifest(1)).contains(record);
        assertThatThrownBy(() -> store.writeManifest(record)).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void findsTheNewestAppliedVersion() throws IOException {
        VersionStore store = VersionStore.open(dir);
        for (String status : List.of(VersionRecord.APPLIED, VersionRecord.APPLIED, VersionRecord.REJECTED)) {
            long version = store.add(status + store.versions().size()).getAsLong();
            store.writeManifest(new VersionRecord(version, "haproxy-1", "s", "t", Map.of(), Map.of(), status, ""));
        }

        assertThat(store.latestApplied()).map(VersionRecord::version).contains(2L);
    }

    @Test
    void continuesAfterTheHighestNumberEvenWithGaps() throws IOException {
        Files.writeString(dir.resolve("haproxy-000007.cfg"), "seven\n");
        Files.writeString(dir.resolve("haproxy-000003.cfg"), "three\n");

        VersionStore store = VersionStore.open(dir);

        assertThat(store.latestText()).hasValue("seven\n");
        assertThat(store.add("eight\n")).isEqualTo(OptionalLong.of(8));
    }

    @Test
    void readsAManifestOfTheWalkingSkeletonWithoutTheNewerFields() throws IOException {
        VersionStore store = VersionStore.open(dir);
        store.add("a\n");
        Files.writeString(dir.resolve("haproxy-000001.json"), """
                {"version": 1, "instance": "haproxy-1", "sha256": "s", "templateSha256": "t", "poolVersions": {},
                 "through": {}, "status": "applied", "reason": ""}
                """);

        assertThat(VersionStore.open(dir).manifest(1)).contains(new VersionRecord(1, "haproxy-1", "s", "t", Map.of(),
                Map.of(), VersionRecord.APPLIED, "", null, VersionRecord.BY_RELOAD, List.of(), VersionRecord.BUILDER, 0, 0));
    }

    @Test
    void keepsEachTemplateOnceUnderItsDigestAndRefusesAnEditedOne() throws IOException {
        VersionStore store = VersionStore.open(dir);

        String sha = store.storeTemplate("global\n");
        assertThat(store.storeTemplate("global\n")).isEqualTo(sha);

        assertThat(sha).isEqualTo(Sha256.hex("global\n"));
        assertThat(dir.resolve("templates/" + sha + ".hbs")).hasContent("global\n");
        assertThat(store.template(sha)).isEqualTo("global\n");
        Files.writeString(dir.resolve("templates/" + sha + ".hbs"), "edited\n");
        assertThatThrownBy(() -> store.template(sha))
                .hasMessage("template file " + dir.resolve("templates/" + sha + ".hbs") + " has been changed: its SHA-256 is "
                        + Sha256.hex("edited\n"));
        assertThatThrownBy(() -> store.template("0".repeat(64)))
                .hasMessage("template " + "0".repeat(64) + " is not in " + dir.resolve("templates"));
    }

    @Test
    void aCopyOfTheLatestTextIsANewVersion() throws IOException {
        VersionStore store = VersionStore.open(dir);
        store.add("a\n");

        assertThat(store.addCopy("a\n")).isEqualTo(2);
        assertThat(store.text(2)).isEqualTo("a\n");
    }

    @Test
    void removesHalfWrittenTemporaryFilesOnOpen() throws IOException {
        Files.writeString(dir.resolve(".haproxy-123.tmp"), "half");
        Files.writeString(dir.resolve("notes.txt"), "kept");

        VersionStore.open(dir);

        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
    }
}
