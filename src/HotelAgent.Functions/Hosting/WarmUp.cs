using HotelAgent.Core.Dialog;
using HotelAgent.Core.Health;
using HotelAgent.Core.Nlu;

namespace HotelAgent.Functions.Hosting;

/// <summary>
/// Start-up work that nothing waits for (issue 19):
/// <list type="bullet">
/// <item>Before the other hosted services start (<see cref="StartingAsync"/>), one readiness probe runs in the background:
/// it opens the stores the probe reads (<c>channels.db</c>, the queue store, the data directory) while the durable
/// backend opens its own file, so the SQLite files are created side by side instead of one after the other, and the
/// first <c>/api/health/ready</c> finds them open.</item>
/// <item>Once the host has started (listening), the NLU model is trained and the dialog built, so they do not compete
/// for the two cores with the start itself. A message that arrives before they are done waits only for what is left
/// (the model is built once, on first use, by whoever gets there first).</item>
/// </list>
/// </summary>
public sealed partial class WarmUp(IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<WarmUp> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                _ = await services.GetRequiredService<ReadinessProbe>().RunAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Not fatal here: /api/health/ready runs the same checks and reports what fails.
                LogWarmUpFailed(logger, "stores", ex);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(() =>
        {
            try
            {
                _ = services.GetRequiredService<INluEngine>().Parse("hola", DateOnly.FromDateTime(DateTime.UnixEpoch));
                _ = services.GetRequiredService<ReceptionistDialog>();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Not fatal here: the first message builds them again and reports its own failure.
                LogWarmUpFailed(logger, "NLU model, dialog", ex);
            }
        }, CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background warm-up ({What}) failed; the first request that needs it retries it")]
    private static partial void LogWarmUpFailed(ILogger logger, string what, Exception exception);
}
