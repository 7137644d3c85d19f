using HotelAgent.Core.Dialog;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Nlu;
using HotelAgent.Core.Orchestration;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Security;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Core.Conversation;

/// <summary>
/// The activities of the conversation orchestration. Each is also an Azure Function (activityTrigger) under the
/// host; standalone, the engine runs them in-process. Activities are at-least-once: the side-effecting ones are
/// idempotent by key (channel sends by <see cref="OutboundMessage.IdempotencyKey"/>, PMS writes by idempotency key).
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

    public static IServiceCollection AddConversationActivities(this IServiceCollection services)
    {
        services.AddActivity(Understand, Typed<UnderstandRequest, NluResult>((sp, r, ct) =>
            sp.GetRequiredService<IIntentUnderstanding>().UnderstandAsync(r.Text, r.Today, ct)));

        services.AddActivity(SendReply, Typed<SendReplyRequest, bool>(async (sp, r, ct) =>
        {
            await sp.GetRequiredService<IReplyDispatcher>().DispatchAsync(r, ct);
            return true;
        }));

        services.AddActivity(SearchAvailability, Typed<StayQuery, DialogPmsResult<IReadOnlyList<RoomOffer>>>((sp, q, ct) =>
            DialogPmsResult.CaptureAsync(() => sp.GetRequiredService<IPmsClient>().SearchAvailabilityAsync(q, ct))));

        services.AddActivity(CreateReservation, Typed<NewReservation, DialogPmsResult<Reservation>>((sp, r, ct) =>
            DialogPmsResult.CaptureAsync(() => sp.GetRequiredService<IPmsClient>().CreateReservationAsync(r, ct))));

        services.AddActivity(FindReservations, Typed<ReservationLookup, DialogPmsResult<IReadOnlyList<AccessibleReservation>>>((sp, r, ct) =>
            DialogPmsResult.CaptureAsync(() => GuestReservations.FindAsync(sp.GetRequiredService<IPmsClient>(), r, ct))));

        services.AddActivity(StartVerification, Typed<VerificationRequest, DialogPmsResult<VerificationStarted>>((sp, r, ct) =>
            sp.GetRequiredService<ReservationVerifier>().StartAsync(r, ct)));

        services.AddActivity(CheckVerificationCode, Typed<CodeCheckRequest, DialogPmsResult<CodeCheckResult>>((sp, r, ct) =>
            sp.GetRequiredService<ReservationVerifier>().CheckAsync(r, ct)));

        services.AddActivity(NotifyReservationOwner, Typed<OwnerNoticeRequest, bool>((sp, r, ct) =>
            sp.GetRequiredService<ReservationVerifier>().NotifyOwnerAsync(r, ct)));

        services.AddActivity(ModifyReservation, Typed<ModifyReservationRequest, DialogPmsResult<Reservation>>((sp, r, ct) =>
            DialogPmsResult.CaptureAsync(() => sp.GetRequiredService<IPmsClient>().ModifyReservationAsync(r.Reference, r.Change, ct))));

        services.AddActivity(CancelReservation, Typed<CancelReservationRequest, DialogPmsResult<CancellationOutcome>>((sp, r, ct) =>
            DialogPmsResult.CaptureAsync(() => sp.GetRequiredService<IPmsClient>().CancelReservationAsync(r.Reference, r.IdempotencyKey, ct))));

        services.AddActivity(NotifyStaff, Typed<HandoffNotice, bool>(async (sp, n, ct) =>
        {
            await sp.GetRequiredService<IStaffNotifier>().NotifyAsync(n, ct);
            return true;
        }));

        services.AddActivity(RecordTurn, Typed<TurnRecord, bool>(async (sp, r, ct) =>
        {
            foreach (var recorder in sp.GetServices<ITurnRecorder>())
            {
                await recorder.RecordAsync(r, ct);
            }

            return true;
        }));
        return services;
    }

    private static ActivityHandler Typed<TInput, TOutput>(Func<IServiceProvider, TInput, CancellationToken, Task<TOutput>> handler) =>
        async (services, inputJson, cancellationToken) =>
        {
            var input = OrchestrationJson.Deserialize<TInput>(inputJson)
                ?? throw new ArgumentException($"The activity input is missing (expected {typeof(TInput).Name}).");
            return OrchestrationJson.Serialize(await handler(services, input, cancellationToken));
        };
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
