package io.k0rdent.ops.sandbox.ec2;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** A small wrapper over {@link XMLStreamWriter} for EC2 responses: the writer escapes, we only name elements. */
final class XmlOut {

    static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final XMLStreamWriter writer;

    private XmlOut() {
        try {
            writer = FACTORY.createXMLStreamWriter(bytes, "UTF-8");
            writer.writeStartDocument("UTF-8", "1.0");
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A response document {@code <ActionResponse xmlns="...">} with its {@code requestId}. */
    static XmlOut response(String action, String requestId) {
        XmlOut out = new XmlOut();
        try {
            out.writer.writeStartElement(action + "Response");
            out.writer.writeDefaultNamespace(NAMESPACE);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        out.text("requestId", requestId);
        return out;
    }

    /** A document whose root element {@code root} declares {@code namespace} as its default namespace. */
    static XmlOut document(String root, String namespace) {
        XmlOut out = new XmlOut();
        try {
            out.writer.writeStartElement(root);
            out.writer.writeDefaultNamespace(namespace);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** EC2's error document: {@code <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/>}. */
    static byte[] error(String code, String message, String requestId) {
        XmlOut out = new XmlOut();
        out.start("Response").start("Errors").start("Error").text("Code", code).text("Message", message)
                .end().end().text("RequestID", requestId).end();
        return out.finish();
    }

    XmlOut start(String name) {
        try {
            writer.writeStartElement(name);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    XmlOut end() {
        try {
            writer.writeEndElement();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** {@code <name>value</name>}; nothing when {@code value} is null (EC2 omits absent members). */
    XmlOut text(String name, Object value) {
        if (value == null) {
            return this;
        }
        start(name);
        try {
            writer.writeCharacters(String.valueOf(value));
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return end();
    }

    /** {@code <tagSet><item><key/><value/></item>...</tagSet>}. */
    XmlOut tagSet(Map<String, String> tags) {
        start("tagSet");
        tags.forEach((key, value) -> start("item").text("key", key).text("value", value).end());
        return end();
    }

    byte[] finish() {
        try {
            writer.writeEndDocument();
            writer.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    String finishAsString() {
        return new String(finish(), StandardCharsets.UTF_8);
    }
}
