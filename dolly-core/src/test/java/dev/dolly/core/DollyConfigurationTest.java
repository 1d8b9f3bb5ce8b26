package dev.dolly.core;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.core.quota.Quota;
import dev.dolly.core.quota.QuotaLimits;
import dev.dolly.core.tls.SelfSignedCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DollyConfigurationTest
{
    private static final String INSECURE_REFUSAL = "DOLLY_LISTEN '0.0.0.0:7370' is not a loopback address, and the API would be served without TLS: "
            + "access tokens and passwords would cross the network in clear text. Set DOLLY_TLS_CERTIFICATE (a PEM certificate chain) and DOLLY_TLS_KEY "
            + "(its PKCS#8 PEM private key), or, behind a TLS proxy or on a trusted network only, set DOLLY_ALLOW_INSECURE_LISTEN=true.";

    @TempDir
    Path directory;

    @Test
    void loopbackServesPlainHttp()
    {
        DollyConfiguration configuration = DollyConfiguration.fromEnvironment(environment("DOLLY_LISTEN", "127.0.0.1:7370"));

        assertThat(configuration.tls()).isEmpty();
        assertThat(configuration.scheme()).isEqualTo("http");
        assertThat(DollyConfiguration.fromEnvironment(environment("DOLLY_LISTEN", "localhost:0")).scheme()).isEqualTo("http");
        assertThat(DollyConfiguration.fromEnvironment(environment("DOLLY_LISTEN", "[::1]:7370")).listenAddress()).isEqualTo("::1");
    }

    @Test
    void refusesToServeOtherAddressesWithoutTls()
    {
        assertBadInput(environment("DOLLY_LISTEN", "0.0.0.0:7370"), INSECURE_REFUSAL);
        assertBadInput(environment("DOLLY_LISTEN", "0.0.0.0:7370", "DOLLY_ALLOW_INSECURE_LISTEN", "false"), INSECURE_REFUSAL);
        assertBadInput(environment("DOLLY_LISTEN", "0.0.0.0:7370", "DOLLY_ALLOW_INSECURE_LISTEN", "yes"),
                "DOLLY_ALLOW_INSECURE_LISTEN 'yes' must be true or false.");
        assertBadInput(environment("DOLLY_LISTEN", "no-such-host.invalid:7370"),
                "DOLLY_LISTEN: the host 'no-such-host.invalid' is unknown. Use an address of this machine, such as 127.0.0.1 or 0.0.0.0.");
    }

    @Test
    void reservesContainerPortsUnlessTurnedOff()
    {
        assertThat(DollyConfiguration.fromEnvironment(environment("DOLLY_LISTEN", "localhost:0")).reserveContainerPorts()).isTrue();
        assertThat(DollyConfiguration.fromEnvironment(environment("DOLLY_RESERVE_CONTAINER_PORTS", "false")).reserveContainerPorts()).isFalse();
        assertBadInput(environment("DOLLY_RESERVE_CONTAINER_PORTS", "no"), "DOLLY_RESERVE_CONTAINER_PORTS 'no' must be true or false.");
    }

    @Test
    void hasTheKernelTakeRoutesUnlessTurnedOff()
    {
        assertThat(DollyConfiguration.fromEnvironment(environment("DOLLY_LISTEN", "localhost:0")).routeKernelPath()).isTrue();
        assertThat(DollyConfiguration.fromEnvironment(environment("DOLLY_ROUTE_KERNEL_PATH", "off")).routeKernelPath()).isFalse();
        assertThat(DollyConfiguration.fromEnvironment(environment("DOLLY_ROUTE_KERNEL_PATH", "ON")).routeKernelPath()).isTrue();
        assertBadInput(environment("DOLLY_ROUTE_KERNEL_PATH", "false"), "DOLLY_ROUTE_KERNEL_PATH 'false' must be on (the kernel takes connections to "
                + "routes on the loopback address, where it can) or off (the daemon relays them).");
    }

    @Test
    void servesOtherAddressesWithoutTlsOnlyWhenTold()
    {
        DollyConfiguration configuration = DollyConfiguration.fromEnvironment(environment("DOLLY_LISTEN", "0.0.0.0:7370", "DOLLY_ALLOW_INSECURE_LISTEN", "true"));

        assertThat(configuration.listenAddress()).isEqualTo("0.0.0.0");
        assertThat(configuration.scheme()).isEqualTo("http");
    }

    @Test
    void servesHttpsWithCertificateAndKey()
            throws Exception
    {
        SelfSignedCertificates.Pair pair = SelfSignedCertificates.generate(directory, "dolly", "EC", "dns:dolly.example.com");

        DollyConfiguration configuration = DollyConfiguration.fromEnvironment(environment("DOLLY_LISTEN", "0.0.0.0:7370",
                "DOLLY_TLS_CERTIFICATE", pair.certificate().toString(), "DOLLY_TLS_KEY", pair.key().toString()));

        assertThat(configuration.scheme()).isEqualTo("https");
        assertThat(configuration.tls().orElseThrow().chain()).containsExactly(pair.x509());
    }

    @Test
    void needsBothTlsVariables()
            throws Exception
    {
        SelfSignedCertificates.Pair pair = SelfSignedCertificates.generate(directory, "dolly", "EC", "dns:dolly.example.com");

        assertBadInput(environment("DOLLY_TLS_CERTIFICATE", pair.certificate().toString()), "DOLLY_TLS_CERTIFICATE is set but DOLLY_TLS_KEY is not: "
                + "set both (the PEM certificate chain and its PKCS#8 PEM private key) to serve HTTPS, or neither.");
        assertBadInput(environment("DOLLY_TLS_KEY", pair.key().toString()), "DOLLY_TLS_KEY is set but DOLLY_TLS_CERTIFICATE is not: "
                + "set both (the PEM certificate chain and its PKCS#8 PEM private key) to serve HTTPS, or neither.");
        Path missing = directory.resolve("missing.key");
        assertBadInput(environment("DOLLY_TLS_CERTIFICATE", pair.certificate().toString(), "DOLLY_TLS_KEY", missing.toString()),
                "DOLLY_TLS_KEY: the private key file " + missing + " does not exist.");
    }

    @Test
    void enginesListenWhereTheyAreToldAndDetailsNameTheHost()
    {
        DollyConfiguration standard = DollyConfiguration.fromEnvironment(environment());
        assertThat(standard.containerHost()).isEqualTo("127.0.0.1");
        assertThat(standard.containerListenAddress()).isEqualTo("127.0.0.1");

        DollyConfiguration sameAddress = DollyConfiguration.fromEnvironment(environment("DOLLY_CONTAINER_HOST", "10.1.2.3"));
        assertThat(sameAddress.containerHost()).isEqualTo("10.1.2.3");
        assertThat(sameAddress.containerListenAddress()).isEqualTo("10.1.2.3");

        DollyConfiguration apart = DollyConfiguration.fromEnvironment(environment("DOLLY_CONTAINER_HOST", "dolly.example.com", "DOLLY_CONTAINER_LISTEN", "0.0.0.0"));
        assertThat(apart.containerHost()).isEqualTo("dolly.example.com");
        assertThat(apart.containerListenAddress()).isEqualTo("0.0.0.0");
    }

    private Map<String, String> environment(String... namesAndValues)
    {
        Map<String, String> environment = new HashMap<>();
        environment.put("DOLLY_HOME", directory.resolve("home").toString());
        for (int index = 0; index < namesAndValues.length; index += 2) {
            environment.put(namesAndValues[index], namesAndValues[index + 1]);
        }
        return environment;
    }

    private static void assertBadInput(Map<String, String> environment, String message)
    {
        assertThatThrownBy(() -> DollyConfiguration.fromEnvironment(environment))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessage(message);
    }

    @Test
    void sessionsLastTwelveHoursUnlessConfigured()
    {
        assertThat(DollyConfiguration.fromEnvironment(Map.of("DOLLY_HOME", "/tmp/dolly-home")).sessionLifetime()).isEqualTo(Duration.ofHours(12));
        assertThat(DollyConfiguration.fromEnvironment(Map.of("DOLLY_HOME", "/tmp/dolly-home", "DOLLY_SESSION_LIFETIME", "7d")).sessionLifetime())
                .isEqualTo(Duration.ofDays(7));
    }

    @Test
    void refusesSessionsThatNeverExpireOrAreNotDurations()
    {
        assertThatThrownBy(() -> DollyConfiguration.fromEnvironment(Map.of("DOLLY_HOME", "/tmp/dolly-home", "DOLLY_SESSION_LIFETIME", "0")))
                .isInstanceOf(DollyException.class)
                .hasMessageContaining("DOLLY_SESSION_LIFETIME");
        assertThatThrownBy(() -> DollyConfiguration.fromEnvironment(Map.of("DOLLY_HOME", "/tmp/dolly-home", "DOLLY_SESSION_LIFETIME", "a while")))
                .hasMessageContaining("DOLLY_SESSION_LIFETIME 'a while' is not a duration");
    }

    @Test
    void quotasAreNumbersOrUnlimited()
    {
        QuotaLimits defaults = DollyConfiguration.fromEnvironment(environment()).quotas();
        assertThat(defaults).isEqualTo(new QuotaLimits(Quota.of("DOLLY_QUOTA_CONTAINERS", 20), Quota.of("DOLLY_QUOTA_IMAGES", 50),
                Quota.of("DOLLY_QUOTA_CONCURRENT_BUILDS", 2)));

        QuotaLimits configured = DollyConfiguration.fromEnvironment(environment("DOLLY_QUOTA_CONTAINERS", " 5 ", "DOLLY_QUOTA_IMAGES", "Unlimited",
                "DOLLY_QUOTA_CONCURRENT_BUILDS", "1")).quotas();
        assertThat(configured.containers().limit()).hasValue(5);
        assertThat(configured.images().limit()).isEmpty();
        assertThat(configured.images().allowsOneMoreThan(Integer.MAX_VALUE - 1)).isTrue();
        assertThat(configured.images()).hasToString("unlimited");
        assertThat(configured.concurrentBuilds().allowsOneMoreThan(0)).isTrue();
        assertThat(configured.concurrentBuilds().allowsOneMoreThan(1)).isFalse();

        assertBadInput(environment("DOLLY_QUOTA_CONTAINERS", "0"), "DOLLY_QUOTA_CONTAINERS '0' must be a whole number of at least 1, or unlimited (the default is 20).");
        assertBadInput(environment("DOLLY_QUOTA_IMAGES", "-3"), "DOLLY_QUOTA_IMAGES '-3' must be a whole number of at least 1, or unlimited (the default is 50).");
        assertBadInput(environment("DOLLY_QUOTA_CONCURRENT_BUILDS", "two"),
                "DOLLY_QUOTA_CONCURRENT_BUILDS 'two' must be a whole number of at least 1, or unlimited (the default is 2).");
        assertBadInput(environment("DOLLY_QUOTA_CONTAINERS", "99999999999"),
                "DOLLY_QUOTA_CONTAINERS '99999999999' must be a whole number of at least 1, or unlimited (the default is 20).");
    }

    @Test
    void buildsMayRunTwoHoursUnlessConfigured()
    {
        assertThat(DollyConfiguration.fromEnvironment(environment()).buildTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(DollyConfiguration.fromEnvironment(environment("DOLLY_BUILD_TIMEOUT", "30m")).buildTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertBadInput(environment("DOLLY_BUILD_TIMEOUT", "0"), "DOLLY_BUILD_TIMEOUT must be a duration such as 2h or 30m: a build that hangs must not hold "
                + "its place for ever.");
        assertBadInput(environment("DOLLY_BUILD_TIMEOUT", "soon"),
                "DOLLY_BUILD_TIMEOUT 'soon' is not a duration: use a number with a unit, such as 90m, 48h, 10h30m or 7d (0 for never)");
    }

    @Test
    void engineSettingsAreTheEnginesOwn()
    {
        DollyConfiguration configuration = DollyConfiguration.fromEnvironment(Map.of("DOLLY_HOME", "/var/lib/dolly-test"));
        assertThat(configuration.engines().names()).contains("PostgreSQL", "MariaDB and MySQL");
    }

    @Test
    void checksEngineSettingsUpFront()
    {
        assertBadInput(environment("DOLLY_POSTGRESQL_SETTINGS", "shared_buffers"),
                "DOLLY_POSTGRESQL_SETTINGS entry 'shared_buffers' must be name=value, for example shared_buffers=128MB.");
    }

    @Test
    void refusesMySqlInstallationsWithoutVersion()
    {
        for (String value : List.of("/opt/mysql-8.0", "eight=/opt/mysql", "8.0=")) {
            assertThatThrownBy(() -> DollyConfiguration.fromEnvironment(Map.of("DOLLY_HOME", "/var/lib/dolly-test", "DOLLY_MYSQL_INSTALLATIONS", value)))
                    .isInstanceOf(DollyException.class)
                    .hasMessageContaining("DOLLY_MYSQL_INSTALLATIONS")
                    .hasMessageContaining("8.0=/opt/mysql-8.0");
        }
    }
}
