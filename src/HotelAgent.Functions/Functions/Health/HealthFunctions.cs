using HotelAgent.Core.Health;
using HotelAgent.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace HotelAgent.Functions.Functions.Health;

/// <summary><c>GET /api/health/live</c> (always 200) and <c>GET /api/health/ready</c> (200 only when configuration and stores are fine).</summary>
public sealed class HealthFunctions(ReadinessProbe probe)
{
    [Function("HealthLive")]
    public IActionResult Live([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health/live")] HttpRequest request) =>
        FunctionResults.Json(200, new { status = "live" });

    [Function("HealthReady")]
    public async Task<IActionResult> Ready([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health/ready")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (ready, results) = await probe.RunAsync(request.HttpContext.RequestAborted);
        return FunctionResults.Json(ready ? 200 : 503, new
        {
            status = ready ? "ready" : "not_ready",
            checks = results.Select(r => new { name = r.Name, healthy = r.Healthy, critical = r.Critical, detail = r.Detail }),
        });
    }
}
