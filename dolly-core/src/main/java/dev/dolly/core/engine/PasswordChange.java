package dev.dolly.core.engine;

/**
 * A password change made ready ahead of time ({@link Engine#preparePasswordChange}): the new password chosen, and for
 * engines that can, a superuser session already logged in with the statement that sets it prepared, so that
 * {@link #apply} is one statement over an open connection. A warm pool holds one per container, for its take.
 */
public interface PasswordChange
        extends AutoCloseable
{
    /** The password the user has once {@link #apply} returns. */
    String newPassword();

    /** Gives the user {@link #newPassword}; the session, if any, is closed afterwards. */
    void apply();

    /** Closes the session, if any, without changing the password; nothing when it was applied. */
    @Override
    void close();

    /** A change that logs in only when applied, through {@link Engine#changePassword}. */
    static PasswordChange onApply(Engine engine, Endpoint superuser, String user, String newPassword)
    {
        return new PasswordChange()
        {
            @Override
            public String newPassword()
            {
                return newPassword;
            }

            @Override
            public void apply()
            {
                engine.changePassword(superuser, user, newPassword);
            }

            @Override
            public void close()
            {
            }
        };
    }
}
