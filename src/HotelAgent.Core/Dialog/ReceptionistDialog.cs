using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Nlu;

namespace HotelAgent.Core.Dialog;

/// <summary>
/// The receptionist's brain: a deterministic state machine over <see cref="DialogState"/>. No clock, no random, no I/O:
/// every outside fact comes through <see cref="IDialogEffects"/>, so it can run inside a Durable Functions orchestration.
/// Time is the message's own timestamp (<see cref="InboundMessage.Timestamp"/>), recorded with the event.
/// </summary>
public sealed partial class ReceptionistDialog
{
    private readonly HotelProfile _profile;
    private readonly DialogOptions _options;
    private readonly NluOptions _nlu;
    private readonly IRoomCatalogue _rooms;
    private readonly bool _emailConfirmations;

    /// <param name="profile">The hotel: every fact the dialog states comes from here or from the PMS.</param>
    /// <param name="options">Dialog settings (handoff triggers, expiry, long stays).</param>
    /// <param name="nluOptions">Confidence thresholds.</param>
    /// <param name="rooms">The room types guests hear about; the hotel profile's when null (QloApps: the PMS's).</param>
    /// <param name="emailConfirmations">
    /// True when an email channel is configured: a guest who gives an email on WhatsApp or the web chat is told the confirmation
    /// goes there (the reply dispatcher sends it). Otherwise nothing is promised.
    /// </param>
    public ReceptionistDialog(HotelProfile profile, DialogOptions? options = null, NluOptions? nluOptions = null, IRoomCatalogue? rooms = null,
        bool emailConfirmations = false)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _profile = profile;
        _options = options ?? new DialogOptions();
        _nlu = nluOptions ?? new NluOptions();
        _rooms = rooms ?? new ProfileRoomCatalogue(profile);
        _emailConfirmations = emailConfirmations;
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
            && DialogText.BareNumber(DialogText.NormalizeGuest(text)) is { } n && n >= 1 && n <= state.LastOptionIds.Count)
        {
            // Numbered options (email, web chat): "2" is the second option, exactly like pressing it.
            turn = turn with { Message = turn.Message with { ReplyId = state.LastOptionIds[n - 1] } };
            t = new TurnContext(turn, effects, t.S);
        }

        ExpireStaleFlow(t);

        var nlu = await effects.UnderstandAsync(text, turn.Today);
        t.Nlu = nlu;
        t.Norm = DialogText.NormalizeGuest(text);
        t.Raw = text;
        UpdateLanguage(t);
        t.S = t.S with { LastIntent = nlu.Intent, LastConfidence = nlu.Confidence, LastMessageAt = turn.Message.Timestamp };

        if (await CheckHandoffTriggersAsync(t))
        {
            return t.Outcome(nlu.Intent, nlu.Confidence);
        }

        RememberIdentity(t);

        // "¿Querés que te la cotice?" holds for the next message only: a yes to it starts the stay (for that room), never "¡Genial!".
        var quoteOffered = t.S.Asked == AskedSlot.QuoteOffer;
        if (quoteOffered)
        {
            t.S = t.S with { Asked = AskedSlot.None };
            if (t.S.Stage == DialogStage.Idle && t.Turn.Message.ReplyId is null && !DialogText.IsThanksOnly(t.Raw)
                && (DialogText.ReadYesNo(t.Raw, ConfirmAction.Generic) == YesNo.Yes || DialogText.IsAcknowledgement(t.Raw)))
            {
                var room = t.S.FocusRoom;
                t.S = t.S.ClearFlow() with { Stage = DialogStage.CollectingStay, Stay = new StaySlots { RoomType = room } };
                Touch(t);
                await AdvanceStayAsync(t);
                ResetCountersIfUnderstood(t);
                return t.Outcome(nlu.Intent, nlu.Confidence);
            }
        }

        if (await HandleOfferedHumanAsync(t) || await HandleExpiredResumeAsync(t))
        {
            ResetCountersIfUnderstood(t);
            return t.Outcome(nlu.Intent, nlu.Confidence);
        }

        if (MovesTheBookingJustMade(t) || MovesABookingTheGuestHas(t) || GrowsThePartyOfABookingTheGuestHas(t))
        {
            // "actually could we push it a day?" / "¿la podemos correr al 4?" right after booking: a change of that booking,
            // whatever the classifier made of it (new dates alone read like a fresh availability question).
            nlu = nlu with { Intent = NluLabels.ModifyReservation };
            t.Nlu = nlu;
            await RouteAsync(t, NluLabels.ModifyReservation, nlu);
            ResetCountersIfUnderstood(t);
            return t.Outcome(nlu.Intent, nlu.Confidence);
        }

        if (HandleCribDeclined(t) || await HandleChildAgesAsync(t))
        {
            ResetCountersIfUnderstood(t);
            return t.Outcome(nlu.Intent, nlu.Confidence);
        }

        FocusMentionedOffer(t);
        if (await HandleConfirmationStepAsync(t) || await HandleSideQuestionAsync(t) || await HandleInContextAsync(t))
        {
            ResetCountersIfUnderstood(t);
            return t.Outcome(nlu.Intent, nlu.Confidence);
        }

        if (PendingKey(t) is null && (DialogText.IsThanksOnly(t.Raw) || DialogText.IsAcknowledgement(t.Raw)))
        {
            // "genial, gracias!" after a booking or an answer: a friendly close, not "no te entendí".
            t.Say(DialogText.IsThanksOnly(t.Raw)
                ? L(t, "¡De nada! Cualquier otra cosa, acá estoy.", "You're welcome! Anything else, I'm here.")
                : L(t, "¡Genial! Si necesitás algo más, escribime.", "Great! If you need anything else, just write."));
            ResetCountersIfUnderstood(t);
            return t.Outcome(nlu.Intent, nlu.Confidence);
        }

        var band = _nlu.Classify(nlu.Confidence);
        if (band != ConfidenceBand.Act && IsHotelYesNoQuestion(t))
        {
            // "¿tienen cancha de paddle?": a question about the hotel; answered from the profile, or an honest "no tengo ese dato".
            await AnswerAmenitiesAsync(t, nlu);
            ResetCountersIfUnderstood(t);
            return t.Outcome(nlu.Intent, nlu.Confidence);
        }

        if (band != ConfidenceBand.Act && nlu.Alternatives.Select(a => a.Intent).Prepend(nlu.Intent).Distinct(StringComparer.Ordinal)
                .FirstOrDefault(i => IsSupportedByEvidence(t, nlu with { Intent = i })) is { } supported)
        {
            // Not sure of the intent, but the message carries what one of the likely intents needs (an amenity, dates, a policy
            // keyword, "cancel" with a booking of the guest's, "¿qué días tenés libres en febrero?"...): act on that one, even
            // when "out of scope" came first ("q dias tenes livre en febrro").
            band = ConfidenceBand.Act;
            nlu = nlu with { Intent = supported };
            t.Nlu = nlu;
        }
        else if (band == ConfidenceBand.Clarify && string.Equals(nlu.Intent, NluLabels.OutOfScope, StringComparison.Ordinal))
        {
            // "Probably nothing I know" is not worth a menu: it is a plain misunderstanding.
            band = ConfidenceBand.Fallback;
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
    /// Follows the guest's language, but only on clear evidence: a first message decides; later a message switches only
    /// when it is clearly in the other language (a Spanish "me van a cobrar algo?" never flips to English). Button titles
    /// never flip it.
    /// </summary>
    private static void UpdateLanguage(TurnContext t)
    {
        if (t.Turn.Message.ReplyId is not null)
        {
            return;
        }

        var tokens = TextNormalizer.Normalize(t.Raw).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var (es, en) = TextSignals.LanguageScores(t.Raw, tokens);
        var first = t.S.TurnCount <= 1 || (t.S.Stage == DialogStage.Idle && t.S.LastIntent is null);
        if (first)
        {
            if (en > es || (es == en && string.Equals(t.Nlu.Language, "en", StringComparison.Ordinal) && en > 0))
            {
                t.S = t.S with { Language = "en" };
            }
            else if (es > en)
            {
                t.S = t.S with { Language = "es" };
            }

            return;
        }

        if (string.Equals(t.S.Language, "es", StringComparison.Ordinal) && en >= 3 && en >= es + 3)
        {
            t.S = t.S with { Language = "en" };
        }
        else if (string.Equals(t.S.Language, "en", StringComparison.Ordinal) && es >= 3 && es >= en + 3)
        {
            t.S = t.S with { Language = "es" };
        }
    }

    /// <summary>
    /// A flow the guest left alone longer than <c>Dialog__FlowExpiryMinutes</c> (by the messages' timestamps) expires: its
    /// dates and guests are never reused silently; the next booking talk starts fresh, and a bare "sí" gets "¿seguimos con
    /// lo de antes?" instead of booking or quoting stale data.
    /// </summary>
    private void ExpireStaleFlow(TurnContext t)
    {
        var at = t.Turn.Message.Timestamp;
        var touched = t.S.FlowTouchedAt ?? t.S.LastMessageAt;
        if (t.S.Stage is DialogStage.Idle or DialogStage.HandedOff || touched is null || at - touched.Value <= TimeSpan.FromMinutes(_options.FlowExpiryMinutes))
        {
            return;
        }

        var expired = t.S.HasBookingFlow ? t.S.Stay : null;
        t.S = t.S.ClearFlow() with { ExpiredStay = expired };
    }

    /// <summary>
    /// A name ("soy Pablo Ríos") or an email given in passing is kept for the booking (the name is still confirmed before
    /// booking). While the flow asks for them, the flow's own handling reads them.
    /// </summary>
    private static void RememberIdentity(TurnContext t)
    {
        if (t.S.Stage == DialogStage.CollectingGuestDetails)
        {
            return;
        }

        if (t.Nlu.Entities.PersonName is { } name && !t.S.GuestNameConfirmed && name.Split(' ').Length >= 1)
        {
            t.S = t.S with { GuestName = name };
        }

        if ((t.Nlu.Entities.Email ?? DialogText.FindEmail(t.Raw)) is { } email && t.S.Email is null)
        {
            t.S = t.S with { Email = email.Trim().ToLowerInvariant(), EmailAsked = true };
        }
    }

    private static readonly string[] LocationWords =
    [
        "donde", "direccion", "ubicacion", "ubicados", "ubicado", "quedan", "llegar", "llego", "mapa", "where", "located", "address",
        "location", "directions", "map", "get there", "zona", "barrio", "cerca", "lejos", "subte", "colectivo", "taxi", "near", "far",
        "aeroparque", "ezeiza", "tardo", "tarda", "tardan", "demora", "demoro", "how long", "distancia", "distance", "subway", "metro",
    ];

    private static bool MovesTheBookingJustMade(TurnContext t) =>
        MayChangeABooking(t) && t.S.LastBookedReference is not null
        && (t.Nlu.Entities.CheckIn is not null || t.Nlu.Entities.CheckOut is not null || t.Nlu.Entities.Nights is not null)
        && DialogText.ContainsAny(t.Norm, ChangeWords);

    /// <summary>
    /// "tengo una reserva para el 10, ¿la puedo pasar al 17?" / "I have a booking on the 10th, can I move it to the 17th?":
    /// a booking the guest already has, and a change to it. The dates make it read like a new availability question to the
    /// classifier; the guest's own booking and the change word after it make it a modification.
    /// </summary>
    private static bool MovesABookingTheGuestHas(TurnContext t) =>
        MayChangeABooking(t)
        && (t.Nlu.Entities.CheckIn is not null || t.Nlu.Entities.CheckOut is not null || t.Nlu.Entities.Nights is not null || t.Nlu.Entities.RoomType is not null)
        && DialogText.IndexOfAny(t.Norm, BookingTheGuestHasWords) is var has and >= 0
        && DialogText.IndexOfAny(t.Norm, ChangeWords) > has;

    /// <summary>"en mi reserva somos 2 pero se suma mi hijo": someone joins the party of a booking the guest has.</summary>
    private static bool GrowsThePartyOfABookingTheGuestHas(TurnContext t) =>
        MayChangeABooking(t) && DialogText.ContainsAny(t.Norm, OwnBookingWords) && DialogText.ExtraGuests(t.Norm) is not null;

    /// <summary>A typed message between flows that is not already a cancellation, a status question or a call for a person.</summary>
    private static bool MayChangeABooking(TurnContext t) =>
        t.S.Stage == DialogStage.Idle && t.Turn.Message.ReplyId is null
        && t.Nlu.Intent is not (NluLabels.CancelReservation or NluLabels.CheckReservation or NluLabels.RequestHuman);

    /// <summary>The guest asks to make a booking ("quiero hacer mi reserva", "quisiera reservar", "I'd like to book").</summary>
    private static bool MakesANewBooking(TurnContext t) =>
        DialogText.ContainsAny(t.Norm, "hacer mi reserva", "hacer una reserva", "hacer la reserva", "quiero reservar", "quisiera reservar",
            "queria reservar", "queremos reservar", "quiero hacer una reserva", "i want to book", "i would like to book", "i d like to book",
            "id like to book", "make a booking", "make a reservation");

    /// <summary>Words that move or change a stay (Spanish voseo and tuteo, English).</summary>
    private static readonly string[] ChangeWords =
    [
        "push", "move", "change", "reschedule", "postpone", "shift", "correr*", "corre", "corrala",
        "pasar*", "pasala", "cambi*", "mover*", "movela", "adelant*", "atras*", "posterg*", "pospon*", "reprogram*",
    ];

    /// <summary>
    /// The guest says they already have a booking (normalized: no accents). Not "mi reserva" alone: "quiero hacer mi reserva
    /// del 10 al 12, ¿puedo cambiarla después?" is a new booking.
    /// </summary>
    private static readonly string[] BookingTheGuestHasWords =
    [
        "tengo una reserva", "tengo reserva", "tengo reservad*", "tenemos una reserva", "tenemos reserva", "tenemos reservad*",
        "hice una reserva", "hicimos una reserva", "ya reserve", "ya reservamos",
        "i have a booking", "i have a reservation", "we have a booking", "we have a reservation", "i booked", "we booked",
        "i have a room booked", "we have a room booked",
    ];

    /// <summary>The guest's own booking, named as such ("en mi reserva somos 2…"): enough with someone joining the party.</summary>
    private static readonly string[] OwnBookingWords =
    [
        .. BookingTheGuestHasWords,
        "mi reserva", "nuestra reserva", "my booking", "my reservation", "our booking", "our reservation",
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
                e.CheckIn is not null || e.CheckOut is not null || (e.Nights is not null && e.Guests is not null)
                || (nlu.Intent != NluLabels.AskPrice && WantsARoom(t.Norm))
                || (e.Guests is not null && AsksForRoom(t.Norm))
                || (nlu.Intent == NluLabels.CheckAvailability && AsksForFreeDays(t.Norm))
                || HolidayPeriods.Find(t.Norm, t.Turn.Today) is not null,
            NluLabels.CancelReservation => FindReference(t, nlu) is not null
                || DialogText.ContainsAny(t.Norm, "cancel*", "anul*", "dar de baja", "dala de baja", "dar la baja", "darla de baja", "de baja",
                    "bajame", "bajala", "bajamela", "bajen", "bajenla", "bajar la", "bajar mi"),
            NluLabels.ModifyReservation => FindReference(t, nlu) is not null
                || (DialogText.ContainsAny(t.Norm, "mi reserva", "la reserva", "my booking", "my reservation", "my room", "my stay", "upgrade", "mi estadia")
                    && (e.RoomType is not null || e.CheckIn is not null || e.Guests is not null || e.Nights is not null)),
            NluLabels.CheckReservation => FindReference(t, nlu) is not null,
            NluLabels.Greeting => t.Norm.Split(' ').Length <= 3 && IsGreetingWord(t.Norm),
            _ => false,
        };
    }

    /// <summary>"¿tienen X?", "¿hay X en el hotel?", "do you have X?", "is there X?", "can I X?": a yes/no question about the hotel.</summary>
    private static bool IsHotelYesNoQuestion(TurnContext t) =>
        DialogText.IsQuestion(t.Raw) && t.Nlu.Entities.CheckIn is null && t.Nlu.Entities.Guests is null
        && (t.Norm.StartsWith("tienen ", StringComparison.Ordinal) || t.Norm.StartsWith("tenes ", StringComparison.Ordinal)
            || t.Norm.StartsWith("hay ", StringComparison.Ordinal) || t.Norm.StartsWith("cuentan con ", StringComparison.Ordinal)
            || t.Norm.StartsWith("ofrecen ", StringComparison.Ordinal) || t.Norm.StartsWith("do you have ", StringComparison.Ordinal)
            || t.Norm.StartsWith("is there ", StringComparison.Ordinal) || t.Norm.StartsWith("are there ", StringComparison.Ordinal)
            || t.Norm.StartsWith("does the hotel ", StringComparison.Ordinal) || t.Norm.StartsWith("el hotel tiene ", StringComparison.Ordinal));

    /// <summary>"quiero una habitación", "necesito reservar", "I'd like to book a room": a booking request without data yet.</summary>
    private static bool WantsARoom(string norm) =>
        DialogText.ContainsAny(norm, "reservar", "reserva", "habitacion", "habitaciones", "cuarto", "pieza", "room", "book", "booking", "alojamiento", "lugar")
        && DialogText.ContainsAny(norm, "quiero", "necesito", "busco", "buscamos", "queria", "quisiera", "queremos", "necesitamos", "want", "need", "looking", "would like", "id like", "i d like")
        && !DialogText.ContainsAny(norm, "cancel*", "anul*", "cambiar", "modific*", "change", "mi reserva", "my booking", "my reservation");

    /// <summary>"¿tienen algo para 2?", "hay lugar para 3?", "anything for 2 people?": asking for a room with a party size only.</summary>
    private static bool AsksForRoom(string norm) =>
        DialogText.ContainsAny(norm, "tienen algo", "tenes algo", "tendran algo", "tendrias algo", "hay algo", "hay lugar", "tienen lugar", "tenes lugar",
            "disponib*", "lugar para", "habitacion para", "cuarto para", "pieza para", "anything for", "something for", "room for", "available",
            "availability", "vacanc*");

    /// <summary>"¿qué días tenés libres en febrero?", "¿hay lugar en marzo?": which days of a month are free.</summary>
    private static bool AsksForFreeDays(string norm) =>
        DialogText.ContainsAny(norm, "libre", "libres", "disponib*", "lugar", "hay algo", "tienen algo", "tenes algo", "available", "free", "vacanc*")
        && norm.Split(' ').Any(w => DateExtractor.IsMonth(w) && w.Length > 3);

    private static bool IsGreetingWord(string norm) =>
        DialogText.ContainsAny(norm, "hola", "ola", "hla", "holi", "holis", "buenas", "buenos", "buen", "wenas", "hello", "hi", "hey", "saludos");

    // ---------------------------------------------------------------- handoff

    private async Task<bool> CheckHandoffTriggersAsync(TurnContext t)
    {
        var nlu = t.Nlu;
        if (t.Turn.Message.ReplyId is "human")
        {
            await HandoffAsync(t, "requested");
            return true;
        }

        if (t.Turn.Message.ReplyId is not null)
        {
            // A button press is an answer to our own question ("Personas" is not asking for a person).
            return false;
        }

        // Money complaints and threats reach a person at once, whatever the wording's overall tone.
        var tokens = TextNormalizer.Normalize(t.Raw).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (TextSignals.ComplaintWeight(tokens) < 0)
        {
            await HandoffAsync(t, "complaint");
            return true;
        }

        if (nlu.Sentiment <= _options.NegativeSentimentThreshold)
        {
            await HandoffAsync(t, "negative_sentiment");
            return true;
        }

        var answersChangeWhat = t.S.Asked == AskedSlot.ChangeWhat && ChangeWhatFromText(t.Norm) is not null; // "personas" = the party size
        if ((string.Equals(nlu.Intent, NluLabels.RequestHuman, StringComparison.Ordinal) && nlu.Confidence >= _nlu.ActThreshold && !answersChangeWhat)
            || DialogText.AsksForPerson(t.Norm))
        {
            await HandoffAsync(t, "requested");
            return true;
        }

        var norm = t.Norm;
        var countsForRepetition = t.Turn.Message.ReplyId is null && norm.Length >= 6 && !DialogText.IsYes(norm)
            && !DialogText.IsNo(norm) && DialogText.BareNumber(norm) is null && DialogText.ReadYesNo(t.Raw, ConfirmAction.Generic) == YesNo.Unclear;
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
        t.S = t.S with { Stage = DialogStage.HandedOff, HandedOff = true, HandoffReason = reason, Asked = AskedSlot.None, HumanOffered = false };
        t.Say(reason switch
        {
            "complaint" or "negative_sentiment" => L(t,
                $"Lamento mucho lo que pasó 🙏 Te paso ahora mismo con una persona de recepción para que lo resuelva; te responde por acá en un ratito. Si es urgente: {_profile.Phone}.",
                $"I'm really sorry about this 🙏 I'm passing you right now to a person at reception who will sort it out; they'll reply here shortly. If it's urgent: {_profile.Phone}."),
            _ => L(t,
                "Te paso con una persona de recepción; en un ratito te responde por acá. ¡Gracias por la paciencia!",
                "I'm passing you to a person at reception; they'll reply here shortly. Thanks for your patience!"),
        });
        t.Events.Add(DialogEvent.HandoffStarted(reason));
        await t.Effects.NotifyStaffAsync(Notice(t, reason, stageBefore, isHandoff: true));
    }

    private static HandoffNotice Notice(TurnContext t, string reason, DialogStage stage, bool isHandoff)
    {
        var m = t.Turn.Message;
        return new HandoffNotice(m.ConversationId, m.Channel, m.GuestId, t.S.GuestName ?? m.DisplayName, reason, m.Text ?? string.Empty,
            stage.ToString(), isHandoff, t.S.Language);
    }

    /// <summary>After a person was offered (the same question a third time), a yes hands off; anything else goes on.</summary>
    private async Task<bool> HandleOfferedHumanAsync(TurnContext t)
    {
        if (!t.S.HumanOffered)
        {
            return false;
        }

        t.S = t.S with { HumanOffered = false };
        // When the question itself is a yes/no question, "sí" answers it; the person is taken with the button or in words.
        var confirming = t.S.Stage is DialogStage.ConfirmingBooking or DialogStage.ConfirmingCancellation or DialogStage.ConfirmingModification
            || t.S.Asked is AskedSlot.ConfirmLongStay or AskedSlot.ConfirmName or AskedSlot.ResumeExpired;
        if (!confirming && t.Turn.Message.ReplyId is null && DialogText.ReadYesNo(t.Raw, ConfirmAction.Generic) == YesNo.Yes)
        {
            // Reception was offered because no single room holds the party, or because the same question came a third time.
            var biggest = RoomTypes.Count == 0 ? 0 : RoomTypes.Max(r => r.Capacity);
            await HandoffAsync(t, biggest > 0 && t.S.Stay.Guests > biggest && t.S.Offers.Count == 0 ? "large_party" : "stuck");
            return true;
        }

        return false;
    }

    // ---------------------------------------------------------------- routing

    private async Task RouteAsync(TurnContext t, string intent, NluResult nlu)
    {
        switch (intent)
        {
            case NluLabels.CheckAvailability:
            case NluLabels.AskPrice:
            case NluLabels.MakeReservation:
                if (nlu.Entities.Amenities.Count > 0 && !HasStayDelta(ExtractStayDelta(t, nlu)))
                {
                    // "cuánto sale el traslado?" is about the amenity, not a stay
                    await AnswerAmenitiesAsync(t, nlu);
                    break;
                }

                await StartStayAsync(t, nlu);
                break;
            case NluLabels.ModifyReservation:
                if (InBookingFlow(t.S.Stage) && HasStayDelta(ExtractStayDelta(t, nlu)))
                {
                    await ApplyStayCorrectionAsync(t, ExtractStayDelta(t, nlu));
                }
                else if (t.S.Stage == DialogStage.Idle && FindReference(t, nlu) is null && MakesANewBooking(t) && HasStayDelta(ExtractStayDelta(t, nlu)))
                {
                    // "quiero hacer mi reserva del 10 al 12, ¿después la puedo cambiar?": a new stay with a question about
                    // changes, not a change of a booking the guest does not have.
                    await StartStayAsync(t, nlu);
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
                AnswerRoomTypes(t, nlu);
                break;
            case NluLabels.AskAmenities:
                await AnswerAmenitiesAsync(t, nlu);
                break;
            case NluLabels.AskLocation:
                AnswerLocation(t);
                break;
            case NluLabels.AskPolicies:
                // "checking in the 3rd of january and out the 6th": check-in/out words with a stay are a stay, not a policy question
                if (!DialogText.IsQuestion(t.Raw) && ExtractStayDelta(t, nlu) is { CheckIn: not null } stay
                    && (stay.CheckOut is not null || stay.Nights is not null || stay.Guests is not null))
                {
                    await StartStayAsync(t, nlu);
                    break;
                }

                await AnswerPoliciesAsync(t, nlu);
                break;
            case NluLabels.Greeting:
                if (HasStayDelta(ExtractStayDelta(t, nlu)))
                {
                    t.Say(L(t, "¡Hola! ", "Hi! ").TrimEnd());
                    await StartStayAsync(t, nlu);
                }
                else
                {
                    Greet(t);
                }

                break;
            case NluLabels.Goodbye:
                if (DialogText.IsThanksOnly(t.Raw) && PendingQuestion(t) is { } pending)
                {
                    // "gracias" in the middle of a booking is not goodbye: keep the flow.
                    t.Say(L(t, "¡De nada! ", "You're welcome! ") + pending);
                    break;
                }

                t.S = t.S.ClearFlow();
                t.Say(L(t, "¡Gracias por escribirnos! Cualquier cosa, acá estoy. ¡Que tengas un lindo día!",
                    "Thanks for writing to us! I'm here if you need anything else. Have a lovely day!"));
                break;
            case NluLabels.Affirm:
                if (!AskPendingAgain(t))
                {
                    t.Say(L(t, "¡Genial! ¿En qué más te puedo ayudar? Puedo ver disponibilidad, tu reserva o contarte del hotel.",
                        "Great! What else can I help you with? I can check availability, your booking or tell you about the hotel."));
                }

                break;
            case NluLabels.Deny:
                if (PendingQuestion(t) is not null && t.S.Stage is DialogStage.CollectingStay or DialogStage.CollectingGuestDetails)
                {
                    t.S = t.S.ClearFlow();
                    t.Say(L(t, "Dale, lo dejamos acá. Si querés retomarlo, escribime cuando quieras.",
                        "Sure, let's leave it here. If you want to pick it up again, just write."));
                    break;
                }

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
        if (AskPendingAgain(t))
        {
            // Mid-flow, the useful clarification is the question the flow is waiting on (rephrased), not a menu of intents.
            t.Events.Add(new DialogEvent(DialogEventKind.Clarified) { Reason = "pending_question" });
            return;
        }

        var candidates = nlu.Alternatives
            .Where(a => a.Confidence >= 0.1)
            .Select(a => a.Intent)
            .Prepend(nlu.Intent)
            .Where(i => NluLabels.IsIntent(i) && i is not (NluLabels.Affirm or NluLabels.Deny or NluLabels.OutOfScope or NluLabels.Goodbye or NluLabels.Greeting))
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

        // The menu asks about the likeliest reading first, as a yes/no question, so a plain "sí" / "dale" answers it.
        var guess = IntentQuestion(t, candidates[0]);
        SayClarifyMenu(t, candidates, guess is null
            ? L(t, "No estoy seguro de haberte entendido. ¿Qué querés hacer?", "I'm not sure I understood. What would you like to do?")
            : L(t, $"No estoy seguro de haberte entendido: ¿{guess}? Si es otra cosa, elegí una opción:", $"I'm not sure I understood: {guess}? If it's something else, choose an option:"));
    }

    private void SayClarifyMenu(TurnContext t, IReadOnlyList<string> candidates, string question)
    {
        var options = candidates.Select(c => new ReplyOption(c, IntentTitle(t, c))).ToList();
        var lines = string.Join('\n', options.Select((o, i) => $"{i + 1}. {o.Title}"));
        t.Say(new Reply(question + "\n" + lines)
        {
            Options = options,
            OptionsTitle = L(t, "Elegí una opción", "Choose an option"),
        });
    }

    /// <summary>The clarification menu's first option asked as a yes/no question ("querés ver tu reserva"); null for "Otra cosa".</summary>
    private string? IntentQuestion(TurnContext t, string intent) => intent switch
    {
        NluLabels.CheckAvailability => L(t, "querés ver disponibilidad", "would you like to check availability"),
        NluLabels.MakeReservation => L(t, "querés hacer una reserva", "would you like to make a booking"),
        NluLabels.CancelReservation => L(t, "querés cancelar tu reserva", "would you like to cancel your booking"),
        NluLabels.ModifyReservation => L(t, "querés cambiar tu reserva", "would you like to change your booking"),
        NluLabels.CheckReservation => L(t, "querés ver tu reserva", "would you like to see your booking"),
        NluLabels.AskPrice => L(t, "querés consultar precios", "would you like to know our prices"),
        NluLabels.AskRoomTypes => L(t, "querés conocer las habitaciones", "would you like to know our rooms"),
        NluLabels.AskAmenities => L(t, "querés saber qué servicios tiene el hotel", "would you like to know the hotel's amenities"),
        NluLabels.AskLocation => L(t, "querés saber dónde estamos", "would you like to know where we are"),
        NluLabels.AskPolicies => L(t, "querés conocer las políticas del hotel", "would you like to know the hotel's policies"),
        NluLabels.RequestHuman => L(t, "querés hablar con recepción", "would you like to talk to reception"),
        _ => null,
    };

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
        if (PendingQuestion(t) is not null)
        {
            AskPendingAgain(t, L(t, "Perdón, no te entendí bien.", "Sorry, I didn't quite get that."));
            return;
        }

        t.Say(t.S.FallbackCount >= 2
            ? L(t, $"Sigo sin entenderte, perdón 🙈 Probá con algo como \"quiero reservar del 10 al 12 de enero para 2\" o \"¿dónde quedan?\". Si preferís, escribí \"recepción\" y te atiende una persona ({_profile.Phone}).",
                $"I still don't get it, sorry 🙈 Try something like \"a room for 2 from January 10 to 12\" or \"where are you?\". If you prefer, write \"reception\" and a person will help you ({_profile.Phone}).")
            : L(t, "Perdón, no te entendí bien. ¿Me lo decís de otra forma? Puedo ayudarte con disponibilidad y precios, reservas y dudas sobre el hotel.",
                "Sorry, I didn't quite get that. Could you say it another way? I can help with availability and prices, bookings and questions about the hotel."));
    }

    /// <summary>The question the flow is waiting on (first wording), or null when nothing is pending.</summary>
    private string? PendingQuestion(TurnContext t) => PendingKey(t) is { } key ? QuestionText(t, key, 1) : null;

    /// <summary>The key of the question the flow is waiting on.</summary>
    private static string? PendingKey(TurnContext t) => t.S.Stage switch
    {
        DialogStage.CollectingStay when t.S.Asked is AskedSlot.CheckIn or AskedSlot.CheckOut or AskedSlot.Guests or AskedSlot.ConfirmLongStay => "stay:" + t.S.Asked,
        DialogStage.CollectingStay when t.S.Asked == AskedSlot.ChangeWhat => "change:booking",
        DialogStage.OfferingRooms => "offers",
        DialogStage.CollectingGuestDetails when t.S.Asked == AskedSlot.ConfirmName && t.S.GuestName is not null => "name:confirm",
        DialogStage.CollectingGuestDetails when t.S.Asked == AskedSlot.GuestName => "name",
        DialogStage.CollectingGuestDetails when t.S.Asked == AskedSlot.Phone => "phone",
        DialogStage.CollectingGuestDetails when t.S.Asked == AskedSlot.Email => "email",
        DialogStage.ConfirmingBooking => "confirm:booking",
        DialogStage.ConfirmingCancellation => "confirm:cancel",
        DialogStage.ConfirmingModification => "confirm:modify",
        DialogStage.ChoosingReservation => "choose:reservation",
        DialogStage.CollectingModification when t.S.Asked == AskedSlot.CheckIn => "modify:dates",
        DialogStage.CollectingModification when t.S.Asked == AskedSlot.Guests => "modify:guests",
        DialogStage.CollectingModification => "change:reservation",
        _ => null,
    };

    /// <summary>
    /// The wording of a question: the first time plain, the second time rephrased with an example, from the third time on
    /// with an offer of a person (the guest is stuck; the same question is never just repeated).
    /// </summary>
    private string QuestionText(TurnContext t, string key, int times)
    {
        var plain = key switch
        {
            "stay:CheckIn" => L(t, "¿Para qué fecha sería la entrada?", "What date would you arrive?"),
            "stay:CheckOut" => t.S.Stay.CheckIn is { } ci
                ? L(t, $"Entrada el {ShortDate(t, ci)}. ¿Hasta qué fecha, o cuántas noches?", $"Arriving {ShortDate(t, ci)}. Until what date, or how many nights?")
                : L(t, "¿Hasta qué fecha, o cuántas noches?", "Until what date, or how many nights?"),
            "stay:Guests" => t.S.Stay.CheckIn is { } a && t.S.Stay.CheckOut is { } b
                ? L(t, $"Del {ShortDate(t, a)} al {ShortDate(t, b)} ({Nights(t, b.DayNumber - a.DayNumber)}). ¿Cuántas personas serían?",
                    $"From {ShortDate(t, a)} to {ShortDate(t, b)} ({Nights(t, b.DayNumber - a.DayNumber)}). How many guests?")
                : L(t, "¿Cuántas personas serían?", "How many guests?"),
            "stay:ConfirmLongStay" => LongStayQuestion(t),
            "offers" => t.S.Offers.Count == 1 ? L(t, "¿Te la reservo?", "Shall I book it?") : L(t, "¿Cuál te reservo?", "Which one should I book?"),
            "name:confirm" => L(t, $"¿Hago la reserva a nombre de {t.S.GuestName}?", $"Shall I put the booking under {t.S.GuestName}?"),
            "name" => L(t, "¿A nombre de quién hago la reserva? (nombre y apellido)", "What name should the booking be under? (first and last name)"),
            "email" => EmailQuestion(t),
            "phone" => L(t, "¿Me pasás un teléfono de contacto para confirmar la reserva?", "Could you send me a contact phone number to confirm the booking?"),
            "confirm:booking" => L(t, "¿Confirmo la reserva?", "Shall I confirm the booking?"),
            "confirm:cancel" => L(t, "¿Confirmo la cancelación?", "Shall I cancel it?"),
            "confirm:modify" => L(t, "¿Confirmo el cambio?", "Shall I apply the change?"),
            "choose:reservation" => L(t, "¿Cuál de tus reservas?", "Which of your bookings?"),
            "modify:dates" => L(t, "¿Cuáles serían las nuevas fechas?", "What would the new dates be?"),
            "modify:guests" => L(t, "¿Cuántas personas serían?", "How many guests?"),
            _ => L(t, "¿Qué querés cambiar: las fechas, la cantidad de personas o la habitación?", "What would you like to change: the dates, the number of guests or the room?"),
        };
        if (times <= 1)
        {
            return plain;
        }

        var rephrased = key switch
        {
            "stay:CheckIn" => L(t, "¿Qué día llegarías? Escribime la fecha, por ejemplo \"el 15 de enero\" o \"del 10 al 12 de enero\".",
                "Which day would you arrive? Write the date, for example \"January 15\" or \"from January 10 to 12\"."),
            "stay:CheckOut" => L(t, "¿Cuántas noches te quedarías? Por ejemplo \"3 noches\" o \"hasta el 14\".",
                "How many nights would you stay? For example \"3 nights\" or \"until the 14th\"."),
            "stay:Guests" => L(t, "¿Para cuántas personas es? Por ejemplo \"somos 2\" o \"2 adultos y 1 niño\".",
                "How many people is it for? For example \"2 people\" or \"2 adults and 1 child\"."),
            "stay:ConfirmLongStay" => L(t, "¿Las fechas están bien? Respondeme \"sí\" o decime las fechas correctas, por ejemplo \"del 10 al 12 de enero\".",
                "Are the dates right? Answer \"yes\" or tell me the right dates, for example \"January 10 to 12\"."),
            "offers" => L(t, "Decime cuál preferís: el número (\"la 1\"), el nombre (\"la doble\") o \"la más barata\". También podés preguntarme por cualquiera.",
                "Tell me which one you prefer: the number (\"1\"), the name (\"the double\") or \"the cheapest\". You can also ask me about any of them."),
            "name:confirm" => L(t, $"¿La reserva va a nombre de {t.S.GuestName}? Respondeme \"sí\", o escribime otro nombre y apellido.",
                $"Should the booking be under {t.S.GuestName}? Answer \"yes\", or write another first and last name."),
            "name" => L(t, "Necesito el nombre y apellido de quien se aloja, por ejemplo \"Martina Gómez\".",
                "I need the first and last name of the guest, for example \"Martina Gomez\"."),
            "phone" => L(t, "Necesito un teléfono con código de área, por ejemplo 11 5555-1234 o +54 9 11 5555-1234.",
                "I need a phone number with the area code, for example +1 212 555 0123."),
            "email" => L(t, "Si querés dejarme un email, escribilo (por ejemplo nombre@gmail.com); si no, decime \"prefiero no\".",
                "If you'd like to leave an email, write it (for example name@gmail.com); otherwise just say \"no thanks\"."),
            "confirm:booking" => L(t, "Para reservar necesito que me digas \"sí\" (o \"no\" si querés cambiar algo). ¿Confirmo la reserva?",
                "To book I need a \"yes\" (or \"no\" if you want to change something). Shall I confirm the booking?"),
            "confirm:cancel" => L(t, "Para cancelarla necesito un \"sí\"; si preferís mantenerla, decime \"no\". ¿Confirmo la cancelación?",
                "To cancel it I need a \"yes\"; if you'd rather keep it, say \"no\". Shall I cancel it?"),
            "confirm:modify" => L(t, "Para aplicar el cambio necesito un \"sí\"; si no, decime \"no\" y queda como estaba. ¿Confirmo el cambio?",
                "To apply the change I need a \"yes\"; otherwise say \"no\" and it stays as it was. Shall I apply the change?"),
            "choose:reservation" => L(t, "Decime el número de la lista (por ejemplo \"la 1\") o el código de la reserva.",
                "Tell me the number in the list (for example \"1\") or the booking reference."),
            "modify:dates" => L(t, "Escribime las nuevas fechas, por ejemplo \"del 10 al 12 de enero\".", "Write the new dates, for example \"January 10 to 12\"."),
            "modify:guests" => L(t, "¿Cuántas personas serían en total? Por ejemplo \"3\".", "How many guests in total? For example \"3\"."),
            _ => L(t, "Decime qué querés cambiar, por ejemplo \"las fechas\", \"somos 3\" o \"la suite\".",
                "Tell me what to change, for example \"the dates\", \"3 guests\" or \"the suite\"."),
        };
        return times == 2
            ? rephrased
            : L(t, "Parece que no me estoy explicando bien 🙈 ", "I don't think I'm explaining myself well 🙈 ") + rephrased
              + L(t, "\nSi preferís, te paso con una persona de recepción.", "\nIf you prefer, I can pass you to a person at reception.");
    }

    /// <summary>
    /// Asks the flow's question, counting how many times in a row it was asked: the second time rephrased with an example,
    /// from the third time on offering a person. Returns the text said.
    /// </summary>
    private Reply Ask(TurnContext t, string key, string? lead = null, IReadOnlyList<ReplyOption>? options = null, string? optionsTitle = null)
    {
        var times = string.Equals(t.S.QuestionKey, key, StringComparison.Ordinal) ? t.S.QuestionTimes + 1 : 1;
        var text = (lead is null ? string.Empty : lead + (lead.EndsWith('\n') ? string.Empty : lead.Contains('\n', StringComparison.Ordinal) ? "\n" : " "))
            + QuestionText(t, key, times);
        var offerHuman = times >= 3;
        t.S = t.S with { QuestionKey = key, QuestionTimes = times, HumanOffered = offerHuman };
        var all = options?.ToList() ?? [];
        if (offerHuman && all.Count < 10)
        {
            all.Add(new ReplyOption("human", L(t, "Hablar con recepción", "Talk to reception")));
        }

        var reply = new Reply(text) { Options = all, OptionsTitle = all.Count > 3 ? optionsTitle ?? L(t, "Ver opciones", "See options") : optionsTitle };
        t.Say(reply);
        t.AskedThisTurn = key;
        return reply;
    }

    /// <summary>
    /// Asks the pending question again (an "ok" or an unclear answer while the flow waits). Returns false when nothing is pending.
    /// </summary>
    private bool AskPendingAgain(TurnContext t, string? lead = null)
    {
        if (PendingKey(t) is not { } key)
        {
            return false;
        }

        IReadOnlyList<ReplyOption>? options = key switch
        {
            "confirm:booking" or "confirm:cancel" or "confirm:modify" or "name:confirm" or "stay:ConfirmLongStay" => YesNoOptions(t),
            "offers" => OfferOptions(t),
            "email" => [new ReplyOption("skip", L(t, "Prefiero no", "No, thanks"))],
            "change:booking" or "change:reservation" => ChangeOptions(t),
            _ => null,
        };
        Ask(t, key, lead, options, key == "offers" ? L(t, "Ver opciones", "See options") : null);
        return true;
    }

    /// <summary>
    /// An answer to a question asked at a step, followed by that step's question in the same message (plain wording: the
    /// guest is engaged, not stuck, so it does not count as asking again).
    /// </summary>
    private void AnswerThenAskAgain(TurnContext t, string answer)
    {
        if (PendingKey(t) is not { } key)
        {
            t.Say(answer);
            return;
        }

        IReadOnlyList<ReplyOption> options = key switch
        {
            "offers" => OfferOptions(t),
            "email" => [new ReplyOption("skip", L(t, "Prefiero no", "No, thanks"))],
            "change:booking" or "change:reservation" => ChangeOptions(t),
            "stay:CheckIn" or "stay:CheckOut" or "stay:Guests" or "name" or "modify:dates" or "modify:guests" or "choose:reservation" => [],
            _ => YesNoOptions(t),
        };
        t.Say(new Reply(answer + "\n" + QuestionText(t, key, 1)) { Options = options, OptionsTitle = options.Count > 3 ? L(t, "Ver opciones", "See options") : null });
        t.AskedThisTurn = key;
    }

    /// <summary>After a side question mid-flow: a short reminder of what the flow waits for (not counted as asking again).</summary>
    private string WithPending(TurnContext t, string text)
    {
        if (PendingKey(t) is not { } key)
        {
            return text;
        }

        t.AskedThisTurn = key;
        return text + "\n\n" + L(t, "Y seguimos: ", "Back to it: ") + QuestionText(t, key, 1);
    }

    private IReadOnlyList<ReplyOption> YesNoOptions(TurnContext t) =>
        [new ReplyOption("yes", L(t, "Sí", "Yes")), new ReplyOption("no", L(t, "No", "No"))];

    private Reply YesNoReply(TurnContext t, string text) => new(text) { Options = YesNoOptions(t) };

    private static string L(TurnContext t, string es, string en) => string.Equals(t.S.Language, "en", StringComparison.Ordinal) ? en : es;

    /// <summary>Mutable scratch of one turn; the state it ends with is the outcome's state.</summary>
    private sealed class TurnContext(GuestTurn guestTurn, IDialogEffects effects, DialogState state)
    {
        public GuestTurn Turn { get; } = guestTurn;
        public IDialogEffects Effects { get; } = effects;
        public DialogState S { get; set; } = state;
        public NluResult Nlu { get; set; } = null!;
        public string Norm { get; set; } = string.Empty;
        public string Raw { get; set; } = string.Empty;
        public List<Reply> Replies { get; } = [];

        private (string Text, Party? Party)? _party;

        /// <summary>
        /// The party <see cref="Raw"/> describes (<see cref="PartyExtractor"/>), read once per text: every stay delta of
        /// the turn asks for it (a dozen places), and <see cref="Raw"/> can change within a turn.
        /// </summary>
        public Party? SaidParty
        {
            get
            {
                if (_party is not { } cached || !string.Equals(cached.Text, Raw, StringComparison.Ordinal))
                {
                    cached = (Raw, Raw.Length == 0 ? null : PartyExtractor.Extract(Raw));
                    _party = cached;
                }

                return cached.Party;
            }
        }
        public List<DialogEvent> Events { get; } = [];

        /// <summary>The question asked (or reminded) this turn; null when the turn asked nothing.</summary>
        public string? AskedThisTurn { get; set; }

        public void Say(string text) => Replies.Add(new Reply(text));

        public void Say(Reply reply) => Replies.Add(reply);

        public DialogOutcome Outcome(string? intent, double confidence)
        {
            // No reply goes out word for word a third time: a repeat gets a different opening.
            var fingerprints = S.RecentReplies.ToList();
            var replies = new List<Reply>(Replies.Count);
            foreach (var r in Replies)
            {
                var reply = r;
                var seen = fingerprints.Count(f => string.Equals(f, DialogText.Fingerprint(reply.Text), StringComparison.Ordinal));
                if (seen >= 2)
                {
                    var lead = string.Equals(S.Language, "en", StringComparison.Ordinal)
                        ? (seen == 2 ? "As I said: " : "Once more: ")
                        : (seen == 2 ? "Como te decía: " : "Te lo repito: ");
                    reply = reply with { Text = lead + LowerFirst(reply.Text) };
                }

                fingerprints.Add(DialogText.Fingerprint(r.Text));
                replies.Add(reply);
            }

            var withOptions = replies.LastOrDefault(r => r.Options.Count > 0);
            var state = S with
            {
                LastOptionIds = withOptions is null ? [] : withOptions.Options.Select(o => o.Id).ToArray(),
                RecentReplies = fingerprints.TakeLast(8).ToArray(),
                QuestionKey = AskedThisTurn is null && Replies.Count > 0 ? null : S.QuestionKey,
                QuestionTimes = AskedThisTurn is null && Replies.Count > 0 ? 0 : S.QuestionTimes,
            };
            return new(state, replies.ToArray(), Events.ToArray(), intent, confidence);
        }

        private static string LowerFirst(string s) =>
            s.Length > 1 && char.IsUpper(s[0]) && !char.IsUpper(s[1]) ? char.ToLowerInvariant(s[0]) + s[1..] : s;
    }
}
