package dev.dolly.cli;

import com.fasterxml.jackson.databind.JavaType;
import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.ErrorResponse;
import dev.dolly.api.Json;
import dev.dolly.api.ResourceList;
import dev.dolly.api.ServerInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * What the launcher runs once after each build, with {@code -XX:ArchiveClassesAtExit}, so that the class-data
 * sharing archive holds the classes real commands need: picocli's model, an HTTP request, and JSON both ways.
 * (An archive written by whichever command happens to run first, say {@code dolly version}, would miss most of
 * them, and every later command would start about twice as slowly.)
 */
final class StartUpTraining
{
    private StartUpTraining() {}

    static void run()
            throws IOException
    {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        // a request to a port where nothing listens: parses options, builds the client, fails to connect
        new DollyCommandLine(Map.of("DOLLY_HOME", System.getProperty("java.io.tmpdir") + "/dolly-training"), nowhere, nowhere, InputStream.nullInputStream())
                .run("get", "data-containers", "-q", "--server", "http://127.0.0.1:9", "--access-token", "training");

        // the shapes of the daemon's answers, read and written as the commands do
        String image = "{\"id\":1,\"name\":\"training\",\"tags\":[\"tag\"],\"teams\":[\"org:team\"],\"status\":\"READY\","
                + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"sizeBytes\":1,\"containers\":[]}";
        String container = "{\"id\":1,\"name\":\"training\",\"imageId\":1,\"revision\":\"rev.0\",\"status\":\"READY\",\"port\":54320,"
                + "\"createdAt\":\"2026-01-01T00:00:00Z\"}";
        roundTrip("{\"items\":[" + image + "]}", Json.json().getTypeFactory().constructParametricType(ResourceList.class, DataImage.class));
        roundTrip("{\"items\":[" + container + "]}", Json.json().getTypeFactory().constructParametricType(ResourceList.class, DataContainer.class));
        roundTrip(image, Json.json().constructType(DataImage.class));
        roundTrip(container, Json.json().constructType(DataContainer.class));
        roundTrip("{\"code\":\"NOT_FOUND\",\"message\":\"training\"}", Json.json().constructType(ErrorResponse.class));
        roundTrip("{\"version\":\"0\",\"engines\":[{\"engine\":\"postgresql\"}]}", Json.json().constructType(ServerInfo.class));
    }

    private static void roundTrip(String json, JavaType type)
            throws IOException
    {
        Object value = Json.json().readValue(json, type);
        Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(value);
    }
}
