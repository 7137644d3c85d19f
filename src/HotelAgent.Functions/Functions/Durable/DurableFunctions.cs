using HotelAgent.Core.Conversation;
using HotelAgent.Core.Orchestration;
using HotelAgent.Functions.Definitions;
using HotelAgent.Functions.Hosting;

namespace HotelAgent.Functions.Functions.Durable;

/// <summary>An orchestrator as an Azure Function (orchestrationTrigger): base64 protobuf in, base64 protobuf out.</summary>
public sealed class OrchestrationFunction(string name, OrchestrationTriggerHandler handler) : IOrchestrationFunction
{
    public FunctionDefinition Definition { get; } = new(name, [Binding.OrchestrationTrigger()]);

    public string Execute(string base64OrchestratorRequest) => handler.Handle(base64OrchestratorRequest);
}

/// <summary>An activity as an Azure Function (activityTrigger), optionally with queue outputs.</summary>
public sealed class ActivityFunction(string name, ActivityDispatcher dispatcher, params BindingDefinition[] extraBindings) : IActivityFunction
{
    public FunctionDefinition Definition { get; } = new(name, [Binding.ActivityTrigger(), .. extraBindings]);

    public Task<string?> RunAsync(string? inputJson, FunctionContext context, CancellationToken cancellationToken) =>
        dispatcher.InvokeAsync(Definition.Name, inputJson, cancellationToken);
}

/// <summary>One function per registered orchestrator and activity.</summary>
public sealed class DurableFunctionSource(
    OrchestratorRegistry orchestrators,
    ActivityRegistry activities,
    OrchestrationTriggerHandler triggerHandler,
    ActivityDispatcher dispatcher) : IFunctionSource
{
    public const string SynthesisQueue = "audio-synthesize";

    public IEnumerable<IFunction> GetFunctions()
    {
        foreach (var name in orchestrators.Names.Order(StringComparer.Ordinal))
        {
            yield return new OrchestrationFunction(name, triggerHandler);
        }

        foreach (var name in activities.Names.Order(StringComparer.Ordinal))
        {
            // SendReply may queue a voice note: under the host that is a queue output binding of the activity.
            yield return name == ConversationActivities.SendReply
                ? new ActivityFunction(name, dispatcher, Binding.QueueOut("synthesisJobs", SynthesisQueue))
                : new ActivityFunction(name, dispatcher);
        }
    }
}
