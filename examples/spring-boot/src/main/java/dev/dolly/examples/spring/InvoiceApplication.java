package dev.dolly.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A small application over the Chinook database: its invoices, by customer. */
@SpringBootApplication
public class InvoiceApplication
{
    public static void main(String[] arguments)
    {
        SpringApplication.run(InvoiceApplication.class, arguments);
    }
}
