using HotelAgent.Functions.Definitions;

namespace HotelAgent.Functions.Hosting.Standalone;

/// <summary>
/// Standalone mode: runs every timer-triggered function on its NCRONTAB schedule (resolving <c>%Setting%</c>
/// expressions from configuration, as the host does). A failing run is logged and retried on the next tick.
/// </summary>
public sealed partial class StandaloneTimerScheduler(
    FunctionCatalog catalog,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<StandaloneTimerScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(catalog.OfType<ITimerFunction>().Select(f => RunScheduleAsync(f, stoppingToken)));

    /// <summary>Defaults for schedule settings, so standalone runs without them (the host needs them set).</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultSchedules = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Email__PollSchedule"] = "0 */2 * * * *",
    };

    /// <summary>Resolves <c>%Name__Key%</c> to the setting's value (<c>Name:Key</c> in configuration).</summary>
    public static string ResolveSchedule(string schedule, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (schedule.Length > 2 && schedule[0] == '%' && schedule[^1] == '%')
        {
            var name = schedule[1..^1];
            return configuration[name.Replace("__", ":", StringComparison.Ordinal)] ?? configuration[name]
                ?? DefaultSchedules.GetValueOrDefault(name)
                ?? throw new InvalidOperationException($"The timer schedule setting {name} is not set.");
        }

        return schedule;
    }

    private async Task RunScheduleAsync(ITimerFunction function, CancellationToken stoppingToken)
    {
        NCrontab schedule;
        try
        {
            schedule = NCrontab.Parse(ResolveSchedule(function.Definition.Trigger.GetString("schedule") ?? string.Empty, configuration));
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            LogBadSchedule(logger, function.Definition.Name, ex.Message);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var next = schedule.NextAfter(now);
            try
            {
                await Task.Delay(next - now, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var context = new FunctionContext(function.Definition.Name, Guid.NewGuid().ToString("N"));
            FunctionContext.Current = context;
            try
            {
                await function.RunAsync(context, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRunFailed(logger, ex, function.Definition.Name);
            }
            finally
            {
                FunctionContext.Current = null;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {FunctionName} has an invalid schedule: {Reason}")]
    private static partial void LogBadSchedule(ILogger logger, string functionName, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {FunctionName} failed; it runs again on the next tick")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string functionName);
}
