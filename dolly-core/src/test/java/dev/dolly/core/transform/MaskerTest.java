package dev.dolly.core.transform;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MaskerTest
{
    private static final Masker MASKER = new Masker("salt-one".getBytes(StandardCharsets.UTF_8));

    @Test
    void theSameValueGivesTheSameFakeWithTheSameSaltOnly()
    {
        Transformer email = Transformer.parse("internet.emailAddress", "test");
        String fake = MASKER.fake(email, "frank@example.com", 0, 0);
        assertThat(fake).contains("@").isNotEqualTo("frank@example.com");
        assertThat(MASKER.fake(email, "frank@example.com", 0, 0)).isEqualTo(fake);
        assertThat(new Masker("salt-one".getBytes(StandardCharsets.UTF_8)).fake(email, "frank@example.com", 0, 0)).isEqualTo(fake);
        assertThat(new Masker("salt-two".getBytes(StandardCharsets.UTF_8)).fake(email, "frank@example.com", 0, 0)).isNotEqualTo(fake);
        assertThat(MASKER.fake(email, "frank@example.com", 1, 0)).isNotEqualTo(fake);
        // and from another thread, with its own generator
        String[] fromThread = new String[1];
        Thread thread = Thread.ofPlatform().start(() -> fromThread[0] = MASKER.fake(email, "frank@example.com", 0, 0));
        try {
            thread.join();
        }
        catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(fromThread[0]).isEqualTo(fake);
    }

    @Test
    void widenedDrawsDoNotRunOutOfFirstNames()
    {
        Transformer firstName = Transformer.parse("person.firstName", "test");
        Set<String> fakes = new HashSet<>();
        for (int index = 0; index < 2_000; index++) {
            fakes.add(MASKER.fake(firstName, "name" + index, Masker.WIDENED_ATTEMPT, 40));
        }
        assertThat(fakes).hasSizeGreaterThan(1_900);
    }

    @Test
    void fakesAreCutToTheColumnsLength()
    {
        assertThat(MASKER.fake(Transformer.parse("address.streetAddress", "test"), "1 Main Street", 0, 8)).hasSizeLessThanOrEqualTo(8);
    }

    @Test
    void cardNumbersAreLuhnValidAndKeepTheirLayout()
    {
        for (int index = 0; index < 200; index++) {
            String card = MASKER.fake(Transformer.parse("finance.creditCard", "test"), "4111-1111-1111-" + (1000 + index), 0, 0);
            assertThat(card).matches("[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{4}");
            assertThat(Masker.luhnValid(card)).as(card).isTrue();
        }
        assertThat(Masker.luhnValid("4111111111111111")).isTrue();
        assertThat(Masker.luhnValid("4111111111111112")).isFalse();
    }

    @Test
    void noiseMovesDatesAndNumbersWithinTheirBounds()
    {
        Random random = new Random(1);
        for (int index = 0; index < 100; index++) {
            String shifted = Masker.shiftDate("2024-03-15 10:00:00", 10, random);
            assertThat(shifted).endsWith(" 10:00:00").isNotEqualTo("2024-03-15 10:00:00");
            long days = Math.abs(java.time.LocalDate.parse(shifted.substring(0, 10)).toEpochDay() - java.time.LocalDate.parse("2024-03-15").toEpochDay());
            assertThat(days).isBetween(1L, 10L);
            double number = Double.parseDouble(Masker.shiftNumber("200.00", new java.math.BigDecimal("5"), random));
            assertThat(number).isBetween(190.0, 210.0);
        }
        assertThat(MASKER.fake(Transformer.parse("redact", "test"), "Frank 42", 0, 0)).isEqualTo("xxxxx 00");
    }
}
