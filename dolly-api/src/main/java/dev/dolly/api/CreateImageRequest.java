package dev.dolly.api;

import java.util.List;
import java.util.Map;

/**
 * Asks the daemon to build an image from an image definition (Spawn's YAML format).
 *
 * <p>The files the definition names come either from an upload ({@code POST /api/v1/uploads}, which is how every
 * remote client sends them) or, for the local administrator only, from a directory on the daemon's machine.
 *
 * @param definition the YAML text
 * @param sourceDirectory absolute directory on the daemon's machine that relative paths in the definition are resolved
 *         against (the YAML file's directory); only the local administrator may name one; {@code null} with {@code upload}
 * @param name overrides the definition's {@code name}, or {@code null}
 * @param tags added to the definition's tags
 * @param teams added to the definition's teams
 * @param lifetime overrides the definition's lifetime ({@code 90m}, {@code 48h}, {@code 7d}, {@code 0}), or {@code null}
 * @param upload the ID of an upload of the caller holding the files the definition names, relative to the definition's
 *         directory; the daemon deletes it once the build is over; {@code null} with {@code sourceDirectory}
 * @param pool how many containers of the image to keep started and idle once it is ready, which creations take at
 *         once ({@code 0} or {@code null}: none)
 * @param variables values for the {@code ${name}} variables of the definition's {@code transform:}, over its own
 *         ({@code --set name=value})
 * @param transformSalt the masking salt the definition's {@code transform.salt: env:NAME} names, read by the client from
 *         its environment; used for the build only, never stored; {@code null} to take it from the daemon's environment
 * @param dryRun builds only up to the transform, then undoes everything and records nothing ({@code --dry-run}): the
 *         image, whose definition must have a {@code transform:}, is PENDING while it runs, then leaves the list; read
 *         by its ID for an hour afterwards, it is READY with the transform's report (or FAILED with the reason)
 */
public record CreateImageRequest(
        String definition,
        String sourceDirectory,
        String name,
        List<String> tags,
        List<String> teams,
        String lifetime,
        String upload,
        Integer pool,
        Map<String, String> variables,
        String transformSalt,
        Boolean dryRun)
{
    public CreateImageRequest
    {
        tags = tags == null ? List.of() : List.copyOf(tags);
        teams = teams == null ? List.of() : List.copyOf(teams);
        variables = variables == null ? Map.of() : Map.copyOf(variables);
    }

    /** A request without a pool, variables or salt. */
    public CreateImageRequest(String definition, String sourceDirectory, String name, List<String> tags, List<String> teams, String lifetime, String upload)
    {
        this(definition, sourceDirectory, name, tags, teams, lifetime, upload, null, Map.of(), null, null);
    }

    /** A request with a pool, without variables or salt. */
    public CreateImageRequest(String definition, String sourceDirectory, String name, List<String> tags, List<String> teams, String lifetime, String upload,
            Integer pool)
    {
        this(definition, sourceDirectory, name, tags, teams, lifetime, upload, pool, Map.of(), null, null);
    }

    /** A request without a pool. */
    public CreateImageRequest(String definition, String sourceDirectory, String name, List<String> tags, List<String> teams, String lifetime, String upload,
            Map<String, String> variables, String transformSalt)
    {
        this(definition, sourceDirectory, name, tags, teams, lifetime, upload, null, variables, transformSalt, null);
    }

    /** This request with a pool ({@code --pool}) and, if asked, as a dry run ({@code --dry-run}). */
    public CreateImageRequest with(Integer pool, boolean dryRun)
    {
        return new CreateImageRequest(definition, sourceDirectory, name, tags, teams, lifetime, upload, pool, variables, transformSalt, dryRun ? Boolean.TRUE : null);
    }

    /** Whether this is a dry run, which keeps nothing. */
    public boolean asksForDryRun()
    {
        return Boolean.TRUE.equals(dryRun);
    }

    /** The salt stays out of logs and error messages that print the request. */
    @Override
    public String toString()
    {
        return "CreateImageRequest[name=" + name + ", sourceDirectory=" + sourceDirectory + ", upload=" + upload + ", pool=" + pool + ", variables=" + variables
                + ", transformSalt=" + (transformSalt == null ? "none" : "(hidden)") + ", dryRun=" + asksForDryRun() + "]";
    }
}
