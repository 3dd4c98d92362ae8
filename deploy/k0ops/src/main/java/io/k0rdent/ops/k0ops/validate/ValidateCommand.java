package io.k0rdent.ops.k0ops.validate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.k0rdent.ops.contracts.serde.EventJson;
import io.k0rdent.ops.contracts.validation.ClusterDefinitionValidator;
import io.k0rdent.ops.contracts.validation.ValidationPolicy;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import io.k0rdent.ops.contracts.validation.ValidationResult;
import io.k0rdent.ops.k0ops.cli.OutputOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code k0ops validate FILE...}: the same validator the gitwatcher runs, for CI and pre-commit hooks.
 * Exit 0 when every file is valid, 1 when any is not; errors as {@code file:line:col: path: message}.
 * Repository-wide rules (duplicate names, overlapping CIDRs, immutable fields) need the last applied
 * state and are the gitwatcher's.
 */
@Command(name = "validate", description = "Validate cluster definition files (directories: every *.yaml/*.yml in them).")
public final class ValidateCommand implements Callable<Integer> {

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files or directories.")
    List<Path> paths;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ClusterDefinitionValidator validator = new ClusterDefinitionValidator(ValidationPolicy.defaults());
        List<ValidationProblem> problems = new ArrayList<>();
        int files = 0;
        for (Path file : expand(paths)) {
            files++;
            ValidationResult result = validator.validate(file.toString(), Files.readAllBytes(file));
            problems.addAll(result.problems());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            ObjectMapper mapper = EventJson.newMapper();
            out.println(mapper.writeValueAsString(problems));
        } else {
            for (ValidationProblem problem : problems) {
                out.println(problem.file() + ":" + problem.line() + ":" + problem.column() + ": " + problem.path()
                        + ": " + problem.message() + " [" + problem.rule().id() + "]");
            }
            spec.commandLine().getErr().println(files + " file(s) checked, " + problems.size() + " problem(s)");
        }
        out.flush();
        return problems.isEmpty() ? 0 : 1;
    }

    private static List<Path> expand(List<Path> paths) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(Files::isRegularFile)
                            .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                            .sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                throw new IllegalArgumentException("no such file: " + path);
            }
        }
        return files;
    }
}
