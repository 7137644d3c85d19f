using HotelAgent.Core.Dialog;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Nlu;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Security;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Core.Conversation;

/// <summary>
/// The activities of the conversation orchestration, by name. Each is an Azure Function (<c>[ActivityTrigger]</c>) under
/// the host and a registry entry on the standalone runtime; both call <see cref="ConversationActivityHandlers"/>.
/// Activities are at-least-once: the side-effecting ones are idempotent by key (channel sends by
/// <see cref="OutboundMessage.IdempotencyKey"/>, PMS writes by idempotency key).
/// </summary>
public static class ConversationActivities
{
    public const string Understand = "UnderstandMessage";
    public const string SendReply = "SendReply";
    public const string SearchAvailability = "SearchAvailability";
    public const string CreateReservation = "CreateReservation";
    public const string FindReservations = "FindReservations";
    public const string ModifyReservation = "ModifyReservation";
    public const string CancelReservation = "CancelReservation";
    public const string NotifyStaff = "NotifyStaff";
    public const string RecordTurn = "RecordTurn";
    public const string StartVerification = "StartVerification";
    public const string CheckVerificationCode = "CheckVerificationCode";
    public const string NotifyReservationOwner = "NotifyReservationOwner";

    public static IReadOnlyList<string> All { get; } =
    [
        Understand, SendReply, SearchAvailability, CreateReservation, FindReservations, ModifyReservation, CancelReservation, NotifyStaff, RecordTurn,
        StartVerification, CheckVerificationCode, NotifyReservationOwner,
    ];

    /// <summary>
    /// Registers the orchestrator and its activities under their function names (the standalone runtime's registry);
    /// the orchestrator is built from <paramref name="services"/> for every execution (registries only offer factories).
    /// </summary>
    public static DurableTaskRegistry AddConversationTasks(this DurableTaskRegistry registry, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestrator(ConversationOrchestrator.Name, () => services.GetRequiredService<ConversationOrchestrator>());
        Add<UnderstandRequest, NluResult>(registry, Understand, (h, r) => h.UnderstandMessageAsync(r));
        Add<SendReplyRequest, bool>(registry, SendReply, (h, r) => h.SendReplyAsync(r));
        Add<StayQuery, DialogPmsResult<IReadOnlyList<RoomOffer>>>(registry, SearchAvailability, (h, r) => h.SearchAvailabilityAsync(r));
        Add<NewReservation, DialogPmsResult<Reservation>>(registry, CreateReservation, (h, r) => h.CreateReservationAsync(r));
        Add<ReservationLookup, DialogPmsResult<IReadOnlyList<AccessibleReservation>>>(registry, FindReservations, (h, r) => h.FindReservationsAsync(r));
        Add<VerificationRequest, DialogPmsResult<VerificationStarted>>(registry, StartVerification, (h, r) => h.StartVerificationAsync(r));
        Add<CodeCheckRequest, DialogPmsResult<CodeCheckResult>>(registry, CheckVerificationCode, (h, r) => h.CheckVerificationCodeAsync(r));
        Add<OwnerNoticeRequest, bool>(registry, NotifyReservationOwner, (h, r) => h.NotifyReservationOwnerAsync(r));
        Add<ModifyReservationRequest, DialogPmsResult<Reservation>>(registry, ModifyReservation, (h, r) => h.ModifyReservationAsync(r));
        Add<CancelReservationRequest, DialogPmsResult<CancellationOutcome>>(registry, CancelReservation, (h, r) => h.CancelReservationAsync(r));
        Add<HandoffNotice, bool>(registry, NotifyStaff, (h, r) => h.NotifyStaffAsync(r));
        Add<TurnRecord, bool>(registry, RecordTurn, (h, r) => h.RecordTurnAsync(r));
        return registry;
    }

    private static void Add<TInput, TOutput>(DurableTaskRegistry registry, string name, Func<ConversationActivityHandlers, TInput, Task<TOutput>> run) =>
        registry.AddActivity(name, services => new HandlerActivity<TInput, TOutput>(services, run));

    /// <summary>An activity resolved in the invocation's DI scope.</summary>
    private sealed class HandlerActivity<TInput, TOutput>(IServiceProvider services, Func<ConversationActivityHandlers, TInput, Task<TOutput>> run)
        : TaskActivity<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) =>
            run(services.GetRequiredService<ConversationActivityHandlers>(),
                input ?? throw new ArgumentException($"The activity input is missing (expected {typeof(TInput).Name})."));
    }
}

