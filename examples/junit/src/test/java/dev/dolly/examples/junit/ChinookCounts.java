package dev.dolly.examples.junit;

import javax.sql.DataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the chinook image holds, and the deletions the tests make. */
final class ChinookCounts
{
    static final long TRACKS = 3503;
    static final long INVOICES = 412;
    static final long INVOICE_LINES = 2240;
    static final long CUSTOMERS = 59;

    private ChinookCounts() {}

    static void assertFullData(DataSource dataSource)
            throws SQLException
    {
        try (Connection connection = dataSource.getConnection()) {
            assertEquals(TRACKS, count(connection, "track"), "tracks");
            assertEquals(INVOICES, count(connection, "invoice"), "invoices");
            assertEquals(INVOICE_LINES, count(connection, "invoice_line"), "invoice lines");
            assertEquals(CUSTOMERS, count(connection, "customer"), "customers");
        }
    }

    /** Deletes every invoice of the customer, and checks that they are gone. */
    static void deleteInvoicesOf(DataSource dataSource, int customer)
            throws SQLException
    {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM invoice_line WHERE invoice_id IN (SELECT invoice_id FROM invoice WHERE customer_id = " + customer + ")");
            int deleted = statement.executeUpdate("DELETE FROM invoice WHERE customer_id = " + customer);
            if (deleted == 0) {
                throw new AssertionError("customer " + customer + " had no invoice");
            }
            assertEquals(INVOICES - deleted, count(connection, "invoice"));
            statement.executeUpdate("DELETE FROM playlist_track");
            assertEquals(0, count(connection, "playlist_track"));
        }
    }

    static long count(Connection connection, String table)
            throws SQLException
    {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
