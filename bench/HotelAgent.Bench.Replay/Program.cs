using System.Diagnostics;
using System.Globalization;
using DurableTask.Core;
using DurableTask.Core.Command;
using DurableTask.Core.History;
using HotelAgent.Core.Conversation;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Orchestration;
using HotelAgent.Functions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Bench.Replay;

/// <summary>
/// Orchestration replay cost vs conversation length. The real <see cref="ConversationOrchestrator"/> (resolved from the
/// app's own DI container, not started) runs through the SDK shim on DurableTask.Core's own
/// <see cref="TaskOrchestrationExecutor"/> (what every backend runs per work item); this program plays the backend
/// (history bookkeeping). Activities: UnderstandMessage and PMS calls run for real through the registry (embedded NLU /
/// sample PMS); SendReply, RecordTurn and NotifyStaff are answered with <c>true</c> (no I/O).
/// Usage: dotnet run -c Release --project bench/HotelAgent.Bench.Replay
/// </summary>
public static class Program
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private static readonly string[] Texts = ["¿A qué hora es el desayuno?", "¿Tienen wifi?", "¿Cuál es la hora del check-out?", "¿Aceptan mascotas?", "¿Tienen estacionamiento?", "¿A qué hora es el check-in?"];
    private static int[] Checkpoints = [1, 10, 100, 1000];
    private static int _length = 1000;

    public static async Task<int> Main(string[] args)
    {
        // optional max conversation length (quick runs); the no-continue-as-new arm is quadratic by design
        _length = args.Length > 0 ? Math.Clamp(int.Parse(args[0], C), 1, 1000) : 1000;
        Checkpoints = Checkpoints.Where(n => n <= _length).ToArray();
        Console.WriteLine(string.Create(C, $"replay bench: {Environment.ProcessorCount} cores; cost of the first episode of message N (replays the N-1 earlier messages of the generation + the new event), median of 7 executions"));

        // 1) No continue-as-new within 1,000 messages (Conversation__MessagesPerGeneration=1000, the maximum allowed).
        var flat = await RunAsync(1000, "history grows (MessagesPerGeneration=1000)");
        // 2) Product default: continue-as-new every 10 messages.
        var can = await RunAsync(10, "continue-as-new (MessagesPerGeneration=10, default)");

        Console.WriteLine();
        Console.WriteLine("summary (first-episode cost of message N; ratio vs N=1 of the same mode):");
        foreach (var (label, r) in new[] { ("no continue-as-new", flat), ("continue-as-new/10", can) })
        {
            foreach (var n in Checkpoints)
            {
                Console.WriteLine(string.Create(C,
                    $"  {label,-20} N={n,5}: episode {r.Episode[n]:F3} ms (x{r.Episode[n] / r.Episode[1]:F1}), history {r.HistoryEvents[n],6} events, all episodes of the turn (median msgs {Window(n)}) {r.TurnMean[n]:F3} ms/msg (x{r.TurnMean[n] / r.TurnMean[1]:F1})"));
            }

            Console.WriteLine(string.Create(C, $"  {label,-20} total executor time for {_length} messages: {r.TotalMs:F0} ms ({r.TotalMs / _length:F3} ms/msg), wall {r.WallMs:F0} ms incl. activities"));
        }

        return 0;
    }

    private static string Window(int n) => n == 1 ? "1" : string.Create(C, $"{n - 9}-{n}");

    private sealed record Result(Dictionary<int, double> Episode, Dictionary<int, int> HistoryEvents, Dictionary<int, double> TurnMean, double TotalMs, double WallMs);

    private static async Task<Result> RunAsync(int perGeneration, string label)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "hotelagent-replay-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var app = HotelAgentApp.Build(["--environment", "Development"], b =>
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["HotelAgent:DataDirectory"] = dataDir,
                ["Logging:LogLevel:Default"] = "Error",
                ["Conversation:MessagesPerGeneration"] = perGeneration.ToString(C),
                ["Dialog:RepetitionLimit"] = "20",
                ["Dialog:RepetitionSimilarity"] = "1.0",
            }));
        var registry = app.Services.GetRequiredService<IOptionsMonitor<DurableTaskRegistry>>().Get(Options.DefaultName);
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = OrchestrationJson.Converter });
        // warm-up (JIT, NLU model load, PMS caches): a throwaway 30-message conversation, not measured
        await ConverseAsync(new Backend(app.Services, registry, shims, "conv-whatsapp-warmup"), 30, null);
        var backend = new Backend(app.Services, registry, shims, "conv-whatsapp-bench");

        var episode = new Dictionary<int, double>();
        var historyEvents = new Dictionary<int, int>();
        var wall = Stopwatch.StartNew();
        var turnCost = await ConverseAsync(backend, _length, (n, raised) =>
        {
            var samples = new double[7];
            for (var i = 0; i < samples.Length; i++)
            {
                var t = Stopwatch.GetTimestamp();
                backend.Execute([raised]);
                samples[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            }

            Array.Sort(samples);
            episode[n] = samples[samples.Length / 2];
            historyEvents[n] = backend.History.Count;
        });
        var total = backend.ExecutorMs;
        var turnMean = Checkpoints.ToDictionary(n => n, n => n == 1 ? turnCost[1] : Median(turnCost.Skip(n - 9).Take(10)));
        Console.WriteLine(string.Create(C, $"{label}: {backend.Episodes} episodes, {backend.Generations} generation(s), final history {backend.History.Count} events, activities scheduled {backend.Scheduled}"));
        foreach (var n in Checkpoints)
        {
            Console.WriteLine(string.Create(C, $"  N={n,5}: first episode {episode[n]:F3} ms over {historyEvents[n]} past events; whole turn {turnMean[n]:F3} ms/msg"));
        }

        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
        }

        return new Result(episode, historyEvents, turnMean, total, wall.Elapsed.TotalMilliseconds);
    }

    private static double Median(IEnumerable<double> values)
    {
        var a = values.OrderBy(v => v).ToArray();
        return a.Length % 2 == 1 ? a[a.Length / 2] : (a[(a.Length / 2) - 1] + a[a.Length / 2]) / 2;
    }

    /// <summary>Plays <paramref name="messages"/> guest messages; returns executor ms per message (index 1..n).</summary>
    private static async Task<double[]> ConverseAsync(Backend backend, int messages, Action<int, HistoryEvent>? measure)
    {
        var turnCost = new double[messages + 1];
        var actions = backend.Start(new ConversationInput { ConversationId = backend.InstanceId });
        await backend.SettleAsync(actions);
        for (var n = 1; n <= messages; n++)
        {
            backend.Now = backend.Now.AddSeconds(20);
            var message = new InboundMessage(Channel.WhatsApp, "34600000001", "Lucía", Texts[n % Texts.Length], "wamid.BENCH" + n, new DateTimeOffset(backend.Now, TimeSpan.Zero));
            var raised = new EventRaisedEvent(-1, OrchestrationJson.Serialize(ConversationEvent.Guest(message))) { Name = ConversationEvent.Name, Timestamp = backend.Now };
            if (measure is not null && Checkpoints.Contains(n))
            {
                measure(n, raised);
            }

            var before = backend.ExecutorMs;
            await backend.SettleAsync(backend.Run([raised]));
            turnCost[n] = backend.ExecutorMs - before;
        }

        return turnCost;
    }

    /// <summary>Backend bookkeeping: history, the events recording returned actions, activities, continue-as-new.</summary>
    private sealed class Backend(IServiceProvider services, DurableTaskRegistry registry, DurableTaskShimFactory shims, string instanceId)
    {
        private readonly Dictionary<string, Func<IServiceProvider, ITaskActivity>> _activities =
            registry.GetActivities().ToDictionary(a => a.Key.Name, a => a.Value, StringComparer.OrdinalIgnoreCase);

        private int _generation;

        public string InstanceId => instanceId;

        public DateTime Now { get; set; } = new(2026, 11, 21, 10, 0, 0, DateTimeKind.Utc);

        public List<HistoryEvent> History { get; } = [];

        public double ExecutorMs { get; private set; }

        public int Episodes { get; private set; }

        public int Generations => _generation;

        public int Scheduled { get; private set; }

        public IReadOnlyList<OrchestratorAction> Start(ConversationInput input) => Run([Started(OrchestrationJson.Serialize(input))]);

        /// <summary>Runs activities and continue-as-new until the orchestration waits for the next guest message.</summary>
        public async Task SettleAsync(IReadOnlyList<OrchestratorAction> actions)
        {
            while (true)
            {
                if (actions.OfType<OrchestrationCompleteOrchestratorAction>().FirstOrDefault() is { } complete)
                {
                    if (complete.OrchestrationStatus != OrchestrationStatus.ContinuedAsNew)
                    {
                        throw new InvalidOperationException($"orchestration ended {complete.OrchestrationStatus}: {complete.FailureDetails?.ErrorMessage ?? complete.Result}");
                    }

                    History.Clear();
                    actions = Run([Started(complete.Result), .. complete.CarryoverEvents]);
                    continue;
                }

                var tasks = actions.OfType<ScheduleTaskOrchestratorAction>().ToArray();
                if (tasks.Length == 0)
                {
                    return;
                }

                var completions = new List<HistoryEvent>();
                foreach (var task in tasks)
                {
                    var result = task.Name is ConversationActivities.SendReply or ConversationActivities.RecordTurn or ConversationActivities.NotifyStaff
                        ? "true"
                        : await RunActivityAsync(task);
                    completions.Add(new TaskCompletedEvent(-1, task.Id, result) { Timestamp = Now });
                }

                actions = Run([.. completions]);
            }
        }

        private async Task<string> RunActivityAsync(ScheduleTaskOrchestratorAction task)
        {
            await using var scope = services.CreateAsyncScope();
            var name = task.Name ?? throw new InvalidOperationException("An activity without a name was scheduled.");
            var activity = shims.CreateActivity(new TaskName(name), _activities[name](scope.ServiceProvider));
            return await activity.RunAsync(new TaskContext(new OrchestrationInstance { InstanceId = instanceId }), task.Input);
        }

        /// <summary>One episode over a copy of the history (measurement; nothing is recorded).</summary>
        public IReadOnlyList<OrchestratorAction> Execute(HistoryEvent[] newEvents)
        {
            var runtime = new OrchestrationRuntimeState(History);
            runtime.AddEvent(new OrchestratorStartedEvent(-1) { Timestamp = Now });
            foreach (var e in newEvents)
            {
                runtime.AddEvent(e);
            }

            var orchestrator = services.GetRequiredService<ConversationOrchestrator>();
            var orchestration = shims.CreateOrchestration(new TaskName(ConversationOrchestrator.Name), orchestrator);
            var executor = new TaskOrchestrationExecutor(runtime, orchestration, BehaviorOnContinueAsNew.Carryover, null, ErrorPropagationMode.UseFailureDetails);
            return [.. executor.Execute().Actions];
        }

        public IReadOnlyList<OrchestratorAction> Run(HistoryEvent[] newEvents)
        {
            var t = Stopwatch.GetTimestamp();
            var actions = Execute(newEvents);
            ExecutorMs += Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            Episodes++;
            History.Add(new OrchestratorStartedEvent(-1) { Timestamp = Now });
            History.AddRange(newEvents);
            foreach (var a in actions)
            {
                if (a is ScheduleTaskOrchestratorAction st)
                {
                    Scheduled++;
                    History.Add(new TaskScheduledEvent(st.Id) { Name = st.Name, Input = st.Input, Timestamp = Now });
                }
                else if (a is CreateTimerOrchestratorAction ct)
                {
                    History.Add(new TimerCreatedEvent(ct.Id) { FireAt = ct.FireAt, Timestamp = Now });
                }
            }

            History.Add(new OrchestratorCompletedEvent(-1) { Timestamp = Now });
            return actions;
        }

        private ExecutionStartedEvent Started(string? input)
        {
            _generation++;
            return new ExecutionStartedEvent(-1, input)
            {
                Name = ConversationOrchestrator.Name,
                OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = "exec-" + _generation.ToString(C) },
                Timestamp = Now,
            };
        }
    }
}
