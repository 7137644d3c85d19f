using System.Text;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Nlu;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Security;

namespace HotelAgent.Core.Dialog;

/// <summary>
/// Status, modification and cancellation of the guest's OWN bookings (found by their channel identity only) and of bookings
/// proved with a one-time code (ReceptionistDialog.Verification.cs).
/// </summary>
public sealed partial class ReceptionistDialog
{
    private async Task StartReservationFlowAsync(TurnContext t, ReservationAction action, NluResult nlu)
    {
        var found = await t.Effects.FindReservationsAsync(Lookup(t));
        if (!found.IsOk)
        {
            PmsTrouble(t, found.Status);
            return;
        }

        // Only bookings of this identity (or proved with a code here) exist for the dialog: there is no other lookup path.
        var mine = found.Value!;
        var reference = FindReference(t, nlu);
        if (reference is not null)
        {
            var match = mine.FirstOrDefault(x => string.Equals(ReservationReference.Normalize(x.Reservation.Reference), reference, StringComparison.Ordinal));
            if (match is null)
            {
                // Not this identity's: only a one-time code sent to the booking's own contact proves it.
                await StartVerificationAsync(t, action, reference);
                return;
            }

            if (match.Reservation.Status == ReservationStatus.Cancelled)
            {
                t.S = t.S.ClearFlow();
                t.Say(L(t, $"La reserva {match.Reservation.Reference} está cancelada.", $"Booking {match.Reservation.Reference} is cancelled."));
                return;
            }

            await ProceedWithReservationAsync(t, action, Snapshot(match));
            return;
        }

        var upcoming = mine
            .Where(x => x.Reservation.Status == ReservationStatus.Confirmed && x.Reservation.CheckOut >= t.Turn.Today)
            .OrderBy(x => x.Reservation.CheckIn)
            .ThenBy(x => x.Reservation.Reference, StringComparer.Ordinal)
            .Select(Snapshot)
            .ToList();
        if (upcoming.Count == 0)
        {
            AskForReference(t, action);
            return;
        }

        if (action == ReservationAction.Status)
        {
            t.S = t.S.ClearFlow();
            var sb = new StringBuilder(upcoming.Count == 1
                ? L(t, "Tu reserva:\n", "Your booking:\n")
                : L(t, "Tus reservas:\n", "Your bookings:\n"));
            foreach (var x in upcoming.Take(5))
            {
                sb.Append("• ").Append(Describe(t, x)).Append('\n');
            }

            // A yes/no question with its two answers as buttons: "sí" asks which one, "no" closes (never a "¡Genial!" that drops it).
            sb.Append(L(t, "¿Querés cambiar o cancelar algo?", "Would you like to change or cancel anything?"));
            IReadOnlyList<string> next = [NluLabels.ModifyReservation, NluLabels.CancelReservation];
            t.S = t.S with { Stage = DialogStage.Clarifying, ClarifyIntents = next, ClarifyText = null, ResumeStage = DialogStage.Idle };
            t.Say(new Reply(sb.ToString())
            {
                Options = next.Select(i => new ReplyOption(i, IntentTitle(t, i))).ToList(),
                OptionsTitle = L(t, "Elegí una opción", "Choose an option"),
            });
            return;
        }

        if (upcoming.Count == 1)
        {
            await ProceedWithReservationAsync(t, action, upcoming[0]);
            return;
        }

        var shown = upcoming.Take(10).ToList();
        t.S = t.S.ClearFlow() with { Stage = DialogStage.ChoosingReservation, Action = action, Candidates = shown };
        var list = string.Join('\n', shown.Select((x, i) => $"{i + 1}. {Describe(t, x)}"));
        t.Say(new Reply((action == ReservationAction.Cancel
                ? L(t, "¿Cuál querés cancelar?\n", "Which one would you like to cancel?\n")
                : L(t, "¿Cuál querés cambiar?\n", "Which one would you like to change?\n")) + list)
        {
            Options = shown.Select(x => new ReplyOption(x.Reference, x.Reference, Truncate($"{RoomName(t, x.RoomType)} · {ShortDate(t, x.CheckIn)}–{ShortDate(t, x.CheckOut)}", 72))).ToArray(),
            OptionsTitle = L(t, "Tus reservas", "Your bookings"),
        });
    }

