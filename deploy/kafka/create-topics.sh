#!/usr/bin/env bash
# GENERATED from io.k0rdent.ops.contracts.topic.Topics by TopicManifestGenerator. Do not edit.
# Regenerate with: ./mvnw -q -pl deploy/manifests -am -Pgenerate-topics process-classes
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
set -euo pipefail

usage() { sed -n '/^# Usage:/,/^[^#]/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 2; }

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
  "$kafka_topics" --bootstrap-server "$bootstrap_server" ${command_config[@]+"${command_config[@]}"} \
    --create --if-not-exists --topic "$name" --partitions "$partitions" \
    --replication-factor "$replication_factor" "${configs[@]}"
}

create_topic k0rdent.cluster.definitions 12 cleanup.policy=delete retention.ms=2592000000
create_topic k0rdent.cluster.rejections 12 cleanup.policy=delete retention.ms=2592000000
create_topic k0rdent.cluster.infrastructure 12 cleanup.policy=delete retention.ms=2592000000
create_topic k0rdent.cluster.bootstrap 12 cleanup.policy=delete retention.ms=2592000000
create_topic k0rdent.cluster.notifications 12 cleanup.policy=delete retention.ms=2592000000
create_topic k0rdent.cluster.control 12 cleanup.policy=delete retention.ms=-1
create_topic k0rdent.gitwatcher.state 1 cleanup.policy=compact min.compaction.lag.ms=0
create_topic k0rdent.notifier.deliveries 12 cleanup.policy=compact min.compaction.lag.ms=0
create_topic k0rdent.dlq.provisioner 1 cleanup.policy=delete retention.ms=2592000000
create_topic k0rdent.dlq.bootstrap 1 cleanup.policy=delete retention.ms=2592000000
create_topic k0rdent.dlq.notifier 1 cleanup.policy=delete retention.ms=2592000000
create_topic k0rdent.dlq.replays 1 cleanup.policy=compact min.compaction.lag.ms=0
echo "all 12 k0rdent-ops topics exist"
