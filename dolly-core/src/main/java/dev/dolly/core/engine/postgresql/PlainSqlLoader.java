package dev.dolly.core.engine.postgresql;

import dev.dolly.api.DollyException;
import dev.dolly.core.engine.DatabaseStatements;
import dev.dolly.core.engine.ProgressListener;
import dev.dolly.core.engine.postgresql.SqlScriptReader.Command;
import dev.dolly.core.engine.postgresql.SqlScriptReader.MetaCommand;
import dev.dolly.core.engine.postgresql.SqlScriptReader.SqlStatement;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.io.FilterInputStream;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * Runs SQL scripts as psql would, without psql: pg_dump's plain format and common hand-written scripts.
 * <p>
 * Statements run one by one on an autocommit connection, as psql runs them by default, so that {@code CREATE
 * DATABASE} and friends work; the first error stops the script, as with {@code ON_ERROR_STOP}. {@code COPY ... FROM
 * stdin} blocks are streamed to the server. Of psql's meta-commands, {@code \connect} switches databases; those that
 * only affect psql's own output or variables ({@code \set}, {@code \echo}, {@code \restrict}, {@code \encoding}, ...)
 * are ignored; any other fails the load. Scripts are read as UTF-8.
 * <p>
 * Each connection is set to {@code synchronous_commit = off}: a load commits after every statement, and waiting for
 * each commit to reach the disk would make it many times slower, for no benefit (a load interrupted by a crash is
 * redone anyway). Connections opened with {@code preferQueryMode=simple} save the server some work per statement.
 */
public final class PlainSqlLoader
{
    /** Opens a connection to a database of the server being loaded, as the superuser. */
    @FunctionalInterface
    public interface ConnectionFactory
    {
        Connection open(String database)
                throws SQLException;
    }

    private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int EXCERPT_LENGTH = 80;
    private static final Set<String> IGNORED_META_COMMANDS = Set.of(
            // pg_dump 17.6 and the other August 2025 releases fence their output with these
            "restrict", "unrestrict",
            // psql variables and client settings: nothing to do without psql
            "set", "unset", "encoding", "pset", "timing", "x");
    private static final Set<String> ECHO_META_COMMANDS = Set.of("echo", "qecho", "warn");
    private static final Pattern CLIENT_ENCODING = Pattern.compile(
            "(?is)set\\s+(?:session\\s+)?client_encoding\\s*(?:=|to)\\s*'?\"?([^'\";\\s]+).*");
    private static final Pattern COPY_LINE = Pattern.compile("\\bline (\\d+)\\b");
    private static final Pattern DATABASE_STATEMENT = Pattern.compile(
            "(?is)(create|drop)\\s+database\\s+(?:if\\s+exists\\s+)?(\"(?:[^\"]|\"\")+\"|[^\\s;(\"]+).*");
    private static final String IDENTIFIER = "(?:\"(?:[^\"]|\"\")*\"|[\\p{L}_][\\p{L}\\p{N}_$]*)";
    /** {@code COPY schema.table (a, b) FROM stdin;} as pg_dump writes it, without options: the table, the columns. */
    private static final Pattern PLAIN_COPY_FROM_STDIN = Pattern.compile(
            "(?is)\\s*COPY\\s+(" + IDENTIFIER + "(?:\\s*\\.\\s*" + IDENTIFIER + ")?)\\s*(\\([^)]*\\))?\\s*FROM\\s+stdin\\s*;?\\s*");
    /** Whether a table can be emptied and filled frozen: an ordinary table no other table references, without truncate triggers. */
    private static final String FROZEN_COPY_CHECK = """
            SELECT c.relkind = 'r'
                AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.confrelid = c.oid AND k.conrelid <> c.oid)
                AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE t.tgrelid = c.oid AND (t.tgtype & 32) <> 0)
            FROM pg_catalog.pg_class c
            WHERE c.oid = pg_catalog.to_regclass(?)
            """;

