package io.k0rdent.ops.deploy.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** The anchors GitHub gives the headings of a Markdown file, which runbook URLs link to. */
public final class MarkdownAnchors {

    private MarkdownAnchors() {
    }

    public static Set<String> of(Path markdown) {
        try {
            return of(Files.readString(markdown));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + markdown, e);
        }
    }

    public static Set<String> of(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        boolean fenced = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced && line.matches("#{1,6} .*")) {
                anchors.add(slug(line.replaceFirst("^#+ ", "")));
            }
        }
        return anchors;
    }

    /** GitHub's rule: lower case, punctuation dropped (hyphens and underscores stay), spaces to hyphens. */
    static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
