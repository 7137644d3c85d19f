using HotelAgent.Core.Messaging;

namespace HotelAgent.Core.Channels.Common;

/// <summary>
/// Exactly-once gate for inbound messages: the provider message id (wamid, email Message-ID, web-chat id) is claimed
/// before processing, and only the first caller — across concurrent deliveries, restarts and (on Azure Tables) instances —
/// gets <c>true</c>. Implementations: <see cref="SqliteProcessedMessageStore"/>, <see cref="TableProcessedMessageStore"/>.
/// </summary>
public interface IProcessedMessageStore
{
    /// <summary>
    /// Claims the id before processing; true only for the first caller, or when an earlier claim was never completed
    /// within <see cref="ChannelStoreTimes.PendingTimeout"/> (its process died before handing the message on). Call
    /// <see cref="CompleteAsync"/> once the message is safely handed on.
    /// </summary>
    Task<bool> TryRecordAsync(Channel channel, string providerMessageId, CancellationToken cancellationToken = default);

    /// <summary>Marks a claimed id as handled: from now on every redelivery is a duplicate.</summary>
    Task CompleteAsync(Channel channel, string providerMessageId, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="CompleteAsync"/> after a successful hand-off, where the store can let the commit follow a moment
    /// later (joined to its next write) so the caller does not wait for it; a kill before that commit leaves the claim
    /// pending, as a kill between the hand-off and <see cref="CompleteAsync"/> would. By default the same as <see cref="CompleteAsync"/>.
    /// </summary>
    Task CompleteDeferredAsync(Channel channel, string providerMessageId, CancellationToken cancellationToken = default) =>
        CompleteAsync(channel, providerMessageId, cancellationToken);

    /// <summary>
    /// Removes a claimed id so a redelivery is processed again. Use only when processing failed before the message was
    /// handed on (e.g. the sink threw), so a provider retry does not lose it.
    /// </summary>
    Task ForgetAsync(Channel channel, string providerMessageId, CancellationToken cancellationToken = default);

    /// <summary>Whether the id was already claimed (does not claim it).</summary>
    Task<bool> ContainsAsync(Channel channel, string providerMessageId, CancellationToken cancellationToken = default);

    /// <summary>Deletes ids older than <paramref name="age"/> (WhatsApp retries for up to 7 days; keep more).</summary>
    Task<int> PurgeOlderThanAsync(TimeSpan age, CancellationToken cancellationToken = default);
}

/// <summary>
/// Remembers <see cref="OutboundMessage.IdempotencyKey"/>s, so a retried activity (or a replayed orchestration) does not
/// message the guest twice. A send is recorded as an <b>attempt</b> (key, owning process, time) committed before the
/// provider call, and marked sent when the call answered (<see cref="RecordSentAsync"/>) or when the provider's status
/// webhook confirmed it (<see cref="ConfirmFromStatusAsync"/>) — on any instance — so a sender that restarts after a kill
/// can tell "maybe sent by a dead process" from "never tried".
/// </summary>
public interface ISentMessageStore
{
    /// <summary>
    /// Serializes sends of the same key inside this process, so two concurrent retries of one activity cannot both pass
    /// the "not sent yet" check. Dispose the result to release.
    /// </summary>
    Task<IDisposable> LockAsync(Channel channel, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>True when the key was sent (the provider answered, or its status webhook confirmed the send).</summary>
    Task<bool> WasSentAsync(Channel channel, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>The unconfirmed attempt recorded for the key, or null when there is none (never tried, or already sent).</summary>
    Task<SendAttempt?> GetPendingAttemptAsync(Channel channel, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that this process is about to call the provider for the key (committed before the call). A key already
    /// sent is left alone; an earlier unconfirmed attempt is taken over.
    /// </summary>
    Task RecordAttemptAsync(Channel channel, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Under <see cref="LockAsync"/>, the start of a keyed send in one step where the store can (by default
    /// <see cref="WasSentAsync"/>, <see cref="GetPendingAttemptAsync"/> and <see cref="RecordAttemptAsync"/> in turn):
    /// <see cref="SendStart.AlreadySent"/> when the key was sent; otherwise, when there is no unconfirmed attempt or
    /// <paramref name="sendAgainAtOnce"/> says to take it over, this process's attempt is recorded (committed before
    /// the provider call) and <see cref="SendStart.Started"/> is true; else nothing is recorded and
    /// <see cref="SendStart.Pending"/> is the attempt to wait for.
    /// </summary>
    async Task<SendStart> StartAttemptAsync(Channel channel, string idempotencyKey, Func<SendAttempt, bool> sendAgainAtOnce, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sendAgainAtOnce);
        if (await WasSentAsync(channel, idempotencyKey, cancellationToken))
        {
            return SendStart.Sent;
        }

        var attempt = await GetPendingAttemptAsync(channel, idempotencyKey, cancellationToken);
        if (attempt is not null && !sendAgainAtOnce(attempt))
        {
            return new SendStart(false, false, attempt);
        }

        await RecordAttemptAsync(channel, idempotencyKey, cancellationToken);
        return new SendStart(false, true, attempt);
    }

    /// <summary>Marks the key sent after the provider accepted it (creates the record when no attempt was recorded).</summary>
    Task RecordSentAsync(Channel channel, string idempotencyKey, string? providerMessageId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks the key sent because the provider's status webhook (WhatsApp <c>sent</c> / <c>delivered</c> / <c>read</c>
    /// carrying <c>biz_opaque_callback_data</c>) proves the message went out. Idempotent; creates the record when missing.
    /// </summary>
    Task ConfirmFromStatusAsync(Channel channel, string idempotencyKey, string? providerMessageId, CancellationToken cancellationToken = default);

    /// <summary>Deletes keys older than <paramref name="age"/>.</summary>
    Task<int> PurgeOlderThanAsync(TimeSpan age, CancellationToken cancellationToken = default);
}

/// <summary>Delivery receipts of outbound messages (WhatsApp <c>statuses</c>); only provider message ids, no guest data.</summary>
public interface IDeliveryStatusStore
{
    /// <summary>Records one status (the same status again replaces the earlier record).</summary>
    Task RecordAsync(Channel channel, string providerMessageId, string status, DateTimeOffset at, IEnumerable<int>? errorCodes, CancellationToken cancellationToken = default);

    /// <summary>The statuses received for a message, oldest first.</summary>
    Task<IReadOnlyList<DeliveryStatus>> GetAsync(Channel channel, string providerMessageId, CancellationToken cancellationToken = default);

    Task<int> PurgeOlderThanAsync(TimeSpan age, CancellationToken cancellationToken = default);
}

/// <summary>A recorded delivery status of one outbound message.</summary>
public sealed record DeliveryStatus(string ProviderMessageId, string Status, DateTimeOffset At, IReadOnlyList<int> ErrorCodes);

/// <summary>An unconfirmed send attempt.</summary>
/// <param name="Owner">The process that recorded it.</param>
/// <param name="AttemptedUtc">When it was recorded (just before the provider call).</param>
/// <param name="ByThisProcess">True when this process recorded it (a retry after a failed call in this process).</param>
public sealed record SendAttempt(string Owner, DateTimeOffset AttemptedUtc, bool ByThisProcess);

/// <summary>What <see cref="ISentMessageStore.StartAttemptAsync"/> found and did.</summary>
/// <param name="AlreadySent">The key was sent: do not send.</param>
/// <param name="Started">This process's attempt is recorded: send now.</param>
/// <param name="Pending">The unconfirmed attempt found (taken over when <paramref name="Started"/>), or null.</param>
public sealed record SendStart(bool AlreadySent, bool Started, SendAttempt? Pending)
{
    public static readonly SendStart Sent = new(true, false, null);
}

/// <summary>Times and identities every channel store implementation shares.</summary>
public static class ChannelStoreTimes
{
    /// <summary>How long inbound ids and sent keys are kept (WhatsApp redelivers for up to 7 days; retries come within minutes).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a claimed but never completed inbound id blocks redeliveries: after it, a redelivery is processed (the
    /// process that claimed it died before handing the message on), so a crash never loses a message.
    /// </summary>
    public static readonly TimeSpan PendingTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Identifies this process's claims and send attempts (another owner is a process that died, or another instance).</summary>
    public static readonly string ProcessOwner = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
}

/// <summary>In-process striped locks per (channel, key): one send of a key at a time inside this process.</summary>
internal sealed class StripedKeyLocks
{
    private const int Stripes = 256;
    private readonly SemaphoreSlim[] _locks = Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<IDisposable> LockAsync(Channel channel, string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var stripe = _locks[(int)((uint)HashCode.Combine(channel, StringComparer.Ordinal.GetHashCode(key)) % Stripes)];
        await stripe.WaitAsync(cancellationToken);
        return new Releaser(stripe);
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
