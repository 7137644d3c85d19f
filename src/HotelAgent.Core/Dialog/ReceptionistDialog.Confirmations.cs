using HotelAgent.Core.Nlu;
using HotelAgent.Core.Pms;

namespace HotelAgent.Core.Dialog;

/// <summary>
/// Confirmation steps (book, cancel, change, a long stay): a yes or a no with extra words is understood ("si, cancelala",
/// "Yes, cancel it"), a question asked there is answered and the step asked again, a correction re-quotes, and only a clear
/// yes writes anything.
/// </summary>
public sealed partial class ReceptionistDialog
{
    private async Task<bool> HandleConfirmationStepAsync(TurnContext t)
    {
        var action = t.S.Stage switch
        {
            DialogStage.ConfirmingBooking => ConfirmAction.Booking,
            DialogStage.ConfirmingCancellation => ConfirmAction.Cancellation,
            DialogStage.ConfirmingModification => ConfirmAction.Modification,
            DialogStage.CollectingStay when t.S.Asked == AskedSlot.ConfirmLongStay => ConfirmAction.Generic,
            _ => (ConfirmAction?)null,
        };
        if (action is not { } a)
        {
            return false;
        }

        var answer = t.Turn.Message.ReplyId switch
        {
            "yes" => YesNo.Yes,
            "no" => YesNo.No,
            _ => DialogText.ReadYesNo(t.Raw, a),
        };
        if (answer == YesNo.Unclear && a == ConfirmAction.Generic && DialogText.StartsWithYes(t.Raw) && !HasDates(ExtractStayDelta(t, t.Nlu)))
        {
            // Accepting the dates read back is not a write: "dale, la simple" says yes to them.
            answer = YesNo.Yes;
        }

        if (answer == YesNo.Unclear && DialogText.IsNo(t.Norm))
        {
            // "cancelar", "no gracias" (a bare "cancelar" at a cancellation prompt is a yes: read above)
            answer = YesNo.No;
        }

        var delta = ExtractStayDelta(t, t.Nlu);

        // "sí porfa. ¿a qué hora se puede entrar?": an explicit yes followed by a question the hotel's facts answer is a yes,
        // and the answer follows the confirmation. Not when the question is about money (consequences are answered before a
        // write) or changes the proposal, and not when nobody could answer it (then the question is handled as before).
        string? answerAfterWrite = null;
        if (answer == YesNo.Unclear && t.Turn.Message.ReplyId is null && !HasStayDelta(delta) && a is ConfirmAction.Booking or ConfirmAction.Generic
            && DialogText.YesBeforeQuestion(t.Raw, a) is not null && !AsksAboutMoney(t)
            && !DialogText.ContainsAny(t.Norm, "sena", "deposit*", "tarjeta*", "card*", "efectivo", "cash", "cancel*", "anul*"))
        {
            answerAfterWrite = await HotelAnswerTextAsync(t);
            if (answerAfterWrite is not null)
            {
                answer = YesNo.Yes;
            }
        }

        if (answer == YesNo.Yes)
        {
            switch (t.S.Stage)
            {
                case DialogStage.ConfirmingBooking:
                    await BookAsync(t);
                    if (answerAfterWrite is not null)
                    {
                        t.Say(answerAfterWrite);
                    }

                    return true;
                case DialogStage.ConfirmingCancellation:
                    await CancelAsync(t);
                    return true;
                case DialogStage.ConfirmingModification:
                    await ApplyModificationAsync(t);
                    return true;
                default:
                    t.S = t.S with { LongStayConfirmed = true, Asked = AskedSlot.None };
                    Touch(t);
                    if (answerAfterWrite is not null)
                    {
                        t.Say(answerAfterWrite);
                    }

                    await QuoteAsync(t);
                    return true;
            }
        }

        // A correction ("no, mejor del 11", "somos 3") changes the proposal and asks again; never writes.
        if (HasStayDelta(delta) && t.Turn.Message.ReplyId is null)
        {
            switch (t.S.Stage)
            {
                case DialogStage.ConfirmingBooking:
                case DialogStage.CollectingStay:
                    await ApplyStayCorrectionAsync(t, delta);
                    return true;
                case DialogStage.ConfirmingModification:
                    await QuoteModificationAsync(t, delta);
                    return true;
            }
        }

        if (answer == YesNo.No)
        {
            switch (t.S.Stage)
            {
                case DialogStage.ConfirmingBooking:
                    AskWhatToChange(t, booking: true);
                    return true;
                case DialogStage.ConfirmingCancellation:
                    t.S = t.S.ClearFlow();
                    t.Say(L(t, "Perfecto, no cancelo nada: tu reserva sigue en pie.", "Great, I won't cancel anything: your booking stays in place."));
                    return true;
                case DialogStage.ConfirmingModification:
                    t.S = t.S.ClearFlow();
                    t.Say(L(t, "Perfecto, no cambio nada: tu reserva queda como estaba.", "OK, I won't change anything: your booking stays as it was."));
                    return true;
                default:
                    t.S = t.S with { Stay = t.S.Stay with { CheckIn = null, CheckOut = null, Nights = null }, Asked = AskedSlot.CheckIn, LongStayConfirmed = false };
                    Ask(t, "stay:CheckIn", L(t, "Dale, corrijamos las fechas.", "OK, let's fix the dates."));
                    return true;
            }
        }

        // A confident request for another flow (check or cancel another booking, goodbye) leaves the confirmation.
        var nlu = t.Nlu;
        var leaving = nlu.Confidence >= _nlu.ActThreshold && !DialogText.IsQuestion(t.Raw)
            && (nlu.Intent == NluLabels.CheckReservation
                || (nlu.Intent == NluLabels.Goodbye && !DialogText.IsThanksOnly(t.Raw))
                || (nlu.Intent == NluLabels.CancelReservation && t.S.Stage != DialogStage.ConfirmingCancellation && FindReference(t, nlu) is not null));
        if (leaving)
        {
            return false;
        }

        // A question at the confirmation: answer it, then ask again.
        if (DialogText.IsQuestion(t.Raw) || IsSideQuestionIntent(nlu))
        {
            var reply = await AnswerAtConfirmationAsync(t, a);
            if (reply is not null)
            {
                if (!t.S.HandedOff)
                {
                    AnswerThenAskAgain(t, reply);
                }

                return true;
            }

            if (t.S.HandedOff)
            {
                return true;
            }
        }

        // Anything else: not a yes, so ask again (rephrased; the third time a person is offered). Nothing is written.
        AskPendingAgain(t);
        return true;
    }

