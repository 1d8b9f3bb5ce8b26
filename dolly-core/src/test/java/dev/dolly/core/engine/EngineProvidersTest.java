package dev.dolly.core.engine;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.core.DollyConfiguration;
import dev.dolly.core.engine.postgresql.PostgresEngine;
import dev.dolly.core.image.ImageDefinition;
import dev.dolly.core.image.ImageDefinitionParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Engines come from providers on the class path: the built-in ones from dolly-core's {@code META-INF/services}, and
 * {@link FakeEngineProvider} from the test class path's, which nothing outside the tests names.
 */
class EngineProvidersTest
{
    @TempDir
    Path directory;

    @Test
    void findsTheBuiltInEnginesAndOneAddedByTheTests()
    {
        EngineRegistry engines = engines(Map.of());
        assertThat(engines.names()).containsExactlyInAnyOrder("postgresql", "mysql", "mariadb", "fake");
        assertThat(engines.engine("postgres")).isInstanceOf(PostgresEngine.class).isSameAs(engines.engine("postgresql"));
        assertThat(engines.engine("IMITATION")).isSameAs(engines.engine("fake"));
        assertThat(engines.engine("postgresql").containerParameters()).containsEntry("shared_buffers", "16MB");
        assertThat(engines.engine("mysql").containerParameters()).isEmpty();
    }

    @Test
    void aDefinitionNamesTheEngineOfATestProvider()
    {
        EngineRegistry engines = engines(Map.of(FakeEngineProvider.VERSIONS_VARIABLE, "1.0.0,2.0.3,2.1.0,10.0.1"));
        ImageDefinitionParser parser = new ImageDefinitionParser(engines);

        ImageDefinition definition = parser.parse("name: pretend\nsourceType: empty\nengine: imitation\nversion: 2\n", directory, ImageDefinitionParser.FileLocation.UPLOADED, Optional.empty());
        assertThat(definition.engine()).isEqualTo("fake");
        Engine engine = engines.engine(definition.engine());
        assertThat(engine.resolveVersion(definition.version().orElseThrow())).isEqualTo("2.1.0");
        assertThat(engine.resolveVersion(null)).isEqualTo("10.0.1");
        assertThat(engine.describe().availableMajors()).containsExactly("1.0.0", "2.0.3", "2.1.0", "10.0.1");
        assertThatThrownBy(() -> engine.resolveVersion("3"))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessage("Fake has no version 3: use one of 1.0.0, 2.0.3, 2.1.0, 10.0.1.");

        assertThatThrownBy(() -> parser.parse("name: x\nsourceType: empty\nengine: oracle\n", directory, ImageDefinitionParser.FileLocation.UPLOADED, Optional.empty()))
                .isInstanceOf(DollyException.class)
                .hasMessage("Unknown engine 'oracle': use one of fake, mariadb, mysql, postgresql.");
    }

    @Test
    void aTestProvidersSettingsAreCheckedWhenTheDaemonsAre()
    {
        assertThatThrownBy(() -> DollyConfiguration.fromEnvironment(Map.of("DOLLY_HOME", directory.resolve("home").toString(), FakeEngineProvider.VERSIONS_VARIABLE, "1.0.0,two")))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessage("DOLLY_FAKE_VERSIONS entry 'two' must be a version such as 2.1.0.");
    }

    @Test
    void refusesTwoEnginesOfOneName()
    {
        EngineProvider again = new FakeEngineProvider();
        EngineProviders providers = EngineProviders.configure(List.of(new FakeEngineProvider(), again), Map.of());
        assertThatThrownBy(() -> providers.createEngines(context()))
                .isInstanceOf(DollyException.class)
                .hasMessageStartingWith("Two engines are called 'fake': ");
    }

    private EngineRegistry engines(Map<String, String> environment)
    {
        return EngineProviders.load(environment).createEngines(context());
    }

    private EngineContext context()
    {
        return new EngineContext(directory.resolve("engines"), directory.resolve("cache"), URI.create("http://127.0.0.1:9/maven2"), directory.resolve("m2"),
                EngineUser.resolve("dolly"));
    }
}
