using System.CommandLine;
using HotelAgent.Cli.Commands;

namespace HotelAgent.Cli;

public static class Program
{
    /// <summary>Top-level commands; add new ones here.</summary>
    public static IReadOnlyList<Command> Commands() =>
    [
        NluCommands.Create(),
        ChatCommand.Create(),
        PublishCommand.Create(),
        StatsCommand.Create(),
    ];

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("HotelAgent command-line tools");
        foreach (var command in Commands())
            root.Subcommands.Add(command);
        return root;
    }

    public static Task<int> Main(string[] args) => BuildRoot().Parse(args).InvokeAsync();
}