    private final ConnectionFactory connections;

    public PlainSqlLoader(ConnectionFactory connections)
    {
        this.connections = requireNonNull(connections, "connections is null");
    }

    /**
     * Runs a script file, starting in {@code database}; {@code \connect} switches databases as the script goes.
     *
     * @return the database the script ended in
     * @throws dev.dolly.api.DollyException LOAD_FAILED naming the file, the line and the server's message
     */
    public String load(Path script, String database, ProgressListener progress)
    {
        requireNonNull(script, "script is null");
        requireNonNull(database, "database is null");
        requireNonNull(progress, "progress is null");
        String sourceName = script.getFileName() == null ? script.toString() : script.getFileName().toString();
        long size;
        InputStream input;
        try {
            size = Files.size(script);
            input = Files.newInputStream(script);
        }
        catch (NoSuchFileException e) {
            throw DollyException.badInput("The script " + script + " does not exist");
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot read the script " + script + ": " + e.getMessage(), e);
        }
        CountingInputStream counting = new CountingInputStream(input);
        Reader reader = new InputStreamReader(counting, UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
        return run(reader, sourceName, database, progress, counting::count, size);
    }

    /**
     * Reads a script file through (without running it) for statements that create or drop {@code database}: such a
     * script expects to run from another database, as psql run from {@code postgres} would.
     */
    public static DatabaseStatements databaseStatements(Path script, String database)
    {
        requireNonNull(script, "script is null");
        requireNonNull(database, "database is null");
        try (Reader reader = new InputStreamReader(Files.newInputStream(script), UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE))) {
            return databaseStatements(reader, database);
        }
        catch (NoSuchFileException e) {
            throw DollyException.badInput("The script " + script + " does not exist");
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot read the script " + script + ": " + e.getMessage(), e);
        }
    }

