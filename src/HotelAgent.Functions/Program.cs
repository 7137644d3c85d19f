using HotelAgent.Functions;

// Started by the Functions host (func start, Azure): the isolated worker. Otherwise (dotnet run, tests): the same
// function classes served standalone on Kestrel with the durable runtime in process.
if (FunctionsWorkerHost.StartedByFunctionsHost(args))
{
    await FunctionsWorkerHost.RunAsync(args);
    return 0;
}

await using var app = HotelAgentApp.Build(args);
await app.RunAsync();
return 0;

/// <summary>Entry point type (also used by tests to locate the assembly).</summary>
public partial class Program;