/// <summary>What each conversation activity does (one method per activity; the function wrappers call these too).</summary>
public sealed partial class ConversationActivityHandlers(
    IIntentUnderstanding understanding,
    IReplyDispatcher replies,
    IPmsClient pms,
    IStaffNotifier staff,
    ReservationVerifier verifier,
    IEnumerable<ITurnRecorder> recorders,
    ILogger<ConversationActivityHandlers> logger)
{
    public Task<NluResult> UnderstandMessageAsync(UnderstandRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return understanding.UnderstandAsync(request.Text, request.Today, cancellationToken);
    }

    public async Task<bool> SendReplyAsync(SendReplyRequest request, CancellationToken cancellationToken = default)
    {
        await replies.DispatchAsync(request, cancellationToken);
        if (request.Record is { } record)
        {
            // After the send, so the guest's reply never waits for the statistics and transcript writes. Best effort, as the
            // RecordTurn activity is: a failed record must not fail (and retry) a reply that has been sent.
            try
            {
                await RecordTurnAsync(record, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRecordFailed(logger, record.ConversationId, ex.GetType().Name);
            }
        }

        return true;
    }

    public Task<DialogPmsResult<IReadOnlyList<RoomOffer>>> SearchAvailabilityAsync(StayQuery query, CancellationToken cancellationToken = default) =>
        DialogPmsResult.CaptureAsync(() => pms.SearchAvailabilityAsync(query, cancellationToken));

    public Task<DialogPmsResult<Reservation>> CreateReservationAsync(NewReservation request, CancellationToken cancellationToken = default) =>
        DialogPmsResult.CaptureAsync(() => pms.CreateReservationAsync(request, cancellationToken));

    public Task<DialogPmsResult<IReadOnlyList<AccessibleReservation>>> FindReservationsAsync(ReservationLookup lookup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return DialogPmsResult.CaptureAsync(() => GuestReservations.FindAsync(pms, lookup, cancellationToken));
    }

    public Task<DialogPmsResult<VerificationStarted>> StartVerificationAsync(VerificationRequest request, CancellationToken cancellationToken = default) =>
        verifier.StartAsync(request, cancellationToken);

    public Task<DialogPmsResult<CodeCheckResult>> CheckVerificationCodeAsync(CodeCheckRequest request, CancellationToken cancellationToken = default) =>
        verifier.CheckAsync(request, cancellationToken);

    public Task<bool> NotifyReservationOwnerAsync(OwnerNoticeRequest notice, CancellationToken cancellationToken = default) =>
        verifier.NotifyOwnerAsync(notice, cancellationToken);

    public Task<DialogPmsResult<Reservation>> ModifyReservationAsync(ModifyReservationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return DialogPmsResult.CaptureAsync(() => pms.ModifyReservationAsync(request.Reference, request.Change, cancellationToken));
    }

    public Task<DialogPmsResult<CancellationOutcome>> CancelReservationAsync(CancelReservationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return DialogPmsResult.CaptureAsync(() => pms.CancelReservationAsync(request.Reference, request.IdempotencyKey, cancellationToken));
    }

    public async Task<bool> NotifyStaffAsync(HandoffNotice notice, CancellationToken cancellationToken = default)
    {
        await staff.NotifyAsync(notice, cancellationToken);
        return true;
    }

    [LoggerMessage(EventId = 9210, Level = LogLevel.Warning, Message = "The turn record of {ConversationId} was not stored after its reply ({Error})")]
    private static partial void LogRecordFailed(ILogger logger, string conversationId, string error);

    public async Task<bool> RecordTurnAsync(TurnRecord record, CancellationToken cancellationToken = default)
    {
        foreach (var recorder in recorders)
        {
            await recorder.RecordAsync(record, cancellationToken);
        }

        return true;
    }
}

/// <summary>Delivers a reply on the guest's channel (and queues a voice note when the guest spoke).</summary>
public interface IReplyDispatcher
{
    Task DispatchAsync(SendReplyRequest request, CancellationToken cancellationToken);
}

/// <summary>Records a guest turn for analytics (the interaction log, metrics).</summary>
public interface ITurnRecorder
{
    Task RecordAsync(TurnRecord record, CancellationToken cancellationToken);
}
