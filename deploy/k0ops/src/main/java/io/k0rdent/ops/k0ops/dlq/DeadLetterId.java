package io.k0rdent.ops.k0ops.dlq;

/** A dead letter's address, written {@code <dead-letter topic>/<partition>/<offset>}. */
public record DeadLetterId(String topic, int partition, long offset) {

    public static DeadLetterId parse(String text) {
        int last = text.lastIndexOf('/');
        int middle = last < 0 ? -1 : text.lastIndexOf('/', last - 1);
        if (middle <= 0) {
            throw new IllegalArgumentException("not a dead letter id: '" + text
                    + "' (expected <topic>/<partition>/<offset>, as printed by 'k0ops dlq list')");
        }
        try {
            return new DeadLetterId(text.substring(0, middle), Integer.parseInt(text.substring(middle + 1, last)),
                    Long.parseLong(text.substring(last + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a dead letter id: '" + text + "'", e);
        }
    }

    @Override
    public String toString() {
        return topic + "/" + partition + "/" + offset;
    }
}
