package io.k0rdent.ops.k0ops.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.validation.ClusterDefinitionValidator;
import io.k0rdent.ops.contracts.validation.ValidationPolicy;
import io.k0rdent.ops.sandbox.mail.LocalMailServer;
import io.k0rdent.ops.sandbox.slack.SlackSink;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The sandbox's own servers, each exercised through its real protocol. */
class SandboxPartsIT {

    @TempDir
    Path dir;

    @Test
    void gitopsRepositoryIsSeededOnceAndAcceptsPushes() throws Exception {
        Path bare = dir.resolve(".k0ops/gitops.git");
        Path work = dir.resolve("gitops");

        GitopsRepository repo = GitopsRepository.ensure(bare, work);
        ObjectId seeded = repo.remoteHead();

        assertThat(seeded).isNotNull();
        Path template = work.resolve("templates/cluster-template.yaml");
        assertThat(new ClusterDefinitionValidator(ValidationPolicy.defaults())
                .validate("templates/cluster-template.yaml", Files.readString(template)).problems()).isEmpty();
        assertThat(work.resolve("README.md")).exists();

        // What the README tells people to do: copy the template, commit, push.
        Files.copy(template, work.resolve("clusters/dev-01.yaml"));
        try (Git git = Git.open(work.toFile())) {
            PersonIdent me = new PersonIdent("Ada", "ada@example.com");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("Add dev-01").setAuthor(me).setCommitter(me).setSign(false).call();
            git.push().call();
        }
        assertThat(repo.remoteHead()).isNotEqualTo(seeded);

        // A second up resumes: nothing is re-created or re-seeded.
        GitopsRepository again = GitopsRepository.ensure(bare, work);
        assertThat(again.remoteHead()).isEqualTo(repo.remoteHead());
        assertThat(again.remoteUri().toString()).startsWith("file:");
    }

    @Test
    void slackSinkAnswersOkAndKeepsEveryMessage() throws Exception {
        Path log = dir.resolve("slack/messages.jsonl");
        try (SlackSink sink = SlackSink.start(0, log)) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(sink.webhookUrl()).POST(HttpRequest.BodyPublishers.ofString(
                            "{\"text\":\"dev-01 is ready\",\n\"blocks\":[]}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ok");
            assertThat(sink.messages()).containsExactly("{\"text\":\"dev-01 is ready\", \"blocks\":[]}");
            assertThat(Files.readAllLines(log)).containsExactly("{\"text\":\"dev-01 is ready\", \"blocks\":[]}");
            assertThat(sink.webhookUrl().getHost()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void mailIsKeptOnDiskAndShownByK0opsMail() throws Exception {
        Path mailDir = dir.resolve("mail");
        try (LocalMailServer server = LocalMailServer.start(0, mailDir)) {
            Properties props = new Properties();
            props.put("mail.smtp.host", "127.0.0.1");
            props.put("mail.smtp.port", Integer.toString(server.smtpPort()));
            Session session = Session.getInstance(props);
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress("k0rdent@sandbox.local"));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress("ada@example.com"));
            message.setSubject("dev-01 is ready");
            MimeBodyPart text = new MimeBodyPart();
            text.setText("Your cluster dev-01 is ready.", "UTF-8");
            MimeBodyPart html = new MimeBodyPart();
            html.setContent("<p>Your cluster <b>dev-01</b> is ready.</p>", "text/html; charset=UTF-8");
            message.setContent(new MimeMultipart("alternative", text, html));
            Transport.send(message);

            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(mailDir.resolve("0001.eml")));
        }

        StringWriter list = new StringWriter();
        CommandLine k0ops = SandboxK0ops.commandLine();
        k0ops.setOut(new PrintWriter(list));
        assertThat(k0ops.execute("mail", "--dir", mailDir.toString())).isZero();
        assertThat(list.toString()).contains("ada@example.com", "dev-01 is ready");

        StringWriter one = new StringWriter();
        k0ops = SandboxK0ops.commandLine();
        k0ops.setOut(new PrintWriter(one));
        assertThat(k0ops.execute("mail", "--dir", mailDir.toString(), "1")).isZero();
        assertThat(one.toString()).contains("Subject: dev-01 is ready", "Your cluster dev-01 is ready.")
                .doesNotContain("<b>");

        // A restarted mail server numbers on from what it kept before.
        try (LocalMailServer restarted = LocalMailServer.start(0, mailDir)) {
            Properties props = new Properties();
            props.put("mail.smtp.host", "127.0.0.1");
            props.put("mail.smtp.port", Integer.toString(restarted.smtpPort()));
            MimeMessage second = new MimeMessage(Session.getInstance(props));
            second.setFrom(new InternetAddress("k0rdent@sandbox.local"));
            second.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@example.com"));
            second.setSubject("dev-02 failed");
            second.setText("bootstrap failed");
            Transport.send(second);
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(mailDir.resolve("0002.eml")));
        }
    }

}
