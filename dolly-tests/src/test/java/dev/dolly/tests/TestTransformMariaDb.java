package dev.dolly.tests;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ResourceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.dolly.tests.TestMySql.connect;
import static dev.dolly.tests.TransformChecks.assertEqualitiesKept;
import static dev.dolly.tests.TransformChecks.assertNoOriginalLeft;
import static dev.dolly.tests.TransformChecks.column;
import static dev.dolly.tests.TransformChecks.count;
import static dev.dolly.tests.TransformChecks.definitionBeside;
import static dev.dolly.tests.TransformChecks.strictWithout;
import static org.assertj.core.api.Assertions.assertThat;

/** The transform stage end to end on the MariaDB Chinook ({@code Customer}, {@code Invoice}, …), against the plain image. */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DriverUnderTest.class, names = "BTRFS")
class TestTransformMariaDb
        extends DaemonOnDriver
{
    private static final String SALT = "a-salt-for-the-mariadb-transform-test";
    private static final String DEFINITION = """
            name: chinook-mysql-dev
            sourceType: backup
            engine: mysql
            version: 8.0
            initialDatabaseName: Chinook
            backup: {folder: ., file: Chinook_MySql.sql}
            transform:
              salt: env:DOLLY_MASK_SALT
              variables: {rep: 3}
              keep:
                Customer: "SupportRepId = ${rep} OR Email LIKE '%@sandbox.example'"
                Invoice: "InvoiceDate > (SELECT MAX(InvoiceDate) FROM Invoice) - INTERVAL 90 DAY"
              empty: [PlaylistTrack]
              mask:
                Customer:
                  FirstName: person.firstName
                  LastName: person.lastName
                  Email: internet.emailAddress
                  Phone: phone.phoneNumber
                  Fax: phone.phoneNumber
                  Address: address.streetAddress
                  Company: "null"
                Employee:
                  FirstName: person.firstName
                  LastName: person.lastName
                  Email: internet.emailAddress
                  Phone: phone.phoneNumber
                  Fax: phone.phoneNumber
                  Address: address.streetAddress
                Invoice:
                  BillingAddress: address.streetAddress
              pii: warn
            """;

    @Override
    String exampleImage()
    {
        return "chinook-mysql/image.yaml";
    }

    /** Each test's files, deleted after it. */
    @TempDir
    Path temporary;

    private Path definition(String name, String text)
            throws IOException
    {
        return definitionBeside(temporary, EXAMPLES.resolve("chinook-mysql/Chinook_MySql.sql"), name, text);
    }

    @Test
    void shrinksAndMasksChinook()
            throws Exception
    {
        Cli withSalt = dolly.with(Map.of("DOLLY_MASK_SALT", SALT));
        Cli.Result built = withSalt.succeed("create", "data-image", "-f", definition("dev", DEFINITION).toString());
        assertThat(built.stdout()).contains("Customer: kept").contains("leak check: passed");
        DataImage image = dolly.json(DataImage.class, "get", "data-image", "chinook-mysql-dev");
        assertThat(image.transform().leakCheck()).isEqualTo("passed");

        DataContainer original = dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook-mysql", "-n", "original");
        DataContainer masked = dolly.json(DataContainer.class, "create", "data-container", "-i", "chinook-mysql-dev", "-n", "masked");
        try (Connection plain = connect(original); Statement before = plain.createStatement();
                Connection dev = connect(masked); Statement after = dev.createStatement()) {
            assertThat(column(after, "SELECT DISTINCT SupportRepId FROM Customer")).containsExactly("3");
            assertThat(count(after, "SELECT COUNT(*) FROM Customer")).isEqualTo(count(before, "SELECT COUNT(*) FROM Customer WHERE SupportRepId = 3"));
            String keptInvoices = "SELECT i.InvoiceId FROM Invoice i JOIN Customer c ON c.CustomerId = i.CustomerId WHERE c.SupportRepId = 3 "
                    + "AND i.InvoiceDate > (SELECT MAX(InvoiceDate) FROM Invoice) - INTERVAL 90 DAY";
            assertThat(column(after, "SELECT InvoiceId FROM Invoice ORDER BY 1")).isEqualTo(column(before, keptInvoices + " ORDER BY 1"));
            assertThat(count(after, "SELECT COUNT(*) FROM InvoiceLine")).isEqualTo(count(before, "SELECT COUNT(*) FROM InvoiceLine WHERE InvoiceId IN (" + keptInvoices + ")"));
            assertThat(count(after, "SELECT COUNT(*) FROM PlaylistTrack")).isZero();
            assertThat(count(after, "SELECT COUNT(*) FROM InvoiceLine l LEFT JOIN Invoice i ON i.InvoiceId = l.InvoiceId WHERE i.InvoiceId IS NULL")).isZero();

            Set<String> emails = new HashSet<>(column(before, "SELECT Email FROM Customer UNION SELECT Email FROM Employee"));
            emails.remove(null);
            StringBuilder everything = new StringBuilder();
            for (String table : column(after, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()")) {
                for (String text : column(after, "SELECT CONCAT_WS('|', " + String.join(", ", column(after,
                        "SELECT CONCAT('`', COLUMN_NAME, '`') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + table + "'")) + ") FROM `" + table + "`")) {
                    everything.append(text).append('\n');
                }
            }
            assertThat(emails).isNotEmpty().allSatisfy(email -> assertThat(everything.toString()).doesNotContain(email));
            assertNoOriginalLeft(before, after, List.of("FirstName", "LastName", "Phone", "Address"), "SELECT %1$s FROM Customer UNION ALL SELECT %1$s FROM Employee");
            assertEqualitiesKept(before, after, "SELECT i.InvoiceId, i.BillingAddress = c.Address FROM Invoice i JOIN Customer c ON c.CustomerId = i.CustomerId", "1");
        }

        String forgetful = strictWithout(DEFINITION, "      Phone: phone.phoneNumber\n");
        Cli.Result refused = withSalt.run("create", "data-image", "-f", definition("strict", forgetful).toString(), "-n", "chinook-mysql-strict");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr() + refused.stdout()).contains("pii: strict").contains("Customer.Phone");
    }

    @Test
    void anOriginalAddressInsideAForgottenFreeTextFailsTheBuild()
            throws Exception
    {
        // Invoice.Notes quotes the customer's street address, in another case, inside a sentence; Customer.Address is masked
        String notes = """

                ALTER TABLE `Invoice` ADD COLUMN `Notes` TEXT;
                UPDATE `Invoice` i JOIN `Customer` c ON c.`CustomerId` = i.`CustomerId`
                SET i.`Notes` = CONCAT('Parcel left at ', UPPER(c.`Address`), ' by the courier');
                """;
        Path forgetful = definition("address-notes", DEFINITION.replace("name: chinook-mysql-dev", "name: chinook-mysql-address-notes"));
        Files.writeString(forgetful.resolveSibling("Chinook_MySql.sql"), notes, StandardOpenOption.APPEND);
        Cli.Result refused = dolly.with(Map.of("DOLLY_MASK_SALT", SALT)).run("create", "data-image", "-f", forgetful.toString());
        assertThat(refused.exitCode()).as(refused.stdout()).isNotZero();
        assertThat(refused.stderr()).contains("The leak check failed: an original street address remains in Invoice.Notes");
        assertThat(dolly.json(DataImage.class, "get", "data-image", "chinook-mysql-address-notes").status()).isEqualTo(ResourceStatus.FAILED);
        dolly.succeed("delete", "data-image", "chinook-mysql-address-notes");
    }

    @Test
    void anOriginalEmailInsideAForgottenFreeTextFailsTheBuild()
            throws Exception
    {
        // the original email is the second address of the sentence: every match of the pattern is searched, not only the first
        String notes = """

                ALTER TABLE `Invoice` ADD COLUMN `Notes` TEXT;
                UPDATE `Invoice` i JOIN `Customer` c ON c.`CustomerId` = i.`CustomerId`
                SET i.`Notes` = CONCAT('Receipt for billing@shop.example, copy sent to ', c.`Email`, ' after the call');
                """;
        Path forgetful = definition("notes", DEFINITION.replace("name: chinook-mysql-dev", "name: chinook-mysql-notes"));
        Files.writeString(forgetful.resolveSibling("Chinook_MySql.sql"), notes, StandardOpenOption.APPEND);
        Cli.Result refused = dolly.with(Map.of("DOLLY_MASK_SALT", SALT)).run("create", "data-image", "-f", forgetful.toString());
        assertThat(refused.exitCode()).as(refused.stdout()).isNotZero();
        assertThat(refused.stderr()).contains("The leak check failed: an original email address remains in Invoice.Notes");
        DataImage failed = dolly.json(DataImage.class, "get", "data-image", "chinook-mysql-notes");
        assertThat(failed.status()).isEqualTo(ResourceStatus.FAILED);
        Path volume = daemon.home().resolve("storage/images/" + failed.id());
        assertThat(volume).doesNotExist();
        assertThat(Engines.mariadbProcessesUnder(volume)).isEmpty();
        dolly.succeed("delete", "data-image", "chinook-mysql-notes");
    }
}
