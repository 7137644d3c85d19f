using Google.Protobuf;
using HotelAgent.Core.Orchestration.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotelAgent.Core.Orchestration;

/// <summary>
/// Host adapter for the <c>orchestrationTrigger</c> binding: base64 protobuf <c>OrchestratorRequest</c> in,
/// base64 protobuf <c>OrchestratorResponse</c> out. The caller removes the custom-handler JSON string encoding.
/// </summary>
public sealed class OrchestrationTriggerHandler(OrchestrationExecutor executor, ILogger<OrchestrationTriggerHandler>? logger = null)
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>Decodes, executes and encodes one orchestration episode.</summary>
    /// <exception cref="FormatException">The payload is not base64 of an <c>OrchestratorRequest</c>.</exception>
    public string Handle(string base64Request)
    {
        ArgumentNullException.ThrowIfNull(base64Request);
        OrchestratorRequest request;
        try
        {
            request = OrchestratorRequest.Parser.ParseFrom(Convert.FromBase64String(base64Request.Trim()));
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or FormatException)
        {
            Log.BadTriggerRequest(_logger, ex);
            throw new FormatException("The orchestration trigger payload is not a base64 OrchestratorRequest.", ex);
        }

        var response = executor.Execute(request);
        return Convert.ToBase64String(response.ToByteArray());
    }
}
