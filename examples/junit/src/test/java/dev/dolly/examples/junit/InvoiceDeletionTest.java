package dev.dolly.examples.junit;

import dev.dolly.junit.DollyDatabase;
import dev.dolly.junit.DollyDatabaseInfo;
import dev.dolly.junit.DollyExtension;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.DataSource;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 40 tests, run in parallel, each on a container of its own (the default scope): each deletes invoices, and each
 * first checks that it sees the full data, whatever the others deleted.
 */
@ExtendWith(DollyExtension.class)
class InvoiceDeletionTest
{
    @RepeatedTest(40)
    void deletesInvoicesOfOneCustomer(@DollyDatabase(image = "chinook") DataSource dataSource, @DollyDatabase(image = "chinook") DollyDatabaseInfo info,
            RepetitionInfo repetition)
            throws SQLException
    {
        assertTrue(info.jdbcUrl().startsWith("jdbc:postgresql://"), info.jdbcUrl());
        ChinookCounts.assertFullData(dataSource);
        ChinookCounts.deleteInvoicesOf(dataSource, repetition.getCurrentRepetition());
    }
}
