using HotelAgent.Core.Orchestration;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Tests.Fakes.Orchestration;

/// <summary>Builds standalone engines over a temp SQLite file (several engines may share one file, one after the other).</summary>
public sealed class EngineFactory : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().BuildServiceProvider();
    private readonly bool _deleteOnDispose;

    public EngineFactory()
        : this(Path.Combine(Path.GetTempPath(), "ha-orch-" + Guid.NewGuid().ToString("N")), deleteOnDispose: true)
    {
    }

    public EngineFactory(string directory, bool deleteOnDispose)
    {
        Directory = directory;
        _deleteOnDispose = deleteOnDispose;
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }
    public string DatabasePath => Path.Combine(Directory, "orchestrations.db");

    public StandaloneOrchestrationEngine Create(OrchestratorRegistry orchestrators, ActivityRegistry activities, StandaloneEngineOptions? options = null) =>
        new(DatabasePath, new OrchestrationExecutor(orchestrators, _services), new ActivityDispatcher(activities, _services.GetRequiredService<IServiceScopeFactory>()),
            options ?? new StandaloneEngineOptions { PollInterval = TimeSpan.FromMilliseconds(200) });

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int timeoutMs = 15000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting for: " + what);
            }

            await Task.Delay(10);
        }
    }

    public void Dispose()
    {
        _services.Dispose();
        if (!_deleteOnDispose)
        {
            return;
        }

        try
        {
            System.IO.Directory.Delete(Directory, true);
        }
        catch (IOException)
        {
        }
    }
}
