package dev.dolly.examples.spring;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.dolly.junit.DollyDatabase;
import dev.dolly.junit.DollyDatabase.Scope;
import dev.dolly.junit.DollyDatabaseInfo;
import dev.dolly.junit.DollyExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's context on a data container of the chinook image: Dolly's extension (registered first, so its
 * field is set before Spring starts the context) creates one container for the class, {@code @DynamicPropertySource}
 * points Spring's data source at it, and after each test the extension brings it back to the image's data.
 */
@ExtendWith(DollyExtension.class)
@SpringBootTest
class InvoiceRepositoryTest
{
    // Chinook's invoices, all customers together
    private static final long INVOICES = 412;

    @DollyDatabase(image = "chinook", scope = Scope.CLASS)
    static DollyDatabaseInfo database;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry)
    {
        registry.add("spring.datasource.url", database::jdbcUrl);
        registry.add("spring.datasource.username", database::user);
        registry.add("spring.datasource.password", database::password);
    }

    @Autowired
    InvoiceRepository invoices;

    @Autowired
    DataSource dataSource;

    /**
     * The extension's reset after the previous test restarted the server, which ended the pool's connections; Hikari
     * does not check a connection used in the last half second before handing it out, so the pool drops them here.
     */
    @BeforeEach
    void dropTheConnectionsTheResetEnded()
    {
        // no pool before the first connection
        HikariPoolMXBean pool = ((HikariDataSource) dataSource).getHikariPoolMXBean();
        if (pool != null) {
            pool.softEvictConnections();
        }
    }

    @RepeatedTest(5)
    void deletesACustomersInvoicesThenTheNextTestSeesThemAgain(RepetitionInfo repetition)
    {
        assertThat(invoices.countInvoices()).isEqualTo(INVOICES);
        int customer = repetition.getCurrentRepetition();
        long ofCustomer = invoices.countInvoicesOf(customer);
        assertThat(ofCustomer).isPositive();
        assertThat(invoices.deleteInvoicesOf(customer)).isEqualTo(ofCustomer);
        assertThat(invoices.countInvoicesOf(customer)).isZero();
        assertThat(invoices.countInvoices()).isEqualTo(INVOICES - ofCustomer);
    }

    @Test
    void theContextTalksToTheDataContainer()
    {
        assertThat(database.jdbcUrl()).contains(":" + database.port() + "/");
        assertThat(invoices.countInvoicesOf(1)).isPositive();
    }
}
