using HotelAgent.Core.Health;
using HotelAgent.Functions.Definitions;
using HotelAgent.Functions.Hosting;

namespace HotelAgent.Functions.Functions.Health;

/// <summary><c>GET /api/health/live</c>: the process answers (always 200).</summary>
public sealed class HealthLiveFunction : IHttpFunction
{
    public FunctionDefinition Definition { get; } = new("HealthLive", [Binding.HttpTrigger("health/live", "anonymous", "GET"), Binding.HttpOut()]);

    public Task<FunctionHttpResponse> RunAsync(FunctionHttpRequest request, FunctionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(FunctionHttpResponse.Json(200, new { status = "live" }));
}

/// <summary><c>GET /api/health/ready</c>: 200 only when configuration is valid and stores are reachable; JSON detail.</summary>
public sealed class HealthReadyFunction(ReadinessProbe probe) : IHttpFunction
{
    public FunctionDefinition Definition { get; } = new("HealthReady", [Binding.HttpTrigger("health/ready", "anonymous", "GET"), Binding.HttpOut()]);

    public async Task<FunctionHttpResponse> RunAsync(FunctionHttpRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        var (ready, results) = await probe.RunAsync(cancellationToken);
        return FunctionHttpResponse.Json(ready ? 200 : 503, new
        {
            status = ready ? "ready" : "not_ready",
            checks = results.Select(r => new { name = r.Name, healthy = r.Healthy, critical = r.Critical, detail = r.Detail }),
        });
    }
}
