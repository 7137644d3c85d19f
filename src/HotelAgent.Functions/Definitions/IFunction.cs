using HotelAgent.Functions.Hosting;

namespace HotelAgent.Functions.Definitions;

/// <summary>A function of the app: its declaration plus the code that runs for its trigger.</summary>
public interface IFunction
{
    FunctionDefinition Definition { get; }
}

/// <summary>An HTTP-triggered function.</summary>
public interface IHttpFunction : IFunction
{
    Task<FunctionHttpResponse> RunAsync(FunctionHttpRequest request, FunctionContext context, CancellationToken cancellationToken);
}

/// <summary>A timer-triggered function.</summary>
public interface ITimerFunction : IFunction
{
    Task RunAsync(FunctionContext context, CancellationToken cancellationToken);
}

/// <summary>A message delivered by a queue trigger.</summary>
public sealed record QueueTriggerMessage(string Id, string Text, int DequeueCount);

/// <summary>A queue-triggered function. Throwing fails the invocation (the message is retried, then poisoned).</summary>
public interface IQueueFunction : IFunction
{
    Task RunAsync(QueueTriggerMessage message, FunctionContext context, CancellationToken cancellationToken);
}

/// <summary>An orchestrator function: protobuf <c>OrchestratorRequest</c> (base64) in, <c>OrchestratorResponse</c> (base64) out.</summary>
public interface IOrchestrationFunction : IFunction
{
    string Execute(string base64OrchestratorRequest);
}

/// <summary>An activity function: JSON input in, JSON result out.</summary>
public interface IActivityFunction : IFunction
{
    Task<string?> RunAsync(string? inputJson, FunctionContext context, CancellationToken cancellationToken);
}
