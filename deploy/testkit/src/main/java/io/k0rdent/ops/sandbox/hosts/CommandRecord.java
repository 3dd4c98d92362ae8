package io.k0rdent.ops.sandbox.hosts;

/**
 * One command line a simulated host received.
 *
 * @param sequence position among all commands of all hosts of one {@link SimulatedHosts}, to check ordering across hosts
 * @param host     the host's address
 * @param line     the command line exactly as received (standard input is not recorded)
 * @param exitStatus what the simulation answered
 */
public record CommandRecord(long sequence, String host, String line, int exitStatus) {
}
