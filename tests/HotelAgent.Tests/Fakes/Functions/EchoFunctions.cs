using HotelAgent.Functions.Definitions;
using HotelAgent.Functions.Hosting;

namespace HotelAgent.Tests.Fakes.Functions;

/// <summary>An HTTP function that echoes what it received, to observe the decoding of host payloads.</summary>
public sealed class EchoHttpFunction : IHttpFunction
{
    public FunctionHttpRequest? LastRequest { get; private set; }

    public FunctionDefinition Definition { get; } = new("Echo", [Binding.HttpTrigger("echo", "anonymous", "GET", "POST"), Binding.HttpOut(), Binding.QueueOut("jobs", "echo-jobs")]);

    public Task<FunctionHttpResponse> RunAsync(FunctionHttpRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        LastRequest = request;
        context.AddQueueOutput("jobs", """{"echo":"abcd1234"}""");
        return Task.FromResult(FunctionHttpResponse.Text(201, request.BodyText));
    }
}

/// <summary>A queue function that records messages and can be told to fail.</summary>
public sealed class RecordingQueueFunction : IQueueFunction
{
    public List<QueueTriggerMessage> Received { get; } = [];

    public bool Fail { get; set; }

    public FunctionDefinition Definition { get; } = new("RecordQueue", [Binding.QueueTrigger("record")]);

    public Task RunAsync(QueueTriggerMessage message, FunctionContext context, CancellationToken cancellationToken)
    {
        if (Fail)
        {
            throw new InvalidOperationException("told to fail");
        }

        Received.Add(message);
        return Task.CompletedTask;
    }
}

/// <summary>An activity that returns its input wrapped in an object.</summary>
public sealed class WrapActivityFunction : IActivityFunction
{
    public FunctionDefinition Definition { get; } = new("Wrap", [Binding.ActivityTrigger()]);

    public Task<string?> RunAsync(string? inputJson, FunctionContext context, CancellationToken cancellationToken) =>
        Task.FromResult<string?>($$"""{"wrapped":{{inputJson ?? "null"}}}""");
}
