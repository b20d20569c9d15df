package dev.roster.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Files of this repository that tests hold the product to: the compose deployment and the docs. */
final class Repository {
    private Repository() {
    }

    /** The repository root: the nearest folder up from the working directory that holds mvnw and pom.xml. */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (a folder with mvnw and pom.xml) above "
                + Path.of("").toAbsolutePath());
    }

    /**
     * The shell commands of a document that run {@code program}, each as its words: fenced-block lines that start
     * with it, {@code \}-continued lines joined. The commands are written to be pasted, so they hold no quoting.
     */
    static List<List<String>> commands(String document, String program) {
        List<String> lines;
        try {
            lines = Files.readAllLines(root().resolve(document));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<List<String>> commands = new ArrayList<>();
        StringBuilder current = null;
        for (String line : lines) {
            String text = line.strip();
            if (current == null && text.startsWith(program + " ")) {
                current = new StringBuilder();
            }
            if (current != null) {
                boolean continued = text.endsWith("\\");
                current.append(continued ? text.substring(0, text.length() - 1) : text).append(' ');
                if (!continued) {
                    commands.add(Arrays.asList(current.toString().strip().split("\\s+")));
                    current = null;
                }
            }
        }
        return commands;
    }
}
