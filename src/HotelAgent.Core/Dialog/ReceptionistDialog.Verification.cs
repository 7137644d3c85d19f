using HotelAgent.Core.Pms;
using HotelAgent.Core.Security;

namespace HotelAgent.Core.Dialog;

/// <summary>
/// Bookings the guest did not make from the identity they write from: found only by reference PLUS a one-time code sent to
/// the booking's own WhatsApp number or email (never by a name or a reference alone). The code is generated, stored and
/// sent by an effect (an activity), so this stays deterministic; the answer is the same whether the reference exists or not.
/// </summary>
public sealed partial class ReceptionistDialog
{
    private static ReservationLookup Lookup(TurnContext t) =>
        new(t.Turn.Message.Channel, t.Turn.Message.GuestId, t.S.VerifiedReferences);

    private static ReservationSnapshot Snapshot(AccessibleReservation found) => Snapshot(found.Reservation) with { Access = found.Access };

    /// <summary>No booking of this identity: ask for the reference (a code will prove it).</summary>
    private void AskForReference(TurnContext t, ReservationAction action)
    {
        t.S = t.S.ClearFlow() with { Stage = DialogStage.AwaitingReference, Action = action };
        t.Say(L(t,
            $"No encuentro reservas activas hechas desde este {ContactKind(t)}. Si reservaste por otro medio, pasame el código de reserva (por ejemplo HPS-4K7Q2M) y te mando un código de verificación al WhatsApp o email con que se hizo. También podés llamar a recepción al {_profile.Phone}.",
            $"I can't find any active booking made from this {ContactKind(t)}. If you booked another way, send me the booking reference (e.g. HPS-4K7Q2M) and I'll send a verification code to the WhatsApp number or email it was made with. You can also call reception at {_profile.Phone}."));
    }

    /// <summary>Sends a code for <paramref name="reference"/> to the booking's own contacts and waits for it.</summary>
    private async Task StartVerificationAsync(TurnContext t, ReservationAction action, string reference, bool ownBooking = false)
    {
        var m = t.Turn.Message;
        var started = await t.Effects.StartVerificationAsync(new VerificationRequest(
            reference, m.Channel, m.GuestId, m.ConversationId, t.S.Language, t.Turn.IdempotencyPrefix + ":verify"));
        if (!started.IsOk)
        {
            t.S = t.S.ClearFlow();
            PmsTrouble(t, started.Status);
            return;
        }

        t.S = t.S.ClearFlow() with
        {
            Stage = DialogStage.VerifyingCode,
            Action = action,
            VerificationChallengeId = started.Value!.ChallengeId,
            VerificationReference = reference,
        };
        t.Say(ownBooking
            ? L(t,
                $"Por seguridad, para cambiar o cancelar una reserva por email necesito confirmar que sos vos: te mandé un código de verificación al email de la reserva {reference}. Escribímelo acá (vence en unos minutos).",
                $"For security, to change or cancel a booking by email I need to confirm it's you: I've sent a verification code to the email of booking {reference}. Type it here (it expires in a few minutes).")
            : L(t,
                $"Por seguridad solo puedo ver las reservas hechas desde este mismo {ContactKind(t)}. Si esa reserva existe, le mandé un código de verificación al WhatsApp o email con que se hizo: escribímelo acá para seguir (vence en unos minutos).",
                $"For security I can only see bookings made from this same {ContactKind(t)}. If that booking exists, I've sent a verification code to the WhatsApp number or email it was made with: type it here to continue (it expires in a few minutes)."));
    }

