package dev.dolly.core.engine.postgresql;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Splits a psql script into SQL statements and psql meta-commands, as psql's lexer does, reading the script
 * incrementally: only the statement being read (and, in {@code COPY ... FROM stdin} data, the current line) is held in
 * memory.
 * <p>
 * Understands {@code --} and nested {@code /* *}{@code /} comments, single-quoted strings (with backslash escapes when
 * {@code standard_conforming_strings} is off), {@code E'...'} strings, double-quoted identifiers, dollar quoting, psql
 * meta-commands (a backslash outside quotes and comments, up to the end of the line) and the data lines that follow
 * {@code COPY ... FROM stdin} up to a line {@code \.}. Leading whitespace and comments of a statement are dropped, so
 * that its line is the line of its first word; the terminating semicolon is dropped too.
 */
final class SqlScriptReader
        implements Closeable
{
    /** One thing the script asks for, in order. */
    sealed interface Command
            permits SqlStatement, MetaCommand
    {
        int line();
    }

    enum CopyData
    {
        /** Not a {@code COPY} with client data. */
        NONE,
        /** {@code COPY ... FROM stdin}: the data lines follow the statement in the script. */
        FROM_STDIN,
        /** {@code COPY ... TO stdout}: psql would print the data. */
        TO_STDOUT,
    }

    /** A SQL statement, without its terminating semicolon, starting on {@code line}. */
    record SqlStatement(String sql, int line, CopyData copy)
            implements Command
    {
        SqlStatement
        {
            requireNonNull(sql, "sql is null");
            requireNonNull(copy, "copy is null");
        }
    }

    /** A psql meta-command: its name without the backslash ({@code connect}) and the rest of its line. */
    record MetaCommand(String name, String arguments, int line)
            implements Command
    {
        MetaCommand
        {
            requireNonNull(name, "name is null");
            requireNonNull(arguments, "arguments is null");
        }
    }

    private enum State
    {
        NORMAL,
        LINE_COMMENT,
        BLOCK_COMMENT,
        SINGLE_QUOTED,
        ESCAPE_QUOTED,
        DOUBLE_QUOTED,
        DOLLAR_QUOTED,
    }

    private final LineReader lines;
    private boolean standardConformingStrings = true;

    // the line being scanned, and where in it
    private String line;
    private int position;

    // the statement being read
    private final StringBuilder statement = new StringBuilder();
    private State state = State.NORMAL;
    private boolean started;
    private int startLine;
    private int commentDepth;
    private String dollarDelimiter;
    private char previous;
    private int parenthesisDepth;
    private final StringBuilder word = new StringBuilder();
    private String firstWord;
    private final List<String> copyWords = new ArrayList<>();

    // COPY data that follows the last statement returned
    private CopyDataReader copyData;
    private int copyDataLine;

    SqlScriptReader(Reader reader)
    {
        this.lines = new LineReader(requireNonNull(reader, "reader is null"));
    }

    /**
     * Whether the server treats backslashes in ordinary string literals as literal characters (the default since
     * PostgreSQL 9.1); a script may turn this off with {@code SET standard_conforming_strings = off}.
     */
    void standardConformingStrings(boolean standardConformingStrings)
    {
        this.standardConformingStrings = standardConformingStrings;
    }

    /** The next statement or meta-command, or null at the end of the script. */
    Command next()
            throws IOException
    {
        if (copyData != null) {
            copyData.skipRest();
            copyData = null;
        }
        while (true) {
            if (line == null || position >= line.length()) {
                line = lines.readLine();
                position = 0;
                if (line == null) {
                    return endOfScript();
                }
                if (lines.lineNumber() == 1 && line.startsWith("\uFEFF")) {
                    position = 1;
                }
            }
            Command command = scanLine();
            if (command != null) {
                return command;
            }
        }
    }

    /**
     * The data lines following the {@code COPY ... FROM stdin} statement just returned by {@link #next()}, up to (not
     * including) the line {@code \.} or the end of the script, with their line terminators, as psql sends them.
     */
    Reader copyData()
    {
        if (copyData == null) {
            throw new IllegalStateException("the last statement is not a COPY FROM stdin");
        }
        return copyData;
    }

    /** The line of the script where the data of the last {@code COPY ... FROM stdin} starts. */
    int copyDataLine()
    {
        return copyDataLine;
    }

    /** The number of the line read last. */
    int lineNumber()
    {
        return lines.lineNumber();
    }

    @Override
    public void close()
            throws IOException
    {
        lines.close();
    }

    private Command endOfScript()
    {
        // like psql, send what is left even when unterminated: the server reports the error
        if (!started) {
            return null;
        }
        String sql = stripTrailingWhitespace(statement);
        return finishStatement(sql);
    }

    private Command scanLine()
    {
        String text = line;
        int length = text.length();
        while (position < length) {
            char character = text.charAt(position);
            switch (state) {
                case LINE_COMMENT -> {
                    int end = text.indexOf('\n', position);
                    int stop = end < 0 ? length : end + 1;
                    append(text, position, stop);
                    position = stop;
                    if (end >= 0) {
                        state = State.NORMAL;
                        previous = '\n';
                    }
                }
                case BLOCK_COMMENT -> {
                    if (character == '*' && next(text, position) == '/') {
                        append(text, position, position + 2);
                        position += 2;
                        commentDepth--;
                        if (commentDepth == 0) {
                            state = State.NORMAL;
                            previous = ' ';
                        }
                    }
                    else if (character == '/' && next(text, position) == '*') {
                        append(text, position, position + 2);
                        position += 2;
                        commentDepth++;
                    }
                    else {
                        append(character);
                        position++;
                    }
                }
                case SINGLE_QUOTED, ESCAPE_QUOTED -> {
                    statement.append(character);
                    position++;
                    if (character == '\\' && (state == State.ESCAPE_QUOTED || !standardConformingStrings)) {
                        if (position < length) {
                            statement.append(text.charAt(position));
                            position++;
                        }
                    }
                    else if (character == '\'') {
                        if (next(text, position - 1) == '\'') {
                            statement.append('\'');
                            position++;
                        }
                        else {
                            state = State.NORMAL;
                            previous = '\'';
                        }
                    }
                }
                case DOUBLE_QUOTED -> {
                    statement.append(character);
                    position++;
                    if (character == '"') {
                        if (next(text, position - 1) == '"') {
                            statement.append('"');
                            position++;
                        }
                        else {
                            state = State.NORMAL;
                            previous = '"';
                        }
                    }
                }
                case DOLLAR_QUOTED -> {
                    int end = text.indexOf(dollarDelimiter, position);
                    int stop = end < 0 ? length : end + dollarDelimiter.length();
                    statement.append(text, position, stop);
                    position = stop;
                    if (end >= 0) {
                        state = State.NORMAL;
                        previous = '$';
                    }
                }
                case NORMAL -> {
                    Command command = scanNormal(text, character);
                    if (command != null) {
                        return command;
                    }
                }
            }
        }
        return null;
    }

    private Command scanNormal(String text, char character)
    {
        if (character == '-' && next(text, position) == '-') {
            endWord();
            state = State.LINE_COMMENT;
            return null;
        }
        if (character == '/' && next(text, position) == '*') {
            endWord();
            append(text, position, position + 2);
            position += 2;
            state = State.BLOCK_COMMENT;
            commentDepth = 1;
            return null;
        }
        if (character == ';') {
            endWord();
            position++;
            if (!started) {
                return null;
            }
            return finishStatement(stripTrailingWhitespace(statement));
        }
        if (character == '\\') {
            endWord();
            if (next(text, position) == ';' || next(text, position) == ':') {
                // psql's escapes for a semicolon that does not end the statement, and a colon that is no variable
                start();
                statement.append(text.charAt(position + 1));
                position += 2;
                previous = ' ';
                return null;
            }
            return metaCommand(text);
        }
        if (Character.isWhitespace(character)) {
            endWord();
            if (started) {
                statement.append(character);
            }
            previous = character;
            position++;
            return null;
        }

        start();
        if (character == '\'') {
            boolean escapeString = isEscapeStringPrefix();
            endWord();
            state = escapeString ? State.ESCAPE_QUOTED : State.SINGLE_QUOTED;
            statement.append(character);
            position++;
            return null;
        }
        if (character == '"') {
            endWord();
            state = State.DOUBLE_QUOTED;
            statement.append(character);
            position++;
            return null;
        }
        if (character == '$' && !isIdentifierPart(previous)) {
            String delimiter = dollarDelimiterAt(text, position);
            if (delimiter != null) {
                endWord();
                state = State.DOLLAR_QUOTED;
                dollarDelimiter = delimiter;
                statement.append(delimiter);
                position += delimiter.length();
                return null;
            }
        }
        if (isIdentifierPart(character)) {
            word.append(character);
        }
        else {
            endWord();
            if (character == '(') {
                parenthesisDepth++;
            }
            else if (character == ')') {
                parenthesisDepth--;
            }
        }
        statement.append(character);
        previous = character;
        position++;
        return null;
    }

    private Command metaCommand(String text)
    {
        int lineNumber = lines.lineNumber();
        int end = text.length();
        while (end > position && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        int nameEnd = position + 1;
        while (nameEnd < end && !Character.isWhitespace(text.charAt(nameEnd)) && text.charAt(nameEnd) != '\\') {
            nameEnd++;
        }
        String name = text.substring(position + 1, nameEnd);
        String arguments = text.substring(nameEnd, end).strip();
        position = text.length();
        previous = '\n';
        return new MetaCommand(name, arguments, lineNumber);
    }

    private Command finishStatement(String sql)
    {
        CopyData copy = copyKind();
        SqlStatement result = new SqlStatement(sql, startLine, copy);
        statement.setLength(0);
        started = false;
        state = State.NORMAL;
        previous = ' ';
        parenthesisDepth = 0;
        word.setLength(0);
        firstWord = null;
        copyWords.clear();
        if (copy == CopyData.FROM_STDIN) {
            // the data starts on the next line; what follows the semicolon on this line is read after the data
            String rest = line == null ? "" : line.substring(Math.min(position, line.length()));
            if (rest.isBlank()) {
                line = null;
                position = 0;
            }
            else {
                line = rest;
                position = 0;
            }
            copyData = new CopyDataReader();
            copyDataLine = lines.lineNumber() + 1;
        }
        return result;
    }

    private CopyData copyKind()
    {
        if (firstWord == null || !firstWord.equals("copy")) {
            return CopyData.NONE;
        }
        for (int index = 0; index + 1 < copyWords.size(); index++) {
            String current = copyWords.get(index);
            String following = copyWords.get(index + 1);
            if (current.equals("from") && following.equals("stdin")) {
                return CopyData.FROM_STDIN;
            }
            if (current.equals("to") && following.equals("stdout")) {
                return CopyData.TO_STDOUT;
            }
        }
        return CopyData.NONE;
    }

    private void start()
    {
        if (!started) {
            started = true;
            startLine = lines.lineNumber();
        }
    }

    private void endWord()
    {
        if (word.isEmpty()) {
            return;
        }
        String finished = word.toString().toLowerCase(Locale.ROOT);
        word.setLength(0);
        if (firstWord == null) {
            firstWord = finished;
        }
        else if (firstWord.equals("copy") && parenthesisDepth == 0 && copyWords.size() < 64) {
            copyWords.add(finished);
        }
    }

    private boolean isEscapeStringPrefix()
    {
        // E'...' (or e'...'), but not the E ending a longer word such as DATE'2020-01-01'
        return word.length() == 1 && (word.charAt(0) == 'E' || word.charAt(0) == 'e');
    }

    private void append(char character)
    {
        if (started) {
            statement.append(character);
        }
    }

    private void append(String text, int start, int end)
    {
        if (started) {
            statement.append(text, start, end);
        }
    }

    private static char next(String text, int index)
    {
        return index + 1 < text.length() ? text.charAt(index + 1) : '\0';
    }

    /** The dollar-quote delimiter ({@code $$} or {@code $tag$}) starting at {@code start}, or null ({@code $1}). */
    static String dollarDelimiterAt(String text, int start)
    {
        int index = start + 1;
        if (index < text.length() && text.charAt(index) != '$') {
            char first = text.charAt(index);
            if (!(Character.isLetter(first) || first == '_' || first >= 0x80)) {
                return null;
            }
            index++;
            while (index < text.length() && text.charAt(index) != '$') {
                char character = text.charAt(index);
                if (!(Character.isLetterOrDigit(character) || character == '_' || character >= 0x80)) {
                    return null;
                }
                index++;
            }
        }
        if (index >= text.length()) {
            return null;
        }
        return text.substring(start, index + 1);
    }

    private static boolean isIdentifierPart(char character)
    {
        return Character.isLetterOrDigit(character) || character == '_' || character == '$' || character >= 0x80;
    }

    private static String stripTrailingWhitespace(StringBuilder text)
    {
        int end = text.length();
        while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    /** Streams the lines of a COPY block from the script, stopping before {@code \.}. */
    private final class CopyDataReader
            extends Reader
    {
        private String current = "";
        private int offset;
        private boolean finished;

        @Override
        public int read(char[] buffer, int bufferOffset, int length)
                throws IOException
        {
            if (length == 0) {
                return 0;
            }
            while (offset >= current.length()) {
                if (finished || !advance()) {
                    return -1;
                }
            }
            int count = Math.min(length, current.length() - offset);
            current.getChars(offset, offset + count, buffer, bufferOffset);
            offset += count;
            return count;
        }

        void skipRest()
                throws IOException
        {
            while (!finished) {
                advance();
            }
        }

        private boolean advance()
                throws IOException
        {
            if (finished) {
                return false;
            }
            String next = lines.readLine();
            if (next == null || isEndOfData(next)) {
                finished = true;
                current = "";
                offset = 0;
                return false;
            }
            current = next;
            offset = 0;
            return true;
        }

        @Override
        public void close()
        {
            // the script reader owns the input
        }
    }

    /**
     * Splits the arguments of a meta-command as psql does for {@code \connect}: separated by whitespace, with
     * single-quoted parts (where {@code ''} and backslash escapes work), double-quoted parts (case and spaces kept,
     * {@code ""} for a quote) and unquoted trailing semicolons removed.
     */
    static List<String> splitArguments(String arguments)
    {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inArgument = false;
        int unquotedTail = 0;
        int index = 0;
        while (index < arguments.length()) {
            char character = arguments.charAt(index);
            if (Character.isWhitespace(character)) {
                if (inArgument) {
                    result.add(stripSemicolons(current, unquotedTail));
                    current.setLength(0);
                    inArgument = false;
                }
                index++;
                continue;
            }
            inArgument = true;
            if (character == '\'' || character == '"') {
                unquotedTail = 0;
                index++;
                while (index < arguments.length()) {
                    char quoted = arguments.charAt(index);
                    if (quoted == character) {
                        if (index + 1 < arguments.length() && arguments.charAt(index + 1) == character) {
                            current.append(character);
                            index += 2;
                            continue;
                        }
                        index++;
                        break;
                    }
                    if (character == '\'' && quoted == '\\' && index + 1 < arguments.length()) {
                        char escaped = arguments.charAt(index + 1);
                        current.append(switch (escaped) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            case 'b' -> '\b';
                            case 'f' -> '\f';
                            default -> escaped;
                        });
                        index += 2;
                        continue;
                    }
                    current.append(quoted);
                    index++;
                }
                continue;
            }
            current.append(character);
            unquotedTail = character == ';' ? unquotedTail + 1 : 0;
            index++;
        }
        if (inArgument) {
            result.add(stripSemicolons(current, unquotedTail));
        }
        return result;
    }

    private static String stripSemicolons(StringBuilder argument, int unquotedTrailingSemicolons)
    {
        return argument.substring(0, argument.length() - unquotedTrailingSemicolons);
    }

    private static boolean isEndOfData(String text)
    {
        return text.equals("\\.\n") || text.equals("\\.\r\n") || text.equals("\\.");
    }

    /** Reads lines with their terminators ({@code \n}), counting them. */
    static final class LineReader
            implements Closeable
    {
        private final Reader reader;
        private final char[] buffer = new char[64 * 1024];
        private int start;
        private int end;
        private int lineNumber;
        private boolean endOfInput;

        LineReader(Reader reader)
        {
            this.reader = requireNonNull(reader, "reader is null");
        }

        /** The next line, with its {@code \n} when it has one, or null at the end. */
        String readLine()
                throws IOException
        {
            StringBuilder longLine = null;
            while (true) {
                for (int index = start; index < end; index++) {
                    if (buffer[index] == '\n') {
                        String text;
                        if (longLine == null) {
                            text = new String(buffer, start, index + 1 - start);
                        }
                        else {
                            text = longLine.append(buffer, start, index + 1 - start).toString();
                        }
                        start = index + 1;
                        lineNumber++;
                        return text;
                    }
                }
                if (start < end) {
                    if (longLine == null) {
                        longLine = new StringBuilder(Math.max(256, (end - start) * 2));
                    }
                    longLine.append(buffer, start, end - start);
                }
                start = 0;
                end = 0;
                if (endOfInput || !fill()) {
                    if (longLine == null || longLine.isEmpty()) {
                        return null;
                    }
                    lineNumber++;
                    return longLine.toString();
                }
            }
        }

        int lineNumber()
        {
            return lineNumber;
        }

        private boolean fill()
                throws IOException
        {
            int count = reader.read(buffer, 0, buffer.length);
            while (count == 0) {
                count = reader.read(buffer, 0, buffer.length);
            }
            if (count < 0) {
                endOfInput = true;
                return false;
            }
            end = count;
            return true;
        }

        @Override
        public void close()
                throws IOException
        {
            reader.close();
        }
    }
}