    private static bool AsksAboutMoney(TurnContext t) =>
        DialogText.ContainsAny(t.Norm, "cobr*", "cargo*", "costo*", "cuesta", "cuanto", "pag*", "devuel*", "reembols*", "reintegr*", "multa",
            "penalidad", "penaliza*", "gratis", "plata", "dinero", "charge*", "fee*", "refund*", "cost*", "pay*", "free", "money", "penalty", "diferencia",
            "difference", "total", "precio", "price");

    private static bool IsSideQuestionIntent(NluResult nlu) =>
        nlu.Intent is NluLabels.AskAmenities or NluLabels.AskLocation or NluLabels.AskPolicies or NluLabels.AskRoomTypes or NluLabels.AskPrice
        && nlu.Confidence >= 0.5;

    /// <summary>The answer to a question asked at a confirmation step (consequences first: charges, totals, policies), or null.</summary>
    private async Task<string?> AnswerAtConfirmationAsync(TurnContext t, ConfirmAction action)
    {
        var money = AsksAboutMoney(t);
        if (action == ConfirmAction.Cancellation && money && t.S.Target is { } target)
        {
            return CancellationConsequence(t, target);
        }

        if (action == ConfirmAction.Modification && money && t.S.Target is { } changed)
        {
            return t.S.PendingChangeQuote is { } q
                ? L(t, $"El total pasaría de {Price(t, changed.TotalPrice, changed.Currency)} a {Price(t, q.TotalPrice, q.Currency)}; la diferencia se ajusta en el hotel.",
                    $"The total would go from {Price(t, changed.TotalPrice, changed.Currency)} to {Price(t, q.TotalPrice, q.Currency)}; the difference is settled at the hotel.")
                : L(t, "El nuevo total lo calcula el sistema al aplicar el cambio, y te lo digo enseguida.",
                    "The system calculates the new total when the change is applied, and I'll tell you right away.");
        }

        if (action == ConfirmAction.Booking && money && !DialogText.ContainsAny(t.Norm, "cancel*", "anul*") && t.S.Selected is { } o
            && t.Nlu.Entities.Amenities.Count == 0 && MatchFact(t) is null)
        {
            var payment = DialogText.ContainsAny(t.Norm, "pag*", "pay*", "tarjeta*", "card*", "efectivo", "cash", "sena", "deposit*", "adelant*");
            return payment
                ? _profile.Policies.PaymentFor(t.S.Language)
                : L(t, $"El total es {Price(t, o.TotalPrice, o.Currency)} por {Nights(t, o.Nights)} ({Price(t, o.NightlyRate, o.Currency)} por noche).",
                    $"The total is {Price(t, o.TotalPrice, o.Currency)} for {Nights(t, o.Nights)} ({Price(t, o.NightlyRate, o.Currency)} per night).");
        }

        return await HotelAnswerTextAsync(t, countUnknown: true);
    }

