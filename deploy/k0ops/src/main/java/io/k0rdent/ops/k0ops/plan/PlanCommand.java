package io.k0rdent.ops.k0ops.plan;

import io.k0rdent.ops.contracts.serde.EventJson;
import io.k0rdent.ops.contracts.topic.Topics;
import io.k0rdent.ops.contracts.validation.ClusterDefinitionValidator;
import io.k0rdent.ops.contracts.validation.ValidationPolicy;
import io.k0rdent.ops.k0ops.cli.KafkaOptions;
import io.k0rdent.ops.k0ops.cli.OutputOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code k0ops plan [DIR]}: what pushing a working copy would change, like {@code terraform plan}. Reads
 * and validates {@code clusters/**}{@code /*.yaml} as the gitwatcher would, compares them with the last
 * applied definitions on {@code k0rdent.cluster.definitions}, and shows per cluster the changed fields,
 * the instances the provisioner would launch, replace or terminate, and the estimated monthly cost.
 * Read-only: it publishes nothing.
 */
@Command(name = "plan", exitCodeOnInvalidInput = PlanCommand.EXIT_ERROR,
        description = "Preview what pushing a working copy would change: clusters created, updated or deleted, "
                + "instances launched, replaced or terminated, and the estimated monthly cost.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:no changes",
                "1:invalid definitions, a usage error, or an error (e.g. the broker is unreachable)",
                "2:changes present (as terraform plan -detailed-exitcode)"})
public final class PlanCommand implements Callable<Integer> {

    public static final int EXIT_NO_CHANGES = 0;
    public static final int EXIT_ERROR = 1;
    public static final int EXIT_CHANGES = 2;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "DIR", arity = "0..1", defaultValue = ".",
            description = "The Git working copy whose clusters/ to plan (default: the current directory).")
    Path directory;

    @Option(names = "--repository", paramLabel = "URL",
            description = "Compare only with clusters applied from this repository URL (as in the events' "
                    + "git.repository), when the gitwatcher watches several.")
    String repository;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    // Not for users: lets the integration test use a topic of its own on a broker shared with other tests.
    @Option(names = "--definitions-topic", hidden = true)
    String definitionsTopic = Topics.DEFINITIONS.name();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PriceTable prices = PriceTable.shipped();
        WorkingCopy workingCopy = WorkingCopy.read(directory,
                new ClusterDefinitionValidator(ValidationPolicy.defaults()));
        AppliedState applied = readApplied();
        Plan plan = new PlanCalculator(prices).plan(workingCopy.files(), applied.clusters());

        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (output.json()) {
            out.println(EventJson.newMapper().writeValueAsString(PlanDocument.of(plan, prices)));
        } else {
            new PlanReport(prices, output.color()).print(plan, out);
        }
        if (!workingCopy.hasClustersDirectory()) {
            err.println("warning: no " + WorkingCopy.CLUSTERS + "/ directory in " + directory
                    + ": every applied cluster is planned for deletion");
        }
        plan.warnings().forEach(w -> err.println("warning: " + w));
        if (applied.undecodable() > 0) {
            err.println("warning: " + applied.undecodable() + " undecodable record(s) on " + definitionsTopic
                    + " skipped");
        }
        out.flush();
        err.flush();
        if (!plan.valid()) {
            return EXIT_ERROR;
        }
        return plan.hasChanges() ? EXIT_CHANGES : EXIT_NO_CHANGES;
    }

    private AppliedState readApplied() {
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.reader()) {
            return AppliedState.read(consumer, definitionsTopic, repository);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException("Kafka broker unreachable at " + kafka.bootstrapServers()
                    + " (no answer within " + kafka.timeout().toSeconds() + "s)", e);
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot read " + definitionsTopic + " at " + kafka.bootstrapServers()
                    + ": " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + ": " + e.getMessage(), e);
        }
    }
}
