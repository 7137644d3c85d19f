using System.Globalization;
using System.Text;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Nlu;
using HotelAgent.Core.Pms;

namespace HotelAgent.Core.Dialog;

/// <summary>Availability, quotes and the booking flow.</summary>
public sealed partial class ReceptionistDialog
{
    // ---------------------------------------------------------------- slots

    /// <summary>The stay facts in this message, read in the context of the last question ("3" → guests, "el 15" → check-out).</summary>
    private static StaySlots ExtractStayDelta(TurnContext t, NluResult nlu)
    {
        var e = nlu.Entities;
        var checkIn = e.CheckIn;
        var checkOut = e.CheckOut;
        var nights = e.Nights;
        var guests = e.Guests;
        var asked = t.S.Asked;

        // A single date while we asked for the departure is the departure.
        if (asked == AskedSlot.CheckOut && checkIn is { } only && checkOut is null && t.S.Stay.CheckIn is { } ci && only > ci)
        {
            checkOut = only;
            checkIn = null;
            nights = null;
        }

        // "hasta el domingo" is resolved by the NLU against today; relative to a later check-in it means the Sunday after it.
        if (checkIn is null && checkOut is { } co0 && t.S.Stay.CheckIn is { } ci0 && co0 <= ci0 && ci0.DayNumber - co0.DayNumber < 7)
        {
            checkOut = co0.AddDays(7);
        }

        // "somos una pareja" / "a couple" is two people whatever the number words say.
        if (guests is null or 1 && DialogText.ContainsAny(t.Norm, "pareja", "couple"))
        {
            guests = 2;
        }

        var bare = DialogText.BareNumber(t.Norm);
        if (bare is { } n && t.Turn.Message.ReplyId is null)
        {
            if (asked == AskedSlot.Guests)
            {
                guests = n;
                nights = null;
            }
            else if (asked == AskedSlot.CheckOut && checkOut is null)
            {
                nights = n;
                guests = null;
            }
            else if (t.S.Stage is DialogStage.OfferingRooms or DialogStage.ChoosingReservation or DialogStage.Clarifying)
            {
                // "2" picks an option there; it is not a party size.
                guests = null;
                nights = null;
            }
        }

        return new StaySlots { CheckIn = checkIn, CheckOut = checkOut, Nights = nights, Guests = guests, RoomType = e.RoomType };
    }

    private static bool HasStayDelta(StaySlots d) =>
        d.CheckIn is not null || d.CheckOut is not null || d.Nights is not null || d.Guests is not null || d.RoomType is not null;

    /// <summary>Applies a correction keeping the rest: a new check-in keeps the number of nights ("no, mejor del 11").</summary>
    internal static StaySlots Merge(StaySlots current, StaySlots delta)
    {
        var s = current;
        if (delta.RoomType is not null)
        {
            s = s with { RoomType = delta.RoomType };
        }

        if (delta.Guests is not null)
        {
            s = s with { Guests = delta.Guests };
        }

        if (delta.CheckIn is { } ci)
        {
            if (delta.CheckOut is { } co)
            {
                s = s with { CheckIn = ci, CheckOut = co, Nights = co.DayNumber - ci.DayNumber };
            }
            else if ((delta.Nights ?? s.Nights) is { } nights && nights > 0)
            {
                s = s with { CheckIn = ci, CheckOut = ci.AddDays(nights), Nights = nights };
            }
            else if (s.CheckOut is { } keep && keep > ci)
            {
                s = s with { CheckIn = ci, Nights = keep.DayNumber - ci.DayNumber };
            }
            else
            {
                s = s with { CheckIn = ci, CheckOut = null, Nights = null };
            }
        }
        else if (delta.CheckOut is { } co)
        {
            s = s with { CheckOut = co, Nights = s.CheckIn is { } start ? co.DayNumber - start.DayNumber : null };
        }
        else if (delta.Nights is { } nights && nights > 0)
        {
            s = s with { Nights = nights, CheckOut = s.CheckIn?.AddDays(nights) };
        }

        return s;
    }

