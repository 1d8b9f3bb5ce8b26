package dev.dolly.bench;

/** What a soak client times: the API calls, and the queries that check a container's data over JDBC. */
enum SoakOperation
{
    CREATE("create"),
    SAVE("save"),
    LOAD("load"),
    DELETE("delete"),
    QUERY("query");

    private final String id;

    SoakOperation(String id)
    {
        this.id = id;
    }

    String id()
    {
        return id;
    }

    @Override
    public String toString()
    {
        return id;
    }
}
