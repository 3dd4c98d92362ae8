package io.k0rdent.ops.provisioner.reconcile;

import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;
/** The production hooks: none. */
@Singleton
@Secondary
public class NoReconcileHooks implements ReconcileHooks {
}
