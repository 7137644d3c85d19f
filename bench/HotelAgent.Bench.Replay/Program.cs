using System.Diagnostics;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using HotelAgent.Core.Conversation;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Orchestration;
using HotelAgent.Core.Orchestration.Protocol;
using HotelAgent.Functions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Bench.Replay;

/// <summary>
/// Orchestration replay cost vs conversation length. The real <see cref="ConversationOrchestrator"/> (resolved from the
/// app's own DI container, not started) runs on the real <see cref="OrchestrationExecutor"/>; this program plays the
/// backend (history bookkeeping as the Durable Task backends do). Activities: UnderstandMessage and PMS calls run for
/// real (embedded NLU / sample PMS); SendReply, RecordTurn and NotifyStaff are answered with null (no I/O).
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
        var app = HotelAgentApp.Build(["--environment", "Development"], HostingMode.Standalone, b =>
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["HotelAgent:DataDirectory"] = dataDir,
                ["Logging:LogLevel:Default"] = "Error",
                ["Conversation:MessagesPerGeneration"] = perGeneration.ToString(C),
                ["Dialog:RepetitionLimit"] = "20",
                ["Dialog:RepetitionSimilarity"] = "1.0",
            }));
        var executor = app.Services.GetRequiredService<OrchestrationExecutor>();
        var activities = app.Services.GetRequiredService<ActivityDispatcher>();
        // warm-up (JIT, NLU model load, PMS caches): a throwaway 30-message conversation, not measured
        await ConverseAsync(new Backend(executor, "conv-whatsapp-warmup"), activities, 30, null);
        var backend = new Backend(executor, "conv-whatsapp-bench");

        var episode = new Dictionary<int, double>();
        var historyEvents = new Dictionary<int, int>();
        var wall = Stopwatch.StartNew();
        var turnCost = await ConverseAsync(backend, activities, _length, (n, request) =>
        {
            var samples = new double[7];
            for (var i = 0; i < samples.Length; i++)
            {
                var t = Stopwatch.GetTimestamp();
                executor.Execute(request);
                samples[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            }

            Array.Sort(samples);
            episode[n] = samples[samples.Length / 2];
            historyEvents[n] = request.PastEvents.Count;
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
    private static async Task<double[]> ConverseAsync(Backend backend, ActivityDispatcher activities, int messages, Action<int, OrchestratorRequest>? measure)
    {
        var turnCost = new double[messages + 1];
        backend.Start(new ConversationInput { ConversationId = backend.InstanceId });
        for (var n = 1; n <= messages; n++)
        {
            backend.Now = backend.Now.AddSeconds(20);
            var message = new InboundMessage(Channel.WhatsApp, "34600000001", "Lucía", Texts[n % Texts.Length], "wamid.BENCH" + n, new DateTimeOffset(backend.Now, TimeSpan.Zero));
            var raised = new HistoryEvent
            {
                EventId = -1,
                Timestamp = Timestamp.FromDateTime(backend.Now),
                EventRaised = new EventRaisedEvent { Name = ConversationEvent.Name, Input = OrchestrationJson.Serialize(ConversationEvent.Guest(message)) },
            };

            if (measure is not null && Checkpoints.Contains(n))
            {
                measure(n, backend.Request([raised]));
            }

            var before = backend.ExecutorMs;
            var response = backend.Run([raised]);
            while (true)
            {
                var complete = response.Actions.FirstOrDefault(a => a.CompleteOrchestration is not null)?.CompleteOrchestration;
                if (complete is not null)
                {
                    if (complete.OrchestrationStatus != OrchestrationStatus.ContinuedAsNew)
                    {
                        throw new InvalidOperationException($"orchestration ended {complete.OrchestrationStatus}: {complete.FailureDetails?.ErrorMessage}");
                    }

                    response = backend.ContinueAsNew(complete.Result, complete.CarryoverEvents);
                    continue;
                }

                var tasks = response.Actions.Where(a => a.ScheduleTask is not null).ToArray();
                if (tasks.Length == 0)
                {
                    break;
                }

                var completions = new List<HistoryEvent>();
                foreach (var task in tasks)
                {
                    var result = task.ScheduleTask.Name is ConversationActivities.SendReply or ConversationActivities.RecordTurn or ConversationActivities.NotifyStaff
                        ? null
                        : await activities.InvokeAsync(task.ScheduleTask.Name, task.ScheduleTask.Input, CancellationToken.None);
                    completions.Add(new HistoryEvent { EventId = -1, Timestamp = Timestamp.FromDateTime(backend.Now), TaskCompleted = new TaskCompletedEvent { TaskScheduledId = task.Id, Result = result } });
                }

                response = backend.Run([.. completions]);
            }

            turnCost[n] = backend.ExecutorMs - before;
        }

        return turnCost;
    }

    /// <summary>Backend bookkeeping: history, the events recording returned actions, continue-as-new.</summary>
    private sealed class Backend(OrchestrationExecutor executor, string instanceId)
    {
        private int _generation;

        public string InstanceId => instanceId;

        public DateTime Now { get; set; } = new(2026, 11, 21, 10, 0, 0, DateTimeKind.Utc);

        public List<HistoryEvent> History { get; } = [];

        public double ExecutorMs { get; private set; }

        public int Episodes { get; private set; }

        public int Generations => _generation;

        public int Scheduled { get; private set; }

        public OrchestratorResponse Start(ConversationInput input) =>
            Run([Started(OrchestrationJson.Serialize(input))]);

        public OrchestratorResponse ContinueAsNew(string? input, IEnumerable<HistoryEvent> carryover)
        {
            History.Clear();
            return Run([Started(input), .. carryover]);
        }

        public OrchestratorRequest Request(HistoryEvent[] newEvents)
        {
            var request = new OrchestratorRequest { InstanceId = instanceId };
            request.PastEvents.AddRange(History);
            request.NewEvents.Add(new HistoryEvent { EventId = -1, Timestamp = Timestamp.FromDateTime(Now), OrchestratorStarted = new() });
            request.NewEvents.AddRange(newEvents);
            return request;
        }

        public OrchestratorResponse Run(HistoryEvent[] newEvents)
        {
            var request = Request(newEvents);
            var t = Stopwatch.GetTimestamp();
            var response = executor.Execute(request);
            ExecutorMs += Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            Episodes++;
            History.AddRange(request.NewEvents);
            foreach (var a in response.Actions)
            {
                if (a.ScheduleTask is { } st)
                {
                    Scheduled++;
                    History.Add(new HistoryEvent { EventId = a.Id, Timestamp = Timestamp.FromDateTime(Now), TaskScheduled = new TaskScheduledEvent { Name = st.Name, Input = st.Input } });
                }
                else if (a.CreateTimer is { } ct)
                {
                    History.Add(new HistoryEvent { EventId = a.Id, Timestamp = Timestamp.FromDateTime(Now), TimerCreated = new TimerCreatedEvent { FireAt = ct.FireAt } });
                }
            }

            History.Add(new HistoryEvent { EventId = -1, Timestamp = Timestamp.FromDateTime(Now), OrchestratorCompleted = new() });
            return response;
        }

        private HistoryEvent Started(string? input)
        {
            _generation++;
            return new HistoryEvent
            {
                EventId = -1,
                Timestamp = Timestamp.FromDateTime(Now),
                ExecutionStarted = new ExecutionStartedEvent
                {
                    Name = ConversationOrchestrator.Name,
                    Input = input,
                    OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = "exec-" + _generation.ToString(C) },
                },
            };
        }
    }
}
