using System.CommandLine;

namespace HotelAgent.Cli.Commands;

/// <summary>Every top-level command of <c>hotel-agent</c>.</summary>
public static class CliCommands
{
    public static IEnumerable<Command> All() =>
    [
        ChatCommand.Create(),
    ];
}
