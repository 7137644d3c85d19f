namespace HotelAgent.Functions.Hosting.CustomHandler;

/// <summary>Custom-handler mode: the Functions host probes <c>GET /</c> and invokes <c>POST /{FunctionName}</c>.</summary>
public static class CustomHandlerEndpoints
{
    public static void MapCustomHandler(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Results.Text("HotelAgent custom handler ready"));
        endpoints.MapPost("/{functionName}", async (string functionName, HttpContext http, CustomHandlerDispatcher dispatcher) =>
        {
            var body = await Core.Security.BoundedBodyReader.ReadAsync(
                http.Request.Body, http.Request.ContentLength, Core.Security.InputLimits.MaxInvocationBytes, null, http.RequestAborted);
            if (body.Status == Core.Security.BodyReadStatus.TooLarge)
            {
                return Security.ProblemResponses.Result(413, "Invocation too large", $"Invocations are limited to {Core.Security.InputLimits.MaxInvocationBytes} bytes.");
            }

            var invocationId = http.Request.Headers["X-Azure-Functions-InvocationId"].ToString();
            var result = await dispatcher.DispatchAsync(functionName, body.Bytes, string.IsNullOrEmpty(invocationId) ? null : invocationId, http.RequestAborted);
            return Results.Text(result.Json, "application/json", System.Text.Encoding.UTF8, result.StatusCode);
        });
    }
}
