package io.k0rdent.ops.faults;

/** The workload's steps; faults are scheduled per phase, while its changes are being applied. */
enum Phase {
    CREATE, SCALE, UPGRADE, DELETE,
    /** The GitOps branch force-pushed back to before the last deletion: those clusters come back. */
    ROLLBACK
}
