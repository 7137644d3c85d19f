using System.Text.Json;
using System.Text.Json.Nodes;
using HotelAgent.Functions.Definitions;

namespace HotelAgent.Functions.Hosting.CustomHandler;

/// <summary>
/// Serves one custom-handler invocation (<c>POST /{FunctionName}</c> from the Functions host): decodes the
/// trigger from the invocation JSON, runs the function, and encodes <c>Outputs</c>/<c>Logs</c>/<c>ReturnValue</c>.
/// Pure of HTTP so contract tests can feed it the host's exact payloads.
/// </summary>
public sealed partial class CustomHandlerDispatcher(FunctionCatalog catalog, ILogger<CustomHandlerDispatcher> logger)
{
    public sealed record Result(int StatusCode, string Json);

    public async Task<Result> DispatchAsync(string functionName, ReadOnlyMemory<byte> body, string? invocationId, CancellationToken cancellationToken)
    {
        var function = catalog.Find(functionName);
        if (function is null)
        {
            LogUnknownFunction(logger, functionName);
            return new Result(404, Error($"Unknown function '{functionName}'."));
        }

        InvocationPayload payload;
        try
        {
            payload = InvocationPayload.Parse(body.Span);
        }
        catch (InvalidInvocationException ex)
        {
            LogInvalidInvocation(logger, functionName, ex.Message);
            return new Result(400, Error(ex.Message));
        }

        var definition = function.Definition;
        var context = new FunctionContext(definition.Name, invocationId ?? payload.MetadataString("InvocationId") ?? Guid.NewGuid().ToString("N"))
        {
            UnderHost = true,
            DurableClientBinding = definition.HasDurableClient ? payload.DataText("starter") : null,
            QueueOutputBindings = definition.QueueOutputs.ToDictionary(b => b.GetString("queueName")!, b => b.Name, StringComparer.Ordinal),
        };

        var previous = FunctionContext.Current;
        FunctionContext.Current = context;
        try
        {
            var response = new JsonObject { ["Logs"] = new JsonArray() };
            var outputs = new JsonObject();
            JsonNode? returnValue = null;

            switch (function)
            {
                case IHttpFunction http:
                    var request = payload.ReadHttpRequest();
                    var httpResponse = await http.RunAsync(request, context, cancellationToken);
                    outputs["res"] = new JsonObject
                    {
                        ["statusCode"] = httpResponse.StatusCode,
                        ["body"] = httpResponse.Body,
                        ["headers"] = new JsonObject { ["Content-Type"] = httpResponse.ContentType },
                    };
                    break;

                case ITimerFunction timer:
                    await timer.RunAsync(context, cancellationToken);
                    break;

                case IQueueFunction queue:
                    var text = DecodeQueueMessage(payload.DataText("message"));
                    var message = new QueueTriggerMessage(payload.MetadataString("Id") ?? context.InvocationId, text, payload.MetadataInt("DequeueCount", 1));
                    await queue.RunAsync(message, context, cancellationToken);
                    break;

                case IOrchestrationFunction orchestration:
                    var encoded = payload.DataText("context") ?? throw new InvalidInvocationException("The orchestration trigger has no context.");
                    returnValue = JsonValue.Create(orchestration.Execute(DecodeQuotedString(encoded)));
                    break;

                case IActivityFunction activity:
                    var resultJson = await activity.RunAsync(NormalizeActivityInput(payload.DataText("input")), context, cancellationToken);
                    returnValue = resultJson is null ? null : JsonNode.Parse(resultJson);
                    break;

                default:
                    return new Result(500, Error($"Function '{functionName}' has no runnable trigger."));
            }

            foreach (var (binding, messages) in context.QueueOutputs)
            {
                // Objects, not strings: a string output that happens to be valid base64 is decoded by the host.
                outputs[binding] = new JsonArray(messages.Select(ToQueueOutput).ToArray());
            }

            response["Outputs"] = outputs;
            response["ReturnValue"] = returnValue;
            return new Result(200, response.ToJsonString());
        }
        catch (InvalidInvocationException ex)
        {
            LogInvalidInvocation(logger, functionName, ex.Message);
            return new Result(400, Error(ex.Message));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Non-2xx fails the invocation: the host retries queue messages and records failed activities.
            LogFunctionFailed(logger, ex, functionName, context.InvocationId);
            return new Result(500, Error($"Function '{functionName}' failed: {ex.GetType().Name}."));
        }
        finally
        {
            FunctionContext.Current = previous;
        }
    }

    /// <summary>Queue messages arrive JSON-encoded once more than the message text; undo up to two string levels.</summary>
    public static string DecodeQueueMessage(string? data)
    {
        if (data is null)
        {
            return string.Empty;
        }

        var text = data;
        for (var i = 0; i < 2; i++)
        {
            var trimmed = text.TrimStart();
            if (!trimmed.StartsWith('"'))
            {
                break;
            }

            try
            {
                text = JsonSerializer.Deserialize<string>(trimmed) ?? string.Empty;
            }
            catch (JsonException)
            {
                break;
            }
        }

        return text;
    }

    /// <summary>
    /// The activity input is its JSON text, string-encoded by the host. Tolerate one extra level of encoding
    /// (a JSON string whose content is an object or array) without breaking genuine string inputs.
    /// </summary>
    public static string? NormalizeActivityInput(string? input)
    {
        if (input is null || !input.TrimStart().StartsWith('"'))
        {
            return input;
        }

        try
        {
            var inner = JsonSerializer.Deserialize<string>(input);
            var trimmed = inner?.TrimStart();
            if (trimmed is not null && (trimmed.StartsWith('{') || trimmed.StartsWith('[')))
            {
                using var _ = JsonDocument.Parse(inner!);
                return inner;
            }
        }
        catch (JsonException)
        {
        }

        return input;
    }

    private static string DecodeQuotedString(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.StartsWith('"'))
        {
            try
            {
                return JsonSerializer.Deserialize<string>(trimmed) ?? string.Empty;
            }
            catch (JsonException)
            {
                return trimmed.Trim('"');
            }
        }

        return trimmed;
    }

    private static JsonNode? ToQueueOutput(string message)
    {
        try
        {
            var node = JsonNode.Parse(message);
            if (node is JsonObject or JsonArray)
            {
                return node;
            }
        }
        catch (JsonException)
        {
        }

        return JsonValue.Create(message);
    }

    private static string Error(string message) =>
        new JsonObject { ["Outputs"] = new JsonObject(), ["Logs"] = new JsonArray(message), ["ReturnValue"] = null }.ToJsonString();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Custom handler: unknown function {FunctionName}")]
    private static partial void LogUnknownFunction(ILogger logger, string functionName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Custom handler: invalid invocation of {FunctionName}: {Reason}")]
    private static partial void LogInvalidInvocation(ILogger logger, string functionName, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {FunctionName} failed (invocation {InvocationId})")]
    private static partial void LogFunctionFailed(ILogger logger, Exception exception, string functionName, string invocationId);
}
