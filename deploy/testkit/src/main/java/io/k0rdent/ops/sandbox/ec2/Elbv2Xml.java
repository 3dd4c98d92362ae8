package io.k0rdent.ops.sandbox.ec2;

import java.util.List;
import java.util.Map;

/**
 * ELBv2's side of the Query protocol: {@code <ActionResponse><ActionResult>...</ActionResult><ResponseMetadata>}
 * answers with lists as {@code <member>} elements, and {@code <ErrorResponse><Error>} errors (botocore's
 * {@code elbv2/2015-12-01/service-2.json}: protocol {@code query}, every output with a {@code resultWrapper}).
 */
final class Elbv2Xml {

    static final String API_VERSION = "2015-12-01";
    static final String NAMESPACE = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    /** ELBv2's own maximum {@code PageSize} (the model's {@code PageSize} shape: 1..400), and the default. */
    static final int MAX_PAGE = 400;

    private final XmlOut out;

    private Elbv2Xml(String action) {
        this.out = XmlOut.document(action + "Response", NAMESPACE);
        out.start(action + "Result");
    }

    /** An answer to {@code action}; the caller writes the members of its result. */
    static Elbv2Xml response(String action) {
        return new Elbv2Xml(action);
    }

    /**
     * The Query protocol's error document. The SDK reads {@code Error/Code} as the error code and
     * {@code RequestId} below the root (AwsQueryProtocolFactory#getErrorRoot).
     */
    static byte[] error(String code, String message, String requestId) {
        String type = code.equals("InternalFailure") || code.equals("ServiceUnavailable") ? "Receiver" : "Sender";
        return XmlOut.document("ErrorResponse", NAMESPACE).start("Error").text("Type", type).text("Code", code)
                .text("Message", message).end().text("RequestId", requestId).finish();
    }

    XmlOut out() {
        return out;
    }

    Elbv2Xml start(String name) {
        out.start(name);
        return this;
    }

    Elbv2Xml end() {
        out.end();
        return this;
    }

    Elbv2Xml text(String name, Object value) {
        out.text(name, value);
        return this;
    }

    /** {@code <name><member>v</member>...</name>}. */
    Elbv2Xml strings(String name, List<String> values) {
        out.start(name);
        values.forEach(value -> out.text("member", value));
        out.end();
        return this;
    }

    /** {@code <Tags><member><Key/><Value/></member>...</Tags>}. */
    Elbv2Xml tags(Map<String, String> tags) {
        out.start("Tags");
        tags.forEach((key, value) -> out.start("member").text("Key", key).text("Value", value).end());
        out.end();
        return this;
    }

    /** Closes the result and adds {@code ResponseMetadata/RequestId}. */
    byte[] finish(String requestId) {
        out.end().start("ResponseMetadata").text("RequestId", requestId).end();
        return out.finish();
    }

    /** One page of a describe and the marker of the next, {@code null} on the last page. */
    record Page<T>(List<T> items, String nextMarker) {
    }

    /**
     * ELBv2's paging: {@code PageSize} items from where {@code Marker} (a marker this emulator handed out) points.
     * An unknown marker is a {@code ValidationError}.
     */
    static <T> Page<T> page(List<T> all, QueryRequest request) {
        String marker = request.get("Marker");
        int size = request.intValue("PageSize", MAX_PAGE);
        int from = 0;
        if (marker != null && !marker.isEmpty()) {
            try {
                from = Integer.parseInt(marker.substring(marker.indexOf('-') + 1));
            } catch (RuntimeException e) {
                throw validation("Invalid marker '" + marker + "'");
            }
        }
        int to = Math.min(all.size(), from + Math.max(1, size));
        List<T> items = from >= all.size() ? List.of() : all.subList(from, to);
        return new Page<>(List.copyOf(items), to < all.size() ? "marker-" + to : null);
    }

    /** ELBv2's generic client error for a request it refuses before looking at any resource. */
    static Ec2Error validation(String message) {
        return Ec2Error.client("ValidationError", message);
    }
}
