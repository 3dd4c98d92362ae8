package io.k0rdent.ops.deploy.topics;

import io.k0rdent.ops.contracts.topic.Topic;
import io.k0rdent.ops.deploy.GeneratedFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code deploy/kafka/create-topics.sh}: the same topics as the Strimzi manifests, created with Kafka's
 * own {@code kafka-topics.sh}, for clusters without the Topic Operator (MSK, Confluent, plain Kafka).
 */
final class CreateTopicsScriptRenderer {

    static final Path PATH = Path.of("deploy/kafka/create-topics.sh");

    GeneratedFile render(List<Topic> topics) {
        StringBuilder script = new StringBuilder()
                .append("#!/usr/bin/env bash\n")
                .append(StrimziTopicRenderer.comment(TopicManifestGenerator.HEADER))
                .append(USAGE)
                .append(PROLOGUE);
        for (Topic topic : topics) {
            script.append("create_topic ").append(topic.name()).append(' ').append(topic.partitions());
            // min.insync.replicas depends on the chosen replication factor, so create_topic adds it.
            Map<String, String> configs = new TreeMap<>(topic.configs());
            configs.forEach((key, value) -> script.append(' ').append(key).append('=').append(value));
            script.append('\n');
        }
        script.append("echo \"all ").append(topics.size()).append(" k0rdent-ops topics exist\"\n");
        return new GeneratedFile(PATH, script.toString());
    }

    private static final String USAGE = """
            #
            # Creates every k0rdent-ops topic with Kafka's own kafka-topics.sh, for Kafka clusters without
            # the Strimzi Topic Operator. Partitions and configs are those of deploy/kubernetes/topics.
            # A topic that already exists is left untouched (--if-not-exists): this script never changes
            # the partitions or configs of an existing topic; compare them with `kafka-topics.sh --describe`.
            #
            # Usage: deploy/kafka/create-topics.sh --bootstrap-server HOST:PORT [--command-config FILE]
            #                                      [--replication-factor N] [--kafka-topics PATH]
            #   --bootstrap-server    a broker of the cluster (required)
            #   --command-config      client properties for TLS/SASL (security.protocol, sasl.*, ssl.*),
            #                         the same file Kafka's tools and `k0ops --command-config` take
            #   --replication-factor  copies of each partition, default 3. min.insync.replicas is 2 with 3
            #                         or more copies and 1 below that (a one-broker development cluster)
            #   --kafka-topics        the kafka-topics.sh to run, default $KAFKA_HOME/bin/kafka-topics.sh
            #                         or kafka-topics.sh on the PATH
            """;

    private static final String PROLOGUE = """
            set -euo pipefail

            usage() { sed -n '/^# Usage:/,/^[^#]/p' "$0" | sed -e '$d' -e 's/^# \\{0,1\\}//' >&2; exit 2; }

            bootstrap_server=""
            command_config=()
            replication_factor=3
            kafka_topics="${KAFKA_HOME:+$KAFKA_HOME/bin/}kafka-topics.sh"
            while [[ $# -gt 0 ]]; do
              case "$1" in
                --bootstrap-server) bootstrap_server="${2:?--bootstrap-server needs a value}"; shift 2 ;;
                --command-config) command_config=(--command-config "${2:?--command-config needs a file}"); shift 2 ;;
                --replication-factor) replication_factor="${2:?--replication-factor needs a number}"; shift 2 ;;
                --kafka-topics) kafka_topics="${2:?--kafka-topics needs a path}"; shift 2 ;;
                -h|--help) usage ;;
                *) echo "create-topics.sh: unknown argument $1" >&2; usage ;;
              esac
            done
            [[ -n "$bootstrap_server" ]] || { echo "create-topics.sh: --bootstrap-server is required" >&2; usage; }
            [[ "$replication_factor" =~ ^[1-9][0-9]*$ ]] || { echo "create-topics.sh: --replication-factor must be a positive number" >&2; exit 2; }
            # Two in-sync copies make acks=all survive one broker loss; a smaller cluster cannot require two.
            if (( replication_factor >= 3 )); then min_insync_replicas=2; else min_insync_replicas=1; fi

            # create_topic NAME PARTITIONS [CONFIG=VALUE...]
            create_topic() {
              local name="$1" partitions="$2"
              shift 2
              local configs=(--config "min.insync.replicas=$min_insync_replicas")
              local config
              for config in "$@"; do configs+=(--config "$config"); done
              echo "creating $name (partitions $partitions, replication factor $replication_factor) unless it exists"
              "$kafka_topics" --bootstrap-server "$bootstrap_server" ${command_config[@]+"${command_config[@]}"} \\
                --create --if-not-exists --topic "$name" --partitions "$partitions" \\
                --replication-factor "$replication_factor" "${configs[@]}"
            }

            """;
}
