using HotelAgent.Core.Configuration;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Health;

/// <summary>One readiness probe result. <see cref="Critical"/> failures make <c>/api/health/ready</c> answer 503.</summary>
public sealed record ReadinessResult(string Name, bool Healthy, string Detail, bool Critical = true);

/// <summary>A dependency or configuration probe reported by <c>GET /api/health/ready</c>.</summary>
public interface IReadinessCheck
{
    Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Runs every readiness check, all at once (a slow one — a store opening its file, Azure Storage answering — does not
/// queue the others behind it); ready only when all critical checks pass. Results keep the checks' registration order.
/// </summary>
public sealed class ReadinessProbe(IEnumerable<IReadinessCheck> checks)
{
    private readonly IReadinessCheck[] _checks = checks.ToArray();

    public async Task<(bool Ready, IReadOnlyList<ReadinessResult> Results)> RunAsync(CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(_checks.Select(check => RunOneAsync(check, cancellationToken)));
        return (results.All(r => r.Healthy || !r.Critical), results);
    }

    private static async Task<ReadinessResult> RunOneAsync(IReadinessCheck check, CancellationToken cancellationToken)
    {
        try
        {
            return await check.CheckAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new ReadinessResult(check.GetType().Name, false, ex.GetType().Name + ": " + ex.Message);
        }
    }
}

/// <summary>The data directory (SQLite files, standalone queues) exists and is writable.</summary>
public sealed class DataDirectoryCheck(IOptions<HotelAgentOptions> options) : IReadinessCheck
{
    public async Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        var directory = options.Value.ResolveDataDirectory();
        var probe = Path.Combine(directory, $".ready-{Environment.ProcessId}");
        await File.WriteAllTextAsync(probe, "ok", cancellationToken);
        File.Delete(probe);
        return new ReadinessResult("dataDirectory", true, "writable");
    }
}
