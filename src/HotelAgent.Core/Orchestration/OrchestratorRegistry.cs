using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Core.Orchestration;

/// <summary>A registered orchestrator: name and a factory invoked once per execution.</summary>
public sealed record OrchestratorRegistration(string Name, Func<IServiceProvider, IOrchestrator> Factory);

/// <summary>Orchestrator name (case-insensitive) → factory. Built from <see cref="OrchestratorRegistration"/> services.</summary>
public sealed class OrchestratorRegistry
{
    private readonly Dictionary<string, Func<IServiceProvider, IOrchestrator>> _factories = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    public OrchestratorRegistry() { }

    public OrchestratorRegistry(IEnumerable<OrchestratorRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        foreach (var r in registrations)
        {
            Add(r.Name, r.Factory);
        }
    }

    public IReadOnlyCollection<string> Names
    {
        get { lock (_lock) { return [.. _factories.Keys]; } }
    }

    public OrchestratorRegistry Add(string name, Func<IServiceProvider, IOrchestrator> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        lock (_lock)
        {
            _factories[name] = factory;
        }

        return this;
    }

    /// <summary>Registers an orchestrator type created with DI (<see cref="ActivatorUtilities"/>) for every execution.</summary>
    public OrchestratorRegistry Add<TOrchestrator>(string name)
        where TOrchestrator : class, IOrchestrator =>
        Add(name, sp => ActivatorUtilities.CreateInstance<TOrchestrator>(sp));

    /// <summary>Registers a lambda orchestrator.</summary>
    public OrchestratorRegistry Add(string name, Func<IOrchestrationContext, string?, Task<object?>> run) =>
        Add(name, _ => new DelegateOrchestrator(run));

    public bool TryCreate(string name, IServiceProvider services, out IOrchestrator? orchestrator)
    {
        Func<IServiceProvider, IOrchestrator>? factory;
        lock (_lock)
        {
            _factories.TryGetValue(name, out factory);
        }

        orchestrator = factory?.Invoke(services);
        return orchestrator is not null;
    }

    private sealed class DelegateOrchestrator(Func<IOrchestrationContext, string?, Task<object?>> run) : IOrchestrator
    {
        public Task<object?> RunAsync(IOrchestrationContext context, string? inputJson) => run(context, inputJson);
    }
}