    /** Like {@link #databaseStatements(Path, String)}, for SQL text (a pre- or post-script). */
    public static DatabaseStatements databaseStatements(String sql, String database)
    {
        requireNonNull(sql, "sql is null");
        requireNonNull(database, "database is null");
        try (Reader reader = new StringReader(sql)) {
            return databaseStatements(reader, database);
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static DatabaseStatements databaseStatements(Reader input, String database)
            throws IOException
    {
        boolean creates = false;
        boolean drops = false;
        try (SqlScriptReader reader = new SqlScriptReader(input)) {
            for (Command command = reader.next(); command != null; command = reader.next()) {
                if (!(command instanceof SqlStatement statement) || statement.copy() != SqlScriptReader.CopyData.NONE
                        || !(statement.sql().regionMatches(true, 0, "create", 0, 6) || statement.sql().regionMatches(true, 0, "drop", 0, 4))) {
                    continue;
                }
                Matcher matcher = DATABASE_STATEMENT.matcher(statement.sql());
                if (matcher.matches() && identifier(matcher.group(2)).equals(database)) {
                    if (matcher.group(1).equalsIgnoreCase("create")) {
                        creates = true;
                    }
                    else {
                        drops = true;
                    }
                    if (creates && drops) {
                        break;
                    }
                }
            }
        }
        return new DatabaseStatements(creates, drops);
    }

    /** An identifier as PostgreSQL reads it: quoted as written, else folded to lower case. */
    private static String identifier(String text)
    {
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            return text.substring(1, text.length() - 1).replace("\"\"", "\"");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    /** Runs SQL text (a pre- or post-script), named {@code sourceName} in error messages. */
    public String execute(String sql, String sourceName, String database, ProgressListener progress)
    {
        requireNonNull(sql, "sql is null");
        requireNonNull(sourceName, "sourceName is null");
        requireNonNull(database, "database is null");
        requireNonNull(progress, "progress is null");
        CountingReader counting = new CountingReader(new StringReader(sql));
        return run(counting, sourceName, database, progress, counting::count, sql.length());
    }

    /** Runs a script read as it comes (the output of a program), named {@code sourceName} in messages; its size is unknown. */
    public String load(Reader script, String sourceName, String database, ProgressListener progress)
    {
        requireNonNull(script, "script is null");
        requireNonNull(sourceName, "sourceName is null");
        requireNonNull(database, "database is null");
        requireNonNull(progress, "progress is null");
        CountingReader counting = new CountingReader(script);
        return run(counting, sourceName, database, progress, counting::count, -1);
    }

    private String run(Reader input, String sourceName, String database, ProgressListener progress, LongSupplier position, long size)
    {
        try (SqlScriptReader reader = new SqlScriptReader(input);
                ScriptRun run = new ScriptRun(reader, sourceName, progress, position, size)) {
            return run.run(database);
        }
        catch (CharacterCodingException e) {
            throw DollyException.loadFailed(sourceName + " is not valid UTF-8 (" + e.getMessage() + "): Dolly reads scripts as UTF-8; convert it first, with iconv for example", e);
        }
        catch (IOException e) {
            throw DollyException.storageFailed("Cannot read " + sourceName + ": " + e.getMessage(), e);
        }
    }

    /** One run of a script: the connection it is on, and how far it went. */
    private final class ScriptRun
            implements AutoCloseable
    {
        private final SqlScriptReader reader;
        private final String sourceName;
        private final ProgressListener progress;
        private final LongSupplier position;
        private final long size;

        private Connection connection;
        private String database;
        private long statements;
        private long lastReport = System.nanoTime();
        private int lastPercent;

        ScriptRun(SqlScriptReader reader, String sourceName, ProgressListener progress, LongSupplier position, long size)
        {
            this.reader = reader;
            this.sourceName = sourceName;
            this.progress = progress;
            this.position = position;
            this.size = size;
        }

        String run(String initialDatabase)
                throws IOException
        {
            long start = System.nanoTime();
            progress.progress("Loading " + sourceName);
            connection = connect(initialDatabase, 0);
            database = initialDatabase;
            Command command;
            while (true) {
                try {
                    command = reader.next();
                }
                catch (CharacterCodingException e) {
                    throw DollyException.loadFailed(sourceName + " line " + (reader.lineNumber() + 1) + " is not valid UTF-8: Dolly reads scripts as UTF-8; convert the script first, with iconv for example", e);
                }
                if (command == null) {
                    break;
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw DollyException.failed("Loading " + sourceName + " was interrupted on line " + command.line());
                }
                switch (command) {
                    case SqlStatement statement -> execute(statement);
                    case MetaCommand metaCommand -> metaCommand(metaCommand);
                }
                reportProgress();
            }
            progress.progress(String.format(Locale.ROOT, "Loaded %s: %,d statements in %.1f s", sourceName, statements, (System.nanoTime() - start) / 1e9));
            return database;
        }

        private void execute(SqlStatement statement)
                throws IOException
        {
            statements++;
            checkClientEncoding(statement);
            try {
                switch (statement.copy()) {
                    case FROM_STDIN -> copyIn(statement);
                    case TO_STDOUT -> copyManager().copyOut(statement.sql(), OutputStream.nullOutputStream());
                    case NONE -> {
                        try (Statement jdbcStatement = connection.createStatement()) {
                            jdbcStatement.setEscapeProcessing(false);
                            jdbcStatement.execute(statement.sql());
                        }
                    }
                }
                if (connection.isWrapperFor(BaseConnection.class)) {
                    reader.standardConformingStrings(connection.unwrap(BaseConnection.class).getStandardConformingStrings());
                }
            }
            catch (SQLException e) {
                throw statementFailed(statement, e);
            }
        }

        /**
         * Streams a {@code COPY ... FROM stdin}. Into an empty ordinary table, outside any transaction the script
         * opened, it runs as {@code TRUNCATE ONLY} plus {@code COPY ... WITH (FREEZE)} in one transaction: the rows
         * are written frozen and visible to all (sealing the image need not rewrite every page for it), and with
         * {@code wal_level = minimal} without WAL. A table others reference by foreign key, or with truncate
         * triggers, gets a plain {@code COPY}.
         */
        private void copyIn(SqlStatement statement)
                throws SQLException, IOException
        {
            Matcher copy = PLAIN_COPY_FROM_STDIN.matcher(statement.sql());
            if (copy.matches() && startFrozenCopy(copy.group(1))) {
                boolean committed = false;
                try {
                    copyManager().copyIn("COPY " + copy.group(1) + (copy.group(2) == null ? "" : " " + copy.group(2)) + " FROM stdin WITH (FREEZE)",
                            reader.copyData(), 64 * 1024);
                    connection.commit();
                    committed = true;
                }
                finally {
                    if (!committed) {
                        rollbackQuietly();
                    }
                    connection.setAutoCommit(true);
                }
                return;
            }
            copyManager().copyIn(statement.sql(), reader.copyData(), 64 * 1024);
        }

        /**
         * Opens a transaction that has emptied the table with {@code TRUNCATE ONLY}, when the table is an empty,
         * ordinary one that can be truncated; otherwise leaves the connection as it was and answers false.
         */
        private boolean startFrozenCopy(String table)
                throws SQLException
        {
            if (!connection.isWrapperFor(BaseConnection.class)
                    || connection.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE) {
                return false;
            }
            connection.setAutoCommit(false);
            boolean started = false;
            try (Statement jdbcStatement = connection.createStatement()) {
                jdbcStatement.setEscapeProcessing(false);
                try (PreparedStatement check = connection.prepareStatement(FROZEN_COPY_CHECK)) {
                    check.setString(1, table);
                    try (ResultSet rows = check.executeQuery()) {
                        if (!rows.next() || !rows.getBoolean(1)) {
                            return false;
                        }
                    }
                    jdbcStatement.execute("LOCK TABLE ONLY " + table + " IN ACCESS EXCLUSIVE MODE");
                    try (ResultSet rows = jdbcStatement.executeQuery("SELECT EXISTS (SELECT 1 FROM ONLY " + table + ")")) {
                        if (!rows.next() || rows.getBoolean(1)) {
                            return false;
                        }
                    }
                    jdbcStatement.execute("TRUNCATE ONLY " + table);
                }
                catch (SQLException e) {
                    // whatever kept the table from being emptied (a lock it cannot take, a privilege), the plain COPY
                    // will meet or report it
                    return false;
                }
                started = true;
                return true;
            }
            finally {
                if (!started) {
                    rollbackQuietly();
                    connection.setAutoCommit(true);
                }
            }
        }

        private void rollbackQuietly()
        {
            try {
                connection.rollback();
            }
            catch (SQLException ignored) {
                // the connection is closed or broken: the COPY's own error says more
            }
        }

        private CopyManager copyManager()
                throws SQLException
        {
            return connection.unwrap(PGConnection.class).getCopyAPI();
        }

        private void checkClientEncoding(SqlStatement statement)
        {
            if (!statement.sql().regionMatches(true, 0, "set", 0, 3)) {
                return;
            }
            Matcher matcher = CLIENT_ENCODING.matcher(statement.sql());
            if (!matcher.matches()) {
                return;
            }
            String encoding = matcher.group(1).toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
            if (!encoding.equals("UTF8") && !encoding.equals("UNICODE") && !encoding.equals("DEFAULT")) {
                throw DollyException.loadFailed(sourceName + " line " + statement.line() + ": the script sets client_encoding to " + matcher.group(1)
                        + ", but Dolly reads scripts as UTF-8 only; convert the script to UTF-8 (iconv -f " + matcher.group(1) + " -t UTF-8) and change that line to UTF8");
            }
        }

        private DollyException statementFailed(SqlStatement statement, SQLException e)
        {
            int line = statement.line();
            String where = "";
            if (e instanceof PSQLException psqlException && psqlException.getServerErrorMessage() != null) {
                ServerErrorMessage serverError = psqlException.getServerErrorMessage();
                if (statement.copy() == SqlScriptReader.CopyData.FROM_STDIN && serverError.getWhere() != null) {
                    Matcher matcher = COPY_LINE.matcher(serverError.getWhere());
                    if (matcher.find()) {
                        int dataLine = reader.copyDataLine() + Integer.parseInt(matcher.group(1)) - 1;
                        where = " (data line " + dataLine + ")";
                    }
                }
            }
            return DollyException.loadFailed(sourceName + " line " + line + where + ": " + excerpt(statement.sql()) + ": " + serverMessage(e), e);
        }

        private void metaCommand(MetaCommand command)
        {
            String name = command.name();
            if (name.equals("c") || name.equals("connect")) {
                connect(command);
                return;
            }
            if (IGNORED_META_COMMANDS.contains(name)) {
                return;
            }
            if (ECHO_META_COMMANDS.contains(name)) {
                progress.progress(String.join(" ", SqlScriptReader.splitArguments(command.arguments())));
                return;
            }
            throw DollyException.loadFailed(sourceName + ": psql meta-command \\" + name + " on line " + command.line()
                    + " is not supported; remove it or run the script with psql");
        }

        private void connect(MetaCommand command)
        {
            String target = connectTarget(command);
            Connection next = connect(target, command.line());
            closeQuietly(connection);
            connection = next;
            database = target;
        }

        private String connectTarget(MetaCommand command)
        {
            List<String> arguments = SqlScriptReader.splitArguments(command.arguments());
            for (String argument : arguments) {
                if (argument.startsWith("-") && !argument.equals("-")) {
                    // -reuse-previous=on, written by pg_dump before a connection string
                    continue;
                }
                if (argument.isEmpty() || argument.equals("-")) {
                    return database;
                }
                if (argument.startsWith("postgresql://") || argument.startsWith("postgres://")) {
                    throw DollyException.loadFailed(sourceName + " line " + command.line() + ": \\connect with a URI is not supported; write \\connect DATABASE");
                }
                if (argument.contains("=")) {
                    String databaseName = connectionStringDatabase(argument);
                    return databaseName == null ? database : databaseName;
                }
                return argument;
            }
            return database;
        }

        private Connection connect(String target, int line)
        {
            Connection opened = null;
            try {
                opened = connections.open(target);
                opened.setAutoCommit(true);
                try (Statement statement = opened.createStatement()) {
                    statement.execute("SET synchronous_commit TO off");
                }
                return opened;
            }
            catch (SQLException e) {
                closeQuietly(opened);
                String where = line == 0 ? sourceName : sourceName + " line " + line;
                throw DollyException.loadFailed(where + ": cannot connect to database \"" + target + "\": " + serverMessage(e), e);
            }
        }

        private void reportProgress()
        {
            long now = System.nanoTime();
            int percent = size <= 0 ? 0 : (int) Math.min(100, position.getAsLong() * 100 / size);
            if (now - lastReport >= PROGRESS_INTERVAL_NANOS || percent >= lastPercent + 5) {
                lastReport = now;
                lastPercent = percent;
                progress.progress(size <= 0
                        ? String.format(Locale.ROOT, "Loading %s: %,d statements", sourceName, statements)
                        : String.format(Locale.ROOT, "Loading %s: %d%% (%,d statements)", sourceName, percent, statements));
            }
        }

        @Override
        public void close()
        {
            closeQuietly(connection);
            connection = null;
        }
    }

    /** The {@code dbname} of a libpq connection string ({@code dbname='x' user=y}), or null. */
    static String connectionStringDatabase(String connectionString)
    {
        int index = 0;
        int length = connectionString.length();
        while (index < length) {
            while (index < length && Character.isWhitespace(connectionString.charAt(index))) {
                index++;
            }
            int keyStart = index;
            while (index < length && connectionString.charAt(index) != '=' && !Character.isWhitespace(connectionString.charAt(index))) {
                index++;
            }
            String key = connectionString.substring(keyStart, index);
            while (index < length && Character.isWhitespace(connectionString.charAt(index))) {
                index++;
            }
            if (index >= length || connectionString.charAt(index) != '=') {
                return null;
            }
            index++;
            while (index < length && Character.isWhitespace(connectionString.charAt(index))) {
                index++;
            }
            StringBuilder value = new StringBuilder();
            if (index < length && connectionString.charAt(index) == '\'') {
                index++;
                while (index < length && connectionString.charAt(index) != '\'') {
                    char character = connectionString.charAt(index);
                    if (character == '\\' && index + 1 < length) {
                        index++;
                        character = connectionString.charAt(index);
                    }
                    value.append(character);
                    index++;
                }
                index++;
            }
            else {
                while (index < length && !Character.isWhitespace(connectionString.charAt(index))) {
                    char character = connectionString.charAt(index);
                    if (character == '\\' && index + 1 < length) {
                        index++;
                        character = connectionString.charAt(index);
                    }
                    value.append(character);
                    index++;
                }
            }
            if (key.equals("dbname")) {
                return value.toString();
            }
        }
        return null;
    }

    /** The first characters of a statement on one line, for error messages. */
    static String excerpt(String sql)
    {
        String flat = sql.strip().replaceAll("\\s+", " ");
        if (flat.length() <= EXCERPT_LENGTH) {
            return flat;
        }
        return flat.substring(0, EXCERPT_LENGTH) + " ...";
    }

    /** The server's message, as psql prints it ("ERROR: relation "x" does not exist"), or the driver's. */
    static String serverMessage(SQLException e)
    {
        if (e instanceof PSQLException psqlException && psqlException.getServerErrorMessage() != null) {
            ServerErrorMessage serverError = psqlException.getServerErrorMessage();
            StringBuilder message = new StringBuilder();
            message.append(serverError.getSeverity() == null ? "ERROR" : serverError.getSeverity())
                    .append(": ")
                    .append(serverError.getMessage());
            if (serverError.getDetail() != null) {
                message.append(" DETAIL: ").append(serverError.getDetail());
            }
            if (serverError.getHint() != null) {
                message.append(" HINT: ").append(serverError.getHint());
            }
            if (serverError.getWhere() != null) {
                message.append(" CONTEXT: ").append(serverError.getWhere());
            }
            return message.toString();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e.getCause() != null && e.getCause().getMessage() != null && !message.contains(e.getCause().getMessage())) {
            message += ": " + e.getCause().getMessage();
        }
        return message;
    }

    private static void closeQuietly(Connection connection)
    {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        }
        catch (SQLException ignored) {
            // nothing more to do with it
        }
    }

    // the count is written by the one thread that reads the stream and read by the progress reporter: no lost updates
    @SuppressWarnings("NonAtomicVolatileUpdate")
    private static final class CountingInputStream
            extends FilterInputStream
    {
        private volatile long count;

        CountingInputStream(InputStream input)
        {
            super(input);
        }

        long count()
        {
            return count;
        }

        @Override
        public int read()
                throws IOException
        {
            int result = super.read();
            if (result >= 0) {
                count++;
            }
            return result;
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
                throws IOException
        {
            int result = super.read(buffer, offset, length);
            if (result > 0) {
                count += result;
            }
            return result;
        }
    }

    private static final class CountingReader
            extends FilterReader
    {
        private long count;

        CountingReader(Reader reader)
        {
            super(reader);
        }

        long count()
        {
            return count;
        }

        @Override
        public int read(char[] buffer, int offset, int length)
                throws IOException
        {
            int result = super.read(buffer, offset, length);
            if (result > 0) {
                count += result;
            }
            return result;
        }
    }
}