    /// <summary>What cancelling this booking costs now (told before asking, and again if the guest asks).</summary>
    private string CancellationConsequence(TurnContext t, ReservationSnapshot target)
    {
        var freeUntil = CancellationPolicy.FreeUntil(_profile, target.CheckIn);
        if (t.Turn.Message.Timestamp <= freeUntil)
        {
            return L(t, $"Si la cancelás ahora no tiene ningún cargo (es gratis hasta el {DeadlineText(t, freeUntil)}).",
                $"If you cancel now there's no charge at all (it's free until {DeadlineText(t, freeUntil)}).");
        }

        var nights = Math.Max(1, target.CheckOut.DayNumber - target.CheckIn.DayNumber);
        var firstNight = target.NightlyRate > 0 ? target.NightlyRate : target.TotalPrice / nights;
        return L(t, $"Ojo: como faltan menos de {_profile.Policies.FreeCancellationHours} horas para el check-in, la política cobra la primera noche: {Price(t, firstNight, target.Currency)}.",
            $"Please note: since check-in is less than {_profile.Policies.FreeCancellationHours} hours away, the policy charges the first night: {Price(t, firstNight, target.Currency)}.");
    }

    /// <summary>
    /// After the flow expired: a bare continuation ("sí", "dale", "la doble") gets "¿seguimos con lo de antes?" instead of a silent
    /// reset or a stale booking; a yes then restores those dates and quotes again (nothing is booked from the old quote).
    /// </summary>
    private async Task<bool> HandleExpiredResumeAsync(TurnContext t)
    {
        if (t.S.Asked == AskedSlot.ResumeExpired && t.S.ExpiredStay is { } old)
        {
            var answer = t.Turn.Message.ReplyId switch { "yes" => YesNo.Yes, "no" => YesNo.No, _ => DialogText.ReadYesNo(t.Raw, ConfirmAction.Generic) };
            if (answer == YesNo.Yes)
            {
                t.S = t.S with { Stage = DialogStage.CollectingStay, Stay = old, ExpiredStay = null, Asked = AskedSlot.None };
                Touch(t);
                await AdvanceStayAsync(t);
                return true;
            }

            t.S = t.S with { ExpiredStay = null, Asked = AskedSlot.None };
            if (answer == YesNo.No)
            {
                t.Say(L(t, "Dale, empezamos de cero. ¿Para qué fechas y cuántas personas serían?", "Sure, let's start over. Which dates and how many guests?"));
                t.S = t.S with { Stage = DialogStage.CollectingStay, Asked = AskedSlot.CheckIn, Stay = StaySlots.Empty };
                Touch(t);
                t.AskedThisTurn = "stay:CheckIn";
                return true;
            }

            return false;
        }

        if (t.S.ExpiredStay is not { } expired || t.S.Stage != DialogStage.Idle)
        {
            return false;
        }

        var continuation = DialogText.ReadYesNo(t.Raw, ConfirmAction.Generic) != YesNo.Unclear || DialogText.IsAcknowledgement(t.Raw)
            || DialogText.BareNumber(t.Norm) is not null || (t.Nlu.Entities.RoomType is not null && t.Norm.Split(' ').Length <= 4);
        if (!continuation)
        {
            // Something new: the old data is dropped for good.
            t.S = t.S with { ExpiredStay = null };
            return false;
        }

        t.S = t.S with { Asked = AskedSlot.ResumeExpired };
        var what = expired.CheckIn is { } a && expired.CheckOut is { } b
            ? L(t, $"del {ShortDate(t, a)} al {ShortDate(t, b)}", $"{ShortDate(t, a)} to {ShortDate(t, b)}")
                + (expired.Guests is { } g ? L(t, $" para {Guests(t, g)}", $" for {Guests(t, g)}") : string.Empty)
            : L(t, "lo que estábamos viendo", "what we were looking at");
        t.Say(YesNoReply(t, L(t, $"Pasó un rato desde tu último mensaje y, para no reservarte nada con datos viejos, lo retomo desde el principio. ¿Seguimos con lo de antes ({what})?",
            $"It's been a while since your last message, so to avoid booking anything on old data let's pick it up again. Shall we go on with what we had ({what})?")));
        t.AskedThisTurn = "resume";
        return true;
    }
}
