using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Core.Orchestration;

/// <summary>An activity: JSON input text (or null) → JSON result text (or null). Runs in its own DI scope.</summary>
public delegate Task<string?> ActivityHandler(IServiceProvider services, string? inputJson, CancellationToken cancellationToken);

/// <summary>A registered activity.</summary>
public sealed record ActivityRegistration(string Name, ActivityHandler Handler);

/// <summary>Activity name (case-insensitive) → handler. Built from <see cref="ActivityRegistration"/> services.</summary>
public sealed class ActivityRegistry
{
    private readonly Dictionary<string, ActivityHandler> _handlers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    public ActivityRegistry() { }

    public ActivityRegistry(IEnumerable<ActivityRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        foreach (var r in registrations)
        {
            Add(r.Name, r.Handler);
        }
    }

    public IReadOnlyCollection<string> Names
    {
        get { lock (_lock) { return [.. _handlers.Keys]; } }
    }

    public ActivityRegistry Add(string name, ActivityHandler handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_lock)
        {
            _handlers[name] = handler;
        }

        return this;
    }

    /// <summary>Raw JSON activity without services.</summary>
    public ActivityRegistry Add(string name, Func<string?, CancellationToken, Task<string?>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add(name, (_, input, ct) => handler(input, ct));
    }

    /// <summary>Typed activity (JSON web defaults in and out).</summary>
    public ActivityRegistry Add<TInput, TOutput>(string name, Func<TInput?, CancellationToken, Task<TOutput>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add(name, async (_, input, ct) =>
            OrchestrationJson.Serialize(await handler(OrchestrationJson.Deserialize<TInput>(input), ct)));
    }

    /// <summary>Typed activity that resolves a service from the invocation scope.</summary>
    public ActivityRegistry Add<TService, TInput, TOutput>(string name, Func<TService, TInput?, CancellationToken, Task<TOutput>> handler)
        where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add(name, async (sp, input, ct) =>
            OrchestrationJson.Serialize(await handler(sp.GetRequiredService<TService>(), OrchestrationJson.Deserialize<TInput>(input), ct)));
    }

    public bool TryGet(string name, out ActivityHandler? handler)
    {
        lock (_lock)
        {
            return _handlers.TryGetValue(name, out handler);
        }
    }
}

/// <summary>Thrown by <see cref="ActivityDispatcher"/> for an unknown activity name.</summary>
public sealed class ActivityNotFoundException : InvalidOperationException
{
    public ActivityNotFoundException() { }
    public ActivityNotFoundException(string message) : base(message) { }
    public ActivityNotFoundException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>Runs activities by name (host adapter for <c>activityTrigger</c> and the standalone engine).</summary>
public sealed class ActivityDispatcher(ActivityRegistry registry, IServiceScopeFactory scopes)
{
    /// <summary>Invokes the activity in a new DI scope; exceptions propagate (the caller records the failure).</summary>
    public async Task<string?> InvokeAsync(string name, string? inputJson, CancellationToken cancellationToken)
    {
        if (!registry.TryGet(name, out var handler) || handler is null)
        {
            throw new ActivityNotFoundException($"Activity '{name}' is not registered.");
        }

        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var input = inputJson is null || inputJson == "null" ? null : inputJson;
            return await handler(scope.ServiceProvider, input, cancellationToken).ConfigureAwait(false);
        }
    }
}
