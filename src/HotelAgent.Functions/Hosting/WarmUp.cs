using HotelAgent.Core.Dialog;
using HotelAgent.Core.Nlu;

namespace HotelAgent.Functions.Hosting;

/// <summary>
/// Trains the NLU model and builds the dialog in the background as soon as the host starts, so the first guest does not
/// pay for them in full, while start-up (and readiness) does not wait for them: a message that arrives before they are
/// done waits only for what is left (the model is built once, on first use, by whoever gets there first).
/// </summary>
public sealed partial class WarmUp(IServiceProvider services, ILogger<WarmUp> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(() =>
        {
            try
            {
                _ = services.GetRequiredService<INluEngine>().Parse("hola", DateOnly.FromDateTime(DateTime.UnixEpoch));
                _ = services.GetRequiredService<ReceptionistDialog>();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Not fatal here: the first message builds them again and reports its own failure.
                LogWarmUpFailed(logger, ex);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background warm-up (NLU model, dialog) failed; the first message retries it")]
    private static partial void LogWarmUpFailed(ILogger logger, Exception exception);
}
