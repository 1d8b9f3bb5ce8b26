package dev.dolly.core.auth;

import dev.dolly.core.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

class AccessTokensTest
{
    @TempDir
    Path directory;

    @Test
    void onlyTheTokenOfTheAdminTokenFileIsTheLocalAdministrator()
            throws Exception
    {
        Catalog catalog = Catalog.open(directory.resolve("catalog.db"));
        AccessTokens tokens = new AccessTokens(catalog, Clock.systemUTC());
        Path file = directory.resolve("admin-token");
        tokens.ensureAdminToken(file);
        String administrator = Files.readString(file).strip();
        String other = AccessTokens.newToken();
        catalog.insertAccessToken(AccessTokens.hash(other), AccessTokens.ADMIN_USER, "a pipeline", Clock.systemUTC().instant());

        assertThat(tokens.authenticate(administrator)).contains(AccessTokens.ADMIN_USER);
        assertThat(tokens.authenticate(other)).contains(AccessTokens.ADMIN_USER);
        assertThat(tokens.isLocalAdministrator(administrator)).isTrue();
        assertThat(tokens.isLocalAdministrator(other)).isFalse();
        assertThat(tokens.isLocalAdministrator(null)).isFalse();
        assertThat(tokens.isLocalAdministrator("")).isFalse();

        // a daemon that starts again with the same file knows it again
        AccessTokens again = new AccessTokens(catalog, Clock.systemUTC());
        assertThat(again.isLocalAdministrator(administrator)).isFalse();
        again.ensureAdminToken(file);
        assertThat(again.isLocalAdministrator(administrator)).isTrue();
    }
}
