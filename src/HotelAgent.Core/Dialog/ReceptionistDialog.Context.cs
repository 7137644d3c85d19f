using HotelAgent.Core.Nlu;

namespace HotelAgent.Core.Dialog;

/// <summary>Mid-flow answers read against the last question first ("3" after "¿cuántas personas?", "la doble" after the options).</summary>
public sealed partial class ReceptionistDialog
{
    private async Task<bool> HandleInContextAsync(TurnContext t)
    {
        var nlu = t.Nlu;
        var replyId = t.Turn.Message.ReplyId
            ?? (t.S.Asked == AskedSlot.ChangeWhat && !HasStayDelta(ExtractStayDelta(t, nlu)) ? ChangeWhatFromText(t.Norm) : null);
        var confident = nlu.Confidence >= _nlu.ActThreshold
            || (nlu.Confidence >= _nlu.ClarifyThreshold && IsSupportedByEvidence(t, nlu));

        // A confident request for another flow wins over the context (e.g. "quiero cancelar mi reserva" while quoting).
        var switchesFlow = confident && nlu.Intent is NluLabels.CancelReservation or NluLabels.CheckReservation
            && replyId is null && t.S.Stage != DialogStage.ChoosingReservation;
        if (switchesFlow && t.S.Stage != DialogStage.Clarifying)
        {
            return false;
        }

        if (confident && nlu.Intent == NluLabels.Goodbye && !DialogText.IsThanksOnly(t.Raw) && t.S.Stage != DialogStage.Clarifying)
        {
            return false;
        }

        switch (t.S.Stage)
        {
            case DialogStage.Clarifying:
                return await HandleClarifyPickAsync(t);

            case DialogStage.AwaitingReference:
            case DialogStage.VerifyingCode:
                return await HandleVerificationInContextAsync(t);

            case DialogStage.CollectingStay:
            {
                if (replyId is "change_dates" or "change_guests" or "change_room")
                {
                    await HandleChangeWhatAsync(t, replyId, booking: true);
                    return true;
                }

                var delta = ExtractStayDelta(t, nlu);
                if (HasStayDelta(delta))
                {
                    await ApplyStayCorrectionAsync(t, delta);
                    return true;
                }

                if (t.S.Stay.IsComplete && t.S.Asked == AskedSlot.CheckIn && (IsYes(t) || DialogText.IsAcknowledgement(t.Raw)))
                {
                    // "sí" to "No tengo habitaciones libres… ¿Querés probar con otras fechas?": which dates, not the same search again.
                    Touch(t);
                    t.S = t.S with { Stay = t.S.Stay with { CheckIn = null, CheckOut = null, Nights = null }, LongStayConfirmed = false };
                    await AdvanceStayAsync(t);
                    return true;
                }

                if (t.S.Stay.IsComplete && (IsYes(t) || DialogText.IsAcknowledgement(t.Raw)
                    || (confident && nlu.Intent is NluLabels.CheckAvailability or NluLabels.AskPrice or NluLabels.MakeReservation)))
                {
                    // "dale" after a PMS outage with a complete stay: quote again.
                    Touch(t);
                    await AdvanceStayAsync(t);
                    return true;
                }

                if (t.S.Asked is AskedSlot.CheckIn or AskedSlot.CheckOut or AskedSlot.Guests && (DialogText.IsAcknowledgement(t.Raw) || IsYes(t)))
                {
                    // "ok" / "dale" while a slot is missing: the question again, rephrased (never a reset).
                    AskPendingAgain(t);
                    return true;
                }

                var otherRequest = confident && nlu.Intent is NluLabels.CancelReservation or NluLabels.CheckReservation or NluLabels.ModifyReservation
                    or NluLabels.RequestHuman or NluLabels.Help or NluLabels.AskAmenities or NluLabels.AskLocation or NluLabels.AskPolicies
                    or NluLabels.AskRoomTypes || (nlu.Intent == NluLabels.Goodbye && confident && !DialogText.IsThanksOnly(t.Raw));
                if (t.S.Asked is AskedSlot.CheckIn or AskedSlot.CheckOut or AskedSlot.Guests && !otherRequest && !DialogText.IsQuestion(t.Raw)
                    && DialogText.ReadYesNo(t.Raw, ConfirmAction.Generic) != YesNo.No && !DialogText.IsThanksOnly(t.Raw))
                {
                    // An answer we could not read: ask again with an example (the third time a person is offered).
                    t.Events.Add(new DialogEvent(DialogEventKind.Fallback));
                    t.S = t.S with { FallbackCount = t.S.FallbackCount + 1 };
                    if (t.S.FallbackCount > _options.MaxConsecutiveFallbacks + 1)
                    {
                        await HandoffAsync(t, "fallbacks");
                        return true;
                    }

                    AskPendingAgain(t, L(t, "Perdón, no te entendí.", "Sorry, I didn't get that."));
                    return true;
                }

                return false;
            }

            case DialogStage.OfferingRooms:
                return await HandleOfferingAsync(t);

            case DialogStage.CollectingGuestDetails:
                return await HandleGuestDetailsAsync(t);

            case DialogStage.ChoosingReservation:
            {
                var chosen = PickReservation(t);
                if (chosen is not null)
                {
                    await ProceedWithReservationAsync(t, t.S.Action ?? ReservationAction.Status, chosen);
                    return true;
                }

                if (FindReference(t, nlu) is { } other)
                {
                    await StartVerificationAsync(t, t.S.Action ?? ReservationAction.Status, other);
                    return true;
                }

                if (DialogText.IsAcknowledgement(t.Raw) || IsYes(t) || !confident)
                {
                    AskPendingAgain(t);
                    return true;
                }

                return false;
            }

            case DialogStage.CollectingModification:
            {
                if (replyId is "change_dates" or "change_guests" or "change_room")
                {
                    await HandleChangeWhatAsync(t, replyId, booking: false);
                    return true;
                }

                if (RoomTypeChosen(t) is { } room)
                {
                    await QuoteModificationAsync(t, new StaySlots { RoomType = room });
                    return true;
                }

                var delta = ExtractStayDelta(t, nlu);
                if (HasStayDelta(delta))
                {
                    await QuoteModificationAsync(t, delta);
                    return true;
                }

                if (IsNo(t) || DialogText.ReadYesNo(t.Raw, ConfirmAction.Modification) == YesNo.No)
                {
                    t.S = t.S.ClearFlow();
                    t.Say(L(t, "Dale, tu reserva queda como estaba.", "Sure, your booking stays as it was."));
                    return true;
                }

                if (DialogText.IsAcknowledgement(t.Raw) || IsYes(t))
                {
                    AskPendingAgain(t);
                    return true;
                }

                return false;
            }

            default:
                return false;
        }
    }

