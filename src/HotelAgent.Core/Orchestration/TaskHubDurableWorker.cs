using DurableTask.Core;
using HotelAgent.Core.Observability;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Hosting;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Orchestration;

/// <summary>
/// The standalone durable runtime: DurableTask.Core's <see cref="TaskHubWorker"/> over the configured
/// <see cref="IOrchestrationService"/> (SQLite or Azure Storage), running the orchestrators and activities registered in
/// the SDK's <c>DurableTaskRegistry</c> through <see cref="DurableTaskShimFactory"/> — the same
/// <c>TaskOrchestrationContext</c> code the Functions host runs. Built by <c>UseBuildTarget</c> with the registry's factory.
/// </summary>
public sealed class TaskHubDurableWorker(
    string? name,
    IDurableTaskFactory factory,
    IOrchestrationService service,
    IServiceProvider services,
    IOptionsMonitor<DurableTaskWorkerOptions> options,
    ILoggerFactory loggers) : DurableTaskWorker(name, factory)
{
    private TaskHubWorker? _worker;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var shims = new DurableTaskShimFactory(options.Get(Name), loggers);
        _worker = new TaskHubWorker(service, new Orchestrations(Factory, services, shims), new Activities(Factory, services, shims), loggers)
        {
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };
        try
        {
            await service.CreateIfNotExistsAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Azure Storage throws an aggregate of six identical retries: name the store and the first cause.
            throw new InvalidOperationException(
                $"The durable backend ({service.GetType().Name}) could not create its task hub: {ExceptionCause.First(exception).Message} Check the durable backend's settings (Durable__Backend, AzureWebJobsStorage or the data directory).",
                exception);
        }

        await _worker.StartAsync().ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_worker is { } worker)
        {
            // Forced: in-flight work items are not awaited; whatever was not committed is redone by the next start.
            await worker.StopAsync(isForced: true).ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        _worker?.Dispose();
        base.Dispose();
    }

    /// <summary>Orchestrator name → a fresh SDK orchestrator wrapped for DurableTask.Core (one per execution).</summary>
    private sealed class Orchestrations(IDurableTaskFactory factory, IServiceProvider services, DurableTaskShimFactory shims)
        : INameVersionObjectManager<TaskOrchestration>
    {
        public void Add(ObjectCreator<TaskOrchestration> creator) => throw new NotSupportedException("Register orchestrators in the DurableTaskRegistry.");

        public TaskOrchestration? GetObject(string name, string? version) =>
            factory.TryCreateOrchestrator(new TaskName(name), services, out var orchestrator)
                ? shims.CreateOrchestration(new TaskName(name), orchestrator)
                : null;
    }

    /// <summary>Activity name → an activity that runs in its own DI scope (as the Functions host gives each invocation).</summary>
    private sealed class Activities(IDurableTaskFactory factory, IServiceProvider services, DurableTaskShimFactory shims)
        : INameVersionObjectManager<TaskActivity>
    {
        public void Add(ObjectCreator<TaskActivity> creator) => throw new NotSupportedException("Register activities in the DurableTaskRegistry.");

        public TaskActivity? GetObject(string name, string? version) => new ScopedActivity(new TaskName(name), factory, services, shims);
    }

    private sealed class ScopedActivity(TaskName name, IDurableTaskFactory factory, IServiceProvider services, DurableTaskShimFactory shims) : TaskActivity
    {
        public override string Run(TaskContext context, string input) => throw new NotSupportedException("Activities run asynchronously.");

        public override async Task<string> RunAsync(TaskContext context, string input)
        {
            var scope = services.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                if (!factory.TryCreateActivity(name, scope.ServiceProvider, out var activity))
                {
                    throw new InvalidOperationException($"Activity '{name}' is not registered.");
                }

                return await shims.CreateActivity(name, activity).RunAsync(context, input).ConfigureAwait(false);
            }
        }
    }
}
