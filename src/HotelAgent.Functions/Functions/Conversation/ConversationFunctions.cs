using HotelAgent.Core.Conversation;
using HotelAgent.Core.Dialog;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Nlu;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Security;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace HotelAgent.Functions.Functions.Conversation;

/// <summary>The guest conversation orchestrator under the Functions host (its code is in Core, written once).</summary>
public sealed class ConversationOrchestratorFunction(ConversationOrchestrator orchestrator)
{
    [Function(ConversationOrchestrator.Name)]
    public Task<ConversationStatus?> Run([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return orchestrator.RunAsync(context, context.GetInput<ConversationInput>());
    }
}

/// <summary>One activity function per conversation activity, each a one-line call into Core.</summary>
public sealed class ConversationActivityFunctions(ConversationActivityHandlers handlers)
{
    [Function(ConversationActivities.Understand)]
    public Task<NluResult> UnderstandMessage([ActivityTrigger] UnderstandRequest request) => handlers.UnderstandMessageAsync(request);

    [Function(ConversationActivities.SendReply)]
    public Task<bool> SendReply([ActivityTrigger] SendReplyRequest request) => handlers.SendReplyAsync(request);

    [Function(ConversationActivities.SearchAvailability)]
    public Task<DialogPmsResult<IReadOnlyList<RoomOffer>>> SearchAvailability([ActivityTrigger] StayQuery query) => handlers.SearchAvailabilityAsync(query);

    [Function(ConversationActivities.CreateReservation)]
    public Task<DialogPmsResult<Reservation>> CreateReservation([ActivityTrigger] NewReservation request) => handlers.CreateReservationAsync(request);

    [Function(ConversationActivities.FindReservations)]
    public Task<DialogPmsResult<IReadOnlyList<AccessibleReservation>>> FindReservations([ActivityTrigger] ReservationLookup lookup) => handlers.FindReservationsAsync(lookup);

    [Function(ConversationActivities.StartVerification)]
    public Task<DialogPmsResult<VerificationStarted>> StartVerification([ActivityTrigger] VerificationRequest request) => handlers.StartVerificationAsync(request);

    [Function(ConversationActivities.CheckVerificationCode)]
    public Task<DialogPmsResult<CodeCheckResult>> CheckVerificationCode([ActivityTrigger] CodeCheckRequest request) => handlers.CheckVerificationCodeAsync(request);

    [Function(ConversationActivities.NotifyReservationOwner)]
    public Task<bool> NotifyReservationOwner([ActivityTrigger] OwnerNoticeRequest notice) => handlers.NotifyReservationOwnerAsync(notice);

    [Function(ConversationActivities.ModifyReservation)]
    public Task<DialogPmsResult<Reservation>> ModifyReservation([ActivityTrigger] ModifyReservationRequest request) => handlers.ModifyReservationAsync(request);

    [Function(ConversationActivities.CancelReservation)]
    public Task<DialogPmsResult<CancellationOutcome>> CancelReservation([ActivityTrigger] CancelReservationRequest request) => handlers.CancelReservationAsync(request);

    [Function(ConversationActivities.NotifyStaff)]
    public Task<bool> NotifyStaff([ActivityTrigger] HandoffNotice notice) => handlers.NotifyStaffAsync(notice);

    [Function(ConversationActivities.RecordTurn)]
    public Task<bool> RecordTurn([ActivityTrigger] TurnRecord record) => handlers.RecordTurnAsync(record);
}
