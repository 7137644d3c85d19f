using System.CommandLine;
using HotelAgent.Cli.Commands;

var root = new RootCommand("hotel-agent: developer and operator commands for HotelAgent");
foreach (var command in CliCommands.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
