package io.k0rdent.ops.sandbox.ec2;

import java.util.List;

/**
 * An AMI the emulator knows.
 *
 * @param creationDate ISO-8601, as DescribeImages returns it; clients pick the newest by it
 */
public record ImageSpec(String imageId, String name, String ownerId, String architecture, String creationDate) {

    /** Canonical's account, which publishes the Ubuntu images. */
    public static final String CANONICAL = "099720109477";

    /** Two Ubuntu 22.04 images (an older and a newer build) and one arm64 image. */
    public static List<ImageSpec> defaults() {
        return List.of(
                new ImageSpec("ami-0a1b2c3d4e5f60001",
                        "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240101", CANONICAL, "x86_64",
                        "2024-01-01T00:00:00.000Z"),
                new ImageSpec("ami-0a1b2c3d4e5f60002",
                        "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20241101", CANONICAL, "x86_64",
                        "2024-11-01T00:00:00.000Z"),
                new ImageSpec("ami-0a1b2c3d4e5f60003",
                        "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-20241101", CANONICAL, "arm64",
                        "2024-11-01T00:00:00.000Z"));
    }
}
