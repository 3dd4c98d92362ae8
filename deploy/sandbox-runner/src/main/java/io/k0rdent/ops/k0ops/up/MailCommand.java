package io.k0rdent.ops.k0ops.up;

import io.k0rdent.ops.k0ops.cli.Table;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code k0ops mail [N]}: the mail the sandbox's SMTP server received; with N, that message's text. */
@Command(name = "mail", description = "Show mail the sandbox's SMTP server received (N: print message N).")
public final class MailCommand implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".k0ops/mail",
            description = "Where the sandbox keeps mail (default ${DEFAULT-VALUE}).")
    Path dir;

    @Parameters(paramLabel = "N", arity = "0..1", description = "Print this message's plain-text part.")
    Integer number;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Path> files = Files.isDirectory(dir) ? list(dir) : List.of();
        if (number != null) {
            if (number < 1 || number > files.size()) {
                throw new IllegalArgumentException("no message " + number + " (there are " + files.size() + ")");
            }
            MimeMessage message = read(files.get(number - 1));
            out.println("From:    " + addresses(message.getFrom()));
            out.println("To:      " + addresses(message.getAllRecipients()));
            out.println("Subject: " + message.getSubject());
            out.println("Date:    " + message.getSentDate());
            out.println();
            out.println(plainText(message));
        } else if (files.isEmpty()) {
            out.println("no mail yet in " + dir);
        } else {
            Table table = new Table("N", "DATE", "TO", "SUBJECT");
            for (int i = 0; i < files.size(); i++) {
                MimeMessage message = read(files.get(i));
                table.row(i + 1, message.getSentDate(), addresses(message.getAllRecipients()), message.getSubject());
            }
            table.print(out);
        }
        out.flush();
        return 0;
    }

    private static List<Path> list(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
        }
    }

    private static MimeMessage read(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return new MimeMessage(Session.getInstance(new Properties()), in);
        }
    }

    private static String addresses(jakarta.mail.Address[] addresses) {
        if (addresses == null) {
            return "-";
        }
        return Stream.of(addresses).map(a -> a instanceof InternetAddress ia ? ia.getAddress() : a.toString())
                .collect(Collectors.joining(", "));
    }

    /** The first text/plain part, which the notifier always writes next to the HTML one. */
    static String plainText(Part part) throws Exception {
        if (part.isMimeType("text/plain")) {
            return part.getContent().toString();
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart body = multipart.getBodyPart(i);
                String text = plainText(body);
                if (text != null) {
                    return text;
                }
            }
        }
        return part.isMimeType("text/*") ? part.getContent().toString() : null;
    }
}
