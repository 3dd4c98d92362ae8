package io.k0rdent.ops.k0ops.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmLogTest {

    /** Prints its one argument and ends: a service run that leaves a recognisable line in the shared log. */
    public static final class PrintingMain {
        public static void main(String[] args) {
            System.out.println(System.getProperty("line"));
        }
    }

    /**
     * Every run of a service appends to one log file. The fault suite tells a halt at an armed crash point from a
     * failed start by what the run that just ended wrote, not by the file's last lines, which may be an earlier run's.
     */
    @Test
    void theLogOfARunIsWhatThatRunWroteNotWhatEarlierRunsLeft(@TempDir Path dir) throws Exception {
        Path classes = Path.of(PrintingMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path log = dir.resolve("service.log");

        ChildJvm first = ChildJvm.start(spec(classes, log, "halting at the crash point"), dir.resolve("launcher"));
        assertThat(first.awaitExit(Duration.ofSeconds(60))).isTrue();
        ChildJvm second = ChildJvm.start(spec(classes, log, "started and ended"), dir.resolve("launcher"));
        assertThat(second.awaitExit(Duration.ofSeconds(60))).isTrue();

        assertThat(second.logTail(10)).contains("halting at the crash point");
        assertThat(second.logOfThisRun()).contains("started and ended").doesNotContain("halting");
        assertThat(first.logOfThisRun()).contains("halting at the crash point");
    }

    private static ChildJvm.Spec spec(Path classes, Path log, String line) {
        return new ChildJvm.Spec("printer", PrintingMain.class.getName(), List.of(classes), Map.of("line", line),
                List.of(), log);
    }
}
