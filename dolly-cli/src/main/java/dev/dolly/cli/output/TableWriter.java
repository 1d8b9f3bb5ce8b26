package dev.dolly.cli.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** Aligned columns under a header row, two spaces apart, like {@code kubectl get}. */
public final class TableWriter
{
    private static final String COLUMN_SEPARATOR = "  ";

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public TableWriter(String... headers)
    {
        this.headers = List.of(requireNonNull(headers, "headers is null"));
    }

    /** Adds a row; {@code null} cells show as empty. */
    public TableWriter addRow(String... cells)
    {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("Expected " + headers.size() + " cells, got " + cells.length);
        }
        rows.add(Arrays.stream(cells).map(cell -> cell == null ? "" : cell).toList());
        return this;
    }

    public List<String> lines()
    {
        int[] widths = new int[headers.size()];
        for (int column = 0; column < widths.length; column++) {
            widths[column] = headers.get(column).length();
            for (List<String> row : rows) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(line(headers, widths));
        for (List<String> row : rows) {
            lines.add(line(row, widths));
        }
        return lines;
    }

    public String render()
    {
        return String.join("\n", lines()) + "\n";
    }

    private static String line(List<String> cells, int[] widths)
    {
        StringBuilder line = new StringBuilder();
        for (int column = 0; column < cells.size(); column++) {
            if (column > 0) {
                line.append(COLUMN_SEPARATOR);
            }
            String cell = cells.get(column);
            line.append(cell);
            line.repeat(' ', widths[column] - cell.length());
        }
        return line.toString().stripTrailing();
    }
}
