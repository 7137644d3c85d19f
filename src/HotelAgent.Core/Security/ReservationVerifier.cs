using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HotelAgent.Core.Dialog;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Security;

/// <summary>
/// The second factor for reservations a guest did not make from the identity they write from: a one-time code sent to the
/// booking's OWN contacts (<see cref="ReservationAccessPolicy.OwnerContacts"/>), checked with bounded attempts, expiry and a
/// lock per reservation. The answer to a request is the same whether the reference exists or not. Also tells a booking's
/// own contacts when someone else cancelled or changed it. Runs inside activities, so the dialog stays deterministic.
/// </summary>
public sealed partial class ReservationVerifier(
    IVerificationStore store,
    IPmsClient pms,
    IEnumerable<IChannelSender> senders,
    HotelProfile hotel,
    IOptions<SecurityOptions> options,
    TimeProvider time,
    ILogger<ReservationVerifier> logger)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes("verification-code:" + options.Value.ConversationIdKey);

    /// <summary>
    /// Creates a challenge for the request and, when the reference exists and is neither locked nor over its sending limits,
    /// sends the code to the booking's own contacts. A PMS outage is the only other answer (it says nothing about the reference).
    /// </summary>
    public async Task<DialogPmsResult<VerificationStarted>> StartAsync(VerificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = ChallengeId(request.IdempotencyKey);
        var reference = ReservationReference.Normalize(request.Reference);
        Reservation? reservation = null;
        var lookup = await DialogPmsResult.CaptureAsync(() => pms.GetReservationAsync(reference, cancellationToken));
        if (lookup.Status is DialogPmsStatus.Unavailable)
        {
            return DialogPmsResult<VerificationStarted>.Fail(DialogPmsStatus.Unavailable, lookup.Error);
        }

        if (lookup.IsOk && lookup.Value!.Status == ReservationStatus.Confirmed)
        {
            reservation = lookup.Value;
        }

        var s = options.Value;
        var now = time.GetUtcNow();
        var code = NewCode(s.CodeDigits);
        var outcome = await store.StartAsync(
            new ChallengeStart(id, reference, request.ConversationId, reservation is not null, Hash(id, code), now,
                now + TimeSpan.FromMinutes(s.CodeLifetimeMinutes), VerificationLimits.From(s)),
            cancellationToken);

        LogChallenge(logger, id, outcome.ToString().ToLowerInvariant(), new GuestIdentity(request.Channel, request.GuestId).ToString());
        if (outcome == ChallengeOutcome.Send)
        {
            var text = string.Equals(request.Language, "en", StringComparison.Ordinal)
                ? $"Your verification code for booking {reservation!.Reference} at {hotel.Name} is {code}. It expires in {s.CodeLifetimeMinutes} minutes. If you did not ask for it, ignore this message: nobody can see or change your booking without this code."
                : $"Tu código de verificación para la reserva {reservation!.Reference} en {hotel.Name} es {code}. Vence en {s.CodeLifetimeMinutes} minutos. Si no lo pediste vos, ignorá este mensaje: nadie puede ver ni cambiar tu reserva sin este código.";
            await SendToOwnerAsync(reservation, requester: null, text, id + ":code", cancellationToken);
        }

        return DialogPmsResult<VerificationStarted>.Ok(new VerificationStarted(id));
    }

    /// <summary>Checks a code for a challenge of the same conversation; a verified code returns the reservation.</summary>
    public async Task<DialogPmsResult<CodeCheckResult>> CheckAsync(CodeCheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var s = options.Value;
        var now = time.GetUtcNow();
        var digits = new string((request.Code ?? string.Empty).Where(char.IsAsciiDigit).ToArray());
        var checkedCode = await store.CheckAsync(
            new ChallengeCheck(
                request.ChallengeId,
                request.ConversationId,
                challenge => challenge.CodeHash is not null && digits.Length == s.CodeDigits
                    && CryptographicOperations.FixedTimeEquals(challenge.CodeHash, Hash(challenge.Id, digits)),
                now,
                VerificationLimits.From(s)),
            cancellationToken);
        var (status, reference) = (checkedCode.Status, checkedCode.Reference);

        LogCheck(logger, request.ChallengeId, status);
        if (status != CodeCheckStatus.Verified)
        {
            return DialogPmsResult<CodeCheckResult>.Ok(new CodeCheckResult(status));
        }

        var found = await DialogPmsResult.CaptureAsync(() => pms.GetReservationAsync(reference!, cancellationToken));
        return found.IsOk
            ? DialogPmsResult<CodeCheckResult>.Ok(new CodeCheckResult(CodeCheckStatus.Verified, found.Value))
            : DialogPmsResult<CodeCheckResult>.Fail(found.Status, found.Error);
    }

    /// <summary>Tells the booking's own contacts (except the requester) that it was cancelled or changed. Best effort, idempotent by key.</summary>
    public async Task<bool> NotifyOwnerAsync(OwnerNoticeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var found = await DialogPmsResult.CaptureAsync(() => pms.GetReservationAsync(request.Reference, cancellationToken));
        if (!found.IsOk)
        {
            LogNoticeSkipped(logger, request.Reference, found.Status.ToString());
            return false;
        }

        var r = found.Value!;
        var culture = CultureInfo.GetCultureInfo(hotel.Culture);
        var dates = $"{r.CheckIn.ToString("dd/MM/yyyy", culture)} – {r.CheckOut.ToString("dd/MM/yyyy", culture)}";
        var via = request.Channel switch
        {
            Channel.WhatsApp => "WhatsApp",
            Channel.Email => "email",
            _ => "el chat web",
        };
        var first = r.GuestName.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
        var text = request.Kind == OwnerNoticeKind.Cancelled
            ? $"Hola {first}: tu reserva {r.Reference} en {hotel.Name} ({dates}) fue cancelada a pedido recibido por {via}. Si no fuiste vos, comunicate ya con recepción al {hotel.Phone} o a {hotel.Email}."
            : $"Hola {first}: tu reserva {r.Reference} en {hotel.Name} fue modificada a pedido recibido por {via}; ahora es del {dates}. Si no fuiste vos, comunicate ya con recepción al {hotel.Phone} o a {hotel.Email}.";
        return await SendToOwnerAsync(r, new GuestIdentity(request.Channel, request.GuestId), text, request.IdempotencyKey + ":owner", cancellationToken) > 0;
    }

    private async Task<int> SendToOwnerAsync(Reservation reservation, GuestIdentity? requester, string text, string keyPrefix, CancellationToken cancellationToken)
    {
        var sent = 0;
        var contacts = ReservationAccessPolicy.OwnerContacts(reservation);
        for (var i = 0; i < contacts.Count; i++)
        {
            var contact = contacts[i];
            if (requester is not null && ReservationAccessPolicy.SameIdentity(requester, contact))
            {
                continue;
            }

            var sender = senders.FirstOrDefault(s => s.Channel == contact.Channel);
            if (sender is null)
            {
                LogNoSender(logger, contact.Channel);
                continue;
            }

            try
            {
                await sender.SendAsync(new OutboundMessage(contact.Channel, contact.Id, new Reply(text), $"{keyPrefix}:{i}"), cancellationToken);
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The guest can ask again; a failed send must not fail the conversation's turn.
                LogSendFailed(logger, contact.Channel, contact.ToString(), ex.GetType().Name);
            }
        }

        return sent;
    }

    private string ChallengeId(string idempotencyKey) =>
        "vc-" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("challenge:" + idempotencyKey)).AsSpan(0, 12));

    private byte[] Hash(string challengeId, string code) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(challengeId + ":" + code));

    private static string NewCode(int digits) =>
        RandomNumberGenerator.GetInt32(0, (int)Math.Pow(10, digits)).ToString(new string('0', digits), CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 7100, Level = LogLevel.Information, Message = "Verification challenge {ChallengeId} for {Requester}: {Outcome}")]
    private static partial void LogChallenge(ILogger logger, string challengeId, string outcome, string requester);

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Verification challenge {ChallengeId}: code {Status}")]
    private static partial void LogCheck(ILogger logger, string challengeId, CodeCheckStatus status);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "No sender for {Channel}: a booking contact on it cannot be reached")]
    private static partial void LogNoSender(ILogger logger, Channel channel);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Sending to the booking contact {Contact} on {Channel} failed ({Error})")]
    private static partial void LogSendFailed(ILogger logger, Channel channel, string contact, string error);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "Owner notice for {Reference} skipped: the PMS answered {Status}")]
    private static partial void LogNoticeSkipped(ILogger logger, string reference, string status);
}
