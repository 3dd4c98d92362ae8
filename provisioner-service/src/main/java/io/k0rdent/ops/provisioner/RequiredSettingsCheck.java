package io.k0rdent.ops.provisioner;

import io.micronaut.context.annotation.Context;

/**
 * Refuses to start without the settings that have no safe default, so a missing one is a failed rollout naming it
 * rather than every cluster failing later.
 */
@Context
public class RequiredSettingsCheck {

    public RequiredSettingsCheck(ProvisionerProperties properties) {
        properties.requireAdminCidr();
    }
}
