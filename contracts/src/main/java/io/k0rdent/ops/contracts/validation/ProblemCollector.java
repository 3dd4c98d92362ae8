package io.k0rdent.ops.contracts.validation;

import java.util.ArrayList;
import java.util.List;

/** Gathers the problems of one file, placing each at the source location of its path. */
final class ProblemCollector {

    private final String file;
    private final LocationIndex locations;
    private final List<ValidationProblem> problems = new ArrayList<>();

    ProblemCollector(String file, LocationIndex locations) {
        this.file = file;
        this.locations = locations;
    }

    /** A problem with the node at {@code path}: see {@link LocationIndex#find(String)} for where it points. */
    void atNode(String path, Rule rule, String message) {
        add(path, locations.find(path).orElse(SourceLocation.WHOLE_FILE), rule, message);
    }

    /** A problem with the key of the entry at {@code path}, such as an unknown field. */
    void atKey(String path, Rule rule, String message) {
        add(path, locations.findKey(path).orElse(SourceLocation.WHOLE_FILE), rule, message);
    }

    /** A problem reported under {@code path} but pointing at {@code at}. */
    void add(String path, SourceLocation at, Rule rule, String message) {
        problems.add(new ValidationProblem(file, at.line(), at.column(), path, rule, message));
    }

    List<ValidationProblem> problems() {
        return problems;
    }
}
