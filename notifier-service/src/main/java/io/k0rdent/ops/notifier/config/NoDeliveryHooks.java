package io.k0rdent.ops.notifier.config;

import io.k0rdent.ops.notifier.delivery.DeliveryHooks;
import jakarta.inject.Singleton;

/** The production {@link DeliveryHooks}: none. Tests replace this bean. */
@Singleton
public class NoDeliveryHooks implements DeliveryHooks {
}
