package dev.dolly.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly completion bash|zsh|fish}: prints the shell's completion script. */
@Command(
        name = "completion",
        description = {
                "Print a completion script for bash, zsh or fish: commands, options, and image and container names asked of the daemon.",
                "bash: source <(dolly completion bash)   (in ~/.bashrc; or save it in /etc/bash_completion.d/dolly)",
                "zsh:  source <(dolly completion zsh)    (in ~/.zshrc, after compinit; or save it as _dolly in a directory of $fpath)",
                "fish: dolly completion fish > ~/.config/fish/completions/dolly.fish",
        })
final class CompletionCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", completionCandidates = CompletionScripts.Shells.class, description = "bash, zsh or fish.")
    String shell;

    CompletionCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        context.stdout().print(CompletionScripts.script(shell, spec.root().name(), spec.commandLine()));
        return 0;
    }
}