    /// <summary>"las fechas", "somos más", "otra habitación" typed instead of pressing a change button.</summary>
    private static string? ChangeWhatFromText(string norm)
    {
        var words = norm.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (words > 5)
        {
            return null;
        }

        if (DialogText.ContainsAny(norm, "fecha*", "dia", "dias", "date*", "dates", "noche*", "night*"))
        {
            return "change_dates";
        }

        if (DialogText.ContainsAny(norm, "persona*", "huesped*", "gente", "guest*", "people", "cantidad"))
        {
            return "change_guests";
        }

        return DialogText.ContainsAny(norm, "habitacion*", "cuarto*", "room*", "tipo")
            ? "change_room"
            : null;
    }

    private async Task<bool> HandleClarifyPickAsync(TurnContext t)
    {
        var intents = t.S.ClarifyIntents;
        string? picked = null;
        var replyId = t.Turn.Message.ReplyId;
        if (replyId is not null && intents.Contains(replyId, StringComparer.Ordinal))
        {
            picked = replyId;
        }
        else
        {
            var n = DialogText.BareNumber(t.Norm) ?? (t.Nlu.Entities.OptionNumber is { } o && t.Norm.Split(' ').Length <= 3 ? o : null);
            if (n is { } k && k >= 1 && k <= intents.Count)
            {
                picked = intents[k - 1];
            }
            else
            {
                var byTitle = intents.FirstOrDefault(i => string.Equals(DialogText.Normalize(IntentTitle(t, i)), t.Norm, StringComparison.Ordinal));
                picked = byTitle;
            }
        }

        var original = t.S.ClarifyText;
        var resume = t.S.ResumeStage ?? DialogStage.Idle;
        var answer = picked is null && replyId is null && !DialogText.IsThanksOnly(t.Raw) ? ClarifyYesNo(t) : YesNo.Unclear;
        if (answer == YesNo.No && original is null)
        {
            // "no" to a question of ours ("¿querés cambiar o cancelar algo?"): nothing to do.
            t.S = t.S with { Stage = resume, ClarifyIntents = [], ClarifyText = null, ResumeStage = null };
            t.Say(L(t, "¡Dale! Cualquier otra cosa, acá estoy.", "Sure! Anything else, I'm here."));
            return true;
        }

        if (answer == YesNo.No && intents.Count > 1)
        {
            // "no" to "¿querés ver tu reserva?": the other options, still open.
            var rest = intents.Skip(1).ToList();
            if (rest.All(i => i == NluLabels.Help))
            {
                t.S = t.S with { Stage = resume, ClarifyIntents = [], ClarifyText = null, ResumeStage = null };
                t.Say(L(t, "Dale. Contame en pocas palabras qué necesitás: disponibilidad y precios, una reserva o algo del hotel.",
                    "Sure. Tell me in a few words what you need: availability and prices, a booking or something about the hotel."));
                return true;
            }

            t.S = t.S with { ClarifyIntents = rest };
            SayClarifyMenu(t, rest, L(t, "Dale. ¿Es alguna de estas?", "Sure. Is it one of these?"));
            return true;
        }

        t.S = t.S with { Stage = resume, ClarifyIntents = [], ClarifyText = null, ResumeStage = null };
        if (picked is null)
        {
            // Not a pick: understand this message on its own, in the context the menu interrupted. A bare yes/no answered
            // the menu, not a pending confirmation: ask the confirmation again instead of writing anything.
            if (resume is DialogStage.ConfirmingBooking or DialogStage.ConfirmingModification or DialogStage.ConfirmingCancellation
                && (IsYes(t) || IsNo(t)))
            {
                AskPendingAgain(t);
                return true;
            }

            if (answer == YesNo.Yes && original is not null && intents.Count > 0 && IntentQuestion(t, intents[0]) is not null)
            {
                // "sí" / "dale" / "ok" to "¿querés ver tu reserva?" (the menu's first option, asked as a question) takes it,
                // read with the message the menu was about: never a "¡Genial!" that drops the question.
                picked = intents[0];
            }
            else if (answer != YesNo.Unclear)
            {
                // A yes with nothing proposed, or a no with nothing left: the options again (a yes/no cannot pick one).
                t.S = t.S with { Stage = DialogStage.Clarifying, ClarifyIntents = intents, ClarifyText = original, ResumeStage = resume };
                SayClarifyMenu(t, intents, L(t, "¿Cuál de estas opciones?", "Which of these options?"));
                return true;
            }
            else
            {
                return resume != DialogStage.Clarifying && (await HandleConfirmationStepAsync(t) || await HandleInContextAsync(t));
            }
        }

        var source = original is null ? t.Nlu : await t.Effects.UnderstandAsync(original, t.Turn.Today);
        var forced = source with { Intent = picked, Confidence = 1 };
        t.Nlu = forced;
        if (picked == NluLabels.AskAmenities && forced.Entities.Amenities.Count == 0)
        {
            // "Servicios del hotel" picked for a message that named none ("y lo de la habitación?"): the amenities, read from
            // the option's own title, not "no tengo ese dato" about the original words.
            t.Raw = IntentTitle(t, picked);
            t.Norm = DialogText.Normalize(t.Raw);
        }
        else if (original is not null)
        {
            t.Raw = original;
            t.Norm = DialogText.NormalizeGuest(original);
        }

        await RouteAsync(t, picked, forced);
        return true;
    }

