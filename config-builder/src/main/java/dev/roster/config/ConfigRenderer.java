package dev.roster.config;

import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Template;
import dev.roster.core.PoolSnapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Renders {@code haproxy.cfg} from a {@link ConfigModel} with a Handlebars template. Rendering is a pure
 * function of the template and the model: the output holds no wall-clock time, so replaying the log to
 * the same pool versions gives the same bytes. Thread-safe once built.
 */
public final class ConfigRenderer {
    /** The bundled default template, a classpath resource. */
    public static final String DEFAULT_TEMPLATE_RESOURCE = "/dev/roster/config/haproxy.cfg.hbs";

    private final String templateName;
    private final String templateText;
    private final String templateSha256;
    private final Template template;

    private ConfigRenderer(String templateName, String templateText) {
        this.templateName = templateName;
        this.templateText = templateText;
        this.templateSha256 = Sha256.hex(templateText);
        // No HTML escaping: everything rendered is a validated field (see dev.roster.core.Fields), and
        // "&" or "<" escaped as entities would break a config rather than protect it.
        Handlebars handlebars = new Handlebars().with(EscapingStrategy.NOOP).prettyPrint(true);
        try {
            this.template = handlebars.compileInline(templateText);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("template " + templateName + " does not compile: " + e.getMessage(), e);
        }
    }

    /** The bundled default template. */
    public static ConfigRenderer defaultTemplate() {
        try (InputStream in = ConfigRenderer.class.getResourceAsStream(DEFAULT_TEMPLATE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + DEFAULT_TEMPLATE_RESOURCE + " is missing from the classpath");
            }
            return new ConfigRenderer(DEFAULT_TEMPLATE_RESOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULT_TEMPLATE_RESOURCE, e);
        }
    }

    /** A template file (UTF-8). */
    public static ConfigRenderer fromFile(Path templateFile) {
        try {
            return new ConfigRenderer(templateFile.toString(), Files.readString(templateFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + templateFile, e);
        }
    }

    /** A template given as text; {@code name} only appears in error messages. */
    public static ConfigRenderer fromText(String name, String templateText) {
        return new ConfigRenderer(name, templateText);
    }

    /** The template {@code settings} name: its {@code templateFile}, or the bundled one. */
    public static ConfigRenderer forSettings(ConfigBuilderSettings settings) {
        return settings.templateFile().map(ConfigRenderer::fromFile).orElseGet(ConfigRenderer::defaultTemplate);
    }

    /**
     * Renders once, without Kafka: the template, instance and frontend of {@code settings} over
     * {@code pools} (any order, one snapshot per pool). What a rebuild from the log calls.
     */
    public static String render(ConfigBuilderSettings settings, Collection<PoolSnapshot> pools) {
        return forSettings(settings).render(ConfigModel.of(settings, pools));
    }

    public String render(ConfigModel model) {
        try {
            return template.apply(model.templateContext());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("template " + templateName + " failed to render: " + e.getMessage(), e);
        }
    }

    /** Lower-case hex SHA-256 of the template text (UTF-8), recorded in every manifest. */
    public String templateSha256() {
        return templateSha256;
    }

    /** The template itself, as read: what {@link VersionStore#storeTemplate(String)} keeps. */
    public String templateText() {
        return templateText;
    }

    /** Where the template came from: the resource name or the file path. */
    public String templateName() {
        return templateName;
    }
}