    /// <summary>Stages <see cref="DialogStage.AwaitingReference"/> and <see cref="DialogStage.VerifyingCode"/>.</summary>
    private async Task<bool> HandleVerificationInContextAsync(TurnContext t)
    {
        var action = t.S.Action ?? ReservationAction.Status;
        var reference = FindReference(t, t.Nlu);
        if (t.S.Stage == DialogStage.VerifyingCode && TypedCode(t.Turn.Message.Text) is { } code && t.S.VerificationChallengeId is { } challenge)
        {
            await CheckCodeAsync(t, action, challenge, code);
            return true;
        }

        if (reference is not null)
        {
            var own = await t.Effects.FindReservationsAsync(Lookup(t));
            var match = own.IsOk
                ? own.Value!.FirstOrDefault(x => string.Equals(ReservationReference.Normalize(x.Reservation.Reference), reference, StringComparison.Ordinal))
                : null;
            if (match is not null && match.Reservation.Status == ReservationStatus.Confirmed)
            {
                await ProceedWithReservationAsync(t, action, Snapshot(match));
                return true;
            }

            await StartVerificationAsync(t, action, reference);
            return true;
        }

        if (IsNo(t))
        {
            t.S = t.S.ClearFlow();
            t.Say(L(t, "Dale, lo dejamos acá. Si necesitás algo más, escribime.", "Sure, let's leave it there. If you need anything else, just write."));
            return true;
        }

        if (t.S.Stage == DialogStage.AwaitingReference)
        {
            // Not a reference: the guest moved on; understand the message on its own.
            t.S = t.S.ClearFlow();
        }

        return false;
    }

    private async Task CheckCodeAsync(TurnContext t, ReservationAction action, string challenge, string code)
    {
        var m = t.Turn.Message;
        var result = await t.Effects.CheckVerificationCodeAsync(new CodeCheckRequest(challenge, m.ConversationId, code));
        if (!result.IsOk)
        {
            PmsTrouble(t, result.Status);
            return;
        }

        switch (result.Value!.Status)
        {
            case CodeCheckStatus.Verified when result.Value.Reservation is { } reservation:
                t.S = t.S with { VerifiedReferences = [.. t.S.VerifiedReferences.Where(r => r != reservation.Reference).TakeLast(9), reservation.Reference] };
                if (reservation.Status == ReservationStatus.Cancelled)
                {
                    t.S = t.S.ClearFlow();
                    t.Say(L(t, $"Listo, verificado. La reserva {reservation.Reference} está cancelada.", $"Verified. Booking {reservation.Reference} is cancelled."));
                    return;
                }

                t.Say(L(t, "¡Listo, verificado! ✅", "Verified! ✅"));
                await ProceedWithReservationAsync(t, action, Snapshot(new AccessibleReservation(reservation, ReservationAccess.Verified)));
                return;

            case CodeCheckStatus.Wrong:
                t.Say(L(t, "Ese código no coincide. Revisalo y escribímelo de nuevo.", "That code doesn't match. Please check it and type it again."));
                return;

            case CodeCheckStatus.Expired:
                t.S = t.S.ClearFlow();
                t.Say(L(t, "Ese código ya venció. Si querés, pasame de nuevo el código de reserva y te mando uno nuevo.",
                    "That code has expired. If you like, send me the booking reference again and I'll send you a new one."));
                return;

            default:
                t.S = t.S.ClearFlow();
                t.Say(L(t,
                    $"Por seguridad bloqueé por un rato la verificación de esa reserva (demasiados códigos incorrectos). Si es tuya, escribinos desde el WhatsApp o email con que la hiciste, o llamá a recepción al {_profile.Phone}.",
                    $"For security I've blocked verification for that booking for a while (too many wrong codes). If it's yours, write to us from the WhatsApp number or email you booked with, or call reception at {_profile.Phone}."));
                return;
        }
    }

    /// <summary>Tells the booking's own contacts about a change made from another identity (the requester's reply says it already).</summary>
    private static Task NotifyOwnerAsync(TurnContext t, string reference, OwnerNoticeKind kind, string writeKey) =>
        t.Effects.NotifyReservationOwnerAsync(new OwnerNoticeRequest(reference, kind, t.Turn.Message.Channel, t.Turn.Message.GuestId, writeKey));

    /// <summary>A one-time code in the message: 6 to 8 digits, possibly split by spaces or dashes ("123 456").</summary>
    private static string? TypedCode(string? text)
    {
        var match = CodeRegex().Match(text ?? string.Empty);
        return match.Success ? new string(match.Value.Where(char.IsAsciiDigit).ToArray()) : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\d/.,:])\d(?:[ -]?\d){5,7}(?![\d/.,:])", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex CodeRegex();
}
