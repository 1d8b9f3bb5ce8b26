package dev.dolly.core.image.build;

import dev.dolly.core.engine.DeferredIndexes;
import dev.dolly.core.engine.LoadPlan;
import dev.dolly.core.engine.RestoredBackup;

import java.nio.file.Path;

/**
 * Restores the backups, or runs the scripts, in order, then checks that the initial database exists. The data ends up
 * in the initial database, or else in the database the last backup or script connected to.
 *
 * <p>Before a transform, a load of one backup and nothing after it (no post-script, which may need them) leaves the
 * backup's indexes and constraints out when the engine can ({@link DeferredIndexes}): {@link IndexesStep} adds them
 * after the transform.
 */
final class LoadStep
        implements BuildStep
{
    private final boolean beforeTransform;

    LoadStep(boolean beforeTransform)
    {
        this.beforeTransform = beforeTransform;
    }

    @Override
    public String name()
    {
        return "load";
    }

    @Override
    public boolean isNeeded(BuildContext context)
    {
        return !context.plan().backups().isEmpty() || !context.plan().scripts().isEmpty();
    }

    @Override
    public void run(BuildContext context)
    {
        LoadPlan plan = context.plan();
        boolean defersIndexes = beforeTransform && plan.backups().size() == 1 && plan.scripts().isEmpty() && plan.postScript().isEmpty();
        for (LoadPlan.Backup backup : plan.backups()) {
            context.progress("Restoring backup " + backup.path().getFileName());
            // plain SQL starts where the load starts; pg_restore restores into the initial database itself
            String database = backup.format() == LoadPlan.BackupFormat.PLAIN ? context.loadDatabase() : plan.dataDatabase(context.loadDatabase());
            if (defersIndexes) {
                RestoredBackup restored = context.engine().restoreWithoutIndexes(context.installation(), context.superuser(), database, backup, context::progress);
                context.setDeferredIndexes(restored.deferredIndexes());
                context.setDataDatabase(plan.dataDatabase(restored.database()));
                continue;
            }
            String endedIn = context.engine().restore(context.installation(), context.superuser(), database, backup, context::progress);
            context.setDataDatabase(plan.dataDatabase(endedIn));
        }
        for (Path script : plan.scripts()) {
            context.progress("Running script " + script.getFileName());
            String endedIn = context.engine().runScript(context.installation(), context.superuser(), context.loadDatabase(), script, context::progress);
            context.setDataDatabase(plan.dataDatabase(endedIn));
        }
        if (plan.initialDatabase().isPresent()) {
            context.engine().checkDatabaseExists(context.installation(), context.superuser(), plan.initialDatabase().get());
        }
    }
}
