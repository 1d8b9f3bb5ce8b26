package dev.dolly.cli.output;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestOutputFormat
{
    @Test
    void parsesNamesInAnyCase()
    {
        assertThat(OutputFormat.fromName("json")).isEqualTo(OutputFormat.JSON);
        assertThat(OutputFormat.fromName("YAML")).isEqualTo(OutputFormat.YAML);
        assertThat(OutputFormat.fromName("Table")).isEqualTo(OutputFormat.TABLE);
        assertThat(OutputFormat.JSON).hasToString("json");
        assertThatThrownBy(() -> OutputFormat.fromName("xml")).hasMessage("Unknown output format 'xml': use table, json or yaml");
    }
}
