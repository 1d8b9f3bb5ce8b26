package dev.dolly.cli.command;

import picocli.CommandLine;

import java.util.Iterator;
import java.util.List;

/**
 * The completion scripts of bash, zsh and fish. Each is a few lines that hand the command line to
 * {@code dolly __complete} (see {@link Completions}) and offer what it answers, so that all three complete the same
 * way, from the commands' own model, and names come from the daemon.
 */
final class CompletionScripts
{
    private static final List<String> SHELLS = List.of("bash", "zsh", "fish");

    private CompletionScripts() {}

    static String script(String shell, String commandName, CommandLine commandLine)
    {
        String function = "_" + commandName.replaceAll("[^A-Za-z0-9_]", "_");
        return switch (shell) {
            case "bash" -> bash(commandName, function);
            case "zsh" -> zsh(commandName, function);
            case "fish" -> fish(commandName, function);
            default -> throw new CommandLine.ParameterException(commandLine, "Unknown shell '" + shell + "': give one of " + String.join(", ", SHELLS) + ".");
        };
    }

    private static String bash(String commandName, String function)
    {
        return """
                # bash completion for %1$s: source <(%1$s completion bash)
                %2$s()
                {
                    local cur words cword
                    if declare -F _get_comp_words_by_ref >/dev/null; then
                        # bash-completion keeps name:tag one word
                        _get_comp_words_by_ref -n : cur words cword
                    else
                        cur="${COMP_WORDS[COMP_CWORD]}"
                        words=("${COMP_WORDS[@]}")
                        cword=$COMP_CWORD
                    fi
                    local candidates
                    candidates="$("${words[0]}" %3$s -- "${words[@]:1:cword}" 2>/dev/null)" || return 0
                    if [[ "$candidates" == "%4$s" ]]; then
                        local IFS=$'\\n'
                        COMPREPLY=($(compgen -f -- "$cur"))
                        compopt -o filenames 2>/dev/null
                        return 0
                    fi
                    local IFS=$'\\n'
                    COMPREPLY=($(compgen -W "$candidates" -- "$cur"))
                    if declare -F __ltrim_colon_completions >/dev/null; then
                        __ltrim_colon_completions "$cur"
                    fi
                }
                complete -F %2$s %1$s
                """.formatted(commandName, function, Completions.COMMAND, Completions.FILES);
    }

    private static String zsh(String commandName, String function)
    {
        return """
                #compdef %1$s
                # zsh completion for %1$s: source <(%1$s completion zsh) after compinit, or save as %2$s in a directory of $fpath
                %2$s()
                {
                    local -a candidates
                    candidates=(${(f)"$(${words[1]} %3$s -- "${(@)words[2,CURRENT]}" 2>/dev/null)"})
                    if [[ "${candidates[1]}" == "%4$s" ]]; then
                        _files
                        return
                    fi
                    compadd -- "${candidates[@]}"
                }
                if [[ "${funcstack[1]}" == "%2$s" ]]; then
                    %2$s "$@"
                else
                    compdef %2$s %1$s
                fi
                """.formatted(commandName, function, Completions.COMMAND, Completions.FILES);
    }

    private static String fish(String commandName, String function)
    {
        return """
                # fish completion for %1$s: %1$s completion fish > ~/.config/fish/completions/%1$s.fish
                function %2$s
                    set -l words (commandline -opc)
                    set -l current (commandline -ct)
                    set -l candidates ($words[1] %3$s -- $words[2..-1] $current 2>/dev/null)
                    if test "$candidates[1]" = "%4$s"
                        __fish_complete_path $current
                        return
                    end
                    printf '%%s\\n' $candidates
                end
                complete -c %1$s -f -a '(%2$s)'
                """.formatted(commandName, function, Completions.COMMAND, Completions.FILES);
    }

    /** The shells, for the completion of {@code dolly completion}. */
    static final class Shells
            implements Iterable<String>
    {
        @Override
        public Iterator<String> iterator()
        {
            return SHELLS.iterator();
        }
    }
}