    private async Task StartStayAsync(TurnContext t, NluResult nlu)
    {
        var delta = ExtractStayDelta(t, nlu);
        if (!InBookingFlow(t.S.Stage))
        {
            t.S = t.S.ClearFlow() with { Stage = DialogStage.CollectingStay };
        }

        t.S = t.S with { Stay = Merge(t.S.Stay, delta), Stage = DialogStage.CollectingStay, Selected = null, PendingWriteKey = null };
        await AdvanceStayAsync(t);
    }

    /// <summary>A correction at any point of the booking flow: update the slots, keep the rest, and re-quote.</summary>
    private async Task ApplyStayCorrectionAsync(TurnContext t, StaySlots delta)
    {
        var previous = t.S.Selected;
        var stay = Merge(t.S.Stay, delta);
        t.S = t.S with { Stay = stay, Stage = DialogStage.CollectingStay, PendingWriteKey = null };
        if (previous is not null && delta.RoomType is null && stay.IsComplete && Validate(t, stay) is null)
        {
            // A room was already chosen: re-quote that room for the new stay and go on with the booking.
            var result = await t.Effects.SearchAvailabilityAsync(new StayQuery(stay.CheckIn!.Value, stay.CheckOut!.Value, stay.Guests!.Value, previous.RoomType));
            if (!result.IsOk)
            {
                PmsTrouble(t, result.Status);
                return;
            }

            var same = result.Value!.FirstOrDefault(o => string.Equals(o.RoomType, previous.RoomType, StringComparison.Ordinal));
            if (same is not null)
            {
                var offer = ToQuoted(same);
                t.S = t.S with { Offers = [offer], Selected = offer, Stage = DialogStage.CollectingGuestDetails };
                t.Events.Add(new DialogEvent(DialogEventKind.Quoted) { Total = offer.TotalPrice, Currency = offer.Currency });
                t.Say(L(t, "¡Listo, actualizo! ", "Done, updated! ") + OfferLine(t, offer, 0, numbered: false));
                await ContinueBookingDetailsAsync(t);
                return;
            }
        }

        t.S = t.S with { Selected = null };
        await AdvanceStayAsync(t);
    }

    /// <summary>Validates the collected stay; returns the message to say, or null when it is fine.</summary>
    private string? Validate(TurnContext t, StaySlots s)
    {
        if (s.CheckIn is { } ci && ci < t.Turn.Today)
        {
            return L(t, "Esa fecha de entrada ya pasó.", "That arrival date has already passed.");
        }

        if (s.CheckIn is { } a && s.CheckOut is { } b && b <= a)
        {
            return L(t, "La salida tiene que ser después de la entrada.", "Departure has to be after arrival.");
        }

        if (s.CheckIn is { } c && s.CheckOut is { } d && d.DayNumber - c.DayNumber > PmsLimits.MaxNights)
        {
            return L(t, $"Puedo reservar hasta {PmsLimits.MaxNights} noches por reserva.", $"I can book up to {PmsLimits.MaxNights} nights per booking.");
        }

        if (s.Guests is { } g && (g <= 0 || g > 30))
        {
            return L(t, "No me quedó clara la cantidad de personas.", "I didn't get the number of guests.");
        }

        return null;
    }

    /// <summary>Asks for the next missing slot (one question at a time) or quotes when the stay is complete.</summary>
    private async Task AdvanceStayAsync(TurnContext t)
    {
        var s = t.S.Stay;
        var problem = Validate(t, s);
        if (problem is not null)
        {
            if (s.CheckIn is { } ci && ci < t.Turn.Today)
            {
                s = s with { CheckIn = null, CheckOut = null, Nights = s.Nights };
            }
            else if (s.CheckIn is { } a && s.CheckOut is { } b && (b <= a || b.DayNumber - a.DayNumber > PmsLimits.MaxNights))
            {
                s = s with { CheckOut = null, Nights = null };
            }
            else
            {
                s = s with { Guests = null };
            }

            t.S = t.S with { Stay = s };
        }

        var next = s.CheckIn is null ? AskedSlot.CheckIn : s.CheckOut is null ? AskedSlot.CheckOut : s.Guests is null ? AskedSlot.Guests : AskedSlot.None;
        if (next != AskedSlot.None)
        {
            t.S = t.S with { Stage = DialogStage.CollectingStay, Asked = next };
            t.Say((problem is null ? string.Empty : problem + " ") + SlotQuestion(t, next));
            return;
        }

        await QuoteAsync(t);
    }

