package io.k0rdent.ops.sandbox.ec2;

import static io.k0rdent.ops.sandbox.ec2.Describes.select;
import static io.k0rdent.ops.sandbox.ec2.Describes.tagValues;

import java.util.List;
import java.util.Map;

/** {@code DescribeKeyPairs}: the region's key pairs, which {@code RunInstances} requires by name. */
final class KeyPairActions {

    private final Ec2EmulatorOptions options;

    KeyPairActions(Ec2EmulatorOptions options) {
        this.options = options;
    }

    /** The region's key pairs (names from the options); asking for one by a name it lacks is an error, as in EC2. */
    void describeKeyPairs(QueryRequest request, XmlOut out) {
        List<String> wanted = request.list("KeyName");
        for (String name : wanted) {
            if (!options.keyPairs().contains(name)) {
                throw Ec2Error.client("InvalidKeyPair.NotFound", "The key pair '" + name + "' does not exist");
            }
        }
        List<String> selected = select(options.keyPairs(), request.filters(), (name, filter) -> switch (filter) {
            case "key-name" -> List.of(name);
            default -> tagValues(Map.of(), filter);
        }).stream().filter(name -> wanted.isEmpty() || wanted.contains(name)).toList();
        out.start("keySet");
        selected.forEach(name -> out.start("item").text("keyPairId", "key-" + Integer.toHexString(name.hashCode()))
                .text("keyName", name).text("keyType", "ed25519")
                .text("keyFingerprint", "SHA256:" + Integer.toHexString(name.hashCode())).end());
        out.end();
    }
}