    /// <summary>
    /// A short answer to a yes/no question: "sí", "sip", "dale", "ok", "de una" are yes; "no", "nop", "mejor no" are no. A
    /// request of its own ("no, quiero cancelarla") is neither: it is understood as that request.
    /// </summary>
    private YesNo ClarifyYesNo(TurnContext t)
    {
        if (t.Nlu.Confidence >= _nlu.ActThreshold && t.Nlu.Intent is not (NluLabels.Affirm or NluLabels.Deny or NluLabels.Greeting
                or NluLabels.Goodbye or NluLabels.OutOfScope or NluLabels.Help))
        {
            return YesNo.Unclear;
        }

        return IsNo(t) || DialogText.ReadYesNo(t.Raw, ConfirmAction.Generic) == YesNo.No ? YesNo.No
            : IsYes(t) || DialogText.IsAcknowledgement(t.Raw) ? YesNo.Yes
            : YesNo.Unclear;
    }

    /// <summary>A yes for non-binding steps (the only offer, a retry): a button, a yes word, or an affirm without numbers.</summary>
    private bool IsYes(TurnContext t) =>
        t.Turn.Message.ReplyId is "yes" || DialogText.IsYes(t.Norm) || DialogText.ReadYesNo(t.Raw, ConfirmAction.Generic) == YesNo.Yes
        || (string.Equals(t.Nlu.Intent, NluLabels.Affirm, StringComparison.Ordinal) && t.Nlu.Confidence >= _nlu.ClarifyThreshold
            && !t.Norm.Any(char.IsAsciiDigit) && t.Nlu.Entities.RoomType is null);

    private bool IsNo(TurnContext t) =>
        t.Turn.Message.ReplyId is "no" || DialogText.IsNo(t.Norm)
        || (string.Equals(t.Nlu.Intent, NluLabels.Deny, StringComparison.Ordinal) && t.Nlu.Confidence >= _nlu.ClarifyThreshold
            && !HasStayDelta(ExtractStayDelta(t, t.Nlu)));
}
