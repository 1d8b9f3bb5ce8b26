package dev.dolly.examples.junit;

import dev.dolly.junit.DollyDatabase;
import dev.dolly.junit.DollyDatabase.Scope;
import dev.dolly.junit.DollyExtension;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import javax.sql.DataSource;

import java.sql.SQLException;

/**
 * 10 tests that share one container (scope = CLASS): after each, the extension loads rev.0, so the next one sees the
 * full data again. They run one after another, since they share a database; other classes run alongside.
 */
@ExtendWith(DollyExtension.class)
@Execution(ExecutionMode.SAME_THREAD)
class SharedDatabaseTest
{
    @DollyDatabase(image = "chinook", scope = Scope.CLASS)
    static DataSource dataSource;

    @RepeatedTest(10)
    void deletesInvoicesThenTheNextTestSeesThemAgain(RepetitionInfo repetition)
            throws SQLException
    {
        ChinookCounts.assertFullData(dataSource);
        ChinookCounts.deleteInvoicesOf(dataSource, repetition.getCurrentRepetition());
    }
}
