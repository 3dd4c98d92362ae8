package io.k0rdent.ops.k0ops.up;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One service running in its own JVM, started by {@code k0ops up} (and by the fault suite, which kills and
 * restarts it). Its stdout and stderr are appended to its log file, so a restart keeps the earlier output.
 * The child runs {@link ParentWatchingMain}, which stops it when this JVM is gone, however this JVM ends.
 */
public final class ChildJvm implements AutoCloseable {

    /**
     * What to run.
     *
     * @param name             short name, e.g. {@code gitwatcher}
     * @param mainClass        the service's main class
     * @param classpath        the service's runtime classpath, in order
     * @param systemProperties {@code -D} settings; never secrets (they show in the process list)
     * @param jvmOptions       further JVM options, e.g. heap size
     * @param logFile          where stdout and stderr are appended
     */
    public record Spec(String name, String mainClass, List<Path> classpath, Map<String, String> systemProperties,
                       List<String> jvmOptions, Path logFile) {

        public Spec {
            classpath = List.copyOf(classpath);
            systemProperties = Map.copyOf(systemProperties);
            jvmOptions = List.copyOf(jvmOptions);
        }
    }

    private final Spec spec;
    private final Process process;
    /** Where this run's output begins in the log file, which every run of the service appends to. */
    private final long logStart;

    private ChildJvm(Spec spec, Process process, long logStart) {
        this.spec = spec;
        this.process = process;
        this.logStart = logStart;
    }

    /**
     * Starts the JVM.
     *
     * @param launcherDir a directory for {@link ParentWatchingMain}'s class file, put first on the classpath
     */
    public static ChildJvm start(Spec spec, Path launcherDir) throws IOException {
        Files.createDirectories(spec.logFile().toAbsolutePath().getParent());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(spec.jvmOptions());
        new TreeMap<>(spec.systemProperties()).forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        List<String> entries = new ArrayList<>();
        entries.add(installLauncher(launcherDir).toString());
        spec.classpath().forEach(path -> entries.add(path.toString()));
        command.add(String.join(File.pathSeparator, entries));
        command.add(ParentWatchingMain.class.getName());
        command.add(spec.mainClass());
        long logStart = Files.exists(spec.logFile()) ? Files.size(spec.logFile()) : 0;
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        return new ChildJvm(spec, process, logStart);
    }

    /**
     * Copies {@link ParentWatchingMain}'s class file into {@code dir}, so the child needs nothing else of k0ops.
     * Through a temporary file moved over the old one: services start in parallel, and a child reading the class file
     * while another start rewrote it in place died with {@code ClassFormatError: Truncated class file} (fault run 29).
     */
    static Path installLauncher(Path dir) throws IOException {
        String resource = ParentWatchingMain.class.getName().replace('.', '/') + ".class";
        Path target = dir.resolve(resource);
        Files.createDirectories(target.getParent());
        byte[] bytes;
        try (InputStream in = ChildJvm.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing class file " + resource);
            }
            bytes = in.readAllBytes();
        }
        Path partial = Files.createTempFile(target.getParent(), "ParentWatchingMain", ".partial");
        try {
            Files.write(partial, bytes);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return dir;
    }

    public Spec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits at most {@code timeout} for the JVM to exit; returns whether it has. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the JVM like Ctrl-C would (SIGTERM, so its shutdown hooks run), then forcibly after {@code grace}. */
    public void stop(Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the JVM at once (SIGKILL), as a crash would; for fault injection. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of the log, for error messages when the service dies early. */
    public String logTail(int lines) {
        try {
            // Lenient decoding: a service may print anything, and this is only for a message.
            List<String> all = new String(Files.readAllBytes(spec.logFile()), StandardCharsets.UTF_8)
                    .lines().toList();
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What this run of the service has written to its log so far (earlier runs' output excluded). */
    public String logOfThisRun() {
        try {
            byte[] all = Files.readAllBytes(spec.logFile());
            int from = (int) Math.min(logStart, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }
}
