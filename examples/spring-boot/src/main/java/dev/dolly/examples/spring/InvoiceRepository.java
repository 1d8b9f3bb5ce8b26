package dev.dolly.examples.spring;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import static java.util.Objects.requireNonNull;

/** Chinook's invoices and their lines, through Spring's {@link JdbcClient}. */
@Repository
public class InvoiceRepository
{
    private final JdbcClient jdbc;

    public InvoiceRepository(JdbcClient jdbc)
    {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    public long countInvoices()
    {
        return jdbc.sql("select count(*) from invoice").query(Long.class).single();
    }

    public long countInvoicesOf(int customerId)
    {
        return jdbc.sql("select count(*) from invoice where customer_id = :customer").param("customer", customerId).query(Long.class).single();
    }

    /** Deletes a customer's invoices and their lines; returns how many invoices went. */
    @Transactional
    public int deleteInvoicesOf(int customerId)
    {
        jdbc.sql("delete from invoice_line where invoice_id in (select invoice_id from invoice where customer_id = :customer)")
                .param("customer", customerId)
                .update();
        return jdbc.sql("delete from invoice where customer_id = :customer").param("customer", customerId).update();
    }
}
