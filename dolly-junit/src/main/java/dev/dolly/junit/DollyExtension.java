package dev.dolly.junit;

import dev.dolly.api.client.DollyClient;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import javax.sql.DataSource;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Optional;

/**
 * Gives tests real, isolated databases from Dolly data images: parameters and fields annotated with
 * {@link DollyDatabase}, of type {@link DataSource}, {@link String} (the JDBC URL) or {@link DollyDatabaseInfo}.
 *
 * <pre>{@code
 * @ExtendWith(DollyExtension.class)
 * class InvoiceRepositoryTest
 * {
 *     @Test
 *     void deletesInvoices(@DollyDatabase(image = "chinook") DataSource dataSource) { ... }
 * }
 * }</pre>
 *
 * <p>Each test method gets a container of its own ({@link DollyDatabase.Scope#METHOD}), deleted when it ends; with
 * {@link DollyDatabase.Scope#CLASS} the tests of a class share one, brought back to its image after each test. Static
 * fields take {@code scope = CLASS}. The daemon is found as the {@code dolly} command finds it: see the README's
 * "Testing with JUnit". Safe under JUnit's parallel execution: each test's containers are its own, and a class's
 * container is created once however many of its tests ask for it at once.
 */
public final class DollyExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver
{
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DollyExtension.class);

    @Override
    public void beforeAll(ExtensionContext context)
            throws IllegalAccessException
    {
        Class<?> testClass = context.getRequiredTestClass();
        for (Class<?> type = testClass; type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                DollyDatabase annotation = field.getAnnotation(DollyDatabase.class);
                if (annotation == null || !Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                if (annotation.scope() != DollyDatabase.Scope.CLASS) {
                    throw new ExtensionConfigurationException("@DollyDatabase on static field " + type.getSimpleName() + "." + field.getName()
                            + ": a static field lives as long as its class; give it scope = Scope.CLASS, or make it an instance field.");
                }
                inject(field, null, database(annotation, context));
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context)
            throws IllegalAccessException
    {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Class<?> type = instance.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    DollyDatabase annotation = field.getAnnotation(DollyDatabase.class);
                    if (annotation != null && !Modifier.isStatic(field.getModifiers())) {
                        inject(field, instance, database(annotation, context));
                    }
                }
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context)
    {
        Optional.ofNullable(classContext(context).getStore(NAMESPACE).get(TestDatabases.class, TestDatabases.class))
                .ifPresent(TestDatabases::afterTest);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
    {
        if (!parameterContext.isAnnotated(DollyDatabase.class)) {
            return false;
        }
        Class<?> type = parameterContext.getParameter().getType();
        if (!supported(type)) {
            throw new ParameterResolutionException("@DollyDatabase parameter " + parameterContext.getParameter().getName() + " is a " + type.getName()
                    + ": make it a javax.sql.DataSource, a String (the JDBC URL) or a DollyDatabaseInfo.");
        }
        return true;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
    {
        DollyDatabase annotation = parameterContext.findAnnotation(DollyDatabase.class).orElseThrow();
        return value(parameterContext.getParameter().getType(), database(annotation, extensionContext));
    }

    private static void inject(Field field, Object instance, TestDatabase database)
            throws IllegalAccessException
    {
        if (!supported(field.getType())) {
            throw new ExtensionConfigurationException("@DollyDatabase field " + field.getDeclaringClass().getSimpleName() + "." + field.getName()
                    + " is a " + field.getType().getName() + ": make it a javax.sql.DataSource, a String (the JDBC URL) or a DollyDatabaseInfo.");
        }
        if (Modifier.isFinal(field.getModifiers())) {
            throw new ExtensionConfigurationException("@DollyDatabase field " + field.getDeclaringClass().getSimpleName() + "." + field.getName()
                    + " is final: the extension sets it, so it cannot be.");
        }
        field.setAccessible(true);
        field.set(instance, value(field.getType(), database));
    }

    private static boolean supported(Class<?> type)
    {
        return type == DataSource.class || type == String.class || type == DollyDatabaseInfo.class;
    }

    private static Object value(Class<?> type, TestDatabase database)
    {
        if (type == DataSource.class) {
            return database.dataSource();
        }
        if (type == String.class) {
            return database.info().jdbcUrl();
        }
        return database.info();
    }

    /** The annotation's container, in the store of the test or of the class its scope says: created on first use. */
    private static TestDatabase database(DollyDatabase annotation, ExtensionContext context)
    {
        ExtensionContext owner = annotation.scope() == DollyDatabase.Scope.CLASS ? classContext(context) : context;
        TestDatabases databases = owner.getStore(NAMESPACE).computeIfAbsent(TestDatabases.class, key -> new TestDatabases(), TestDatabases.class);
        Session session = session(context);
        ClassLoader classLoader = context.getRequiredTestClass().getClassLoader();
        return databases.get(annotation, key -> TestDatabase.create(session.client(), session.images().imageOf(annotation, classLoader), annotation));
    }

    /** The context of the test class: for a test method (or an invocation of a repeated one), the class it is in. */
    private static ExtensionContext classContext(ExtensionContext context)
    {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    /** One connection to the daemon for the whole run, kept in the root context. */
    private static Session session(ExtensionContext context)
    {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(Session.class, key -> {
            DollyClient client = new DaemonConnection(System.getenv()).connect();
            return new Session(client, new TestImages(client));
        }, Session.class);
    }

    private record Session(DollyClient client, TestImages images) {}
}