    private async Task ProceedWithReservationAsync(TurnContext t, ReservationAction action, ReservationSnapshot target)
    {
        if (action != ReservationAction.Status && target.Access == ReservationAccess.ViewOnly)
        {
            // Found by an unproven claim (an email sender): a change or a cancellation needs the one-time code first.
            await StartVerificationAsync(t, action, target.Reference, ownBooking: true);
            return;
        }

        t.S = t.S.ClearFlow() with { Action = action, Target = target };
        switch (action)
        {
            case ReservationAction.Status:
                t.S = t.S.ClearFlow();
                t.Say(L(t, "Tu reserva: ", "Your booking: ") + Describe(t, target));
                return;

            case ReservationAction.Cancel:
                // The consequences (what it costs now) come BEFORE the question.
                t.S = t.S with { Stage = DialogStage.ConfirmingCancellation };
                Touch(t);
                Ask(t, "confirm:cancel", L(t, $"Vas a cancelar esta reserva:\n{Describe(t, target)}\n", $"You're about to cancel this booking:\n{Describe(t, target)}\n")
                    + CancellationConsequence(t, target), YesNoOptions(t));
                return;

            default:
                var delta = ExtractStayDelta(t, t.Nlu);
                t.S = t.S with { Stage = DialogStage.CollectingModification };
                Touch(t);
                if (HasStayDelta(delta))
                {
                    await QuoteModificationAsync(t, delta);
                    return;
                }

                t.Say(L(t, "Tu reserva: ", "Your booking: ") + Describe(t, target));
                AskWhatToChange(t, booking: false);
                return;
        }
    }

    private ReservationSnapshot? PickReservation(TurnContext t)
    {
        var candidates = t.S.Candidates;
        var replyId = t.Turn.Message.ReplyId;
        if (replyId is not null)
        {
            var byId = candidates.FirstOrDefault(c => string.Equals(c.Reference, replyId, StringComparison.Ordinal));
            if (byId is not null)
            {
                return byId;
            }
        }

        if (FindReference(t, t.Nlu) is { } norm)
        {
            return candidates.FirstOrDefault(c => string.Equals(ReservationReference.Normalize(c.Reference), norm, StringComparison.Ordinal));
        }

        var n = DialogText.BareNumber(t.Norm) ?? t.Nlu.Entities.OptionNumber;
        return n is { } k && k >= 1 && k <= candidates.Count ? candidates[k - 1] : null;
    }