    private string SlotQuestion(TurnContext t, AskedSlot slot) => slot switch
    {
        AskedSlot.CheckIn => L(t, "¿Para qué fecha sería la entrada?", "What date would you arrive?"),
        AskedSlot.CheckOut => t.S.Stay.CheckIn is { } ci
            ? L(t, $"Entrada el {ShortDate(t, ci)}. ¿Hasta qué fecha, o cuántas noches?", $"Arriving {ShortDate(t, ci)}. Until what date, or how many nights?")
            : L(t, "¿Hasta qué fecha, o cuántas noches?", "Until what date, or how many nights?"),
        AskedSlot.Guests => t.S.Stay.CheckIn is { } a && t.S.Stay.CheckOut is { } b && t.S.Stage == DialogStage.CollectingStay
            ? L(t, $"Del {ShortDate(t, a)} al {ShortDate(t, b)} ({Nights(t, b.DayNumber - a.DayNumber)}). ¿Cuántas personas serían?",
                $"From {ShortDate(t, a)} to {ShortDate(t, b)} ({Nights(t, b.DayNumber - a.DayNumber)}). How many guests?")
            : L(t, "¿Cuántas personas serían?", "How many guests?"),
        _ => string.Empty,
    };

    private async Task QuoteAsync(TurnContext t)
    {
        var s = t.S.Stay;
        var missingType = string.Empty;
        if (s.RoomType is { } wanted && RoomTypes.Count > 0 && !RoomTypes.Any(r => string.Equals(r.Code, wanted, StringComparison.Ordinal)))
        {
            // A kind of room this hotel does not have (its PMS lists the types): say so and show what it has.
            missingType = L(t, $"No tenemos habitación {wanted}; te muestro las que hay.\n", $"We don't have a {wanted} room; here is what we have.\n");
            s = s with { RoomType = null };
            t.S = t.S with { Stay = s };
        }

        var query = new StayQuery(s.CheckIn!.Value, s.CheckOut!.Value, s.Guests!.Value, s.RoomType);
        var result = await t.Effects.SearchAvailabilityAsync(query);
        if (!result.IsOk)
        {
            t.S = t.S with { Stage = DialogStage.CollectingStay, Asked = AskedSlot.None };
            PmsTrouble(t, result.Status);
            return;
        }

        var offers = result.Value!;
        var prefix = string.Empty;
        if (offers.Count == 0 && s.RoomType is not null)
        {
            var any = await t.Effects.SearchAvailabilityAsync(query with { RoomType = null });
            if (any.IsOk && any.Value!.Count > 0)
            {
                offers = any.Value;
                prefix = L(t, $"No hay disponibilidad de {RoomName(s.RoomType)} para esas fechas, pero tengo estas opciones:\n",
                    $"I have no {RoomName(s.RoomType)} free for those dates, but I do have:\n");
            }
        }

        if (offers.Count == 0)
        {
            t.S = t.S with { Stage = DialogStage.CollectingStay, Asked = AskedSlot.CheckIn, Offers = [], Selected = null };
            var biggest = RoomTypes.Count == 0 ? 0 : RoomTypes.Max(r => r.Capacity);
            t.Say(s.Guests > biggest && biggest > 0
                ? L(t, $"Nuestras habitaciones son para hasta {biggest} personas, así que para {s.Guests} no puedo reservarte por acá. Recepción te arma una opción con varias habitaciones: {_profile.Phone} · {_profile.Email}",
                    $"Our rooms hold up to {biggest} guests, so I can't book {s.Guests} here. Reception can arrange several rooms for you: {_profile.Phone} · {_profile.Email}")
                : L(t, $"No tengo habitaciones libres del {ShortDate(t, s.CheckIn!.Value)} al {ShortDate(t, s.CheckOut!.Value)} para {Guests(t, s.Guests!.Value)}. ¿Querés probar con otras fechas?",
                    $"I have no rooms free from {ShortDate(t, s.CheckIn!.Value)} to {ShortDate(t, s.CheckOut!.Value)} for {Guests(t, s.Guests!.Value)}. Would you like to try other dates?"));
            return;
        }

        var quoted = offers.Take(_options.MaxOffers).Select(ToQuoted).ToList();
        t.S = t.S with { Stage = DialogStage.OfferingRooms, Asked = AskedSlot.None, Offers = quoted, Selected = null, PendingWriteKey = null };
        t.Events.Add(new DialogEvent(DialogEventKind.Quoted) { Total = quoted[0].TotalPrice, Currency = quoted[0].Currency });

        var sb = new StringBuilder(missingType + prefix);
        if (prefix.Length == 0)
        {
            sb.Append(L(t,
                $"Del {ShortDate(t, s.CheckIn!.Value)} al {ShortDate(t, s.CheckOut!.Value)} ({Nights(t, quoted[0].Nights)}, {Guests(t, s.Guests!.Value)}) tengo:\n",
                $"From {ShortDate(t, s.CheckIn!.Value)} to {ShortDate(t, s.CheckOut!.Value)} ({Nights(t, quoted[0].Nights)}, {Guests(t, s.Guests!.Value)}) I have:\n"));
        }

        for (var i = 0; i < quoted.Count; i++)
        {
            sb.Append(OfferLine(t, quoted[i], i, numbered: quoted.Count > 1)).Append('\n');
        }

        sb.Append(quoted.Count == 1 ? L(t, "¿Te la reservo?", "Shall I book it?") : L(t, "¿Cuál te reservo?", "Which one should I book?"));
        t.Say(new Reply(sb.ToString())
        {
            Options = quoted.Select(o => new ReplyOption(o.RoomType, Truncate(o.Name, 20),
                Truncate(L(t, $"{Price(o.NightlyRate, o.Currency)}/noche · total {Price(o.TotalPrice, o.Currency)}",
                    $"{Price(o.NightlyRate, o.Currency)}/night · total {Price(o.TotalPrice, o.Currency)}"), 72))).ToArray(),
            OptionsTitle = L(t, "Ver opciones", "See options"),
        });
    }

