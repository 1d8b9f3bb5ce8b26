package dev.dolly.cli.output;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestTableWriter
{
    @Test
    void alignsColumnsTwoSpacesApart()
    {
        TableWriter table = new TableWriter("ID", "NAME", "STATUS")
                .addRow("1", "chinook", "Ready")
                .addRow("123", "a", null);

        assertThat(table.render()).isEqualTo("""
                ID   NAME     STATUS
                1    chinook  Ready
                123  a
                """);
    }

    @Test
    void headerAloneWhenEmpty()
    {
        assertThat(new TableWriter("ID", "NAME").render()).isEqualTo("ID  NAME\n");
    }

    @Test
    void rejectsRowsOfTheWrongWidth()
    {
        assertThatThrownBy(() -> new TableWriter("ID", "NAME").addRow("1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Expected 2 cells, got 1");
    }
}
