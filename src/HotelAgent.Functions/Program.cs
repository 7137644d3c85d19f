using HotelAgent.Functions;
using HotelAgent.Functions.Hosting;

// Started by the Functions host (func start, Azure): the isolated worker. Otherwise (dotnet run, tests): the same
// function classes served standalone on Kestrel with the durable runtime in process.
if (FunctionsWorkerHost.StartedByFunctionsHost(args))
{
    await FunctionsWorkerHost.RunAsync(args);
    return 0;
}

await using var app = HotelAgentApp.Build(args);
try
{
    await app.StartAsync();
}
catch (Exception exception) when (exception is not OperationCanceledException)
{
    // The host logged the exception with its stack; say why in one line and exit 1 (not an unhandled exception).
    await Console.Error.WriteLineAsync(StartFailure.Describe(exception));
    return StartFailure.ExitCode;
}

await app.WaitForShutdownAsync();
return 0;

/// <summary>Entry point type (also used by tests to locate the assembly).</summary>
public partial class Program;