    private string OfferLine(TurnContext t, QuotedOffer o, int index, bool numbered)
    {
        var includes = o.Includes.Count == 0 ? string.Empty : L(t, $" Incluye {Join(t, o.Includes)}.", $" Includes {Join(t, o.Includes)}.");
        var head = numbered ? $"{index + 1}. " : string.Empty;
        return head + L(t,
            $"{o.Name}: {Price(o.NightlyRate, o.Currency)} por noche, total {Price(o.TotalPrice, o.Currency)}.{includes}",
            $"{o.Name}: {Price(o.NightlyRate, o.Currency)} per night, total {Price(o.TotalPrice, o.Currency)}.{includes}");
    }

    private static QuotedOffer ToQuoted(RoomOffer o) =>
        new(o.RoomType, o.Name, o.Capacity, o.NightlyRate, o.Nights, o.TotalPrice, o.Currency, o.Includes.ToArray());

    /// <summary>The offer the guest picked: button id, "la 2", "la doble", or a yes when only one was quoted.</summary>
    private QuotedOffer? PickOffer(TurnContext t)
    {
        var offers = t.S.Offers;
        var replyId = t.Turn.Message.ReplyId;
        if (replyId is not null)
        {
            var byId = offers.FirstOrDefault(o => string.Equals(o.RoomType, replyId, StringComparison.Ordinal));
            if (byId is not null)
            {
                return byId;
            }
        }

        var n = DialogText.BareNumber(t.Norm) ?? t.Nlu.Entities.OptionNumber;
        if (n is { } k && k >= 1 && k <= offers.Count && t.Nlu.Entities.Guests is null)
        {
            return offers[k - 1];
        }

        if (t.Nlu.Entities.RoomType is { } type)
        {
            return offers.FirstOrDefault(o => string.Equals(o.RoomType, type, StringComparison.Ordinal));
        }

        var byName = offers.FirstOrDefault(o => string.Equals(DialogText.Normalize(o.Name), t.Norm, StringComparison.Ordinal));
        if (byName is not null)
        {
            return byName;
        }

        return offers.Count == 1 && IsYes(t) ? offers[0] : null;
    }

    // ---------------------------------------------------------------- guest details

