package dev.dolly.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * The switch time of a route, seen by a client that is already running: one thread opens a new connection through
 * the route again and again and records when each began and which container answered ({@code SHOW port}), while the
 * main thread runs {@code dolly update route NAME --to OTHER} and notes when each command returned. For each switch
 * it prints, tab-separated: the switch's number, how many connections that began after the command returned still
 * reached the old container, the latest such beginning after the return (ms, 0 when none), and when the first
 * connection to answer from the new container began and ended, relative to the return (ms; a negative beginning
 * is a connection already under way when the command returned).
 *
 * <pre>
 * RouteSwitchClient DOLLY_COMMAND ROUTE ROUTE_PORT USER DATABASE SWITCHES NAME_A:PORT_A:PASSWORD_A NAME_B:PORT_B:PASSWORD_B
 * </pre>
 */
public final class RouteSwitchClient
{
    private record Target(String container, int port, String password)
    {
        static Target parse(String text)
        {
            String[] parts = text.split(":", 3);
            return new Target(parts[0], Integer.parseInt(parts[1]), parts[2]);
        }
    }

    /** One connection through the route: when it began and ended, and the port of the server that answered. */
    private record Answer(long began, long ended, int port) {}

    private RouteSwitchClient() {}

    public static void main(String[] arguments)
            throws Exception
    {
        if (arguments.length != 8) {
            System.err.println("Usage: RouteSwitchClient DOLLY_COMMAND ROUTE ROUTE_PORT USER DATABASE SWITCHES NAME_A:PORT_A:PASSWORD_A NAME_B:PORT_B:PASSWORD_B");
            System.exit(3);
        }
        String dolly = arguments[0];
        String route = arguments[1];
        int routePort = Integer.parseInt(arguments[2]);
        String user = arguments[3];
        String database = arguments[4];
        int switches = Integer.parseInt(arguments[5]);
        List<Target> targets = List.of(Target.parse(arguments[6]), Target.parse(arguments[7]));

        List<Answer> answers = new CopyOnWriteArrayList<>();
        Thread connector = Thread.ofPlatform().daemon().name("connector").start(() -> connectAgainAndAgain(routePort, user, database, targets, answers));
        TimeUnit.MILLISECONDS.sleep(500);
        int current = 0;
        for (int number = 1; number <= switches; number++) {
            Target from = targets.get(current);
            Target to = targets.get(1 - current);
            Commands.run(List.of(dolly, "update", "route", route, "--to", to.container(), "-q"));
            long returned = System.nanoTime();
            TimeUnit.MILLISECONDS.sleep(400);
            report(number, returned, from, to, answers);
            current = 1 - current;
        }
        connector.interrupt();
    }

    private static void report(int number, long returned, Target from, Target to, List<Answer> answers)
    {
        List<Answer> stale = new ArrayList<>();
        Answer firstNew = null;
        for (Answer answer : answers) {
            if (answer.began() > returned && answer.port() == from.port()) {
                stale.add(answer);
            }
            if (answer.port() == to.port() && answer.ended() > returned && (firstNew == null || answer.ended() < firstNew.ended())) {
                firstNew = answer;
            }
        }
        long latestStale = stale.stream().mapToLong(Answer::began).max().orElse(returned);
        requireNonNull(firstNew, "no connection reached " + to.container() + " within 400 ms of the switch");
        System.out.printf("%d\t%d\t%.3f\t%.3f\t%.3f%n", number, stale.size(), milliseconds(latestStale - returned), milliseconds(firstNew.began() - returned),
                milliseconds(firstNew.ended() - returned));
        answers.removeIf(answer -> answer.ended() < returned);
    }

    private static void connectAgainAndAgain(int routePort, String user, String database, List<Target> targets, List<Answer> answers)
    {
        String url = "jdbc:postgresql://127.0.0.1:" + routePort + "/" + database + "?sslmode=disable&connectTimeout=5";
        while (!Thread.currentThread().isInterrupted()) {
            long began = System.nanoTime();
            // the containers have different passwords: the one that is accepted says which one answered, SHOW port confirms it
            for (Target target : targets) {
                Properties properties = new Properties();
                properties.setProperty("user", user);
                properties.setProperty("password", target.password());
                try (Connection connection = DriverManager.getConnection(url, properties);
                        Statement statement = connection.createStatement();
                        ResultSet port = statement.executeQuery("SHOW port")) {
                    port.next();
                    answers.add(new Answer(began, System.nanoTime(), Integer.parseInt(port.getString(1))));
                    break;
                }
                catch (SQLException refused) {
                    // the other container's password: try the next one
                }
            }
        }
    }

    private static double milliseconds(long nanoseconds)
    {
        return nanoseconds / 1_000_000.0;
    }
}
