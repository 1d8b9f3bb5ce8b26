package dev.dolly.core.engine.postgresql;

/** The escapes of COPY's text format: backslash, tab, newline and carriage return. */
final class CopyText
{
    private CopyText() {}

    static String escape(String value)
    {
        StringBuilder escaped = new StringBuilder(value.length() + 8);
        for (int index = 0; index < value.length(); index++) {
            char character = value.charAt(index);
            switch (character) {
                case '\\' -> escaped.append("\\\\");
                case '\t' -> escaped.append("\\t");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                default -> escaped.append(character);
            }
        }
        return escaped.toString();
    }

    /** The fields of a line of several, {@code null} for NULL (written \N). */
    static String[] fields(String line, int count)
    {
        String[] fields = new String[count];
        int start = 0;
        for (int index = 0; index < count; index++) {
            int end = index == count - 1 ? line.length() : line.indexOf('\t', start);
            if (end < 0) {
                throw new IllegalArgumentException("A line of COPY has fewer than " + count + " fields");
            }
            String field = line.substring(start, end);
            fields[index] = field.equals("\\N") ? null : unescape(field);
            start = end + 1;
        }
        return fields;
    }

    static String unescape(String line)
    {
        if (line.indexOf('\\') < 0) {
            return line;
        }
        StringBuilder value = new StringBuilder(line.length());
        for (int index = 0; index < line.length(); index++) {
            char character = line.charAt(index);
            if (character != '\\' || index + 1 == line.length()) {
                value.append(character);
                continue;
            }
            char next = line.charAt(++index);
            switch (next) {
                case 't' -> value.append('\t');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'v' -> value.append('\u000B');
                default -> value.append(next);
            }
        }
        return value.toString();
    }
}