    /// <summary>After an option is picked: confirm the name, ask the optional email, then show the summary.</summary>
    private async Task ContinueBookingDetailsAsync(TurnContext t)
    {
        var m = t.Turn.Message;
        t.S = t.S with { Stage = DialogStage.CollectingGuestDetails };
        if (m.Channel == Channel.Email && t.S.Email is null)
        {
            t.S = t.S with { Email = m.GuestId.Trim().ToLowerInvariant(), EmailAsked = true };
        }

        if (t.S.GuestName is null || !t.S.GuestNameConfirmed)
        {
            var candidate = t.S.GuestName ?? CleanName(m.DisplayName);
            if (candidate is not null)
            {
                t.S = t.S with { GuestName = candidate, Asked = AskedSlot.ConfirmName };
                t.Say(YesNo(t, L(t, $"¡Buena elección! ¿Hago la reserva a nombre de {candidate}?", $"Great choice! Shall I put the booking under {candidate}?")));
            }
            else
            {
                t.S = t.S with { Asked = AskedSlot.GuestName };
                t.Say(L(t, "¡Buena elección! ¿A nombre de quién hago la reserva? (nombre y apellido)", "Great choice! What name should the booking be under? (first and last name)"));
            }

            return;
        }

        if (t.S.Email is null && !t.S.EmailAsked)
        {
            t.S = t.S with { Asked = AskedSlot.Email, EmailAsked = true };
            t.Say(new Reply(L(t, "¿Me pasás un email para enviarte la confirmación? Es opcional.", "Could you give me an email for the confirmation? It's optional."))
            {
                Options = [new ReplyOption("skip", L(t, "Prefiero no", "No, thanks"))],
            });
            return;
        }

        await Task.CompletedTask;
        ShowBookingSummary(t);
    }

    private async Task<bool> HandleGuestDetailsAsync(TurnContext t)
    {
        if (t.S.Asked == AskedSlot.Phone && await HandlePhoneAnswerAsync(t))
        {
            return true;
        }

        var nlu = t.Nlu;
        var delta = ExtractStayDelta(t, nlu);
        var named = CleanName(nlu.Entities.PersonName);
        var typedEmail = nlu.Entities.Email ?? DialogText.FindEmail(t.Turn.Message.Text ?? string.Empty);
        if (typedEmail is not null && t.S.Asked != AskedSlot.Email)
        {
            // An email given before we asked for it: keep it, and repeat the pending question.
            t.S = t.S with { Email = typedEmail.Trim().ToLowerInvariant(), EmailAsked = true };
            if (named is null)
            {
                t.Say(L(t, "¡Anotado el email! ", "Email noted! ") + (PendingQuestion(t) ?? string.Empty));
                return true;
            }
        }

        switch (t.S.Asked)
        {
            case AskedSlot.ConfirmName:
                named ??= IsYes(t) || IsNo(t) || HasStayDelta(delta) ? null : NameFromText(t);
                if (named is not null)
                {
                    t.S = t.S with { GuestName = named, GuestNameConfirmed = true, Asked = AskedSlot.None };
                    await ContinueBookingDetailsAsync(t);
                    return true;
                }

                if (IsYes(t))
                {
                    t.S = t.S with { GuestNameConfirmed = true, Asked = AskedSlot.None };
                    await ContinueBookingDetailsAsync(t);
                    return true;
                }

                if (IsNo(t))
                {
                    t.S = t.S with { GuestName = null, GuestNameConfirmed = false, Asked = AskedSlot.GuestName };
                    t.Say(L(t, "Dale. ¿A nombre de quién la hago? (nombre y apellido)", "Sure. What name should I use? (first and last name)"));
                    return true;
                }

                break;

            case AskedSlot.GuestName:
                var name = named ?? (HasStayDelta(delta) ? null : NameFromText(t));
                if (name is not null)
                {
                    t.S = t.S with { GuestName = name, GuestNameConfirmed = true, Asked = AskedSlot.None };
                    await ContinueBookingDetailsAsync(t);
                    return true;
                }

                break;

            case AskedSlot.Email:
                var email = typedEmail;
                if (email is not null)
                {
                    t.S = t.S with { Email = email.Trim().ToLowerInvariant(), Asked = AskedSlot.None };
                    ShowBookingSummary(t);
                    return true;
                }

                if (t.Turn.Message.ReplyId is "skip" || IsNo(t) || DialogText.ContainsAny(t.Norm, "prefiero no", "sin email", "no tengo", "skip", "no thanks"))
                {
                    t.S = t.S with { Asked = AskedSlot.None };
                    ShowBookingSummary(t);
                    return true;
                }

                if (!HasStayDelta(delta) && nlu.Confidence < _nlu.ActThreshold)
                {
                    t.Say(new Reply(L(t, "Mmm, no me pareció un email válido. ¿Me lo pasás de nuevo? (o \"prefiero no\")",
                        "Hmm, that doesn't look like a valid email. Could you send it again? (or \"no thanks\")"))
                    {
                        Options = [new ReplyOption("skip", L(t, "Prefiero no", "No, thanks"))],
                    });
                    return true;
                }

                break;
        }

        if (HasStayDelta(delta))
        {
            await ApplyStayCorrectionAsync(t, delta);
            return true;
        }

        return false;
    }

