package dev.dolly.bench;

import com.fasterxml.jackson.annotation.JsonValue;

/** The database engine of the images: PostgreSQL 15, or MariaDB 11.4 with the same tables. */
enum Engine
{
    POSTGRESQL("postgresql"),
    MARIADB("mariadb");

    private final String id;

    Engine(String id)
    {
        this.id = id;
    }

    /** The engine's name in image definitions and in the API. */
    @JsonValue
    String id()
    {
        return id;
    }

    /** The size of the connection's database: data and indexes. */
    String databaseSizeQuery()
    {
        return switch (this) {
            case POSTGRESQL -> "select pg_database_size(current_database())";
            case MARIADB -> "select sum(data_length + index_length) from information_schema.tables where table_schema = database()";
        };
    }

    /** What the results call the database's size: {@code pg_database_size}, or the tables' data and indexes. */
    String databaseSizeColumn()
    {
        return this == POSTGRESQL ? "pg_database_size" : "data and indexes";
    }

    /** Result files: {@code clone-cow.json}, {@code revisions.md}, … for PostgreSQL; {@code clone-mariadb.json}, … for MariaDB. */
    String resultFileName(String stem)
    {
        return this == POSTGRESQL ? stem : (stem.equals("clone-cow") ? "clone" : stem) + "-" + id;
    }

    static Engine fromId(String id)
    {
        for (Engine engine : values()) {
            if (engine.id.equals(id)) {
                return engine;
            }
        }
        throw new IllegalArgumentException("Unknown engine '" + id + "': use postgresql or mariadb");
    }

    /** The engine of an image or container as the API names it. */
    static Engine of(String apiName)
    {
        return apiName.equals("postgresql") ? POSTGRESQL : MARIADB;
    }

    @Override
    public String toString()
    {
        return id;
    }
}
