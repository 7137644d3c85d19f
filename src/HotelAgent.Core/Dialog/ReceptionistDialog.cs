using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Nlu;
using HotelAgent.Core.Pms;

namespace HotelAgent.Core.Dialog;

/// <summary>
/// The receptionist's brain: a deterministic state machine over <see cref="DialogState"/>. No clock, no random, no I/O:
/// every outside fact comes through <see cref="IDialogEffects"/>, so it can run inside a Durable Functions orchestration.
/// </summary>
public sealed partial class ReceptionistDialog
{
    private readonly HotelProfile _profile;
    private readonly DialogOptions _options;
    private readonly NluOptions _nlu;
    private readonly IRoomCatalogue _rooms;

    /// <param name="rooms">The room types guests hear about; the hotel profile's when null (QloApps: the PMS's).</param>
    public ReceptionistDialog(HotelProfile profile, DialogOptions? options = null, NluOptions? nluOptions = null, IRoomCatalogue? rooms = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _profile = profile;
        _options = options ?? new DialogOptions();
        _nlu = nluOptions ?? new NluOptions();
        _rooms = rooms ?? new ProfileRoomCatalogue(profile);
    }

    /// <summary>Handles one guest message and returns the new state, the replies to send (in order) and the events.</summary>
    public async Task<DialogOutcome> HandleAsync(DialogState state, GuestTurn turn, IDialogEffects effects)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(effects);
        state ??= DialogState.New;
        var t = new TurnContext(turn, effects, state with { TurnCount = state.TurnCount + 1 });

        if (state.HandedOff)
        {
            // A person has the conversation: the bot says nothing until staff release it.
            return t.Outcome(null, 0);
        }

        var text = turn.Message.Text ?? string.Empty;
        if (turn.Message.Kind == InboundKind.Reaction && turn.Message.ReplyId is null)
        {
            // An emoji reaction to one of our messages needs no answer.
            return t.Outcome(null, 0);
        }

        if (string.IsNullOrWhiteSpace(text) && turn.Message.ReplyId is null)
        {
            t.Say(L(t, "Por ahora solo puedo leer mensajes de texto y notas de voz. ¿Me lo escribís?",
                "For now I can only read text messages and voice notes. Could you type it?"));
            return t.Outcome(null, 0);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            text = turn.Message.ReplyId!;
        }

        if (turn.Message.ReplyId is null && turn.Message.Channel != Channel.WhatsApp && state.LastOptionIds.Count > 0
            && DialogText.BareNumber(DialogText.Normalize(text)) is { } n && n >= 1 && n <= state.LastOptionIds.Count)
        {
            // Numbered options (email, web chat): "2" is the second option, exactly like pressing it.
            turn = turn with { Message = turn.Message with { ReplyId = state.LastOptionIds[n - 1] } };
            t = new TurnContext(turn, effects, t.S);
        }

        var nlu = await effects.UnderstandAsync(text, turn.Today);
        t.Nlu = nlu;
        t.Norm = DialogText.Normalize(text);
        UpdateLanguage(t);
        t.S = t.S with { LastIntent = nlu.Intent, LastConfidence = nlu.Confidence };

        if (await CheckHandoffTriggersAsync(t))
        {
            return t.Outcome(nlu.Intent, nlu.Confidence);
        }

        if (await HandleInContextAsync(t))
        {
            ResetCountersIfUnderstood(t);
            return t.Outcome(nlu.Intent, nlu.Confidence);
        }

        var band = _nlu.Classify(nlu.Confidence);
        if (band == ConfidenceBand.Clarify && string.Equals(nlu.Intent, NluLabels.OutOfScope, StringComparison.Ordinal))
        {
            // "Probably nothing I know" is not worth a menu: it is a plain misunderstanding.
            band = ConfidenceBand.Fallback;
        }
        else if (band == ConfidenceBand.Clarify && IsSupportedByEvidence(t, nlu))
        {
            // Mid confidence, but the message carries what that intent needs (an amenity, dates, a policy keyword...): act.
            band = ConfidenceBand.Act;
        }