    /// <summary>A reply to "what name?" that is just a name: 1-5 words of letters, not a confident other request.</summary>
    private string? NameFromText(TurnContext t)
    {
        var text = (t.Turn.Message.Text ?? string.Empty).Trim();
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is < 1 or > 5 || !text.All(c => char.IsLetter(c) || c is ' ' or '\'' or '-' or '.'))
        {
            return null;
        }

        if (t.Nlu.Confidence >= _nlu.ActThreshold && t.Nlu.Intent is not (NluLabels.OutOfScope or NluLabels.Greeting or NluLabels.MakeReservation))
        {
            return null;
        }

        if (DialogText.IsYes(t.Norm) || DialogText.IsNo(t.Norm))
        {
            return null;
        }

        return CleanName(text);
    }

    private static string? CleanName(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var words = raw.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Length > 0 && char.IsLower(w[0]) ? char.ToUpper(w[0], CultureInfo.InvariantCulture) + w[1..] : w);
        var name = string.Join(' ', words);
        return name.Length > 80 ? name[..80] : name;
    }

    private void ShowBookingSummary(TurnContext t)
    {
        if (t.S.Selected is not { } o || !t.S.Stay.IsComplete)
        {
            // Defensive: never summarize (or book) an incomplete stay.
            t.S = t.S with { Stage = DialogStage.CollectingStay, Selected = null };
            t.Say(SlotQuestion(t, t.S.Stay.CheckIn is null ? AskedSlot.CheckIn : t.S.Stay.CheckOut is null ? AskedSlot.CheckOut : AskedSlot.Guests));
            return;
        }

        var s = t.S.Stay;
        var p = _profile.Policies;
        var sb = new StringBuilder(L(t, "Te confirmo los datos:\n", "Here are the details:\n"));
        sb.Append("• ").Append(o.Name).Append('\n');
        sb.Append(L(t, $"• Entrada: {LongDate(t, s.CheckIn!.Value)} (desde las {p.CheckInTime})\n", $"• Check-in: {LongDate(t, s.CheckIn!.Value)} (from {p.CheckInTime})\n"));
        sb.Append(L(t, $"• Salida: {LongDate(t, s.CheckOut!.Value)} (hasta las {p.CheckOutTime})\n", $"• Check-out: {LongDate(t, s.CheckOut!.Value)} (until {p.CheckOutTime})\n"));
        sb.Append("• ").Append(Nights(t, o.Nights)).Append(", ").Append(Guests(t, s.Guests!.Value)).Append('\n');
        sb.Append(L(t, "• A nombre de: ", "• Name: ")).Append(t.S.GuestName).Append('\n');
        if (t.S.Email is not null)
        {
            sb.Append("• Email: ").Append(t.S.Email).Append('\n');
        }

        sb.Append(L(t, "• Total: ", "• Total: ")).Append(Price(o.TotalPrice, o.Currency));
        if (o.Includes.Count > 0)
        {
            sb.Append(L(t, $" (incluye {Join(t, o.Includes)})", $" (includes {Join(t, o.Includes)})"));
        }

        sb.Append('\n').Append(L(t, "¿Confirmo la reserva?", "Shall I confirm the booking?"));
        t.S = t.S with { Stage = DialogStage.ConfirmingBooking, Asked = AskedSlot.None };
        t.Say(new Reply(sb.ToString())
        {
            Options = [new ReplyOption("yes", L(t, "Sí, reservar", "Yes, book it")), new ReplyOption("no", L(t, "No", "No"))],
        });
    }

    private void AskWhatToChange(TurnContext t, bool booking)
    {
        t.S = t.S with
        {
            Stage = booking ? DialogStage.CollectingStay : DialogStage.CollectingModification,
            Asked = AskedSlot.ChangeWhat,
            PendingWriteKey = null,
        };
        t.Say(new Reply(booking
            ? L(t, "Dale, no reservo nada. ¿Qué querés cambiar: las fechas, la cantidad de personas o la habitación?",
                "OK, I won't book anything. What would you like to change: the dates, the number of guests or the room?")
            : L(t, "¿Qué querés cambiar: las fechas, la cantidad de personas o la habitación?",
                "What would you like to change: the dates, the number of guests or the room?"))
        {
            Options =
            [
                new ReplyOption("change_dates", L(t, "Las fechas", "The dates")),
                new ReplyOption("change_guests", L(t, "Personas", "Guests")),
                new ReplyOption("change_room", L(t, "La habitación", "The room")),
            ],
        });
    }

    private async Task HandleChangeWhatAsync(TurnContext t, string what, bool booking)
    {
        if (booking)
        {
            switch (what)
            {
                case "change_dates":
                    t.S = t.S with { Stay = t.S.Stay with { CheckIn = null, CheckOut = null, Nights = null }, Selected = null, Asked = AskedSlot.CheckIn };
                    t.Say(SlotQuestion(t, AskedSlot.CheckIn));
                    return;
                case "change_guests":
                    t.S = t.S with { Stay = t.S.Stay with { Guests = null }, Selected = null, Asked = AskedSlot.Guests };
                    t.Say(SlotQuestion(t, AskedSlot.Guests));
                    return;
                default:
                    t.S = t.S with { Stay = t.S.Stay with { RoomType = null }, Selected = null };
                    await AdvanceStayAsync(t);
                    return;
            }
        }

        t.S = t.S with { Asked = what switch { "change_dates" => AskedSlot.CheckIn, "change_guests" => AskedSlot.Guests, _ => AskedSlot.ChangeWhat } };
        if (what == "change_room")
        {
            AskWhichRoom(t);
            return;
        }

        t.Say(what switch
        {
            "change_dates" => L(t, "¿Cuáles serían las nuevas fechas? (por ejemplo: del 10 al 12)", "What are the new dates? (e.g. from the 10th to the 12th)"),
            "change_guests" => L(t, "¿Cuántas personas serían?", "How many guests?"),
            _ => L(t, "¿Qué habitación preferís? Tenemos " + string.Join(", ", RoomTypes.Select(r => r.Name)) + ".",
                "Which room would you prefer? We have " + string.Join(", ", RoomTypes.Select(r => r.Name)) + "."),
        });
    }

    private async Task BookAsync(TurnContext t)
    {
        if (t.S.Selected is not { } o || !t.S.Stay.IsComplete)
        {
            t.S = t.S with { Stage = DialogStage.CollectingStay, Selected = null };
            await AdvanceStayAsync(t);
            return;
        }

        var s = t.S.Stay;
        var m = t.Turn.Message;
        var key = t.S.PendingWriteKey ?? t.Turn.IdempotencyPrefix + ":book";
        t.S = t.S with { PendingWriteKey = key };
        var request = new NewReservation
        {
            IdempotencyKey = key,
            GuestName = t.S.GuestName ?? m.DisplayName ?? L(t, "Huésped", "Guest"),
            Contact = m.GuestId,
            Email = t.S.Email,
            Phone = t.S.Phone,
            Channel = m.Channel,
            RoomType = o.RoomType,
            CheckIn = s.CheckIn!.Value,
            CheckOut = s.CheckOut!.Value,
            Guests = s.Guests!.Value,
        };
        var result = await t.Effects.CreateReservationAsync(request);
        switch (result.Status)
        {
            case DialogPmsStatus.Ok when result.Value is not null:
                var r = result.Value;
                t.S = t.S.ClearFlow();
                t.Events.Add(DialogEvent.Booked(r.Reference, r.TotalPrice, r.Currency));
                var mail = r.Email ?? request.Email;
                t.Say(L(t,
                    $"¡Listo, {FirstName(r.GuestName)}! Tu reserva está confirmada ✅\nCódigo de reserva: {r.Reference}\n{o.Name}, del {ShortDate(t, r.CheckIn)} al {ShortDate(t, r.CheckOut)}, total {Price(r.TotalPrice, r.Currency)}."
                    + (mail is null ? string.Empty : $"\nTe mandamos la confirmación a {mail}.") + "\n¡Te esperamos!",
                    $"All set, {FirstName(r.GuestName)}! Your booking is confirmed ✅\nBooking reference: {r.Reference}\n{o.Name}, {ShortDate(t, r.CheckIn)} to {ShortDate(t, r.CheckOut)}, total {Price(r.TotalPrice, r.Currency)}."
                    + (mail is null ? string.Empty : $"\nWe'll send the confirmation to {mail}.") + "\nWe look forward to seeing you!"));
                return;
            case DialogPmsStatus.PhoneRequired:
                AskForPhone(t, again: t.S.Phone is not null);
                return;
            case DialogPmsStatus.NoAvailability:
                t.S = t.S with { Selected = null, PendingWriteKey = null };
                t.Say(L(t, "¡Uy! Esa habitación se acaba de ocupar para esas fechas. Te muestro lo que queda:",
                    "Oh no, that room was just taken for those dates. Here's what's left:"));
                await QuoteAsync(t);
                return;
            default:
                // State kept (still confirming, same write key): the guest can say "sí" again when the PMS is back.
                PmsTrouble(t, result.Status);
                return;
        }
    }

    // ---------------------------------------------------------------- formatting

    private void PmsTrouble(TurnContext t, DialogPmsStatus status)
    {
        if (status == DialogPmsStatus.Unavailable)
        {
            t.Events.Add(new DialogEvent(DialogEventKind.PmsUnavailable));
            t.Say(L(t,
                $"Perdón, ahora mismo no puedo consultar el sistema de reservas. Guardé lo que hablamos: probá de nuevo en unos minutos, o comunicate con recepción al {_profile.Phone} o a {_profile.Email}.",
                $"Sorry, I can't reach the booking system right now. I've kept what we discussed: try again in a few minutes, or contact reception at {_profile.Phone} or {_profile.Email}."));
            return;
        }

        t.Say(L(t,
            $"No pude completar eso en el sistema de reservas. ¿Probamos con otros datos? Si preferís, recepción te ayuda al {_profile.Phone}.",
            $"I couldn't complete that in the booking system. Shall we try different details? Reception can also help at {_profile.Phone}."));
    }

    private string Price(decimal amount, string currency) => PriceFormatter.Format(amount, currency, _profile.Culture);

    private string RoomName(string code) =>
        RoomTypes.FirstOrDefault(r => string.Equals(r.Code, code, StringComparison.Ordinal))?.Name ?? code;

    private static string FirstName(string name) => name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? name;

    private static CultureInfo Culture(TurnContext t) => CultureInfo.GetCultureInfo(string.Equals(t.S.Language, "en", StringComparison.Ordinal) ? "en-US" : "es-AR");

    private static string ShortDate(TurnContext t, DateOnly d) => string.Equals(t.S.Language, "en", StringComparison.Ordinal)
        ? d.ToString("MMM d", Culture(t))
        : d.ToString("d/M", Culture(t));

    private static string LongDate(TurnContext t, DateOnly d) => string.Equals(t.S.Language, "en", StringComparison.Ordinal)
        ? d.ToString("dddd, MMMM d, yyyy", Culture(t))
        : d.ToString("dddd d 'de' MMMM 'de' yyyy", Culture(t));

    private static string Nights(TurnContext t, int n) => n == 1 ? L(t, "1 noche", "1 night") : L(t, $"{n} noches", $"{n} nights");

    private static string Guests(TurnContext t, int n) => n == 1 ? L(t, "1 persona", "1 guest") : L(t, $"{n} personas", $"{n} guests");

    private static string Join(TurnContext t, IReadOnlyList<string> items) => items.Count switch
    {
        0 => string.Empty,
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + L(t, " y ", " and ") + items[^1],
    };

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