    /// <summary>
    /// The booking code the guest quoted: the NLU's entity, or any "ABC-XXXXXX" token (references without digits slip past
    /// the NLU's pattern). A quoted code always wins over "your only booking", so nobody acts on the wrong one.
    /// </summary>
    private static string? FindReference(TurnContext t, NluResult nlu)
    {
        if (nlu.Entities.BookingReference is { } r)
        {
            return ReservationReference.Normalize(r);
        }

        var m = ReferenceRegex().Match(t.Turn.Message.Text ?? string.Empty);
        return m.Success ? ReservationReference.Normalize(m.Value) : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\w@.-])[A-Za-z]{2,4}-[A-Za-z0-9]{5,10}(?![\w@-])", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex ReferenceRegex();

    private void NotYours(TurnContext t) => t.Say(L(t,
        $"No encuentro esa reserva entre las de este {ContactKind(t)}. Por seguridad solo puedo ver las reservas hechas con el contacto desde el que me escribís. Si la hiciste con otro, escribinos desde ese o llamá a recepción al {_profile.Phone}.",
        $"I can't find that booking among the ones for this {ContactKind(t)}. For security I can only see bookings made with the contact you're writing from. If you used another one, write from it or call reception at {_profile.Phone}."));

    private static string ContactKind(TurnContext t) => t.Turn.Message.Channel switch
    {
        Channel.Email => "email",
        Channel.WhatsApp => L(t, "número", "number"),
        _ => L(t, "contacto", "contact"),
    };

    private async Task QuoteModificationAsync(TurnContext t, StaySlots delta)
    {
        if (t.S.Target is not { } target)
        {
            await StartReservationFlowAsync(t, ReservationAction.Modify, t.Nlu);
            return;
        }

        var current = new StaySlots
        {
            CheckIn = target.CheckIn,
            CheckOut = target.CheckOut,
            Nights = target.CheckOut.DayNumber - target.CheckIn.DayNumber,
            Guests = target.Guests,
            RoomType = target.RoomType,
        };

        // While the guest answers "which new dates", a lone date is the new check-in (the number of nights is kept).
        var next = Merge(current, delta);
        var problem = Validate(t, next);
        if (problem is not null || next.CheckIn is null || next.CheckOut is null || next.Guests is null)
        {
            t.S = t.S with { Stage = DialogStage.CollectingModification, Asked = AskedSlot.CheckIn };
            Ask(t, "modify:dates", problem);
            return;
        }

        var roomType = next.RoomType ?? target.RoomType;
        string? roomOutgrown = null;
        RoomOffer? offer;
        if (delta.RoomType is null && RoomTypes.FirstOrDefault(r => r.Code == roomType) is { } booked && booked.Capacity < next.Guests.Value)
        {
            // "se suma mi hijo" on a double: the guest asked for more people, not for "no availability". The cheapest free room
            // that fits is proposed (read back and confirmed like any change); the guest can still name another. One search
            // for every room answers both: the booked room cannot be among the offers for a party it does not hold.
            var fitting = await t.Effects.SearchAvailabilityAsync(new StayQuery(next.CheckIn.Value, next.CheckOut.Value, next.Guests.Value));
            if (!fitting.IsOk)
            {
                PmsTrouble(t, fitting.Status);
                return;
            }

            offer = fitting.Value!.Where(o => o.Capacity >= next.Guests.Value).OrderBy(o => o.TotalPrice).FirstOrDefault();
            if (offer is not null)
            {
                roomOutgrown = L(t,
                    $"Para {Guests(t, next.Guests.Value)} la {RoomName(t, roomType)} no alcanza (es para hasta {Guests(t, booked.Capacity)}), así que te propongo la {RoomName(t, offer.RoomType)}.\n",
                    $"The {RoomName(t, roomType)} holds up to {Guests(t, booked.Capacity)}, so for {Guests(t, next.Guests.Value)} I'd move you to the {RoomName(t, offer.RoomType)}.\n");
                roomType = offer.RoomType;
            }
        }
        else
        {
            var result = await t.Effects.SearchAvailabilityAsync(new StayQuery(next.CheckIn.Value, next.CheckOut.Value, next.Guests.Value, roomType));
            if (!result.IsOk)
            {
                PmsTrouble(t, result.Status);
                return;
            }

            offer = result.Value!.FirstOrDefault(o => string.Equals(o.RoomType, roomType, StringComparison.Ordinal));
        }

        var overlapsOwnRoom = string.Equals(roomType, target.RoomType, StringComparison.Ordinal)
            && next.CheckIn.Value < target.CheckOut && target.CheckIn < next.CheckOut.Value
            && RoomTypes.FirstOrDefault(r => string.Equals(r.Code, roomType, StringComparison.Ordinal))?.Capacity >= next.Guests.Value;
        if (offer is null && overlapsOwnRoom)
        {
            // The search counts the guest's own room as taken; only the PMS can tell (it re-prices atomically). No price is
            // invented: the guest confirms the change and hears the real total afterwards.
            t.S = t.S with
            {
                Stage = DialogStage.ConfirmingModification,
                Asked = AskedSlot.None,
                PendingChange = next with { RoomType = roomType },
                PendingChangeQuote = null,
                PendingWriteKey = null,
            };
            Ask(t, "confirm:modify", L(t,
                $"Tu reserva {target.Reference} pasaría a ser del {DayMonth(t, next.CheckIn.Value)} al {DayMonth(t, next.CheckOut.Value)} ({Nights(t, next.CheckOut.Value.DayNumber - next.CheckIn.Value.DayNumber)}, {Guests(t, next.Guests.Value)}) en {RoomName(t, roomType)}. El sistema confirma la disponibilidad y el nuevo total al aplicar el cambio.",
                $"Your booking {target.Reference} would move to {DayMonth(t, next.CheckIn.Value)}–{DayMonth(t, next.CheckOut.Value)} ({Nights(t, next.CheckOut.Value.DayNumber - next.CheckIn.Value.DayNumber)}, {Guests(t, next.Guests.Value)}) in the {RoomName(t, roomType)}. The system confirms availability and the new total when applying it."), YesNoOptions(t));
            return;
        }

        if (offer is null)
        {
            t.S = t.S with { Stage = DialogStage.CollectingModification, Asked = AskedSlot.ChangeWhat };
            var fits = RoomTypes.FirstOrDefault(r => r.Code == roomType) is not { } profileRoom || profileRoom.Capacity >= next.Guests.Value;
            t.Say(fits
                ? L(t,
                    $"No hay disponibilidad de {RoomName(t, roomType)} del {ShortDate(t, next.CheckIn.Value)} al {ShortDate(t, next.CheckOut.Value)} para {Guests(t, next.Guests.Value)}. ¿Probamos con otras fechas u otra habitación?",
                    $"I have no {RoomName(t, roomType)} free from {ShortDate(t, next.CheckIn.Value)} to {ShortDate(t, next.CheckOut.Value)} for {Guests(t, next.Guests.Value)}. Shall we try other dates or another room?")
                : L(t,
                    $"No hay disponibilidad: {RoomName(t, roomType)} es para hasta {Guests(t, RoomTypes.First(r => r.Code == roomType).Capacity)}, así que para {Guests(t, next.Guests.Value)} habría que cambiar de habitación. ¿Probamos con otra habitación (por ejemplo \"la familiar\")?",
                    $"No availability: the {RoomName(t, roomType)} holds up to {Guests(t, RoomTypes.First(r => r.Code == roomType).Capacity)}, so {Guests(t, next.Guests.Value)} would need another room. Shall we try another room (for example \"the family room\")?"));
            t.AskedThisTurn = "change:reservation";
            return;
        }

        var quoted = ToQuoted(offer);
        t.S = t.S with
        {
            Stage = DialogStage.ConfirmingModification,
            Asked = AskedSlot.None,
            PendingChange = next with { RoomType = roomType },
            PendingChangeQuote = quoted,
            PendingWriteKey = null,
        };
        Touch(t);
        Ask(t, "confirm:modify", roomOutgrown + L(t,
            $"Tu reserva {target.Reference} quedaría así:\n• {OfferName(t, quoted)}\n• Del {DayMonth(t, next.CheckIn.Value)} al {DayMonth(t, next.CheckOut.Value)} ({Nights(t, quoted.Nights)}, {Guests(t, next.Guests.Value)})\n• Total: {Price(t, quoted.TotalPrice, quoted.Currency)} (antes {Price(t, target.TotalPrice, target.Currency)})",
            $"Your booking {target.Reference} would be:\n• {OfferName(t, quoted)}\n• {DayMonth(t, next.CheckIn.Value)} to {DayMonth(t, next.CheckOut.Value)} ({Nights(t, quoted.Nights)}, {Guests(t, next.Guests.Value)})\n• Total: {Price(t, quoted.TotalPrice, quoted.Currency)} (was {Price(t, target.TotalPrice, target.Currency)})"), YesNoOptions(t));
    }

    private async Task ApplyModificationAsync(TurnContext t)
    {
        if (t.S.Target is not { } target || t.S.PendingChange is not { } change)
        {
            t.S = t.S.ClearFlow();
            t.Say(L(t, "Perdón, perdí el hilo del cambio. ¿Me decís de nuevo qué querés cambiar?", "Sorry, I lost track of the change. Could you tell me again what you'd like to change?"));
            return;
        }

        var key = t.S.PendingWriteKey ?? t.Turn.IdempotencyPrefix + ":modify";
        t.S = t.S with { PendingWriteKey = key };
        var result = await t.Effects.ModifyReservationAsync(target.Reference, new ReservationChange
        {
            IdempotencyKey = key,
            CheckIn = change.CheckIn,
            CheckOut = change.CheckOut,
            Guests = change.Guests,
            RoomType = change.RoomType,
        });
        switch (result.Status)
        {
            case DialogPmsStatus.Ok when result.Value is not null:
                var r = result.Value;
                t.Events.Add(DialogEvent.Modified(r.Reference, r.TotalPrice, r.Currency));
                if (change.Guests is { } wanted && r.Guests != wanted)
                {
                    await ReportGuestCountNotAppliedAsync(t, target, r, wanted);
                    return;
                }

                t.S = t.S.ClearFlow();
                t.Say(L(t, "¡Listo! Actualicé tu reserva:\n", "Done! I've updated your booking:\n") + Describe(t, Snapshot(r)));
                await NotifyOwnerAsync(t, r.Reference, OwnerNoticeKind.Modified, key);
                return;
            case DialogPmsStatus.NoAvailability:
                t.S = t.S with { Stage = DialogStage.CollectingModification, Asked = AskedSlot.ChangeWhat, PendingWriteKey = null };
                t.Say(L(t, "Uy, eso se acaba de ocupar. ¿Probamos con otras fechas u otra habitación?",
                    "Oh, that was just taken. Shall we try other dates or another room?"));
                return;
            case DialogPmsStatus.NotFound:
            case DialogPmsStatus.Rejected when result.Error is not null:
                t.S = t.S.ClearFlow();
                t.Say(L(t, $"No pude cambiar esa reserva. Recepción te ayuda al {_profile.Phone} o a {_profile.Email}.",
                    $"I couldn't change that booking. Reception can help at {_profile.Phone} or {_profile.Email}."));
                return;
            default:
                PmsTrouble(t, result.Status);
                return;
        }
    }

    private async Task CancelAsync(TurnContext t)
    {
        if (t.S.Target is not { } target)
        {
            await StartReservationFlowAsync(t, ReservationAction.Cancel, t.Nlu);
            return;
        }

        var key = t.S.PendingWriteKey ?? t.Turn.IdempotencyPrefix + ":cancel";
        t.S = t.S with { PendingWriteKey = key };
        var result = await t.Effects.CancelReservationAsync(target.Reference, key);
        if (result.Status == DialogPmsStatus.Ok && result.Value is { } outcome)
        {
            t.S = t.S.ClearFlow();
            t.Events.Add(DialogEvent.Cancelled(target.Reference, outcome.Charge, outcome.Currency));
            var policy = outcome.Free
                ? L(t, "La cancelación es sin cargo.", "The cancellation is free of charge.")
                : L(t, $"Como te adelanté, según la política se cobra la primera noche: {Price(t, outcome.Charge, outcome.Currency)}.",
                    $"As mentioned, the policy charges the first night: {Price(t, outcome.Charge, outcome.Currency)}.");
            t.Say(L(t, $"Listo, cancelé tu reserva {target.Reference}. {policy} ¡Esperamos verte en otra oportunidad!",
                $"Done, I've cancelled booking {target.Reference}. {policy} We hope to see you another time!"));
            await NotifyOwnerAsync(t, target.Reference, OwnerNoticeKind.Cancelled, key);
            return;
        }

        if (result.Status == DialogPmsStatus.NotFound)
        {
            t.S = t.S.ClearFlow();
            NotYours(t);
            return;
        }

        PmsTrouble(t, result.Status);
    }

    private static ReservationSnapshot Snapshot(Reservation r) =>
        new(r.Reference, r.GuestName, r.RoomType, r.CheckIn, r.CheckOut, r.Guests, r.TotalPrice, r.Currency) { NightlyRate = r.NightlyRate };

    private string Describe(TurnContext t, ReservationSnapshot r) => L(t,
        $"{r.Reference}: {RoomName(t, r.RoomType)}, del {ShortDate(t, r.CheckIn)} al {ShortDate(t, r.CheckOut)} ({Nights(t, r.CheckOut.DayNumber - r.CheckIn.DayNumber)}, {Guests(t, r.Guests)}), total {Price(t, r.TotalPrice, r.Currency)}, a nombre de {r.GuestName}",
        $"{r.Reference}: {RoomName(t, r.RoomType)}, {ShortDate(t, r.CheckIn)} to {ShortDate(t, r.CheckOut)} ({Nights(t, r.CheckOut.DayNumber - r.CheckIn.DayNumber)}, {Guests(t, r.Guests)}), total {Price(t, r.TotalPrice, r.Currency)}, under {r.GuestName}");
}
