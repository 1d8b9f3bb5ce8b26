package dev.dolly.cli.command;

import dev.dolly.api.AccessToken;
import dev.dolly.cli.output.RelativeTime;
import dev.dolly.cli.output.TableWriter;

/** The columns of {@code dolly get access-tokens}. */
final class AccessTokenTable
{
    private AccessTokenTable() {}

    static ResourceOutput<AccessToken> output(CommandContext context)
    {
        return new ResourceOutput<>(context, token -> String.valueOf(token.id()), tokens -> {
            TableWriter table = new TableWriter("ID", "PURPOSE", "CREATED", "LAST USED", "EXPIRES");
            for (AccessToken token : tokens) {
                table.addRow(String.valueOf(token.id()), token.purpose(), Cells.created(token.createdAt(), context.now()),
                        token.lastUsedAt() == null ? "never" : RelativeTime.format(token.lastUsedAt(), context.now()),
                        RelativeTime.expiry(token.expiresAt(), context.now()));
            }
            return table;
        });
    }
}