        switch (band)
        {
            case ConfidenceBand.Act:
                await RouteAsync(t, nlu.Intent, nlu);
                ResetCountersIfUnderstood(t);
                break;
            case ConfidenceBand.Clarify:
                await ClarifyAsync(t, nlu);
                break;
            default:
                await FallbackAsync(t, nlu.Confidence < _options.VeryLowConfidence);
                break;
        }

        return t.Outcome(nlu.Intent, nlu.Confidence);
    }

    /// <summary>A turn that was understood and answered ends a run of fallbacks; an unknown question does not.</summary>
    private static void ResetCountersIfUnderstood(TurnContext t)
    {
        if (!t.Events.Any(e => e.Kind is DialogEventKind.Fallback or DialogEventKind.UnknownQuestion or DialogEventKind.HandoffStarted))
        {
            t.S = t.S with { FallbackCount = 0, VeryLowCount = 0 };
        }
    }

    /// <summary>
    /// Follows the guest's language, but only on real sentences: button titles, names, "ok" or "3" never flip it
    /// (the first message of a conversation may be a single word such as "hello").
    /// </summary>
    private static void UpdateLanguage(TurnContext t)
    {
        var lang = t.Nlu.Language;
        if (lang is not ("es" or "en") || string.Equals(lang, t.S.Language, StringComparison.Ordinal) || t.Turn.Message.ReplyId is not null)
        {
            return;
        }

        var words = t.Norm.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(w => w.Any(char.IsLetter));
        var first = t.S.TurnCount <= 1 || (t.S.Stage == DialogStage.Idle && t.S.LastIntent is null);
        if (words >= 3 || (first && words >= 1))
        {
            t.S = t.S with { Language = lang };
        }
    }

    private static readonly string[] LocationWords =
    [
        "donde", "direccion", "ubicacion", "ubicados", "ubicado", "quedan", "llegar", "llego", "mapa", "where", "located", "address",
        "location", "directions", "map", "get there",
    ];

    /// <summary>True when a mid-confidence intent is backed by what the message contains.</summary>
    private bool IsSupportedByEvidence(TurnContext t, NluResult nlu)
    {
        var e = nlu.Entities;
        return nlu.Intent switch
        {
            NluLabels.AskAmenities => e.Amenities.Count > 0,
            NluLabels.AskPolicies => PolicyTopics(t, nlu).Count > 0,
            NluLabels.AskLocation => DialogText.ContainsAny(t.Norm, LocationWords),
            NluLabels.CheckAvailability or NluLabels.AskPrice or NluLabels.MakeReservation =>
                e.CheckIn is not null || e.CheckOut is not null || (e.Nights is not null && e.Guests is not null),
            NluLabels.CancelReservation or NluLabels.CheckReservation or NluLabels.ModifyReservation => FindReference(t, nlu) is not null,
            _ => false,
        };
    }

    // ---------------------------------------------------------------- handoff

    private async Task<bool> CheckHandoffTriggersAsync(TurnContext t)
    {
        var nlu = t.Nlu;
        if (string.Equals(nlu.Intent, NluLabels.RequestHuman, StringComparison.Ordinal) && nlu.Confidence >= _nlu.ActThreshold)
        {
            await HandoffAsync(t, "requested");
            return true;
        }

        if (nlu.Sentiment <= _options.NegativeSentimentThreshold)
        {
            await HandoffAsync(t, "negative_sentiment");
            return true;
        }

        var norm = t.Norm;
        var countsForRepetition = t.Turn.Message.ReplyId is null && norm.Length >= 6 && !DialogText.IsYes(norm)
            && !DialogText.IsNo(norm) && DialogText.BareNumber(norm) is null;
        if (!countsForRepetition)
        {
            return false;
        }

        var similar = t.S.RecentTexts.Count(r => DialogText.Similarity(r, norm) >= _options.RepetitionSimilarity);
        var recent = t.S.RecentTexts.Append(norm).TakeLast(6).ToArray();
        t.S = t.S with { RecentTexts = recent };
        if (similar + 1 >= _options.RepetitionLimit)
        {
            await HandoffAsync(t, "repetition");
            return true;
        }

        return false;
    }

    private async Task HandoffAsync(TurnContext t, string reason)
    {
        var stageBefore = t.S.Stage;
        t.S = t.S with { Stage = DialogStage.HandedOff, HandedOff = true, HandoffReason = reason, Asked = AskedSlot.None };
        t.Say(L(t,
            "Te paso con una persona de recepción; en un ratito te responde por acá. ¡Gracias por la paciencia!",
            "I'm passing you to a person at reception; they'll reply here shortly. Thanks for your patience!"));
        t.Events.Add(DialogEvent.HandoffStarted(reason));
        await t.Effects.NotifyStaffAsync(Notice(t, reason, stageBefore, isHandoff: true));
    }

    private static HandoffNotice Notice(TurnContext t, string reason, DialogStage stage, bool isHandoff)
    {
        var m = t.Turn.Message;
        return new HandoffNotice(m.ConversationId, m.Channel, m.GuestId, t.S.GuestName ?? m.DisplayName, reason, m.Text ?? string.Empty,
            stage.ToString(), isHandoff, t.S.Language);
    }

    // ---------------------------------------------------------------- routing

    private async Task RouteAsync(TurnContext t, string intent, NluResult nlu)
    {
        switch (intent)
        {
            case NluLabels.CheckAvailability:
            case NluLabels.AskPrice:
            case NluLabels.MakeReservation:
                await StartStayAsync(t, nlu);
                break;
            case NluLabels.ModifyReservation:
                if (InBookingFlow(t.S.Stage) && HasStayDelta(ExtractStayDelta(t, nlu)))
                {
                    await ApplyStayCorrectionAsync(t, ExtractStayDelta(t, nlu));
                }
                else
                {
                    await StartReservationFlowAsync(t, ReservationAction.Modify, nlu);
                }

                break;
            case NluLabels.CancelReservation:
                await StartReservationFlowAsync(t, ReservationAction.Cancel, nlu);
                break;
            case NluLabels.CheckReservation:
                await StartReservationFlowAsync(t, ReservationAction.Status, nlu);
                break;
            case NluLabels.AskRoomTypes:
                AnswerRoomTypes(t);
                break;
            case NluLabels.AskAmenities:
                await AnswerAmenitiesAsync(t, nlu);
                break;
            case NluLabels.AskLocation:
                AnswerLocation(t);
                break;
            case NluLabels.AskPolicies:
                AnswerPolicies(t, nlu);
                break;
            case NluLabels.Greeting:
                Greet(t);
                if (HasStayDelta(ExtractStayDelta(t, nlu)))
                {
                    await StartStayAsync(t, nlu);
                }

                break;
            case NluLabels.Goodbye:
                t.S = t.S.ClearFlow();
                t.Say(L(t, "¡Gracias por escribirnos! Cualquier cosa, acá estoy. ¡Que tengas un lindo día!",
                    "Thanks for writing to us! I'm here if you need anything else. Have a lovely day!"));
                break;
            case NluLabels.Affirm:
                t.Say(L(t, "¡Genial! ¿En qué te puedo ayudar?", "Great! How can I help you?"));
                break;
            case NluLabels.Deny:
                t.Say(L(t, "Dale. Si necesitás algo más, escribime.", "No problem. If you need anything else, just write."));
                break;
            case NluLabels.Help:
                Help(t);
                break;
            case NluLabels.RequestHuman:
                await HandoffAsync(t, "requested");
                break;
            default:
                await AnswerOutOfScopeAsync(t);
                break;
        }
    }

    private static bool InBookingFlow(DialogStage stage) =>
        stage is DialogStage.CollectingStay or DialogStage.OfferingRooms or DialogStage.CollectingGuestDetails or DialogStage.ConfirmingBooking;

    private async Task ClarifyAsync(TurnContext t, NluResult nlu)
    {
        var candidates = nlu.Alternatives
            .Where(a => a.Confidence >= 0.1)
            .Select(a => a.Intent)
            .Prepend(nlu.Intent)
            .Where(i => NluLabels.IsIntent(i) && i is not (NluLabels.Affirm or NluLabels.Deny or NluLabels.OutOfScope))
            .Distinct(StringComparer.Ordinal)
            .Take(3)
            .ToList();
        if (candidates.Count == 0)
        {
            await FallbackAsync(t, veryLow: false);
            return;
        }

        if (candidates.Count == 1 && !candidates.Contains(NluLabels.Help, StringComparer.Ordinal))
        {
            candidates.Add(NluLabels.Help);
        }

        var resume = t.S.Stage == DialogStage.Clarifying ? t.S.ResumeStage ?? DialogStage.Idle : t.S.Stage;
        t.S = t.S with { Stage = DialogStage.Clarifying, ClarifyIntents = candidates, ClarifyText = nlu.Text, ResumeStage = resume };
        t.Events.Add(new DialogEvent(DialogEventKind.Clarified) { Reason = string.Join(',', candidates) });
        var options = candidates.Select((c, i) => new ReplyOption(c, IntentTitle(t, c))).ToList();
        var lines = string.Join('\n', options.Select((o, i) => $"{i + 1}. {o.Title}"));
        t.Say(new Reply(L(t, "No estoy seguro de haberte entendido. ¿Qué querés hacer?\n", "I'm not sure I understood. What would you like to do?\n") + lines)
        {
            Options = options,
            OptionsTitle = L(t, "Elegí una opción", "Choose an option"),
        });
    }

    private string IntentTitle(TurnContext t, string intent) => intent switch
    {
        NluLabels.CheckAvailability => L(t, "Ver disponibilidad", "Check availability"),
        NluLabels.MakeReservation => L(t, "Hacer una reserva", "Make a booking"),
        NluLabels.CancelReservation => L(t, "Cancelar mi reserva", "Cancel my booking"),
        NluLabels.ModifyReservation => L(t, "Cambiar mi reserva", "Change my booking"),
        NluLabels.CheckReservation => L(t, "Ver mi reserva", "See my booking"),
        NluLabels.AskPrice => L(t, "Consultar precios", "Ask for prices"),
        NluLabels.AskRoomTypes => L(t, "Tipos de habitación", "Room types"),
        NluLabels.AskAmenities => L(t, "Servicios del hotel", "Hotel amenities"),
        NluLabels.AskLocation => L(t, "Ubicación y acceso", "Location"),
        NluLabels.AskPolicies => L(t, "Políticas del hotel", "Hotel policies"),
        NluLabels.Greeting => L(t, "Saludar", "Say hello"),
        NluLabels.Goodbye => L(t, "Terminar la charla", "End the chat"),
        NluLabels.Help => L(t, "Otra cosa", "Something else"),
        NluLabels.RequestHuman => L(t, "Hablar con recepción", "Talk to reception"),
        _ => intent,
    };

    private async Task FallbackAsync(TurnContext t, bool veryLow)
    {
        t.S = t.S with
        {
            FallbackCount = t.S.FallbackCount + 1,
            VeryLowCount = veryLow ? t.S.VeryLowCount + 1 : 0,
            Stage = t.S.Stage == DialogStage.Clarifying ? t.S.ResumeStage ?? DialogStage.Idle : t.S.Stage,
        };
        if (t.S.FallbackCount > _options.MaxConsecutiveFallbacks)
        {
            await HandoffAsync(t, "fallbacks");
            return;
        }

        if (t.S.VeryLowCount >= _options.VeryLowConfidenceTurns)
        {
            await HandoffAsync(t, "low_confidence");
            return;
        }

        t.Events.Add(new DialogEvent(DialogEventKind.Fallback));
        var pending = PendingQuestion(t);
        t.Say(L(t,
            "Perdón, no te entendí bien. ¿Me lo decís de otra forma? Puedo ayudarte con disponibilidad y precios, reservas y dudas sobre el hotel.",
            "Sorry, I didn't quite get that. Could you say it another way? I can help with availability and prices, bookings and questions about the hotel.")
            + (pending is null ? string.Empty : "\n" + pending));
    }

    /// <summary>The question the flow is waiting on, to repeat after a digression or a misunderstanding.</summary>
    private string? PendingQuestion(TurnContext t) => t.S.Stage switch
    {
        DialogStage.CollectingStay when t.S.Asked is AskedSlot.CheckIn or AskedSlot.CheckOut or AskedSlot.Guests => SlotQuestion(t, t.S.Asked),
        DialogStage.OfferingRooms => L(t, "¿Cuál de las opciones te reservo?", "Which option should I book?"),
        DialogStage.CollectingGuestDetails when t.S.Asked == AskedSlot.ConfirmName && t.S.GuestName is not null =>
            L(t, $"¿Hago la reserva a nombre de {t.S.GuestName}?", $"Shall I put the booking under {t.S.GuestName}?"),
        DialogStage.CollectingGuestDetails when t.S.Asked == AskedSlot.GuestName =>
            L(t, "¿A nombre de quién hago la reserva?", "What name should the booking be under?"),
        DialogStage.CollectingGuestDetails when t.S.Asked == AskedSlot.Phone =>
            L(t, "¿Me pasás un teléfono de contacto para confirmar la reserva?", "Could you send me a contact phone number to confirm the booking?"),
        DialogStage.CollectingGuestDetails when t.S.Asked == AskedSlot.Email =>
            L(t, "¿Me pasás un email para la confirmación? (opcional)", "Could you give me an email for the confirmation? (optional)"),
        DialogStage.ConfirmingBooking => L(t, "¿Confirmo la reserva? (sí / no)", "Shall I confirm the booking? (yes / no)"),
        DialogStage.ConfirmingCancellation => L(t, "¿Confirmo la cancelación? (sí / no)", "Shall I cancel it? (yes / no)"),
        DialogStage.ConfirmingModification => L(t, "¿Confirmo el cambio? (sí / no)", "Shall I apply the change? (yes / no)"),
        _ => null,
    };

    // ---------------------------------------------------------------- context (mid-flow answers)

    private async Task<bool> HandleInContextAsync(TurnContext t)
    {
        var nlu = t.Nlu;
        var replyId = t.Turn.Message.ReplyId
            ?? (t.S.Asked == AskedSlot.ChangeWhat && !HasStayDelta(ExtractStayDelta(t, nlu)) ? ChangeWhatFromText(t.Norm) : null);
        var confident = nlu.Confidence >= _nlu.ActThreshold
            || (nlu.Confidence >= _nlu.ClarifyThreshold && IsSupportedByEvidence(t, nlu));

        // A confident request for another flow wins over the context (e.g. "quiero cancelar mi reserva" while quoting).
        var switchesFlow = confident && nlu.Intent is NluLabels.CancelReservation or NluLabels.CheckReservation or NluLabels.Goodbye
            && replyId is null;
        if (switchesFlow && t.S.Stage != DialogStage.Clarifying)
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

                if (t.S.Stay.IsComplete && (IsYes(t) || (confident && nlu.Intent is NluLabels.CheckAvailability or NluLabels.AskPrice or NluLabels.MakeReservation)))
                {
                    await AdvanceStayAsync(t);
                    return true;
                }

                return false;
            }

            case DialogStage.OfferingRooms:
            {
                var pick = PickOffer(t);
                var delta = ExtractStayDelta(t, nlu);
                if (pick is not null && !(HasStayDelta(delta with { RoomType = null })))
                {
                    t.S = t.S with { Selected = pick, PendingWriteKey = null };
                    await ContinueBookingDetailsAsync(t);
                    return true;
                }

                if (HasStayDelta(delta))
                {
                    await ApplyStayCorrectionAsync(t, delta);
                    return true;
                }

                if (IsNo(t))
                {
                    t.S = t.S with { Stage = DialogStage.CollectingStay, Asked = AskedSlot.CheckIn };
                    t.Say(L(t, "Sin problema. ¿Querés probar con otras fechas u otro tipo de habitación?",
                        "No problem. Would you like to try other dates or another room type?"));
                    return true;
                }

                return false;
            }

            case DialogStage.CollectingGuestDetails:
                return await HandleGuestDetailsAsync(t);

            case DialogStage.ConfirmingBooking:
            {
                if (IsExplicitYes(t))
                {
                    await BookAsync(t);
                    return true;
                }

                if (IsNo(t))
                {
                    AskWhatToChange(t, booking: true);
                    return true;
                }

                var delta = ExtractStayDelta(t, nlu);
                if (HasStayDelta(delta))
                {
                    await ApplyStayCorrectionAsync(t, delta);
                    return true;
                }

                if (!confident || nlu.Intent == NluLabels.Affirm)
                {
                    // Not an explicit yes: ask again, never book on a guess.
                    t.Say(YesNo(t, L(t, "Para reservar necesito que me confirmes con un \"sí\". ¿Confirmo la reserva?",
                        "To book I need an explicit \"yes\". Shall I confirm the booking?")));
                    return true;
                }

                return false;
            }

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

                if (IsNo(t))
                {
                    t.S = t.S.ClearFlow();
                    t.Say(L(t, "Dale, tu reserva queda como estaba.", "Sure, your booking stays as it was."));
                    return true;
                }

                return false;
            }

            case DialogStage.ConfirmingModification:
            {
                if (IsExplicitYes(t))
                {
                    await ApplyModificationAsync(t);
                    return true;
                }

                if (IsNo(t))
                {
                    t.S = t.S.ClearFlow();
                    t.Say(L(t, "Perfecto, no cambio nada: tu reserva queda como estaba.", "OK, I won't change anything: your booking stays as it was."));
                    return true;
                }

                var delta = ExtractStayDelta(t, nlu);
                if (HasStayDelta(delta))
                {
                    await QuoteModificationAsync(t, delta);
                    return true;
                }

                if (!confident || nlu.Intent == NluLabels.Affirm)
                {
                    t.Say(YesNo(t, L(t, "¿Confirmo el cambio? Respondeme \"sí\" o \"no\".", "Shall I apply the change? Please answer \"yes\" or \"no\".")));
                    return true;
                }

                return false;
            }

            case DialogStage.ConfirmingCancellation:
            {
                if (IsExplicitYes(t))
                {
                    await CancelAsync(t);
                    return true;
                }

                if (IsNo(t))
                {
                    t.S = t.S.ClearFlow();
                    t.Say(L(t, "Perfecto, tu reserva sigue en pie.", "Great, your booking stays in place."));
                    return true;
                }

                if (!confident || nlu.Intent == NluLabels.Affirm)
                {
                    t.Say(YesNo(t, L(t, "¿Confirmo la cancelación? Respondeme \"sí\" o \"no\".", "Shall I cancel it? Please answer \"yes\" or \"no\".")));
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
        if (words > 4)
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
        t.S = t.S with { Stage = resume, ClarifyIntents = [], ClarifyText = null, ResumeStage = null };
        if (picked is null)
        {
            // Not a pick: understand this message on its own, in the context the menu interrupted. A bare yes/no answered
            // the menu, not the pending confirmation: ask the confirmation again instead of writing anything.
            if (resume is DialogStage.ConfirmingBooking or DialogStage.ConfirmingModification or DialogStage.ConfirmingCancellation
                && (IsYes(t) || IsNo(t)))
            {
                t.Say(YesNo(t, PendingQuestion(t)!));
                return true;
            }

            return resume != DialogStage.Clarifying && await HandleInContextAsync(t);
        }

        var source = original is null ? t.Nlu : await t.Effects.UnderstandAsync(original, t.Turn.Today);
        var forced = source with { Intent = picked, Confidence = 1 };
        t.Nlu = forced;
        await RouteAsync(t, picked, forced);
        return true;
    }

    private static readonly string[] AffirmWords =
    [
        "si", "dale", "ok", "okay", "okey", "confirm*", "correct*", "claro", "perfect*", "de acuerdo", "adelante", "reserv*",
        "yes", "yep", "yeah", "sure", "go ahead", "book it", "exact*", "listo", "bueno", "va", "that s right", "right",
    ];

    /// <summary>A yes for non-binding steps (name confirmation, the only offer): a button, a yes word, or an affirm without numbers.</summary>
    private bool IsYes(TurnContext t) =>
        t.Turn.Message.ReplyId is "yes" || DialogText.IsYes(t.Norm)
        || (string.Equals(t.Nlu.Intent, NluLabels.Affirm, StringComparison.Ordinal) && t.Nlu.Confidence >= _nlu.ClarifyThreshold
            && !t.Norm.Any(char.IsAsciiDigit));

    /// <summary>
    /// Only an explicit yes confirms a write: the "Sí" button, a plain yes word, or a confident affirm that actually contains
    /// an affirmative word ("la 1" or "2" may be classified as affirm, but they are not a yes).
    /// </summary>
    private bool IsExplicitYes(TurnContext t) =>
        t.Turn.Message.ReplyId is "yes" || DialogText.IsYes(t.Norm) || IsYesWithConfirmingWords(t.Norm)
        || (string.Equals(t.Nlu.Intent, NluLabels.Affirm, StringComparison.Ordinal) && t.Nlu.Confidence >= _nlu.ActThreshold
            && !t.Norm.Any(char.IsAsciiDigit) && DialogText.ContainsAny(t.Norm, AffirmWords)
            && !HasStayDelta(ExtractStayDelta(t, t.Nlu)));

    private bool IsNo(TurnContext t) =>
        t.Turn.Message.ReplyId is "no" || DialogText.IsNo(t.Norm)
        || (string.Equals(t.Nlu.Intent, NluLabels.Deny, StringComparison.Ordinal) && t.Nlu.Confidence >= _nlu.ClarifyThreshold
            && !HasStayDelta(ExtractStayDelta(t, t.Nlu)));

    private Reply YesNo(TurnContext t, string text) => new(text)
    {
        Options = [new ReplyOption("yes", L(t, "Sí", "Yes")), new ReplyOption("no", L(t, "No", "No"))],
    };

    private static string L(TurnContext t, string es, string en) => string.Equals(t.S.Language, "en", StringComparison.Ordinal) ? en : es;

    /// <summary>Mutable scratch of one turn; the state it ends with is the outcome's state.</summary>
    private sealed class TurnContext(GuestTurn guestTurn, IDialogEffects effects, DialogState state)
    {
        public GuestTurn Turn { get; } = guestTurn;
        public IDialogEffects Effects { get; } = effects;
        public DialogState S { get; set; } = state;
        public NluResult Nlu { get; set; } = null!;
        public string Norm { get; set; } = string.Empty;
        public List<Reply> Replies { get; } = [];
        public List<DialogEvent> Events { get; } = [];

        public void Say(string text) => Replies.Add(new Reply(text));

        public void Say(Reply reply) => Replies.Add(reply);

        public DialogOutcome Outcome(string? intent, double confidence)
        {
            var withOptions = Replies.LastOrDefault(r => r.Options.Count > 0);
            var state = S with { LastOptionIds = withOptions is null ? [] : withOptions.Options.Select(o => o.Id).ToArray() };
            return new(state, Replies.ToArray(), Events.ToArray(), intent, confidence);
        }
    }
}
