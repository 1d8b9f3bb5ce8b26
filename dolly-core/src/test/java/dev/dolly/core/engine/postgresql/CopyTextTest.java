package dev.dolly.core.engine.postgresql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CopyTextTest
{
    @Test
    void aLineOfSeveralFieldsGivesEachValueUnescapedAndNullForNull()
    {
        String line = String.join("\t", "plain", "\\N", "tab\\there", "a \\\\N is no null", "", "line\\nbreak");

        assertThat(CopyText.fields(line, 6)).containsExactly("plain", null, "tab\there", "a \\N is no null", "", "line\nbreak");
    }

    @Test
    void escapingThenSplittingGivesTheValuesBack()
    {
        String[] values = {"back\\slash", "with\ttab", "\\N", "x"};
        StringBuilder line = new StringBuilder();
        for (String value : values) {
            line.append(line.isEmpty() ? "" : "\t").append(CopyText.escape(value));
        }

        assertThat(CopyText.fields(line.toString(), values.length)).containsExactly(values);
    }

    @Test
    void aLineWithFewerFieldsIsRefused()
    {
        assertThatThrownBy(() -> CopyText.fields("one\ttwo", 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
