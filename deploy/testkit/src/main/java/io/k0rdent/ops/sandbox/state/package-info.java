/**
 * Durable state of the sandbox's simulated world: atomic JSON snapshot files ({@link
 * io.k0rdent.ops.sandbox.state.SnapshotFile}) and a debounced background writer ({@link
 * io.k0rdent.ops.sandbox.state.SnapshotSaver}). Only {@code k0ops up} turns them on; tests keep their in-memory
 * emulator and hosts unless they ask for a state file.
 */
package io.k0rdent.ops.sandbox.state;
