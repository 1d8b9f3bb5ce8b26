package dev.dolly.core.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHashingTest
{
    private final PasswordHashing hashing = new PasswordHashing();

    @Test
    void verifiesTheRightPasswordOnly()
    {
        String hash = hashing.hash("correct horse battery staple");

        assertThat(hashing.verify("correct horse battery staple", hash)).isTrue();
        assertThat(hashing.verify("correct horse battery stapl", hash)).isFalse();
        assertThat(hashing.verify("", hash)).isFalse();
    }

    @Test
    void usesPbkdf2WithAtLeast600000IterationsAndARandomSalt()
    {
        String first = hashing.hash("correct horse battery staple");
        String second = hashing.hash("correct horse battery staple");

        String[] parts = first.split("\\$");
        assertThat(parts).hasSize(4);
        assertThat(parts[0]).isEqualTo("pbkdf2-sha256");
        assertThat(Integer.parseInt(parts[1])).isGreaterThanOrEqualTo(600_000);
        assertThat(first).isNotEqualTo(second).doesNotContain("correct horse");
        assertThat(first.split("\\$")[2]).isNotEqualTo(second.split("\\$")[2]);
    }

    @Test
    void aMissingOrMalformedHashMatchesNothing()
    {
        assertThat(hashing.verify("no user has this password", null)).isFalse();
        assertThat(hashing.verify("anything", "plain text")).isFalse();
        assertThat(hashing.verify("anything", "pbkdf2-sha256$1$!!$!!")).isFalse();
    }

    @Test
    void theIterationCountIsPartOfTheHash()
    {
        // the count is read from the stored hash (so it can be raised later): changing it breaks the match
        String stored = hashing.hash("correct horse battery staple");
        String[] parts = stored.split("\\$");
        assertThat(hashing.verify("correct horse battery staple", parts[0] + "$" + 1000 + "$" + parts[2] + "$" + parts[3])).isFalse();
        assertThat(hashing.verify("correct horse battery staple", stored)).isTrue();
    }
}
