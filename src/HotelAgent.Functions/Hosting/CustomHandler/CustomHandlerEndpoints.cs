namespace HotelAgent.Functions.Hosting.CustomHandler;

/// <summary>Custom-handler mode: the Functions host probes <c>GET /</c> and invokes <c>POST /{FunctionName}</c>.</summary>
public static class CustomHandlerEndpoints
{
    public static void MapCustomHandler(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Results.Text("HotelAgent custom handler ready"));
        endpoints.MapPost("/{functionName}", async (string functionName, HttpContext http, CustomHandlerDispatcher dispatcher) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            var invocationId = http.Request.Headers["X-Azure-Functions-InvocationId"].ToString();
            var result = await dispatcher.DispatchAsync(functionName, buffer.ToArray(), string.IsNullOrEmpty(invocationId) ? null : invocationId, http.RequestAborted);
            return Results.Text(result.Json, "application/json", System.Text.Encoding.UTF8, result.StatusCode);
        });
    }
}
